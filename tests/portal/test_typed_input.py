"""The portal's record form reads numbers and dates as people write them, as the importer does."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

import pytest

from activities.models import ThemeDay
from assistance.models import Donation
from tests.factories import theme_day_form

TYPED_COUNTS = [("12,500", 12500), ("１２５００", 12500), ("1.2万", 12000), (" 120 ", 120)]


@pytest.mark.parametrize(("typed", "saved"), TYPED_COUNTS)
def test_a_count_typed_as_written_on_paper_is_saved(login, cast, typed, saved):
    response = login(cast.clerk_a).post("/ledgers/themeday/new/", theme_day_form(cast.district_a, participants=typed))
    assert response.status_code == 302
    assert ThemeDay.objects.get().participants == saved


@pytest.mark.parametrize("typed", ["十二", "12.5", "1,2万", "12 500人"])
def test_a_count_that_does_not_read_is_refused_with_the_forms_one_may_type(login, cast, typed):
    response = login(cast.clerk_a).post("/ledgers/themeday/new/", theme_day_form(cast.district_a, participants=typed))
    assert response.status_code == 200 and not ThemeDay.objects.exists()
    assert "参与人数应为整数,如 12500、12,500 或 1.2万" in response.content.decode()


def test_an_amount_in_ten_thousands_is_saved_in_yuan(login, cast):
    form = {"unit": cast.district_a.pk, "date": "2023.5.4", "donor": "某公司", "donor_type": "爱心企业"}
    form["amount"] = "1.25万"
    response = login(cast.clerk_a).post("/ledgers/donation/new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Donation.objects.get().amount == Decimal("12500.00")


@pytest.mark.parametrize("typed", ["2023.5.4", "2023/5/4", "2023年5月4日", "2023-05-04", "20230504"])
def test_a_date_typed_as_written_is_saved(login, cast, typed):
    response = login(cast.clerk_a).post("/ledgers/themeday/new/", theme_day_form(cast.district_a, date=typed))
    assert response.status_code == 302
    assert ThemeDay.objects.get().date == dt.date(2023, 5, 4)


@pytest.mark.parametrize("typed", ["5/4/2023", "2023.2.30", "去年五四"])
def test_a_date_that_does_not_read_says_which_forms_do(login, cast, typed):
    response = login(cast.clerk_a).post("/ledgers/themeday/new/", theme_day_form(cast.district_a, date=typed))
    assert response.status_code == 200 and not ThemeDay.objects.exists()
    assert "日期无法识别,请按 2023-05-04、2023.5.4 或 2023年5月4日 填写" in response.content.decode()


def test_save_and_add_another_keeps_the_day_and_the_unit(login, cast):
    client = login(cast.clerk_a)
    form = theme_day_form(cast.town_a, date="2023.5.6", _addanother="1")
    response = client.post("/ledgers/themeday/new/", form)
    assert response["Location"] == "/ledgers/themeday/new/?" + urlencode({"date": "2023-05-06", "unit": cast.town_a.pk})
    page = client.get(response["Location"]).content.decode()
    assert 'name="date" value="2023-05-06"' in page
    assert f'<option value="{cast.town_a.pk}" selected>' in page


def test_a_unit_outside_the_users_subtree_in_the_address_is_ignored(login, cast):
    page = login(cast.clerk_a).get(f"/ledgers/themeday/new/?unit={cast.school_b.pk}&date=abc").content.decode()
    assert f'<option value="{cast.school_b.pk}"' not in page
    assert f'<option value="{cast.district_a.pk}" selected>' in page
