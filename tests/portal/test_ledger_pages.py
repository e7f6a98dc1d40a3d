import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from activities.models import Ceremony, CounsellorContest, ThemeDay
from assistance.models import Donation, StudentAid, TeachingSite
from reports.models import WorkReport
from tests.factories import make_record, make_user, make_venue, theme_day_form
from youthwork.ledgers import all_ledgers


def errors_of(response) -> str:
    """The text of every form error on the page."""
    page = response.content.decode()
    found = re.findall(r'<p id="error_\d+_id_\w+"[^>]*><strong>(.*?)</strong>', page, re.S)
    found += re.findall(r'alert-block alert-danger">(.*?)</div>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", item) for item in found)


@pytest.mark.parametrize("ledger", all_ledgers(), ids=lambda ledger: ledger.slug)
def test_every_ledger_has_a_list_and_a_form_with_its_dictionary_headers(login, cast, ledger):
    client = login(cast.city_admin)
    make_record(ledger.model, cast.school_a)
    listing = client.get(f"/ledgers/{ledger.slug}/").content.decode()
    assert ledger.name in listing
    for column in ledger.columns:
        if column.name != "note":
            assert f">{column.header}</th>" in listing
    form = client.get(f"/ledgers/{ledger.slug}/new/").content.decode()
    assert re.findall(r'id="div_id_(\w+)"', form) == list(ledger.field_names)
    for column in ledger.columns:
        label = re.search(
            rf'<(?:label\s+for="id_{column.name}"|legend)[^>]*>\s*{re.escape(column.header)}\s*[<*]', form
        )
        assert label, column.header


def test_the_navigation_lists_the_three_work_areas_with_their_ledgers(login, cast):
    page = login(cast.clerk_a).get("/").content.decode()
    for area in ("思想引领", "关心关爱", "权益维护"):
        assert area in page
    for ledger in all_ledgers():
        assert f'href="/ledgers/{ledger.slug}/"' in page


def test_a_clerk_adds_a_theme_day_and_it_records_who_did_it(login, cast):
    client = login(cast.clerk_a)
    response = client.post("/ledgers/themeday/new/", theme_day_form(cast.town_a), follow=True)
    record = ThemeDay.objects.get()
    assert (record.unit, record.theme, record.participants) == (cast.town_a, "青春心向党", 120)
    assert record.created_by == cast.clerk_a and record.updated_by == cast.clerk_a
    assert "已新增“主题团队日”记录" in response.content.decode()
    assert response.redirect_chain[-1][0] == "/ledgers/themeday/"


def test_save_and_add_another_returns_to_an_empty_form(login, cast):
    client = login(cast.clerk_a)
    response = client.post("/ledgers/themeday/new/", {**theme_day_form(cast.district_a), "_addanother": "1"})
    assert response["Location"].startswith("/ledgers/themeday/new/?")


def test_the_new_record_form_starts_with_the_users_unit_and_today(login, cast):
    page = login(cast.clerk_a).get("/ledgers/themeday/new/").content.decode()
    assert f'<option value="{cast.district_a.pk}" selected>' in page
    assert "data-date-picker" in page
    assert re.search(r'name="date" value="\d{4}-\d{2}-\d{2}"', page)


def test_a_clerk_edits_a_record_of_their_subtree(login, cast):
    record = make_record(ThemeDay, cast.school_a, theme="旧主题")
    client = login(cast.clerk_a)
    form = client.get(f"/ledgers/themeday/{record.pk}/edit/").content.decode()
    assert 'value="旧主题"' in form
    response = client.post(
        f"/ledgers/themeday/{record.pk}/edit/", theme_day_form(cast.school_a, theme="新主题"), follow=True
    )
    record.refresh_from_db()
    assert record.theme == "新主题" and record.updated_by == cast.clerk_a
    assert "已修改“主题团队日”记录" in response.content.decode()


def test_unit_and_venue_choices_are_limited_to_the_users_subtree(login, cast):
    make_venue(cast.town_a, "甲街道青年之家")
    make_venue(cast.district_b, "乙区青年之家")
    page = login(cast.clerk_a).get("/ledgers/themeday/new/").content.decode()
    assert "甲区第一小学" in page and "甲街道青年之家" in page
    assert "乙区团委" not in page and "乙区第一中学" not in page and "乙区青年之家" not in page


def test_a_clerk_cannot_post_a_record_for_another_district(login, cast):
    response = login(cast.clerk_a).post("/ledgers/themeday/new/", theme_day_form(cast.district_b))
    assert response.status_code == 200
    assert "所选填报单位不存在,或不在您的管理范围内" in errors_of(response)
    assert not ThemeDay.objects.exists()


@pytest.mark.parametrize(
    ("path", "action"),
    [
        ("/ledgers/themeday/{pk}/", "view"),
        ("/ledgers/themeday/{pk}/edit/", "edit"),
        ("/ledgers/themeday/{pk}/delete/", "delete"),
    ],
)
def test_a_record_of_another_district_is_not_found(login, cast, path, action):
    record = make_record(ThemeDay, cast.school_b)
    client = login(cast.clerk_a)
    assert client.get(path.format(pk=record.pk)).status_code == 404
    assert client.post(path.format(pk=record.pk), theme_day_form(cast.district_a)).status_code == 404
    record.refresh_from_db()
    assert record.unit == cast.school_b


def test_a_record_that_does_not_exist_and_an_unknown_ledger_are_not_found(login, cast):
    client = login(cast.city_admin)
    assert client.get("/ledgers/themeday/999999/").status_code == 404
    assert client.get("/ledgers/nosuchledger/").status_code == 404


def test_the_list_shows_only_records_of_the_users_subtree(login, cast):
    make_record(ThemeDay, cast.school_a, theme="甲区的团日")
    make_record(ThemeDay, cast.school_b, theme="乙区的团日")
    page = login(cast.clerk_a).get("/ledgers/themeday/").content.decode()
    assert "甲区的团日" in page
    assert "乙区的团日" not in page
    assert "共 1 条记录" in page


def test_a_leader_views_but_cannot_add_change_or_delete(login, cast):
    record = make_record(ThemeDay, cast.school_a)
    client = login(cast.leader_a)
    listing = client.get("/ledgers/themeday/").content.decode()
    assert "新增记录" not in listing
    detail = client.get(f"/ledgers/themeday/{record.pk}/").content.decode()
    assert "/edit/" not in detail and "/delete/" not in detail
    assert client.get("/ledgers/themeday/new/").status_code == 403
    assert client.post("/ledgers/themeday/new/", theme_day_form(cast.district_a)).status_code == 403
    denied = client.post(f"/ledgers/themeday/{record.pk}/edit/", theme_day_form(cast.school_a, theme="改了"))
    assert denied.status_code == 403
    assert "您没有修改“主题团队日”记录的权限" in denied.content.decode()
    assert client.post(f"/ledgers/themeday/{record.pk}/delete/").status_code == 403
    record.refresh_from_db()
    assert record.theme != "改了"


def test_a_clerk_may_not_delete_but_an_admin_may(login, cast):
    record = make_record(ThemeDay, cast.school_a)
    assert login(cast.clerk_a).post(f"/ledgers/themeday/{record.pk}/delete/").status_code == 403
    client = login(cast.admin_a)
    assert "确定要删除这条记录吗" in client.get(f"/ledgers/themeday/{record.pk}/delete/").content.decode()
    response = client.post(f"/ledgers/themeday/{record.pk}/delete/", follow=True)
    assert not ThemeDay.objects.exists()
    assert "已删除“主题团队日”记录" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"theme": ""}, "请填写主题"),
        ({"day_type": ""}, "请选择类型"),
        ({"participants": "-3"}, "参与人数不能为负数"),
        ({"participants": "很多"}, "参与人数应为整数"),
        ({"date": "2023-02-30"}, "日期无法识别"),
        ({"day_type": "主题班会"}, "主题班会"),
    ],
)
def test_form_errors_are_chinese_and_name_the_field(login, cast, overrides, message):
    response = login(cast.clerk_a).post("/ledgers/themeday/new/", theme_day_form(cast.district_a, **overrides))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not ThemeDay.objects.exists()


def test_a_second_record_with_the_same_natural_key_is_refused(login, cast):
    client = login(cast.clerk_a)
    client.post("/ledgers/themeday/new/", theme_day_form(cast.district_a))
    response = client.post("/ledgers/themeday/new/", theme_day_form(cast.district_a))
    assert "已有一条填报单位、日期、类型、主题都相同的主题团队日记录,请修改那条记录,不要重复填报" in errors_of(response)
    assert ThemeDay.objects.count() == 1


def test_model_rules_show_their_messages_on_the_form(login, cast):
    client = login(cast.admin_a)
    ceremony = client.post(
        "/ledgers/ceremony/new/",
        {"unit": cast.town_a.pk, "date": "2023-05-04", "ceremony_type": "入团仪式", "new_members": "30"},
    )
    assert "入团入队仪式只能由学校填报,“甲街道团工委”不是学校" in errors_of(ceremony)
    site = client.post(
        "/ledgers/teachingsite/new/",
        {
            "unit": cast.town_a.pk,
            "name": "甲街道支教点",
            "date": "2023-07-10",
            "end_date": "2023-07-01",
            "team": "师范学院志愿服务队",
            "children": "40",
            "services": ["课业辅导"],
        },
    )
    assert "结班日期不能早于开班日期" in errors_of(site)
    donation = client.post(
        "/ledgers/donation/new/",
        {
            "unit": cast.district_a.pk,
            "date": "2023-05-04",
            "donor": "爱心公司",
            "donor_type": "爱心企业",
            "amount": "10.555",
        },
    )
    assert "金额(元)最多保留两位小数" in errors_of(donation)
    assert not (Ceremony.objects.exists() or TeachingSite.objects.exists() or Donation.objects.exists())


def test_multi_choice_columns_are_checkboxes_and_save_the_ticked_labels(login, cast):
    client = login(cast.admin_a)
    page = client.get("/ledgers/counsellorcontest/new/").content.decode()
    assert len(re.findall(r'<input type="checkbox"[^>]*name="formats"', page)) == 4
    client.post(
        "/ledgers/counsellorcontest/new/",
        {
            "unit": cast.district_a.pk,
            "date": "2023-06-16",
            "name": "辅导员大赛",
            "contestants": "50",
            "formats": ["活动展示", "现场答题"],
        },
    )
    assert CounsellorContest.objects.get().formats == ["现场答题", "活动展示"]


def test_the_list_totals_every_filtered_row_not_just_the_page(login, cast):
    for day in range(1, 36):
        make_record(ThemeDay, cast.school_a, date=dt.date(2023, 5, day % 28 + 1), theme=f"团日{day}", participants=day)
    make_record(ThemeDay, cast.school_a, date=dt.date(2023, 8, 1), theme="八月团日", participants=1000)
    page = login(cast.clerk_a).get("/ledgers/themeday/?date_from=2023-05-01&date_to=2023-05-31").content.decode()
    assert "符合条件的 35 条记录,第 1/2 页" in page
    assert ">630</td>" in page  # 1 + 2 + ... + 35
    assert "八月团日" not in page


def test_amount_totals_keep_cents_on_every_database(login, cast):
    for amount in ("0.10", "0.20", "1234.05"):
        make_record(Donation, cast.district_a, donor=f"捐赠方{amount}", amount=Decimal(amount))
    page = login(cast.clerk_a).get("/ledgers/donation/").content.decode()
    assert ">1,234.35</td>" in page


def test_the_list_filters_by_unit_subtree_choice_and_text(login, cast):
    make_record(ThemeDay, cast.school_a, theme="学雷锋", day_type="主题队日")
    make_record(ThemeDay, cast.district_a, theme="五四青年节", day_type="主题团日")
    client = login(cast.clerk_a)
    by_unit = client.get(f"/ledgers/themeday/?unit={cast.town_a.pk}").content.decode()
    assert "学雷锋" in by_unit and "五四青年节" not in by_unit
    by_choice = client.get("/ledgers/themeday/?day_type=主题团日").content.decode()
    assert "五四青年节" in by_choice and "学雷锋" not in by_choice
    by_text = client.get("/ledgers/themeday/?q=雷锋").content.decode()
    assert "学雷锋" in by_text and "五四青年节" not in by_text
    by_unit_name = client.get("/ledgers/themeday/?q=第一小学").content.decode()
    assert "学雷锋" in by_unit_name and "五四青年节" not in by_unit_name


def test_each_row_opens_its_record_and_leads_back_to_the_same_list(login, cast):
    record = make_record(ThemeDay, cast.school_a, theme="<b>团日</b> & 队日", participants=1234)
    client = login(cast.clerk_a)
    listing = client.get("/ledgers/themeday/", {"q": "团日", "page": "1"}).content.decode()
    row = listing[listing.index("<tbody>") : listing.index("</tbody>")]
    back = "/ledgers/themeday/%3Fq%3D%25E5%259B%25A2%25E6%2597%25A5%26page%3D1"  # the list's own address, quoted
    assert f'<a href="/ledgers/themeday/{record.pk}/?next={back}">查看</a>' in row
    assert '<td data-label="主题">&lt;b&gt;团日&lt;/b&gt; &amp; 队日</td>' in row
    assert '<td data-label="参与人数" class="num">1,234</td>' in row
    detail = client.get(f"/ledgers/themeday/{record.pk}/?next={back}").content.decode()
    assert 'href="/ledgers/themeday/?q=%E5%9B%A2%E6%97%A5&amp;page=1">返回列表</a>' in detail


def test_bad_filters_are_explained_not_crashed_on(login, cast):
    make_record(ThemeDay, cast.school_a)
    client = login(cast.clerk_a)
    response = client.get(f"/ledgers/themeday/?date_from=2023-13-01&unit={cast.school_b.pk}&day_type=x&page=abc")
    page = response.content.decode()
    assert response.status_code == 200
    assert "开始日期不是有效的日期" in page
    assert "所选单位不存在,或不在您的管理范围内" in page
    reversed_range = client.get("/ledgers/themeday/?date_from=2023-06-01&date_to=2023-05-01").content.decode()
    assert "结束日期不能早于开始日期" in reversed_range


def test_names_of_minors_are_masked_without_the_permission(login, cast):
    make_record(StudentAid, cast.district_a, student_name="王小明", school="甲区第一小学", aid_type="助学金")
    leader = login(cast.leader_a)
    listing = leader.get("/ledgers/studentaid/").content.decode()
    assert "王小明" not in listing and "王**" in listing
    assert "符合条件的 0 条记录" in leader.get("/ledgers/studentaid/?q=王小明").content.decode()
    record = StudentAid.objects.get()
    assert "王小明" not in leader.get(f"/ledgers/studentaid/{record.pk}/").content.decode()
    clerk = login(cast.clerk_a)
    assert "符合条件的 1 条记录" in clerk.get("/ledgers/studentaid/?q=王小明").content.decode()
    assert "王小明" in clerk.get(f"/ledgers/studentaid/{record.pk}/").content.decode()


def lock_2023_q2(unit):
    return WorkReport.objects.create(unit=unit, period_code="2023Q2", status=WorkReport.Status.FINAL)


def test_a_record_in_a_finalised_period_is_read_only(login, cast):
    record = make_record(ThemeDay, cast.school_a, date=dt.date(2023, 5, 4), theme="定稿前")
    lock_2023_q2(cast.district_a)
    client = login(cast.clerk_a)
    assert "已锁定" in client.get("/ledgers/themeday/").content.decode()
    page = client.get(f"/ledgers/themeday/{record.pk}/edit/").content.decode()
    assert "已定稿" in page and '<form method="post" novalidate>' not in page
    client.post(f"/ledgers/themeday/{record.pk}/edit/", theme_day_form(cast.school_a, theme="定稿后"))
    record.refresh_from_db()
    assert record.theme == "定稿前"
    admin = login(cast.admin_a)
    admin.post(f"/ledgers/themeday/{record.pk}/delete/")
    assert ThemeDay.objects.filter(pk=record.pk).exists()


def test_a_new_record_in_a_finalised_period_is_refused_with_the_lock_message(login, cast):
    lock_2023_q2(cast.city)
    response = login(cast.clerk_a).post("/ledgers/themeday/new/", theme_day_form(cast.district_a, date="2023-06-01"))
    assert "已定稿" in errors_of(response)
    assert not ThemeDay.objects.exists()


def test_moving_a_record_into_a_finalised_period_is_refused(login, cast):
    record = make_record(ThemeDay, cast.school_a, date=dt.date(2023, 8, 1))
    lock_2023_q2(cast.city)
    response = login(cast.clerk_a).post(
        f"/ledgers/themeday/{record.pk}/edit/", theme_day_form(cast.school_a, date="2023-06-01")
    )
    assert "已定稿" in errors_of(response)
    record.refresh_from_db()
    assert record.date == dt.date(2023, 8, 1)


def test_after_saving_the_user_returns_to_a_local_page_only(login, cast):
    client = login(cast.clerk_a)
    local = client.post("/ledgers/themeday/new/", {**theme_day_form(cast.district_a), "next": "/ledgers/themeday/?q=x"})
    assert local["Location"] == "/ledgers/themeday/?q=x"
    evil = client.post(
        "/ledgers/themeday/new/", {**theme_day_form(cast.district_a, theme="别处"), "next": "https://evil.example/"}
    )
    assert evil["Location"] == "/ledgers/themeday/"


def test_an_editor_without_the_personal_permission_keeps_the_name_unseen_and_unchanged(login, cast):
    record = make_record(StudentAid, cast.district_a, student_name="李小红", school="甲区第一小学", aid_type="助学金")
    editor = make_user("aid_editor", cast.district_a)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=("view_studentaid", "change_studentaid", "add_studentaid"))
    )
    client = login(editor)
    form = client.get(f"/ledgers/studentaid/{record.pk}/edit/").content.decode()
    assert "李小红" not in form and 'name="student_name"' not in form
    client.post(
        f"/ledgers/studentaid/{record.pk}/edit/",
        {
            "unit": cast.district_a.pk,
            "date": "2023-05-04",
            "school": "甲区第一小学",
            "grade": "三年级",
            "aid_type": "助学金",
            "amount": "800",
            "student_name": "改名",
        },
    )
    record.refresh_from_db()
    assert (record.student_name, record.grade) == ("李小红", "三年级")
    assert 'name="student_name"' in client.get("/ledgers/studentaid/new/").content.decode()


def test_turning_pages_keeps_the_filters_and_is_not_a_filter_itself(login, cast):
    for day in range(1, 33):
        make_record(ThemeDay, cast.school_a, date=dt.date(2023, 3, day % 28 + 1), theme=f"三月团日{day}")
    client = login(cast.clerk_a)
    second = client.get("/ledgers/themeday/?page=2").content.decode()
    assert "共 32 条记录,第 2/2 页" in second
    filtered = client.get("/ledgers/themeday/?q=三月&page=1").content.decode()
    assert 'href="?q=%E4%B8%89%E6%9C%88&amp;page=2"' in filtered


def test_the_navigation_links_the_reports_for_those_who_may_read_them(login, cast):
    assert 'href="/reports/">工作报告</a>' in login(cast.city_leader).get("/").content.decode()
    assert "工作报告" not in login(cast.clerk_a).get("/").content.decode()
