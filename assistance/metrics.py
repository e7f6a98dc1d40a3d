"""关心关爱 figures: funds raised, students aided, care events, teaching sites, return-home internships.

Public API (the report and the portal's dashboard call these; every function takes a
youthwork.periods.Period and a Unit, and measures the unit with all its descendants):

- `FIGURES`: the figures of this area (key, Chinese label with its unit and 本期/今年以来, kind).
- `compute(period, unit, by_child=False)` -> {bucket path: {figure key: value}}: every figure of
  `FIGURES` for the whole scope (one bucket, the unit's path) or for each direct child unit (the
  unit's own records under the unit's path, "本级"). A fixed number of queries (see QUERIES).
- `funds_by_month(period, unit)` -> [{"month": "2023-04", "amount": Decimal}]: 希望工程 funds raised.
- `monthly(period, unit)` -> [{"month", "records", "people"}]; `record_counts(period, unit)`;
  `by_child(period, unit)`; `pending_units(period, unit)` (待报送): as in every area.

Students aided are counted once per (姓名, 就读学校) however many grants they had: a distinct count,
so the figure of a district is not the sum of its towns' figures when a student was aided by two.
Amounts are Decimal rounded to the cent (SQLite sums decimals as floats).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import CharField, Count, F, Min, Q, Sum, Value
from django.db.models.functions import Concat, ExtractMonth, ExtractYear

from assistance.models import CareEvent, Donation, HomeInternship, LeaderVisit, StudentAid, TeachingSite
from youthwork.formatting import round_amount, to_decimal
from youthwork.metrics import AreaMetrics, Figure, FigureKind, FigureTable, Slice, Source, aggregates, months
from youthwork.models import Unit
from youthwork.periods import Period

# The count column that says how many young people a record reaches, per ledger (for monthly()).
REACH = {"careevent": "beneficiaries", "teachingsite": "children", "homeinternship": "students"}
area = AreaMetrics("assistance", REACH)
monthly = area.monthly
record_counts = area.record_counts
by_child = area.by_child
pending_units = area.pending_units

FUNDS = Source("donation", "amount")
POSTS = Source("homeinternship", "posts")
BENEFICIARIES = Source("careevent", "beneficiaries")
# The records a figure is drawn from where the list cannot total it: students counted once however many
# grants, teams counted once, names and labels.
DONATIONS = Source("donation", exact=False)
AID = Source("studentaid", exact=False)
CARE = Source("careevent", exact=False)
SITES = Source("teachingsite", exact=False)
INTERNSHIPS = Source("homeinternship", exact=False)
VISITS = Source("leadervisit", exact=False)

FIGURES = (
    Figure("funds_ytd", "募集资金", FigureKind.AMOUNT, "元", "今年以来", source=FUNDS),
    Figure("fund_donor_types_ytd", "捐赠方类型(按金额)", FigureKind.TEXT, "", "今年以来", source=DONATIONS),
    Figure(
        "funds_top_donor_type_ytd",
        "金额最多的捐赠方类型募集资金",
        FigureKind.AMOUNT,
        "元",
        "今年以来",
        source=DONATIONS,
    ),
    Figure("funds", "募集资金", FigureKind.AMOUNT, "元", compare=True, source=FUNDS),
    Figure("fund_purposes_ytd", "募集资金用途", FigureKind.TEXT, "", "今年以来", source=DONATIONS),
    Figure("students_aided_ytd", "资助学生", FigureKind.COUNT, "人", "今年以来", distinct=True, source=AID),
    Figure("aid_amount_ytd", "资助金额", FigureKind.AMOUNT, "元", "今年以来", source=Source("studentaid", "amount")),
    Figure("care_events", "关爱活动", FigureKind.COUNT, "场", compare=True, source=Source("careevent")),
    Figure("care_goods_value", "关爱物资价值", FigureKind.AMOUNT, "元", source=Source("careevent", "goods_value")),
    Figure("care_beneficiaries", "关爱活动惠及人次", FigureKind.COUNT, compare=True, source=BENEFICIARIES),
    Figure("care_event_names", "关爱活动名称", FigureKind.TEXT, source=CARE),
    Figure("care_targets", "关爱对象", FigureKind.TEXT, source=CARE),
    Figure(
        "teaching_sites",
        "开班支教点",
        FigureKind.COUNT,
        "个",
        compare=True,
        seasonal=True,
        source=Source("teachingsite"),
    ),
    Figure("teaching_children", "入班儿童数", FigureKind.COUNT, source=Source("teachingsite", "children")),
    Figure("teaching_volunteers", "支教志愿者人数", FigureKind.COUNT, source=Source("teachingsite", "volunteers")),
    Figure("teaching_team_count", "支教志愿服务队", FigureKind.COUNT, "支", distinct=True, source=SITES),
    Figure("teaching_teams", "支教志愿服务队", FigureKind.TEXT, source=SITES),
    Figure("teaching_units", "支教点所在单位", FigureKind.TEXT, source=SITES),
    Figure("teaching_services", "支教服务内容", FigureKind.TEXT, source=SITES),
    Figure("teaching_teams_ytd", "支教志愿服务队", FigureKind.TEXT, "", "今年以来", source=SITES),
    Figure("internship_posts", "返家乡发布岗位数", FigureKind.COUNT, compare=True, seasonal=True, source=POSTS),
    Figure("internship_students", "返家乡到岗学生数", FigureKind.COUNT, source=Source("homeinternship", "students")),
    Figure("internship_post_types", "返家乡岗位类型", FigureKind.TEXT, source=INTERNSHIPS),
    Figure("internship_work", "返家乡工作内容", FigureKind.TEXT, source=INTERNSHIPS),
    Figure("leader_visit_clauses_ytd", "领导关心情况", FigureKind.TEXT, "", "今年以来", source=VISITS),
)
QUERIES = 15  # queries compute() runs, whatever the data
# One kind of donor giving at least this share of the funds 今年以来 dominates them (the report's 资源整合不足).
DOMINANT_SHARE = Decimal("0.8")
AMOUNTS = tuple(figure.key for figure in FIGURES if figure.kind == FigureKind.AMOUNT)


def compute(period: Period, unit: Unit, by_child: bool = False) -> FigureTable:
    s = Slice(period, unit, by_child)
    table = FigureTable(FIGURES)

    # 希望工程募捐: funds 今年以来 and 本期, and what they were raised for.
    donations = s.records(Donation, ytd=True)
    # ... with the funds of each kind of donor 今年以来 in the same query (资源整合不足 reads which kind leads).
    donor_types = Donation.DonorType.values
    by_type = {f"_type_{i}": Sum("amount", filter=s.in_ytd & Q(donor_type=kind)) for i, kind in enumerate(donor_types)}
    funds = s.grouped(donations, **aggregates(FIGURES, "funds_ytd", "funds", scope=s), **by_type)
    for values in funds.values():
        amounts = [(to_decimal(values.pop(f"_type_{i}")), kind) for i, kind in enumerate(donor_types)]
        ranked = sorted(((amount, kind) for amount, kind in amounts if amount), key=lambda pair: -pair[0])
        values["fund_donor_types_ytd"] = [kind for _amount, kind in ranked]
        values["funds_top_donor_type_ytd"] = ranked[0][0] if ranked else None
    table.fill(funds)
    table.put("fund_purposes_ytd", s.labels(donations.filter(s.in_ytd), "purpose"))

    # 资助学生 今年以来: each student (name + school) once, however many grants.
    student = Concat("student_name", Value("\x1f"), "school", output_field=CharField())
    aid = s.records(StudentAid, ytd=True).filter(s.in_ytd)
    aided = Count(student, distinct=True)
    table.fill(s.grouped(aid, students_aided_ytd=aided, **aggregates(FIGURES, "aid_amount_ytd")))

    # 关爱活动 本期: events, goods, beneficiaries, the leading names, who they were for.
    care = s.records(CareEvent)
    table.fill(
        s.grouped(
            care,
            **aggregates(FIGURES, "care_events", "care_goods_value", "care_beneficiaries"),
        )
    )
    table.put("care_event_names", s.names(care, "name", order_by=[F("records").desc(), Sum("beneficiaries").desc()]))
    table.put("care_targets", s.labels(care, "target"))

    # 支教点 opened in the period: sites, children, teams, the units they are in, the services.
    sites = s.records(TeachingSite)
    table.fill(
        s.grouped(
            sites,
            **aggregates(FIGURES, "teaching_sites", "teaching_children", "teaching_volunteers"),
            teaching_team_count=Count("team", distinct=True),
        )
    )
    table.put("teaching_teams", s.names(sites, "team"))
    table.put("teaching_units", s.unit_names(sites, order_by=[Min("unit__path").asc()]))
    table.put("teaching_services", s.labels(sites, "services", drop=(TeachingSite.Service.OTHER,)))
    table.put("teaching_teams_ytd", s.names(s.records(TeachingSite, ytd=True).filter(s.in_ytd), "team"))

    # 返家乡实践 本期: posts published, students at their posts, the kinds of post.
    internships = s.records(HomeInternship)
    table.fill(s.grouped(internships, **aggregates(FIGURES, "internship_posts", "internship_students")))
    table.put("internship_post_types", s.labels(internships.filter(Q(posts__gt=0)), "post_type"))
    table.put("internship_work", s.labels(internships, "work"))

    # 领导关心 今年以来: who came (职务 and name) where and for what, in the order of the visits; leaders who came
    # to one place for one thing are named together, as the seed writes it (副市长…同志、…部长…同志到…调研指导).
    visits = s.records(LeaderVisit, ytd=True).filter(s.in_ytd)
    fields = ("leader_post", "leader_name", "place", "content")
    for bucket, rows in s.top(visits, *fields, order_by=[Min("date").asc(), F("leader_post").asc()]).items():
        table[bucket]["leader_visit_clauses_ytd"] = visit_clauses(rows)

    for entry in table.values():
        for key in AMOUNTS:
            entry[key] = round_amount(entry[key])
    return table


def visit_clauses(rows: list[dict]) -> list[str]:
    """[`副市长王某同志、市委组织部副部长李某同志到阳光社区希望家园调研指导`, …]: one clause per place and content."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        leaders = grouped.setdefault((row["place"], row["content"]), [])
        leader = f"{row['leader_post']}{row['leader_name']}同志"
        if leader not in leaders:
            leaders.append(leader)
    return [f"{'、'.join(leaders)}到{place}{content}" for (place, content), leaders in grouped.items()]


def dominant_donor_type(figures: dict) -> str | None:
    """The kind of donor (爱心企业, 上级拨付 …) that gave at least DOMINANT_SHARE of the funds raised 今年以来,
    when one did: the funds lean on one kind of source (the report's 资源整合不足). None without funds."""
    funds, top = figures["funds_ytd"], figures["funds_top_donor_type_ytd"]
    if (
        not to_decimal(funds)
        or not figures["fund_donor_types_ytd"]
        or to_decimal(top) < DOMINANT_SHARE * to_decimal(funds)
    ):
        return None
    return figures["fund_donor_types_ytd"][0]


def funds_by_month(period: Period, unit: Unit) -> list[dict]:
    """希望工程 funds raised in each month of the period: [{"month": "2023-04", "amount": Decimal}] (one query)."""
    rows = (
        Slice(period, unit)
        .records(Donation)
        .annotate(_year=ExtractYear("date"), _month=ExtractMonth("date"))
        .values("_year", "_month")
        .annotate(amount=Sum("amount"))
    )
    amounts = {(row["_year"], row["_month"]): row["amount"] for row in rows}
    return [
        {"month": f"{year}-{month:02d}", "amount": round_amount(amounts.get((year, month)))}
        for year, month in months(period)
    ]
