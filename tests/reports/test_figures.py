"""Report figures against values computed by hand on the small city of conftest.Town (period 2023Q2)."""

from decimal import Decimal

import pytest

from activities import metrics as guidance
from assistance import metrics as care
from legal_education import metrics as rights
from reports.figures import changes, collect
from youthwork import metrics
from youthwork.periods import Period

Q2 = Period.parse("2023Q2")


@pytest.fixture
def city(town):
    return collect(Q2, town.city)


def test_online_lessons_count_from_the_first_of_january_to_the_periods_last_day(town, city):
    # 2023-01-10 (1000) + 2023-04-01 (2000, first day) + 2023-06-30 (500, last day); not 2022-12-31, not 2023-07-01
    assert city["activities"]["lesson_participants_ytd"] == 3500
    assert city["activities"]["lesson_participants"] == 2500
    assert city["activities"]["lesson_columns_ytd"] == ["青年大学习", "红领巾爱学习"]


def test_theme_days_are_counted_in_the_period_only(city):
    figures = city["activities"]
    assert (figures["league_days"], figures["pioneer_days"], figures["theme_day_participants"]) == (1, 2, 650)
    assert figures["theme_day_occasions"] == ["五四", "六一"]
    assert figures["pioneer_day_themes"] == ["学习二十大 争做好队员"]


def test_a_school_without_a_ceremony_makes_coverage_a_rate(city):
    figures = city["activities"]
    assert figures["schools"] == 3
    assert figures["ceremony_coverage_ytd"] == [2, 3]  # 甲区第二小学 held none
    assert figures["schools_without_ceremony_ytd"] == ["甲区第二小学"]
    assert (figures["new_league_members_ytd"], figures["new_pioneers_ytd"]) == (30, 45)


def test_contest_figures(city):
    figures = city["activities"]
    assert (figures["contests"], figures["contestants"]) == (1, 56)
    assert figures["contest_formats"] == ["现场答题", "情景答辩", "活动展示"]
    assert figures["contest_co_organisers"] == ["市教育局", "市少工委"]


def test_funds_are_summed_to_the_cent(city):
    assert city["assistance"]["funds_ytd"] == Decimal("352380.50")  # the July donation is after the period
    assert city["assistance"]["funds"] == Decimal("252380.50")


def test_a_student_aided_twice_is_counted_once(city):
    # 张三 twice (town and district), 王五 twice (city and district B): two students, four grants
    assert city["assistance"]["students_aided_ytd"] == 2
    assert city["assistance"]["aid_amount_ytd"] == Decimal("3000.00")


def test_care_teaching_and_internship_figures(city):
    figures = city["assistance"]
    assert (figures["care_events"], figures["care_beneficiaries"]) == (2, 400)
    assert figures["care_goods_value"] == Decimal("8650.00")
    assert figures["care_targets"] == ["留守儿童", "困境儿童"]
    assert (figures["teaching_sites"], figures["teaching_children"], figures["teaching_team_count"]) == (2, 105, 2)
    assert figures["teaching_services"] == ["课业辅导", "安全教育", "兴趣培养", "素质拓展"]
    assert (figures["internship_posts"], figures["internship_students"]) == (50, 30)


def test_rights_figures(city):
    figures = city["legal_education"]
    assert (figures["law_events"], figures["law_participants"], figures["law_schools"]) == (4, 750, 2)
    assert figures["law_school_names"] == ["甲区第一小学", "乙区第一中学"]  # most events first
    assert [doc["title"] for doc in figures["law_document_list"]] == ["《关于开展2023年“法治进校园”活动的通知》"]
    assert [doc["partners"] for doc in figures["rights_document_list"]] == ["市检察院"]
    assert (figures["patrols"], figures["cordons"], figures["signs"], figures["safety_volunteers"]) == (12, 5, 20, 36)
    assert (figures["psych_12355_events"], figures["psych_12355_event_served"]) == (1, 120)
    assert (figures["psych_other_services"], figures["psych_other_served"]) == (1, 15)
    assert (figures["posters"], figures["online_posts"], figures["publicity_reach"]) == (200, 12, 35000)


def test_venues_and_hope_homes(city):
    venues = city["venues"]
    assert venues["hope_homes"] == 2 and venues["hope_homes_lodging"] == 1 and venues["hope_homes_new_ytd"] == 1
    # 乙区新阵地 opens after the period; only 甲街道希望家园 was named by a record (情暖六一)
    assert venues["venue_utilisation"] == [1, 3]
    assert venues["unused_venue_names"] == ["甲小红领巾之家", "乙区希望家园"]


def test_a_districts_figures_leave_out_the_other_district(town):
    district = collect(Q2, town.district_a)
    assert district["activities"]["lesson_participants_ytd"] == 3000  # not 乙区第一中学's 500
    assert district["activities"]["ceremony_coverage_ytd"] == [1, 2]
    assert district["assistance"]["funds_ytd"] == Decimal("252380.50")
    assert district["assistance"]["students_aided_ytd"] == 1
    assert district["legal_education"]["law_school_names"] == ["甲区第一小学"]
    assert district["venues"]["hope_homes"] == 1


def test_the_previous_period_is_compared_and_falls_are_reported(town):
    # Q3 against Q2: the July lesson (9999) rises; theme days fall from 3 to none
    figures = collect(Period.parse("2023Q3"), town.city)
    fallen = {entry["key"]: entry for entry in changes(figures)}
    assert fallen["pioneer_days"]["previous"] == 2 and fallen["pioneer_days"]["current"] == 0
    assert "lesson_participants" not in fallen


def test_units_without_records_in_an_area_are_pending(town):
    # In 2023Q3 district B has only a donation (关心关爱); district A only a lesson (思想引领)
    pending = {entry["area"]: entry["units"] for entry in collect(Period.parse("2023Q3"), town.city)["pending"]}
    assert pending == {"思想引领": ["乙区团委"], "关心关爱": ["甲区团委"], "权益维护": ["甲区团委", "乙区团委"]}


def test_by_child_figures_add_up_except_distinct_counts(town):
    whole = care.compute(Q2, town.city)[town.city.path]
    rows = care.compute(Q2, town.city, by_child=True)
    assert sum(row["funds_ytd"] for row in rows.values()) == whole["funds_ytd"]
    assert sum(row["students_aided_ytd"] for row in rows.values()) == 3  # 本级, A and B each see one
    assert whole["students_aided_ytd"] == 2


def test_monthly_series_and_funds_by_month(town):
    months = guidance.monthly(Q2, town.city)
    assert [row["month"] for row in months] == ["2023-04", "2023-05", "2023-06"]
    assert months[0] == {"month": "2023-04", "records": 1, "people": 2000}
    assert months[1]["records"] == 3 and months[1]["people"] == 300 + 30 + 56  # theme day, ceremony, contest
    funds = care.funds_by_month(Q2, town.city)
    assert [row["amount"] for row in funds] == [Decimal("0.00"), Decimal("252380.50"), Decimal("0.00")]


def test_activity_by_area_and_child_unit(town):
    rows = {row["name"]: row for row in metrics.activity_by_area(Q2, town.city)}
    assert set(rows) == {"团市委(本级)", "甲区团委", "乙区团委"}
    assert rows["乙区团委"]["areas"]["思想引领"] == 3  # lesson 6-30, theme day 6-01, ceremony 5-04
    assert rights.pending_units(Q2, town.city) == []
    assert [row["name"] for row in rights.by_child(Q2, town.city)] == ["团市委(本级)", "甲区团委", "乙区团委"]
