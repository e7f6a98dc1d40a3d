"""What the seed report says that the ledgers could not hold (issue 10, §3): 领导关心, 宣传主题/宣传渠道,
主讲/服务人员, 工作内容 and the donor types behind 资源整合不足. Each sentence comes from records and adapts or
vanishes without them; each column travels through the template, the import and the portal form."""

import datetime as dt
import io
import unicodedata
from decimal import Decimal

import docx
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from openpyxl import load_workbook

from assistance.models import Donation, HomeInternship, LeaderVisit
from legal_education.models import PsychService, RightsPublicity
from reports.builder import build_file
from reports.compose import build
from tests.factories import make_record
from tests.importing.workbooks import run_import, save, xlsx
from youthwork.periods import Period
from youthwork.roles import ADMIN, CLERK, LEADER

D = dt.date


def plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def word(period: str, unit) -> str:
    """The text of the Word report, full-width punctuation folded to ASCII."""
    content, _notes = build_file(Period.parse(period), unit, "docx")
    return plain("\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(content)).paragraphs))


def change(queryset, **values):
    """Change stored records one by one through save(), as the portal does (so the figures' cache sees it)."""
    for record in queryset:
        for field, value in values.items():
            setattr(record, field, value)
        record.save()


def problems(period: str, unit) -> dict[str, str]:
    return {p.problem.heading: plain(p.problem.text) for p in build(Period.parse(period), unit).proposals}


# --- 领导关心 -------------------------------------------------------------------------------------------


def visit(unit, date, name, post, place="甲街道希望家园", content="调研指导"):
    return make_record(LeaderVisit, unit, date, leader_name=name, leader_post=post, place=place, content=content)


def test_the_leaders_who_came_together_are_named_together_with_the_place_and_content_from_the_ledger(town):
    visit(town.city, D(2023, 4, 20), "王某", "副市长")
    visit(town.city, D(2023, 4, 20), "李某", "市委组织部副部长")
    visit(town.district_b, D(2023, 6, 5), "赵某", "区委书记", place="乙区希望家园", content="看望支教志愿者")
    text = word("2023Q2", town.city)
    assert "党委有重视" in text
    assert (
        "副市长王某同志、市委组织部副部长李某同志到甲街道希望家园调研指导;区委书记赵某同志到乙区希望家园看望支教志愿者"
        in text
    )


def test_without_a_leaders_visit_there_is_no_such_sentence_and_the_gap_is_listed(town):
    text = word("2023Q2", town.city)
    assert "党委有重视" not in text and "同志" not in text
    assert any(gap.startswith("领导关心") for gap in build(Period.parse("2023Q2"), town.city).gaps)


def test_a_district_report_names_only_the_visits_within_the_district(town):
    visit(town.city, D(2023, 4, 20), "王某", "副市长")
    visit(town.district_a, D(2023, 5, 8), "孙某", "区长")
    text = word("2023Q2", town.district_a)
    assert "区长孙某同志到甲街道希望家园调研指导" in text and "王某" not in text


# --- 权益宣传: 宣传主题 and 宣传渠道 ----------------------------------------------------------------------


def test_mandatory_reporting_is_not_claimed_when_the_ledger_does_not_say_what_was_publicised(town):
    text = word("2023Q2", town.city)
    assert "线下张贴海报200张、线上转发推文12篇的方式,开展未成年人权益保护宣传" in text
    assert "强制报告" not in text and "小程序" not in text


def test_mandatory_reporting_and_the_mini_program_are_stated_from_the_ledger(town):
    change(RightsPublicity.objects.filter(publicity_type="海报张贴"), theme="强制报告制度", channel="线下")
    change(RightsPublicity.objects.filter(publicity_type="线上推文"), theme="防欺凌", channel="线上推文")
    make_record(
        RightsPublicity,
        town.city,
        D(2023, 6, 1),
        publicity_type="其他",
        theme="强制报告制度",
        channel="小程序",
        quantity=1,
        reach=1000,
    )
    text = word("2023Q2", town.city)
    assert "广泛宣传未成年人强制报告制度和“强制报告”小程序、防范校园欺凌知识" in plain(text)
    assert "引导全社会共同履行强制报告义务" in text


# --- 心理健康服务: 主讲/服务人员 -----------------------------------------------------------------------------


def test_the_counsellor_invited_by_the_12355_desk_is_named_from_the_ledger(town):
    assert "邀请" not in word("2023Q2", town.city)
    change(PsychService.objects.filter(provider__contains="12355"), staff="心理咨询师")
    assert "中考考前心理减压讲座,邀请心理咨询师为学生提供专业心理辅导" in word("2023Q2", town.city)


# --- 返家乡实践: 工作内容 --------------------------------------------------------------------------------


def test_the_internship_work_is_listed_from_the_ledger_with_deng_only_after_more_than_one(town):
    assert "参与" not in word("2023Q2", town.city).split("服务实习实践")[1].split("\n")[0]
    change(HomeInternship.objects.all(), work="乡村振兴")
    assert "参与乡村振兴工作" in word("2023Q2", town.city)
    change(HomeInternship.objects.all(), work="乡村振兴、暑期支教")
    assert "参与乡村振兴、暑期支教等工作" in word("2023Q2", town.city)


# --- 希望工程募捐: one donor type dominating the funds --------------------------------------------------------


def donations(unit, *amounts):
    for index, (donor_type, amount) in enumerate(amounts):
        make_record(
            Donation, unit, D(2023, 5, 1 + index), donor=f"捐赠方{index}", donor_type=donor_type, amount=Decimal(amount)
        )


def test_resource_integration_is_a_problem_when_one_donor_type_gives_80_percent_of_the_funds(cast):
    donations(cast.district_a, ("上级拨付", "80000"), ("爱心企业", "15000"), ("个人", "5000"))
    found = problems("2023Q2", cast.district_a)
    assert "资源整合不足" in found
    text = found["资源整合不足"]
    assert "来自上级拨付的8万元,占80.0%" in text and "爱心企业、个人等其他来源占比较低" in text
    assert "联系对接爱心企业、社会团体、基金会等社会资源" in text


def test_resource_integration_is_no_problem_just_below_80_percent_or_without_funds(cast):
    assert "资源整合不足" not in problems("2023Q2", cast.district_a)
    donations(cast.district_a, ("上级拨付", "79999"), ("爱心企业", "20001"))
    assert "资源整合不足" not in problems("2023Q2", cast.district_a)


def test_the_town_with_its_mix_of_donors_has_no_resource_integration_problem(town):
    assert "资源整合不足" not in problems("2023Q2", town.city)


# --- the ledger and the columns in the template, the import, the portal, the roles ----------------------------

NEW_COLUMNS = {
    "领导关心": ["填报单位", "日期", "领导姓名", "领导职务", "走访地点(单位)", "内容", "备注"],
    "权益宣传": ["填报单位", "日期", "类型", "数量", "覆盖人次", "宣传主题", "宣传渠道", "备注"],
    "心理健康服务": [
        "填报单位",
        "日期",
        "服务类型",
        "主题",
        "服务人次",
        "服务机构",
        "活动阵地",
        "主讲/服务人员",
        "备注",
    ],
    "返家乡实践": ["填报单位", "日期", "岗位类型", "发布岗位数", "到岗学生数", "工作内容", "备注"],
}


def test_the_blank_template_has_the_new_sheet_and_columns(db, tmp_path):
    path = tmp_path / "模板.xlsx"
    call_command("export_template", str(path), stdout=io.StringIO())
    book = load_workbook(path)
    for sheet, headers in NEW_COLUMNS.items():
        assert [cell.value for cell in book[sheet][1]] == headers, sheet


def test_a_workbook_with_the_new_sheet_and_columns_is_imported(cast, tmp_path):
    sheets = {
        "领导关心": [
            NEW_COLUMNS["领导关心"],
            ["A", D(2023, 5, 4), "王某", "副市长", "甲街道希望家园", "调研指导", ""],
        ],
        "权益宣传": [
            NEW_COLUMNS["权益宣传"],
            ["A", D(2023, 5, 5), "其他", 1, 3000, "强制报告制度", "小程序", ""],
        ],
        "心理健康服务": [
            NEW_COLUMNS["心理健康服务"],
            ["A", D(2023, 5, 6), "心理讲座", "考前减压", 200, "12355青少年服务台", "", "心理咨询师", ""],
        ],
        "返家乡实践": [
            NEW_COLUMNS["返家乡实践"],
            ["A", D(2023, 6, 28), "乡村振兴志愿", 40, 20, "乡村振兴、暑期支教", ""],
        ],
    }
    code, out, err = run_import(save(tmp_path, xlsx(sheets)), "--user", "admin_a")
    assert code == 0, (out, err)
    assert LeaderVisit.objects.get().leader_post == "副市长"
    publicity = RightsPublicity.objects.get()
    assert (publicity.theme, publicity.channel) == ("强制报告制度", "小程序")
    assert PsychService.objects.get().staff == "心理咨询师"
    assert list(HomeInternship.objects.get().work) == ["乡村振兴", "暑期支教"]


def test_a_wrong_theme_is_named_by_sheet_row_and_column(cast, tmp_path):
    rows = [NEW_COLUMNS["权益宣传"], ["A", D(2023, 5, 5), "海报张贴", 10, 300, "普法", "线下", ""]]
    code, out, err = run_import(save(tmp_path, xlsx({"权益宣传": rows})), "--user", "admin_a")
    assert code == 1
    assert any(line.startswith("工作表 权益宣传 第2行 宣传主题") for line in out + err.splitlines()), (out, err)
    assert not RightsPublicity.objects.exists()


def test_an_old_workbook_without_the_new_columns_still_imports_and_leaves_them_blank(cast, tmp_path):
    sheets = {
        "权益宣传": [
            ["填报单位", "日期", "类型", "数量", "覆盖人次", "备注"],
            ["A", D(2023, 5, 5), "海报张贴", 100, 3000, ""],
        ],
        "返家乡实践": [
            ["填报单位", "日期", "岗位类型", "发布岗位数", "到岗学生数", "备注"],
            ["A", D(2023, 6, 28), "政务实习", 40, 20, ""],
        ],
    }
    code, out, err = run_import(save(tmp_path, xlsx(sheets)), "--user", "admin_a")
    assert code == 0, (out, err)
    publicity = RightsPublicity.objects.get()
    assert (publicity.theme, publicity.channel) == ("", "")
    assert list(HomeInternship.objects.get().work) == []


def test_re_importing_an_old_workbook_keeps_the_new_columns_of_the_stored_record(cast, tmp_path):
    make_record(
        RightsPublicity,
        cast.district_a,
        D(2023, 5, 5),
        publicity_type="海报张贴",
        theme="防欺凌",
        channel="线下",
        quantity=50,
    )
    rows = [["填报单位", "日期", "类型", "数量", "覆盖人次", "备注"], ["A", D(2023, 5, 5), "海报张贴", 100, 3000, ""]]
    code, out, err = run_import(save(tmp_path, xlsx({"权益宣传": rows})), "--user", "admin_a")
    assert code == 0, (out, err)
    publicity = RightsPublicity.objects.get()
    assert (publicity.quantity, publicity.theme, publicity.channel) == (100, "防欺凌", "线下")


def test_a_clerk_records_a_leaders_visit_and_a_publicity_with_its_theme_in_the_portal(cast, login):
    client = login(cast.clerk_a)
    assert "领导关心" in client.get("/").content.decode()
    response = client.post(
        "/ledgers/leadervisit/new/",
        {
            "unit": cast.district_a.pk,
            "date": "2023-05-04",
            "leader_name": "王某",
            "leader_post": "副市长",
            "place": "甲街道希望家园",
            "content": "调研指导",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LeaderVisit.objects.get().created_by == cast.clerk_a
    assert "副市长" in client.get("/ledgers/leadervisit/").content.decode()
    admin_page = login(cast.admin_a).get("/admin/assistance/leadervisit/")
    assert admin_page.status_code == 200 and "甲街道希望家园" in admin_page.content.decode()
    response = client.post(
        "/ledgers/rightspublicity/new/",
        {
            "unit": cast.district_a.pk,
            "date": "2023-05-05",
            "publicity_type": "线上推文",
            "theme": "预防性侵",
            "channel": "线上推文",
            "quantity": "3",
            "reach": "",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RightsPublicity.objects.get().theme == "预防性侵"


def _granted(role: str) -> set[str]:
    perms = Group.objects.get(name=role).permissions.filter(content_type__model="leadervisit")
    return set(perms.values_list("codename", flat=True))


def test_a_database_from_before_the_leaders_ledger_gives_the_roles_its_permissions_on_migrate(db):
    Permission.objects.filter(content_type__app_label="assistance", content_type__model="leadervisit").delete()
    assert _granted(CLERK) == _granted(ADMIN) == _granted(LEADER) == set()
    call_command("migrate", verbosity=0)
    assert _granted(CLERK) == {f"{a}_leadervisit" for a in ("add", "change", "delete_own", "view")}
    assert _granted(ADMIN) == {f"{a}_leadervisit" for a in ("add", "change", "delete", "view", "import", "export")}
    assert _granted(LEADER) == {"view_leadervisit"}


def test_the_demo_city_has_leaders_visits_and_the_new_columns_filled(db):
    call_command("load_demo", "--today", "2023-12-31", stdout=io.StringIO())
    assert LeaderVisit.objects.filter(date__year=2023).count() >= 4
    assert RightsPublicity.objects.filter(channel="小程序", theme="强制报告制度").exists()
    assert PsychService.objects.exclude(staff="").exists()
    assert HomeInternship.objects.filter(work__contains="暑期支教").exists()
