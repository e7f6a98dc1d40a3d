"""The same form sent twice (a double click, or two people at the same moment) makes one record, never a 500,
and the database's own error text (which can hold a child's name) reaches neither the page nor the log."""

import logging
import re

import pytest

from activities.models import ThemeDay
from assistance.models import StudentAid
from tests.factories import theme_day_form

pytestmark = pytest.mark.django_db

def student_aid_form(unit) -> dict:
    """A 资助学生 record naming a child, as the portal's and the admin's forms post it."""
    return {
        "unit": unit.pk,
        "date": "2023-05-04",
        "student_name": "何小明",
        "school": "甲区第一小学",
        "grade": "三年级",
        "aid_type": "助学金",
        "amount": "500",
        "note": "",
    }


DUPLICATE = "已有一条填报单位、日期、类型、主题都相同的主题团队日记录,请修改那条记录,不要重复填报"


def text_of(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def test_a_double_click_on_save_makes_one_record_and_explains_the_second(login, cast):
    client = login(cast.clerk_a)
    first = client.post("/ledgers/themeday/new/", theme_day_form(cast.district_a))
    second = client.post("/ledgers/themeday/new/", theme_day_form(cast.district_a))
    assert first.status_code == 302
    assert second.status_code == 200
    assert DUPLICATE in text_of(second)
    assert ThemeDay.objects.count() == 1


@pytest.fixture
def checks_pass_before_the_other_request_commits(monkeypatch):
    """Both requests check the natural key before either has written: the checks find nothing."""
    for model in (ThemeDay, StudentAid):
        monkeypatch.setattr(model, "validate_unique", lambda self, exclude=None: None)
        monkeypatch.setattr(model, "validate_constraints", lambda self, exclude=None: None)


def test_two_saves_of_the_same_key_at_once_give_the_duplicate_message_not_a_500(
    login, cast, checks_pass_before_the_other_request_commits
):
    client = login(cast.clerk_a)
    assert client.post("/ledgers/themeday/new/", theme_day_form(cast.district_a)).status_code == 302
    second = client.post("/ledgers/themeday/new/", theme_day_form(cast.district_a))
    assert second.status_code == 200
    assert DUPLICATE in text_of(second)
    assert ThemeDay.objects.count() == 1


def save_twice_and_check_nothing_leaks(client, url, form, caplog, message, **post):
    """Save the same record twice, the key checks passing both times; the second answer names the duplicate
    (`message`) and neither the page nor the log holds the child's name or the database's error text."""
    with caplog.at_level(logging.DEBUG):
        assert client.post(url, form).status_code == 302
        caplog.clear()
        second = client.post(url, form, **post)
    assert second.status_code == 200
    page = text_of(second)
    assert message in page
    assert not re.search(r"UNIQUE|duplicate key|constraint|IntegrityError", page, re.I)
    assert "何小明" not in caplog.text and "IntegrityError" not in caplog.text
    assert StudentAid.objects.count() == 1


def test_a_childs_name_in_the_database_error_reaches_neither_page_nor_log(
    login, cast, caplog, checks_pass_before_the_other_request_commits
):
    client = login(cast.admin_a)
    form = student_aid_form(cast.district_a)
    save_twice_and_check_nothing_leaks(client, "/ledgers/studentaid/new/", form, caplog, "已有一条")


def test_the_admin_saving_a_key_another_request_just_saved_says_so_without_a_500_or_the_name(
    login, cast, caplog, checks_pass_before_the_other_request_commits
):
    client = login(cast.admin_a)
    form = {**student_aid_form(cast.district_a), "_save": "保存"}
    message = "刚刚已有一条相同的资助学生记录被保存"
    save_twice_and_check_nothing_leaks(client, "/admin/assistance/studentaid/add/", form, caplog, message, follow=True)
