"""权益维护 figures: joint documents, law-in-schools events, safety work, psychological services, publicity.

Public API (the report and the portal's dashboard call these; every function takes a
youthwork.periods.Period and a Unit, and measures the unit with all its descendants):

- `FIGURES`: the figures of this area (key, Chinese label with its unit and 本期/今年以来, kind).
- `compute(period, unit, by_child=False)` -> {bucket path: {figure key: value}}: every figure of
  `FIGURES` for the whole scope (one bucket, the unit's path) or for each direct child unit (the
  unit's own records under the unit's path, "本级"). A fixed number of queries (see QUERIES).
- `monthly(period, unit)`, `record_counts(period, unit)`, `by_child(period, unit)`,
  `pending_units(period, unit)` (待报送): as in every area.

Joint documents (联合发文) are counted 今年以来: a document issued earlier in the year still
governs the period's work. Those of the area 权益维护 feed two places of the report: those about law
education (the title names 法治 or 校园, or an education department co-signed) go with the law-in-
schools events; the others (public-interest litigation, mandatory reporting...) with rights publicity.
Documents of the other two areas are listed for their areas' sections.
Psychological services are split by provider, a 12355 service desk or another, and the desk's by
kind: events held somewhere (讲座, 团体辅导) and one-to-one services (热线, 个体咨询).
"""

from __future__ import annotations

from django.db.models import Count, F, Min, Q, Sum

from legal_education.models import JointDocument, LawEvent, PsychService, RightsPublicity, SafetyWork
from youthwork.metrics import AreaMetrics, Figure, FigureKind, FigureTable, Slice, Source, aggregates
from youthwork.models import Unit
from youthwork.periods import Period

# The count column that says how many young people a record reaches, per ledger (for monthly()).
REACH = {"lawevent": "participants", "psychservice": "served", "rightspublicity": "reach"}
area = AreaMetrics("legal_education", REACH)
monthly = area.monthly
record_counts = area.record_counts
by_child = area.by_child
pending_units = area.pending_units

LAW_EDUCATION_DOCUMENT = Q(title__contains="法治") | Q(title__contains="校园") | Q(partners__contains="教育")
HOTLINE_12355 = Q(provider__contains="12355")
DESK_EVENT = HOTLINE_12355 & Q(service_type__in=(PsychService.ServiceType.LECTURE, PsychService.ServiceType.GROUP))
DESK_ONE_TO_ONE = HOTLINE_12355 & ~DESK_EVENT
THEMES = RightsPublicity.Theme.values
CHANNELS = RightsPublicity.Channel.values


def safety(work_type) -> Source:
    return Source("safetywork", "quantity", (("work_type", work_type),))


def publicity(publicity_type) -> Source:
    return Source("rightspublicity", "quantity", (("publicity_type", publicity_type),))


# The records a figure is drawn from where the list cannot total it: documents split by their title or
# partners, services by their provider (free text), schools counted once, names and labels.
RIGHTS = (("area", JointDocument.Area.RIGHTS),)
DOCUMENTS = Source("jointdocument", where=RIGHTS, exact=False)
GUIDANCE_DOCUMENTS = Source("jointdocument", where=(("area", JointDocument.Area.GUIDANCE),))
CARE_DOCUMENTS = Source("jointdocument", where=(("area", JointDocument.Area.CARE),))
LAW_EVENTS = Source("lawevent", exact=False)
SERVICES = Source("psychservice", exact=False)
PUBLICITY = Source("rightspublicity", exact=False)

FIGURES = (
    Figure("law_documents", "法治教育联合发文", FigureKind.COUNT, "件", "今年以来", source=DOCUMENTS),
    Figure("law_document_list", "法治教育联合发文", FigureKind.DOCUMENTS, "", "今年以来", source=DOCUMENTS),
    Figure("rights_documents", "权益保障联合发文", FigureKind.COUNT, "件", "今年以来", source=DOCUMENTS),
    Figure("rights_document_list", "权益保障联合发文", FigureKind.DOCUMENTS, "", "今年以来", source=DOCUMENTS),
    Figure(
        "guidance_document_list", "思想引领联合发文", FigureKind.DOCUMENTS, "", "今年以来", source=GUIDANCE_DOCUMENTS
    ),
    Figure("care_document_list", "关心关爱联合发文", FigureKind.DOCUMENTS, "", "今年以来", source=CARE_DOCUMENTS),
    Figure("law_events", "法治宣教活动", FigureKind.COUNT, "场", compare=True, source=Source("lawevent")),
    Figure("law_participants", "法治宣教参与人数", FigureKind.COUNT, source=Source("lawevent", "participants")),
    Figure("law_schools", "开展法治宣教的学校", FigureKind.COUNT, "所", source=LAW_EVENTS),
    Figure("law_school_names", "开展法治宣教的学校", FigureKind.TEXT, source=LAW_EVENTS),
    Figure("law_forms", "法治宣教形式", FigureKind.TEXT, source=LAW_EVENTS),
    Figure("law_partners", "法治宣教合作部门", FigureKind.TEXT, source=LAW_EVENTS),
    Figure(
        "patrols",
        "防溺水巡查",
        FigureKind.COUNT,
        "次",
        compare=True,
        seasonal=True,
        source=safety(SafetyWork.WorkType.PATROL),
    ),
    Figure("cordons", "设置警戒线", FigureKind.COUNT, "处", source=safety(SafetyWork.WorkType.CORDON)),
    Figure("signs", "设立警示牌", FigureKind.COUNT, "块", source=safety(SafetyWork.WorkType.SIGN)),
    Figure("safety_sessions", "安全教育", FigureKind.COUNT, "场", source=safety(SafetyWork.WorkType.EDUCATION)),
    Figure("safety_volunteers", "安全防护志愿者人次", FigureKind.COUNT, source=Source("safetywork", "volunteers")),
    Figure("psych_services", "心理健康服务", FigureKind.COUNT, "场次", compare=True, source=Source("psychservice")),
    Figure("psych_served", "心理健康服务人次", FigureKind.COUNT, compare=True, source=Source("psychservice", "served")),
    Figure("psych_12355_services", "12355心理健康服务", FigureKind.COUNT, "场次", source=SERVICES),
    Figure("psych_12355_served", "12355心理健康服务人次", FigureKind.COUNT, source=SERVICES),
    Figure("psych_12355_providers", "12355服务机构", FigureKind.TEXT, source=SERVICES),
    Figure("psych_12355_events", "12355心理讲座和团体辅导", FigureKind.COUNT, "场", source=SERVICES),
    Figure("psych_12355_event_served", "12355心理讲座和团体辅导服务人次", FigureKind.COUNT, source=SERVICES),
    Figure("psych_12355_units", "12355心理讲座和团体辅导所在单位", FigureKind.TEXT, source=SERVICES),
    Figure("psych_12355_topics", "12355心理讲座和团体辅导主题", FigureKind.TEXT, source=SERVICES),
    Figure("psych_12355_staff", "12355心理讲座和团体辅导主讲人员", FigureKind.TEXT, source=SERVICES),
    Figure("psych_12355_one_to_one", "12355热线和个体咨询", FigureKind.COUNT, "次", source=SERVICES),
    Figure("psych_12355_one_to_one_served", "12355热线和个体咨询服务人次", FigureKind.COUNT, source=SERVICES),
    Figure("psych_other_services", "其他心理健康服务", FigureKind.COUNT, "场次", source=SERVICES),
    Figure("psych_other_served", "其他心理健康服务人次", FigureKind.COUNT, source=SERVICES),
    Figure("psych_other_types", "其他心理健康服务类型", FigureKind.TEXT, source=SERVICES),
    Figure(
        "posters",
        "张贴海报",
        FigureKind.COUNT,
        "张",
        compare=True,
        source=publicity(RightsPublicity.PublicityType.POSTER),
    ),
    Figure(
        "online_posts",
        "线上推文",
        FigureKind.COUNT,
        "篇",
        compare=True,
        source=publicity(RightsPublicity.PublicityType.POST),
    ),
    Figure(
        "observers", "招募志愿观察员", FigureKind.COUNT, "人", source=publicity(RightsPublicity.PublicityType.OBSERVER)
    ),
    Figure(
        "other_publicity", "其他宣传", FigureKind.COUNT, "次", source=publicity(RightsPublicity.PublicityType.OTHER)
    ),
    Figure(
        "publicity_reach", "宣传覆盖人次", FigureKind.COUNT, compare=True, source=Source("rightspublicity", "reach")
    ),
    Figure("publicity_themes", "宣传主题", FigureKind.TEXT, source=PUBLICITY),
    Figure("publicity_channels", "宣传渠道", FigureKind.TEXT, source=PUBLICITY),
)
QUERIES = 17  # queries compute() runs, whatever the data


def _documents(rows) -> list[dict]:
    return [{"title": row["title"], "partners": row["partners"]} for row in rows]


def compute(period: Period, unit: Unit, by_child: bool = False) -> FigureTable:
    s = Slice(period, unit, by_child)
    table = FigureTable(FIGURES)

    # 联合发文 今年以来: law-education documents, the other 权益维护 ones, those of the other areas.
    documents = s.records(JointDocument, ytd=True).filter(s.in_ytd)
    rights = documents.filter(area=JointDocument.Area.RIGHTS)
    table.fill(
        s.grouped(
            rights,
            law_documents=Count("pk", filter=LAW_EDUCATION_DOCUMENT),
            rights_documents=Count("pk", filter=~LAW_EDUCATION_DOCUMENT),
        )
    )
    in_date_order = [Min("date").asc(), F("title").asc()]
    for key, subset in (
        ("law_document_list", rights.filter(LAW_EDUCATION_DOCUMENT)),
        ("rights_document_list", rights.exclude(LAW_EDUCATION_DOCUMENT)),
    ):
        for bucket, rows in s.top(subset, "title", "partners", order_by=in_date_order).items():
            table[bucket][key] = _documents(rows)
    others = documents.exclude(area=JointDocument.Area.RIGHTS)
    for bucket, rows in s.top(others, "title", "partners", partition=("area",), order_by=in_date_order).items():
        for row in rows:
            key = "guidance_document_list" if row["area"] == JointDocument.Area.GUIDANCE else "care_document_list"
            table[bucket][key].extend(_documents([row]))

    # 法治宣教 本期: events, people, the schools reached (most events first), forms and partners.
    events = s.records(LawEvent)
    at_school = Q(unit__unit_type=Unit.Type.SCHOOL)
    table.fill(
        s.grouped(
            events,
            **aggregates(FIGURES, "law_events", "law_participants"),
            law_schools=Count("unit", distinct=True, filter=at_school),
        )
    )
    table.put("law_school_names", s.unit_names(events.filter(at_school)))
    table.put("law_forms", s.labels(events, "form"))
    table.put("law_partners", s.labels(events, "partners", drop=(LawEvent.Partner.OTHER,)))

    # 安全防护 本期: patrols, cordons, signs, sessions, volunteers.
    safety_figures = ("patrols", "cordons", "signs", "safety_sessions", "safety_volunteers")
    table.fill(s.grouped(s.records(SafetyWork), **aggregates(FIGURES, *safety_figures)))

    # 心理健康服务 本期: the 12355 desk's events (where, on what) and one-to-one services; all others.
    services = s.records(PsychService)
    table.fill(
        s.grouped(
            services,
            **aggregates(FIGURES, "psych_services", "psych_served"),
            psych_12355_services=Count("pk", filter=HOTLINE_12355),
            psych_12355_served=Sum("served", filter=HOTLINE_12355),
            psych_12355_events=Count("pk", filter=DESK_EVENT),
            psych_12355_event_served=Sum("served", filter=DESK_EVENT),
            psych_12355_one_to_one=Count("pk", filter=DESK_ONE_TO_ONE),
            psych_12355_one_to_one_served=Sum("served", filter=DESK_ONE_TO_ONE),
            psych_other_services=Count("pk", filter=~HOTLINE_12355),
            psych_other_served=Sum("served", filter=~HOTLINE_12355),
        )
    )
    table.put("psych_12355_providers", s.names(services.filter(HOTLINE_12355), "provider"))
    desk_events = services.filter(DESK_EVENT)
    table.put("psych_12355_units", s.unit_names(desk_events, order_by=[Min("unit__path").asc()]))
    topic_order = [Sum("served").desc(), F("topic").asc()]
    table.put("psych_12355_topics", s.names(desk_events.exclude(topic=""), "topic", order_by=topic_order))
    table.put("psych_12355_staff", s.names(desk_events.exclude(staff=""), "staff"))
    table.put("psych_other_types", s.labels(services.exclude(HOTLINE_12355), "service_type"))

    # 权益宣传 本期: posters, posts, observers recruited, other publicity, people reached.
    publicity_figures = ("posters", "online_posts", "observers", "other_publicity", "publicity_reach")
    # ... and what was publicised through which channels, as the records say (blank: not stated, not written),
    # counted in the same query.
    said = {
        f"_{field}_{i}": Count("pk", filter=Q(**{field: label}))
        for field, labels in (("theme", THEMES), ("channel", CHANNELS))
        for i, label in enumerate(labels)
    }
    publicity = s.grouped(s.records(RightsPublicity), **aggregates(FIGURES, *publicity_figures), **said)
    for values in publicity.values():
        for field, labels in (("theme", THEMES), ("channel", CHANNELS)):
            used = [label for i, label in enumerate(labels) if values.pop(f"_{field}_{i}")]
            values[f"publicity_{field}s"] = used
    table.fill(publicity)
    return table
