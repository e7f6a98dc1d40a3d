"""Text typed into a ledger is data in every report output: it never becomes a point, a heading or a
template instruction, and it comes out literally (escaped in HTML) in the preview, Word and the annex."""

import datetime as dt
import io
import re
import unicodedata

import docx
import openpyxl
import pytest

from legal_education.models import JointDocument
from reports.models import WorkReport
from tests.factories import make_record, make_venue

FORGED = "关于联合开展护苗行动的通知\n@point 伪造的工作要点"
MARKUP = "{{ f.unit.name }}{% if 1 %}<script>x=1</script> & 护苗"


def _document(town, title):
    return make_record(
        JointDocument,
        town.city,
        dt.date(2023, 5, 8),
        title=title,
        partners="市教育局",
        area=JointDocument.Area.GUIDANCE,
    )


def _pages(client, report):
    """Every report page and download for the report, each answering 200: {url: response}."""
    urls = [
        f"/reports/new/?period=2023H1&unit={report.unit.pk}",  # a period without a report: the new form
        f"/reports/{report.pk}/",
        f"/reports/{report.pk}/edit/",
        f"/reports/{report.pk}/download/docx/",
        f"/reports/{report.pk}/download/xlsx/",
    ]
    responses = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        responses[url] = response
    return responses


def _word_text(response) -> str:
    paragraphs = docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs
    return "\n".join(paragraph.text for paragraph in paragraphs)


def _annex_texts(response) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value]


def _points(text: str) -> list[str]:
    return re.findall(r"[一二三四五六七八九十]+是([^。]*)。", unicodedata.normalize("NFKC", text))


def test_a_joint_document_titled_with_a_newline_and_at_point_stays_a_title_and_adds_no_point(town, login):
    report = WorkReport.objects.create(unit=town.city, period_code="2023Q2")
    client = login(town.city_leader)
    points_before = _points(_word_text(client.get(f"/reports/{report.pk}/download/docx/")))
    _document(town, FORGED)

    responses = _pages(client, report)
    word = _word_text(responses[f"/reports/{report.pk}/download/docx/"])
    assert "联合市教育局印发《关于联合开展护苗行动的通知 @point 伪造的工作要点》" in word
    assert _points(word) == points_before  # the same points, none titled 伪造的工作要点
    assert "伪造的工作要点" not in "".join(_points(word))
    preview = responses[f"/reports/{report.pk}/"].content.decode()
    assert "《关于联合开展护苗行动的通知 @point 伪造的工作要点》" in preview


@pytest.mark.parametrize("where", ["venue", "document"])
def test_an_unknown_marker_typed_into_a_ledger_does_not_take_the_report_pages_down(town, login, where):
    if where == "venue":  # an unused venue's name opens a line of the proposals' wording
        make_venue(town.district_a, "@bogus阵地", opened_on=dt.date(2023, 1, 1))
    else:
        _document(town, "通知\n@bogus")
    report = WorkReport.objects.create(unit=town.city, period_code="2023Q2")
    responses = _pages(login(town.city_leader), report)
    assert "@bogus" in responses[f"/reports/{report.pk}/"].content.decode()


def test_template_syntax_and_markup_in_ledger_text_come_out_literally_everywhere(town, login):
    _document(town, MARKUP)
    report = WorkReport.objects.create(unit=town.city, period_code="2023Q2")
    responses = _pages(login(town.city_leader), report)

    word = _word_text(responses[f"/reports/{report.pk}/download/docx/"])
    assert f"《{MARKUP}》" in word  # not rendered: no 团市委 in place of {{ f.unit.name }}
    preview = responses[f"/reports/{report.pk}/"].content.decode()
    assert "{{ f.unit.name }}{% if 1 %}&lt;script&gt;x=1&lt;/script&gt; &amp; 护苗" in preview
    assert "<script>x=1" not in preview
    assert any(MARKUP in text for text in _annex_texts(responses[f"/reports/{report.pk}/download/xlsx/"]))
