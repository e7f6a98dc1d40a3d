"""A 录入员 on a phone types numbers and dates as written on paper, in Chromium."""

import datetime as dt

from activities.models import ThemeDay
from tests.browser.conftest import PHONE

NEW = "/ledgers/themeday/new/"


def test_a_count_typed_12_500_and_a_date_typed_2023_5_4_save_from_the_phone_form(browser):
    page = browser.login("staff", viewport=PHONE)
    browser.goto(NEW)
    assert page.get_by_label("参与人数").get_attribute("inputmode") == "numeric"
    page.get_by_label("日期").fill("2023.5.4")
    page.get_by_label("类型").select_option("主题团日")
    page.get_by_label("主题").fill("纸上抄来的团日")
    page.get_by_label("节点").select_option("五四")
    page.get_by_label("参与人数").fill("12,500")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_role("alert").filter(has_text="已新增“主题团队日”记录").wait_for()
    record = ThemeDay.objects.get(theme="纸上抄来的团日")
    assert (record.date, record.participants) == (dt.date(2023, 5, 4), 12500)


def test_the_calendar_beside_a_typed_date_fills_it(browser):
    page = browser.login("staff", viewport=PHONE)
    browser.goto(NEW)
    calendar = page.get_by_role("button", name="打开日历选择")
    assert calendar.is_visible()
    box = calendar.bounding_box()
    assert box["height"] >= 36  # beside the field, as tall as it
    page.locator("input[type=date]").fill("2023-06-01")  # what choosing a day in the browser's picker does
    assert page.get_by_label("日期").input_value() == "2023-06-01"
