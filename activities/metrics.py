"""思想引领 figures: online lessons, theme days, admission ceremonies, counsellor contests.

Public API (the report and the portal's dashboard call these; every function takes a
youthwork.periods.Period and a Unit, and measures the unit with all its descendants):

- `FIGURES`: the figures of this area (key, Chinese label with its unit and 本期/今年以来, kind).
- `compute(period, unit, by_child=False)` -> {bucket path: {figure key: value}}: every figure of
  `FIGURES` for the whole scope (one bucket, the unit's path) or for each direct child unit (the
  unit's own records under the unit's path, "本级"). A fixed number of queries (see QUERIES).
- `monthly(period, unit)` -> [{"month": "2023-04", "records": n, "people": n}]: records of the area
  and the people they reached, month by month.
- `record_counts(period, unit)` -> {bucket path: records}; `by_child(period, unit)` -> rows per
  direct child unit; `pending_units(period, unit)` -> direct child units with no record (待报送).

Values: counts are int, names are lists (at most NAMES_KEPT + 1, most active first: one more than
shown so that the text knows to add 等), rates are [numerator, denominator].
"""

from __future__ import annotations

from django.db.models import Case, Count, Exists, F, IntegerField, Max, Min, OuterRef, Q, Sum, Value, When

from activities.models import Ceremony, CounsellorContest, OnlineLesson, ThemeDay
from youthwork.metrics import (
    AreaMetrics,
    Figure,
    FigureKind,
    FigureTable,
    Slice,
    Source,
    aggregates,
    in_choice_order,
    unit_label,
)
from youthwork.models import Unit
from youthwork.periods import Period

# The count column that says how many young people a record reaches, per ledger (for monthly()).
REACH = {
    "onlinelesson": "participants",
    "themeday": "participants",
    "ceremony": "new_members",
    "counsellorcontest": "contestants",
}
area = AreaMetrics("activities", REACH)
monthly = area.monthly
record_counts = area.record_counts
by_child = area.by_child
pending_units = area.pending_units

LEAGUE_DAY = (("day_type", ThemeDay.DayType.LEAGUE),)
PIONEER_DAY = (("day_type", ThemeDay.DayType.PIONEER),)
LEAGUE_CEREMONY = (("ceremony_type", Ceremony.CeremonyType.LEAGUE),)
PIONEER_CEREMONY = (("ceremony_type", Ceremony.CeremonyType.PIONEER),)
LESSON_PARTICIPANTS = Source("onlinelesson", "participants")
LEAGUE_CEREMONIES = Source("ceremony", where=LEAGUE_CEREMONY)
PIONEER_CEREMONIES = Source("ceremony", where=PIONEER_CEREMONY)
NEW_LEAGUE_MEMBERS = Source("ceremony", "new_members", LEAGUE_CEREMONY)
NEW_PIONEERS = Source("ceremony", "new_members", PIONEER_CEREMONY)
# The records a figure is drawn from where the list cannot total it: a distinct count of schools, the
# contests split by whether their name says 团干部 (a condition on free text), names and labels.
THEME_DAYS = Source("themeday", exact=False)
CEREMONIES = Source("ceremony", exact=False)
CONTESTS = Source("counsellorcontest", exact=False)

FIGURES = (
    Figure(
        "lesson_participants_ytd", "网上团队课参学人次", FigureKind.COUNT, "", "今年以来", source=LESSON_PARTICIPANTS
    ),
    Figure("lesson_participants", "网上团队课参学人次", FigureKind.COUNT, compare=True, source=LESSON_PARTICIPANTS),
    Figure(
        "lesson_columns_ytd",
        "网上团队课栏目",
        FigureKind.TEXT,
        "",
        "今年以来",
        source=Source("onlinelesson", exact=False),
    ),
    Figure(
        "league_days", "主题团日", FigureKind.COUNT, "场", compare=True, source=Source("themeday", where=LEAGUE_DAY)
    ),
    Figure(
        "pioneer_days", "主题队日", FigureKind.COUNT, "场", compare=True, source=Source("themeday", where=PIONEER_DAY)
    ),
    Figure("theme_day_participants", "主题团队日参与人数", FigureKind.COUNT, source=Source("themeday", "participants")),
    Figure("theme_day_occasions", "主题团队日节点", FigureKind.TEXT, source=THEME_DAYS),
    Figure(
        "league_day_themes", "主题团日主题", FigureKind.TEXT, source=Source("themeday", where=LEAGUE_DAY, exact=False)
    ),
    Figure(
        "pioneer_day_themes", "主题队日主题", FigureKind.TEXT, source=Source("themeday", where=PIONEER_DAY, exact=False)
    ),
    Figure("schools", "学校", FigureKind.COUNT, "所", ""),
    Figure(
        "schools_with_ceremony_ytd", "开展入团入队仪式的学校", FigureKind.COUNT, "所", "今年以来", source=CEREMONIES
    ),
    Figure("ceremony_coverage_ytd", "仪式覆盖率", FigureKind.RATE, "", "今年以来"),
    Figure("schools_without_ceremony_ytd", "未开展入团入队仪式的学校", FigureKind.TEXT, "", "今年以来"),
    Figure("league_ceremonies_ytd", "入团仪式", FigureKind.COUNT, "场", "今年以来", source=LEAGUE_CEREMONIES),
    Figure("pioneer_ceremonies_ytd", "入队仪式", FigureKind.COUNT, "场", "今年以来", source=PIONEER_CEREMONIES),
    Figure("new_league_members_ytd", "新团员", FigureKind.COUNT, "人", "今年以来", source=NEW_LEAGUE_MEMBERS),
    Figure("new_pioneers_ytd", "新队员", FigureKind.COUNT, "人", "今年以来", source=NEW_PIONEERS),
    Figure("contests", "辅导员技能竞赛", FigureKind.COUNT, "场", compare=True, source=Source("counsellorcontest")),
    Figure("contestants", "参赛人数", FigureKind.COUNT, source=Source("counsellorcontest", "contestants")),
    Figure("counsellors", "参赛辅导员", FigureKind.COUNT, "人", source=CONTESTS),
    Figure("cadres_trained", "参训团干部", FigureKind.COUNT, "人", source=CONTESTS),
    Figure("contest_names", "竞赛名称", FigureKind.TEXT, source=CONTESTS),
    Figure("contest_formats", "比赛形式", FigureKind.TEXT, source=CONTESTS),
    Figure("contest_co_organisers", "联合主办单位", FigureKind.TEXT, source=CONTESTS),
    Figure("named_contest_co_organisers", "首列竞赛的联合主办单位", FigureKind.TEXT, source=CONTESTS),
)
BY_KEY = {figure.key: figure for figure in FIGURES}
# A 团干部 training recorded in the counsellors' ledger: its people are cadres, not 辅导员.
CADRE_TRAINING = Q(name__contains="团干部")
# The occasions the report names (在“五四”“六一”期间): a theme held on one of them is the one it prints.
OCCASIONS = [value for value, _label in ThemeDay.Occasion.choices if value != ThemeDay.Occasion.OTHER]
QUERIES = 12  # queries compute() runs, whatever the data


def _split_names(texts) -> list[str]:
    """Names from free-text cells that may list several (市教育局、市少工委), each once, in order."""
    seen: list[str] = []
    for text in texts:
        for name in text.replace(",", "、").replace(",", "、").replace(";", "、").split("、"):
            if (name := name.strip()) and name not in seen:
                seen.append(name)
    return seen


def compute(period: Period, unit: Unit, by_child: bool = False) -> FigureTable:
    s = Slice(period, unit, by_child)
    table = FigureTable(FIGURES)

    # 网上团队课: 参学人次 今年以来 (and 本期), the columns that had lessons.
    lessons = s.grouped_values(
        s.records(OnlineLesson, ytd=True),
        "column",
        ytd=BY_KEY["lesson_participants_ytd"].aggregate(s),
        now=BY_KEY["lesson_participants"].aggregate(s),
    )
    for bucket, rows in lessons.items():
        entry = table[bucket]
        entry["lesson_participants_ytd"] = sum(row["ytd"] or 0 for row in rows)
        entry["lesson_participants"] = sum(row["now"] or 0 for row in rows)
        columns = [row["column"] for row in rows if row["ytd"]]
        entry["lesson_columns_ytd"] = in_choice_order(columns, OnlineLesson.Column.choices)

    # 主题团日/队日 本期: how many of each, the people, the occasions and the leading themes.
    days = s.records(ThemeDay)
    table.fill(
        s.grouped(
            days,
            **aggregates(FIGURES, "league_days", "pioneer_days", "theme_day_participants"),
        )
    )
    table.put("theme_day_occasions", s.labels(days, "occasion", drop=(ThemeDay.Occasion.OTHER,)))
    on_occasion = Max(Case(When(occasion__in=OCCASIONS, then=Value(1)), default=Value(0), output_field=IntegerField()))
    themes = s.top(
        days, "theme", partition=("day_type",), order_by=[on_occasion.desc(), F("records").desc(), F("theme").asc()]
    )
    for bucket, rows in themes.items():
        for row in rows:
            key = "league_day_themes" if row["day_type"] == ThemeDay.DayType.LEAGUE else "pioneer_day_themes"
            table[bucket][key].append(row["theme"])

    # 入团入队仪式 今年以来: which schools of the scope held one (coverage), and the new members.
    held = Exists(Ceremony.objects.filter(unit=OuterRef("pk"), date__gte=s.ytd.start, date__lte=s.ytd.end).order_by())
    schools = Unit.objects.filter(path__startswith=unit.path, unit_type=Unit.Type.SCHOOL).order_by()
    coverage = s.grouped(
        schools, path_field="path", schools=Count("pk"), schools_with_ceremony_ytd=Count("pk", filter=held)
    )
    table.fill(coverage)
    for bucket, row in coverage.items():
        table[bucket]["ceremony_coverage_ytd"] = [row["schools_with_ceremony_ytd"], row["schools"]]
    uncovered = s.top(schools.exclude(held), "name", "parent__name", path_field="path", order_by=[Min("path").asc()])
    shared = s.shared_names()  # asked whether or not a school is uncovered: the query count stays fixed
    for bucket, rows in uncovered.items():
        names = [unit_label(row["name"], row["parent__name"], shared) for row in rows]
        table[bucket]["schools_without_ceremony_ytd"] = names
    ceremonies = s.records(Ceremony, ytd=True).filter(s.in_ytd)
    table.fill(
        s.grouped(
            ceremonies,
            **aggregates(
                FIGURES, "league_ceremonies_ytd", "pioneer_ceremonies_ytd", "new_league_members_ytd", "new_pioneers_ytd"
            ),
        )
    )

    # 辅导员技能竞赛 本期: names, contestants, the forms of contest (union), the co-organisers.
    contests = s.records(CounsellorContest)
    table.fill(
        s.grouped(
            contests,
            # before `contestants`, which would otherwise name the aggregate rather than the column
            counsellors=Sum("contestants", filter=~CADRE_TRAINING),
            cadres_trained=Sum("contestants", filter=CADRE_TRAINING),
            **aggregates(FIGURES, "contests", "contestants"),
        )
    )
    contest_order = [Max("contestants").desc(), F("name").asc()]
    table.put("contest_names", s.names(contests, "name", order_by=contest_order))
    table.put("contest_formats", s.labels(contests, "formats", drop=(CounsellorContest.Format.OTHER,)))
    # Ranked as contest_names is, so the first row's contest is the one the report names.
    organisers = s.top(contests, "name", "co_organisers", order_by=[*contest_order, F("co_organisers").asc()])
    for bucket, rows in organisers.items():
        table[bucket]["contest_co_organisers"] = _split_names(row["co_organisers"] for row in rows)
        named = rows[0]["name"]
        table[bucket]["named_contest_co_organisers"] = _split_names(
            row["co_organisers"] for row in rows if row["name"] == named
        )
    return table
