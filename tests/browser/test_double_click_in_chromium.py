"""Double clicks in Chromium: a POST form is sent once (static/youthwork/portal.js), yet the clicked button still
says what was meant, a 取消 in the confirmation sends nothing, and the browser's back button leaves a form
that can be sent again."""

import re

from activities.models import ThemeDay
from reports.models import WorkReport
from youthwork.models import Unit, User

NEW = "/ledgers/themeday/new/"


def fill_theme_day(page, theme: str) -> None:
    page.get_by_label("日期").fill("2023-05-06")
    page.get_by_label("类型").select_option("主题团日")
    page.get_by_label("主题").fill(theme)
    page.get_by_label("节点").select_option("其他")
    page.get_by_label("参与人数").fill("30")


def test_a_double_click_on_save_creates_one_record(browser):
    page = browser.login("staff")
    browser.goto(NEW)
    fill_theme_day(page, "双击保存的主题团日")
    # A slow network: the browser's POSTs wait until both clicks are done. Without portal.js the second click
    # sends the form again (and a real server would get both).
    held = []
    page.route(re.compile(r"/ledgers/themeday/new/$"), lambda route: held.append(route))
    save = page.get_by_role("button", name="保存", exact=True)
    save.scroll_into_view_if_needed()
    box = save.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    with page.expect_request(lambda request: request.method == "POST"):
        page.mouse.click(x, y)
    page.mouse.click(x, y)  # the second click of the double click, on the button as it now is
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_url(re.compile(r"/ledgers/themeday/$"))
    assert ThemeDay.objects.filter(theme="双击保存的主题团日").count() == 1
    assert len(held) == 1
    assert page.get_by_role("alert").filter(has_text="已新增“主题团队日”记录").is_visible()


def test_save_and_add_another_still_adds_another_after_the_buttons_are_disabled(browser):
    page = browser.login("staff")
    browser.goto(NEW)
    fill_theme_day(page, "保存并继续新增的主题团日")
    page.get_by_role("button", name="保存并继续新增").dblclick()
    # Back on an empty form for the next record: the button's name reached the server.
    page.get_by_role("alert").filter(has_text="已新增“主题团队日”记录").wait_for()
    assert NEW in page.url and page.get_by_label("主题").input_value() == ""
    assert ThemeDay.objects.filter(theme="保存并继续新增的主题团日").count() == 1
    assert page.get_by_role("button", name="保存", exact=True).is_enabled()  # the next record's form


def test_the_admins_save_and_continue_editing_reaches_the_server_as_clicked(browser):
    record = ThemeDay.objects.order_by("pk").first()
    page = browser.login("admin")
    browser.goto(f"/admin/activities/themeday/{record.pk}/change/")
    page.locator("input[name=theme]").fill("后台双击修改的主题")
    page.locator("input[name=_continue]").dblclick()
    page.locator(".messagelist .success").wait_for()
    assert page.url.endswith(f"/admin/activities/themeday/{record.pk}/change/")  # _continue, not _save
    assert ThemeDay.objects.get(pk=record.pk).theme == "后台双击修改的主题"


def test_after_the_back_button_the_form_can_be_sent_again(browser):
    page = browser.login("staff")
    browser.goto(NEW)
    fill_theme_day(page, "第一次保存")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(r"/ledgers/themeday/$"))
    page.go_back()
    page.wait_for_url(re.compile(r"/ledgers/themeday/new/$"))
    save = page.get_by_role("button", name="保存", exact=True)
    assert save.is_enabled()
    page.get_by_label("主题").fill("返回后再次保存")
    save.click()
    page.wait_for_url(re.compile(r"/ledgers/themeday/$"))
    assert ThemeDay.objects.filter(theme__in=["第一次保存", "返回后再次保存"]).count() == 2


def test_cancelling_the_finalise_confirmation_sends_nothing_and_leaves_the_button_usable(browser):
    city = Unit.objects.get(code="C00")
    report = WorkReport.objects.create(unit=city, period_code="2023Q2", created_by=User.objects.get(username="admin"))
    page = browser.login("admin")
    browser.goto(f"/reports/{report.pk}/")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    finalise = page.get_by_role("button", name="定稿", exact=True)
    finalise.click()
    assert questions and "确定定稿吗" in questions[0]
    assert finalise.is_enabled()
    report.refresh_from_db()
    assert not report.is_final
    page.once("dialog", lambda dialog: dialog.accept())
    finalise.click()
    page.get_by_role("button", name="仍然定稿").click()  # the districts' quarters are not approved
    page.get_by_text("已定稿:数据和文件已保存").wait_for()
    report.refresh_from_db()
    assert report.is_final
