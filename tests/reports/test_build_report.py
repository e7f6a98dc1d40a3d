"""python manage.py build_report --period P [--unit CODE_OR_NAME] --format docx|xlsx|html --output PATH"""

import io
import subprocess
import sys
import unicodedata

import docx
import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.models import ProblemItem, WorkReport
from tests.factories import make_unit
from youthwork.models import Unit


def build(tmp_path, *args):
    output = tmp_path / f"out.{args[args.index('--format') + 1]}"
    stdout = io.StringIO()
    call_command("build_report", *args, "--output", str(output), stdout=stdout)
    return output, stdout.getvalue()


def test_it_writes_the_city_report_by_default(town, tmp_path):
    output, said = build(tmp_path, "--period", "2023Q2", "--format", "docx")
    text = unicodedata.normalize("NFKC", "\n".join(p.text for p in docx.Document(output).paragraphs))
    assert "团市委2023年第二季度" in said
    assert "累计参学量达3500人次" in text and "35.24万元" in text and "XX" not in text
    assert WorkReport.objects.count() == 0  # nothing saved


def test_a_unit_by_code_or_by_name(town, tmp_path):
    by_code, _ = build(tmp_path, "--period", "2023Q2", "--unit", "A", "--format", "xlsx")
    assert openpyxl.load_workbook(by_code)["思想引领"]["A1"].value.startswith("甲区团委")
    by_name, _ = build(tmp_path, "--period", "2023-04-01:2023-06-30", "--unit", "乙区团委", "--format", "html")
    page = by_name.read_text(encoding="utf-8")
    assert "乙区团委" in page and "数据缺口" in page and "甲区第一小学" not in page


def test_it_uses_the_saved_reports_text_when_there_is_one(town, tmp_path):
    report = WorkReport.objects.create(unit=town.city, period_code="2023Q2", opening="我们的开头。")
    ProblemItem.objects.create(report=report, heading="编辑写的问题", text="内容。")
    output, _ = build(tmp_path, "--period", "2023Q2", "--format", "docx")
    text = [p.text for p in docx.Document(output).paragraphs]
    assert "我们的开头。" in text and any("编辑写的问题" in line for line in text)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2023Q5", "--format", "docx"], "期间无法识别"),
        (["--period", "2023-06-30:2023-04-01", "--format", "docx"], "结束日期早于开始日期"),
        (["--period", "2023Q2", "--unit", "不存在的单位", "--format", "docx"], "找不到单位“不存在的单位”"),
    ],
)
def test_bad_input_is_a_clear_chinese_error(town, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        build(tmp_path, *args)


def test_a_name_shared_by_two_units_asks_for_the_code(town, tmp_path):
    make_unit("中心小学", town.town_a, Unit.Type.SCHOOL, code="X1")
    make_unit("中心小学", town.district_b, Unit.Type.SCHOOL, code="X2")
    with pytest.raises(CommandError, match="有2个单位名为“中心小学”,请改用单位编码:X1、X2"):
        build(tmp_path, "--period", "2023Q2", "--unit", "中心小学", "--format", "docx")


def test_errors_exit_non_zero_without_a_traceback(tmp_path):
    # A real process: the exit code and stderr are what scripts see.
    command = [sys.executable, "manage.py", "build_report", "--period", "2023Q9", "--format", "docx"]
    result = subprocess.run(
        [*command, "--output", str(tmp_path / "r.docx")],
        capture_output=True,
        text=True,
        check=False,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "期间无法识别" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_format_is_refused(town, tmp_path):
    with pytest.raises(CommandError):
        build(tmp_path, "--period", "2023Q2", "--format", "pdf")
