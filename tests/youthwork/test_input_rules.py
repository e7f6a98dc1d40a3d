"""One rule set on every way data gets in: the portal form, the admin and the importer say the same thing.

The rules live on the model fields (youthwork/fields.py); a CHECK constraint backs them in the database.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities.models import OnlineLesson, ThemeDay
from assistance.models import Donation, TeachingSite
from tests.factories import make_record, theme_day_form
from tests.importing.workbooks import header, run_import, save, xlsx
from youthwork.models import Venue

pytestmark = pytest.mark.django_db

# The day after today, read when a test runs: a value read when the module is collected is today's date
# for a run that crosses midnight in the portal's time zone (Asia/Shanghai: 16:00 UTC).
TOMORROW = object()


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def resolved(values: dict) -> dict:
    return {name: tomorrow() if value is TOMORROW else value for name, value in values.items()}


def page_text(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


# The attacks and mistakes, with the message every path answers with.
BAD_THEME_DAYS = [
    ({"date": "0354-02-02"}, "日期不能早于2000年1月1日"),  # 2023.5.4 typed into a desktop date picker
    ({"date": "1999-12-31"}, "日期不能早于2000年1月1日"),
    ({"date": TOMORROW}, "日期不能晚于今天"),
    ({"participants": "1000001"}, "参与人数不能超过1000000"),
    ({"note": "备" * 2001}, "备注不能超过2000个字"),
    ({"theme": "题" * 201}, "主题不能超过200个字(现有201个字)"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_THEME_DAYS, ids=[m for _o, m in BAD_THEME_DAYS])
def test_the_portal_form_refuses_a_bad_value_naming_the_field(login, cast, overrides, message):
    data = theme_day_form(cast.district_a, **resolved(overrides))
    response = login(cast.clerk_a).post("/ledgers/themeday/new/", data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert not ThemeDay.objects.exists()


@pytest.mark.parametrize(("overrides", "message"), BAD_THEME_DAYS, ids=[m for _o, m in BAD_THEME_DAYS])
def test_the_admin_refuses_the_same_value_with_the_same_message(login, cast, overrides, message):
    data = theme_day_form(cast.school_a, **resolved(overrides))
    response = login(cast.admin_a).post("/admin/activities/themeday/add/", data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert not ThemeDay.objects.exists()


def test_the_admin_still_saves_a_record_dated_today(login, cast):
    data = theme_day_form(cast.school_a, date=timezone.localdate().isoformat())
    assert login(cast.admin_a).post("/admin/activities/themeday/add/", data).status_code == 302
    assert ThemeDay.objects.get().date == timezone.localdate()


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"date": "0354-02-02"}, "日期: 日期不能早于2000年1月1日"),
        ({"date": "1905-01-01"}, "日期: 日期不能早于2000年1月1日"),
        ({"date": TOMORROW}, "日期: 日期不能晚于今天"),
        ({"participants": 1_000_001}, "参学人次: 参学人次不能超过1000000"),
        ({"participants": "99999999999999999999"}, "参学人次: 参学人次不能超过1000000"),
        ({"note": "备" * 2001}, "备注: 备注不能超过2000个字"),
        ({"issue": "题" * 201}, "期次主题: 期次主题不能超过200个字(现有201个字)"),
    ],
    ids=["year-354", "year-1905", "tomorrow", "count", "huge-count", "long-note", "long-title"],
)
def test_the_importer_refuses_the_same_value_with_the_same_message(cast, tmp_path, cells, message):
    row = {"unit": "A", "date": dt.date(2023, 5, 4), "column": "青年大学习", "issue": "第1期", "participants": 100}
    row.update({"note": ""}, **resolved(cells))
    path = save(tmp_path, xlsx({"网上团队课": [header("网上团队课"), list(row.values())]}))
    code, out, _err = run_import(path)
    assert code == 1
    assert out[-1].startswith(f"工作表 网上团队课 第2行 {message}")
    assert not OnlineLesson.objects.exists()


def test_the_importer_holds_venues_and_the_end_of_a_teaching_site_to_the_date_rule(cast, tmp_path):
    site = ["A", "甲区支教点", dt.date(2023, 7, 1), tomorrow(), "师范学院志愿服务队", None, 40, "课业辅导", None, None]
    venue = ["甲区青年之家", "A", "青年之家·红领巾之家", dt.date(1999, 1, 1), "否", None]
    book = xlsx({"支教点": [header("支教点"), site], "阵地": [header("阵地"), venue]})
    code, out, _err = run_import(save(tmp_path, book))
    assert code == 1
    assert "工作表 阵地 第2行 启用日期: 启用日期不能早于2000年1月1日" in out
    assert "工作表 支教点 第2行 结班日期: 结班日期不能晚于今天" in out
    assert not (TeachingSite.objects.exists() or Venue.objects.exists())


def test_an_amount_above_one_hundred_million_yuan_is_refused_on_the_form(login, cast):
    data = {"unit": cast.district_a.pk, "date": "2023-05-04", "donor": "爱心公司", "donor_type": "爱心企业"}
    response = login(cast.admin_a).post("/ledgers/donation/new/", {**data, "amount": "100000000.01"})
    assert "金额(元)不能超过100000000" in page_text(response)
    assert not Donation.objects.exists()
    login(cast.admin_a).post("/ledgers/donation/new/", {**data, "amount": "100000000"})
    assert Donation.objects.get().amount == Decimal(100_000_000)


def test_today_is_asked_when_validating_not_when_the_server_started(cast, monkeypatch):
    record = make_record(OnlineLesson, cast.school_a, dt.date(2023, 5, 4))
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2023, 5, 3))
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    assert caught.value.message_dict["date"] == ["日期不能晚于今天"]


def test_the_date_picker_offers_only_dates_the_rule_accepts(login, cast):
    page = login(cast.clerk_a).get("/ledgers/themeday/new/").content.decode()
    field = re.search(r'<input type="text" name="date"[^>]*>', page)[0]
    assert "data-date-picker" in field  # portal.js opens the browser's picker with these bounds
    assert 'min="2000-01-01"' in field
    assert f'max="{timezone.localdate().isoformat()}"' in field


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (OnlineLesson, {"date": dt.date(354, 2, 2)}),
        (OnlineLesson, {"date": dt.date(2100, 1, 1)}),
        (OnlineLesson, {"participants": 1_000_001}),
        (Donation, {"amount": Decimal("100000000.01")}),
    ],
    ids=["year-354", "year-2100", "count", "amount"],
)
def test_the_database_refuses_what_bypasses_the_model(cast, model, values):
    record = make_record(model, cast.school_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=record.pk).update(**values)
    record.refresh_from_db()
    assert record.date == dt.date(2023, 5, 4)


def test_names_and_titles_keep_the_lengths_the_dictionary_allows(cast):
    make_record(ThemeDay, cast.school_a, theme="题" * 200).full_clean()
    with pytest.raises(ValidationError) as caught:
        make_record(ThemeDay, cast.school_a, theme="题" * 201)
    assert caught.value.message_dict["theme"] == ["主题不能超过200个字(现有201个字)"]
