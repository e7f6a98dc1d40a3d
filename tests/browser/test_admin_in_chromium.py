"""The admin as a 管理员 uses it, in Chromium: an export saved under its Chinese name, a district's filter."""

from django.utils import timezone

from activities.models import ThemeDay
from youthwork.models import Unit


def test_an_export_downloads_with_its_chinese_file_name(browser):
    page = browser.login("admin")
    browser.goto("/admin/activities/themeday/export/")
    assert page.get_by_text("全选").first.is_visible() and page.get_by_text("Select all").count() == 0
    with page.expect_download() as started:
        page.get_by_role("button", name="提交").click()
    assert started.value.suggested_filename == f"主题团队日-{timezone.localdate():%Y-%m-%d}.xlsx"


def test_the_unit_filter_of_a_district_lists_its_towns_and_schools_records(browser):
    district = Unit.objects.get(code="D01")
    page = browser.login("admin")
    browser.goto("/admin/activities/themeday/")
    page.locator("#changelist-filter").get_by_role("link", name=f"{district.name}({district.code})").click()
    page.wait_for_url(f"**unit__id__exact={district.pk}**")
    shown = page.locator("#result_list tbody tr").count()
    below = ThemeDay.objects.filter(unit__path__startswith=district.path).exclude(unit=district).count()
    assert below > 0 and shown == min(50, ThemeDay.objects.filter(unit__path__startswith=district.path).count())
    assert "东城区实验小学" in page.locator("#result_list").inner_text()  # a school of a town of 东城区


def test_the_unit_of_a_record_is_found_by_typing_its_code(browser):
    school = Unit.objects.get(code="S0303")  # one of the two 中心小学
    page = browser.login("admin")
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    browser.goto("/admin/activities/themeday/add/")
    page.locator(".field-unit .select2-selection").click()
    page.locator(".select2-search__field").fill("S0303")
    option = page.locator(".select2-results__option", has_text=f"{school.parent.name} › {school.name}(S0303)")
    option.click()
    assert page.locator("#id_unit").input_value() == str(school.pk)
    assert violations == []
