import re

from activities.models import ThemeDay
from tests.browser.conftest import DASHBOARD, PHONE
from youthwork.models import Unit

DATA_QUARTER = "/?period=2023Q2"  # the demo city's records are of 2023


def figure(page, key: str) -> str:
    return page.locator(f'[data-figure="{key}"] .figure-value').inner_text()


def assert_charts_are_drawn(page):
    bars = page.locator("svg rect.bar")
    assert bars.count() > 20
    width = page.viewport_size["width"]
    for index in (0, bars.count() - 1):
        box = bars.nth(index).bounding_box()
        assert box["width"] > 0 and box["height"] > 0
        assert box["x"] + box["width"] <= width


def test_each_demo_role_logs_in_and_sees_its_dashboard_with_charts(browser):
    for username, scope in (
        ("admin", "团市委及下级单位"),
        ("staff", "东城区团委及下级单位"),
        ("leader", "团市委及下级单位"),
    ):
        page = browser.login(username)
        assert page.get_by_role("heading", level=1).inner_text().endswith("工作概览")
        assert page.get_by_text(scope).is_visible()
        navbar = page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).backgroundColor")
        assert navbar != "rgba(0, 0, 0, 0)"  # Bootstrap is served by the project itself
        browser.goto(DATA_QUARTER)
        assert page.get_by_role("heading", level=1).inner_text() == "2023年第二季度工作概览"
        assert_charts_are_drawn(page)
        assert int(page.locator('[data-area="activities"] .records').inner_text()) > 0
        page.get_by_role("button", name=re.compile(rf"\({username}\)")).click()
        page.get_by_role("button", name="退出").click()
        page.wait_for_url(re.compile(r"/accounts/login/"))


def test_the_login_form_works_from_the_keyboard(browser):
    page = browser.open()
    browser.goto("/accounts/login/")
    page.get_by_label("用户名").focus()
    page.keyboard.type("leader")
    page.keyboard.press("Tab")
    page.keyboard.type("youthwork-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(DASHBOARD)
    assert page.get_by_role("heading", level=1).inner_text().endswith("工作概览")


def test_staff_logs_a_theme_day_on_a_phone_and_sees_it_counted(browser):
    page = browser.login("staff", viewport=PHONE)
    assert browser.horizontal_overflow() == 0
    league_days = int(figure(page, "league_days"))
    participants = int(figure(page, "theme_day_participants"))

    page.get_by_role("button", name="新增记录").click()
    page.get_by_role("list", name="新增记录").get_by_role("link", name="主题团队日").click()
    page.wait_for_url(re.compile(r"/ledgers/themeday/new/$"))
    assert browser.horizontal_overflow() == 0
    assert page.get_by_label("填报单位").input_value() == str(Unit.objects.get(code="D01").pk)
    assert page.get_by_label("日期").input_value()  # today, for an activity logged the day it happens
    page.get_by_label("类型").select_option("主题团日")
    page.get_by_label("主题").fill("手机录入的主题团日")
    page.get_by_label("节点").select_option("其他")
    page.get_by_label("参与人数").fill("45")
    page.get_by_role("button", name="保存", exact=True).click()

    page.wait_for_url(re.compile(r"/ledgers/themeday/$"))
    assert page.get_by_role("alert").filter(has_text="已新增“主题团队日”记录").is_visible()
    assert page.get_by_text("手机录入的主题团日").is_visible()
    assert browser.horizontal_overflow() == 0

    browser.goto("/")
    assert int(figure(page, "league_days")) == league_days + 1
    assert int(figure(page, "theme_day_participants")) == participants + 45
    assert page.get_by_role("link", name=re.compile("手机录入的主题团日")).is_visible()  # among the latest records


def test_staff_opening_another_districts_record_by_url_gets_404(browser):
    west = Unit.objects.get(code="D02")
    record = ThemeDay.objects.filter(unit__path__startswith=west.path).first()
    page = browser.login("staff")
    for path in (f"/ledgers/themeday/{record.pk}/", f"/ledgers/themeday/{record.pk}/edit/"):
        response = browser.goto(path)
        assert response.status == 404
        assert page.get_by_role("heading", name="页面不存在").is_visible()


def test_leader_sees_records_but_cannot_edit_them(browser):
    record = ThemeDay.objects.first()
    page = browser.login("leader")
    browser.goto("/ledgers/themeday/")
    assert page.get_by_role("link", name="新增记录").count() == 0
    browser.goto(f"/ledgers/themeday/{record.pk}/")
    assert page.get_by_role("heading", name="主题团队日记录").is_visible()
    assert page.get_by_role("link", name="修改").count() == 0
    response = browser.goto(f"/ledgers/themeday/{record.pk}/edit/")
    assert response.status == 403
    assert page.get_by_text("您没有修改“主题团队日”记录的权限").is_visible()
    assert page.locator("form input[name=theme]").count() == 0


def test_phone_width_pages_have_no_horizontal_scroll(browser):
    page = browser.login("leader", viewport=PHONE)
    for path in (DATA_QUARTER, "/ledgers/studentaid/", "/ledgers/teachingsite/?q=支教"):
        browser.goto(path)
        assert browser.horizontal_overflow() == 0, path
    browser.goto(DATA_QUARTER)
    assert_charts_are_drawn(page)
    page.get_by_role("button", name="展开导航").click()
    page.get_by_role("button", name="关心关爱").click()
    page.get_by_role("list", name="关心关爱").get_by_role("link", name="资助学生").click()
    page.wait_for_url(re.compile(r"/ledgers/studentaid/$"))
    assert "**" in page.locator("tbody tr").first.inner_text()  # names of minors masked for the leader
