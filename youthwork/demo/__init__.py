"""The demo city: organisation tree, venues, three users and a year (2023) of records in every ledger.

Everything is generated from a fixed random seed, so the records are the same on every run; records
are matched on their natural key, so running the loader again creates nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from youthwork.ledgers import all_ledgers
from youthwork.models import Unit, User, Venue
from youthwork.roles import ADMIN, CLERK, LEADER

DEMO_PASSWORD = "youthwork-demo"
DEMO_REASON = "演示数据"  # the change reason in the history of everything the loader creates
YEAR = 2023

# (code, name, type, parent code)
UNITS = [
    ("C00", "团市委", Unit.Type.CITY, None),
    ("D01", "东城区团委", Unit.Type.DISTRICT, "C00"),
    ("D02", "西城区团委", Unit.Type.DISTRICT, "C00"),
    ("D03", "南湖区团委", Unit.Type.DISTRICT, "C00"),
    ("T0101", "城关街道团工委", Unit.Type.TOWN, "D01"),
    ("T0102", "新华街道团工委", Unit.Type.TOWN, "D01"),
    ("T0201", "白沙镇团委", Unit.Type.TOWN, "D02"),
    ("T0202", "石桥街道团工委", Unit.Type.TOWN, "D02"),
    ("T0301", "湖滨街道团工委", Unit.Type.TOWN, "D03"),
    ("T0302", "龙泉镇团委", Unit.Type.TOWN, "D03"),
    ("S0101", "东城区第一中学", Unit.Type.SCHOOL, "D01"),
    ("S0102", "东城区实验小学", Unit.Type.SCHOOL, "T0101"),
    ("S0103", "新华小学", Unit.Type.SCHOOL, "T0102"),
    ("S0201", "西城区实验学校", Unit.Type.SCHOOL, "D02"),
    ("S0202", "中心小学", Unit.Type.SCHOOL, "T0201"),
    ("S0203", "石桥中学", Unit.Type.SCHOOL, "T0202"),
    ("S0301", "南湖中学", Unit.Type.SCHOOL, "D03"),
    ("S0302", "湖滨小学", Unit.Type.SCHOOL, "T0301"),
    ("S0303", "中心小学", Unit.Type.SCHOOL, "T0302"),
    ("M0101", "阳光社区", Unit.Type.COMMUNITY, "T0101"),
    ("M0102", "幸福社区", Unit.Type.COMMUNITY, "T0102"),
    ("M0201", "白沙社区", Unit.Type.COMMUNITY, "T0201"),
    ("M0202", "石桥社区", Unit.Type.COMMUNITY, "T0202"),
    ("M0301", "湖滨社区", Unit.Type.COMMUNITY, "T0301"),
    ("M0302", "龙泉社区", Unit.Type.COMMUNITY, "T0302"),
]

# (unit code, name, type, opened on, lodging)
VENUES = [
    ("M0101", "阳光社区希望家园", Venue.Type.HOPE_HOME, dt.date(2022, 6, 1), True),
    ("T0201", "白沙小区希望家园", Venue.Type.HOPE_HOME, dt.date(2022, 9, 1), True),
    ("M0301", "湖滨社区希望家园", Venue.Type.HOPE_HOME, dt.date(2023, 3, 1), True),
    ("T0302", "龙泉活动中心希望家园", Venue.Type.HOPE_HOME, dt.date(2023, 5, 1), True),
    ("D01", "东城区青年之家", Venue.Type.YOUTH_HOME, dt.date(2021, 5, 4), False),
    ("D02", "西城区红领巾之家", Venue.Type.YOUTH_HOME, dt.date(2021, 6, 1), False),
    ("D03", "南湖区青年之家", Venue.Type.YOUTH_HOME, dt.date(2022, 5, 4), False),
    ("C00", "市少先队校外实践教育基地", Venue.Type.PIONEER_BASE, dt.date(2020, 6, 1), False),
    ("T0202", "石桥法治教育基地", Venue.Type.OTHER, dt.date(2022, 3, 1), False),
]

USERS = [
    ("admin", "C00", ADMIN, True, "市", "管理员"),
    ("staff", "D01", CLERK, False, "东城", "录入员"),
    ("leader", "C00", LEADER, False, "市", "领导"),
]

MIDDLE = {"S0101", "S0201", "S0203", "S0301"}  # schools with league members (中学 / 九年一贯制)
PRIMARY = {"S0102", "S0103", "S0202", "S0302", "S0303", "S0201"}  # schools with pioneers
DISTRICTS = ("D01", "D02", "D03")
TOWNS = ("T0101", "T0102", "T0201", "T0202", "T0301", "T0302")
COMMUNITIES = ("M0101", "M0102", "M0201", "M0202", "M0301", "M0302")
TEAMS = ("市师范学院大学生志愿服务队", "省理工大学“星火”青年志愿者服务团")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "子涵欣怡梓萱诗涵梓涵浩宇宇轩子轩浩然雨涵一诺思彤俊熙晨阳嘉怡佳琪"


def _date(rng: random.Random, month: int, first: int = 1, last: int = 28) -> dt.date:
    return dt.date(YEAR, month, rng.randint(first, last))


def _weeks():
    day = dt.date(YEAR, 1, 2)
    while day.year == YEAR:
        yield day
        day += dt.timedelta(days=7)


def _rows(units: dict[str, Unit], venues: dict[str, Venue]) -> dict[str, list[dict]]:
    """Every ledger's demo rows as field dicts, keyed by sheet name."""
    rng = random.Random(YEAR)
    rows: dict[str, list[dict]] = {ledger.sheet_name: [] for ledger in all_ledgers()}
    add = lambda sheet, code, date, **fields: rows[sheet].append({"unit": units[code], "date": date, **fields})  # noqa: E731
    hope_homes = [v for v in venues.values() if v.venue_type == Venue.Type.HOPE_HOME]

    for number, week in enumerate(_weeks(), start=1):
        for code in sorted(MIDDLE):
            add(
                "网上团队课",
                code,
                week,
                column="青年大学习",
                issue=f"{YEAR}年第{number}期",
                participants=rng.randint(600, 1500),
            )
        for code in sorted(PRIMARY):
            add(
                "网上团队课",
                code,
                week + dt.timedelta(days=1),
                column="红领巾爱学习",
                issue=f"{YEAR}年第{number}期",
                participants=rng.randint(400, 1200),
            )

    nodes = [(5, 4, "五四"), (6, 1, "六一"), (7, 1, "七一"), (10, 1, "国庆")]
    for code in sorted(MIDDLE | PRIMARY):
        kinds = (["主题团日"] if code in MIDDLE else []) + (["主题队日"] if code in PRIMARY else [])
        for kind in kinds:
            theme = "学习二十大 永远跟党走 奋进新征程" if kind == "主题团日" else "学习二十大 争做好队员"
            for month, day, node in nodes:
                date = dt.date(YEAR, month, day) - dt.timedelta(days=rng.randint(0, 3))
                add(
                    "主题团队日",
                    code,
                    date,
                    day_type=kind,
                    theme=f"{theme}({node})",
                    occasion=node,
                    participants=rng.randint(80, 400),
                    venue=None,
                )
            for month in (3, 9, 11):
                add(
                    "主题团队日",
                    code,
                    _date(rng, month),
                    day_type=kind,
                    theme=f"{month}月{kind}:学雷锋 树新风",
                    occasion="其他",
                    participants=rng.randint(50, 200),
                    venue=None,
                )
    for code, venue in (("D01", "东城区青年之家"), ("D02", "西城区红领巾之家"), ("D03", "南湖区青年之家")):
        add(
            "主题团队日",
            code,
            dt.date(YEAR, 5, 4),
            day_type="主题团日",
            theme="五四青年节主题团日(区级示范)",
            occasion="五四",
            participants=rng.randint(150, 300),
            venue=venues[venue],
        )

    for code in sorted(MIDDLE):
        add(
            "入团入队仪式",
            code,
            dt.date(YEAR, 5, 4) - dt.timedelta(days=rng.randint(0, 5)),
            ceremony_type="入团仪式",
            new_members=rng.randint(20, 80),
        )
    for code in sorted(PRIMARY):
        add(
            "入团入队仪式",
            code,
            dt.date(YEAR, 6, 1) - dt.timedelta(days=rng.randint(0, 5)),
            ceremony_type="入队仪式",
            new_members=rng.randint(60, 180),
        )
        add("入团入队仪式", code, dt.date(YEAR, 10, 13), ceremony_type="入队仪式", new_members=rng.randint(30, 90))

    add(
        "辅导员技能竞赛",
        "C00",
        dt.date(YEAR, 6, 16),
        name=f"{YEAR}年全市少先队辅导员职业技能素养大赛",
        contestants=126,
        formats=["现场答题", "情景答辩", "活动展示"],
        co_organisers="市教育局、市少工委",
    )
    for code in DISTRICTS:
        add(
            "辅导员技能竞赛",
            code,
            _date(rng, 4),
            name=f"{YEAR}年少先队辅导员业务培训",
            contestants=rng.randint(40, 90),
            formats=["其他"],
            co_organisers="区教育局",
        )
        add(
            "辅导员技能竞赛",
            code,
            _date(rng, 11),
            name=f"{YEAR}年团干部技能比武",
            contestants=rng.randint(20, 50),
            formats=["现场答题", "活动展示"],
            co_organisers="",
        )

    donors = [
        ("市爱心实业有限公司", "爱心企业"),
        ("市青少年发展基金会", "基金会"),
        ("市慈善会", "社会团体"),
        ("团省委", "上级拨付"),
        ("市建设银行青年志愿者协会", "社会团体"),
        ("张先生", "个人"),
        ("东方电子科技有限公司", "爱心企业"),
        ("市商贸集团", "爱心企业"),
    ]
    for month in range(1, 13):
        for _ in range(rng.randint(1, 3)):
            donor, kind = rng.choice(donors)
            code = rng.choice(("C00", *DISTRICTS))
            purpose = rng.choice(["助学金", "生活补助", "微心愿"] if kind != "上级拨付" else ["助学金"])
            amount = Decimal(rng.randrange(2000, 120000, 500)) + Decimal(rng.choice(("0", "0.50", "0")))
            add("希望工程募捐", code, _date(rng, month), donor=donor, donor_type=kind, amount=amount, purpose=purpose)

    schools = [u for code, u in units.items() if u.unit_type == Unit.Type.SCHOOL]
    students = []
    for index in range(90):
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
        school = schools[index % len(schools)]
        students.append((name, school, f"{rng.randint(1, 9)}年级"))
    for index, (name, school, grade) in enumerate(students):
        district = units[_district_of(school, units)]
        spring = dt.date(YEAR, 3, 10 + index % 15)
        add_row = {"student_name": name, "school": school.name, "grade": grade}
        rows["资助学生"].append(
            {
                "unit": district,
                "date": spring,
                **add_row,
                "aid_type": "助学金",
                "amount": Decimal(rng.choice((500, 800, 1000, 1500))),
            }
        )
        if index % 3 == 0:  # a third of the students get a second grant in autumn: counted once
            rows["资助学生"].append(
                {
                    "unit": district,
                    "date": dt.date(YEAR, 9, 5 + index % 20),
                    **add_row,
                    "aid_type": "生活补助",
                    "amount": Decimal(rng.choice((300, 500, 600))),
                }
            )

    care = [
        (1, "希望微心愿·新春送温暖"),
        (6, "情暖六一"),
        (7, "七彩假期·暑期关爱"),
        (8, "暑期安全陪伴"),
        (9, "开学季爱心助学"),
        (12, "冬日暖阳"),
    ]
    for month, name in care:
        for code in rng.sample(TOWNS, 3):
            venue = next((v for v in hope_homes if v.unit.path.startswith(units[code].path)), None)
            add(
                "关爱活动",
                code,
                _date(rng, month, 1, 20),
                name=name,
                target=rng.choice(["留守儿童", "留守儿童", "困境儿童"]),
                beneficiaries=rng.randint(30, 260),
                goods_value=Decimal(rng.randrange(3000, 40000, 100)),
                venue=venue,
            )

    for index, (code, venue_name) in enumerate(
        (
            ("M0101", "阳光社区希望家园"),
            ("T0201", "白沙小区希望家园"),
            ("M0301", "湖滨社区希望家园"),
            ("T0302", "龙泉活动中心希望家园"),
            ("T0202", None),
        )
    ):
        # Most summer sites open in the last days of June, so the second-quarter report can name them.
        start = dt.date(YEAR, 6, 26 + index) if index < 4 else dt.date(YEAR, 7, 10)
        add(
            "支教点",
            code,
            start,
            name=f"{units[code].name}暑期支教点",
            end_date=start + dt.timedelta(days=35),
            team=TEAMS[index % 2],
            volunteers=rng.randint(8, 20),
            children=rng.randint(30, 90),
            services=["课业辅导", "安全教育", "兴趣培养", "素质拓展"][: 2 + index % 3],
            venue=venues[venue_name] if venue_name else None,
        )

    for code in DISTRICTS:
        for kind in ("政务实习", "乡村振兴志愿", "企业实践"):
            posts = rng.randint(20, 80)
            add("返家乡实践", code, dt.date(YEAR, 6, 28), post_type=kind, posts=posts, students=rng.randint(10, posts))

    forms = ["专家授课", "法治讲座", "模拟法庭"]
    for month in range(3, 13):
        for half in (5, 20):
            code = rng.choice(sorted(MIDDLE | PRIMARY))
            add(
                "法治宣教",
                code,
                dt.date(YEAR, month, half + rng.randint(0, 4)),
                form=rng.choice(forms),
                partners=rng.sample(["公安", "检察", "法院", "司法", "教育"], 2),
                participants=rng.randint(100, 600),
                venue=venues["石桥法治教育基地"] if code == "S0203" else None,
            )

    waters = ["白沙河", "龙泉水库", "湖滨湿地公园", "石桥河道", "城关护城河"]
    for month in (6, 7, 8):
        for code in rng.sample(TOWNS, 4):
            place = rng.choice(waters)
            add(
                "安全防护",
                code,
                _date(rng, month, 1, 10),
                work_type="防溺水巡查",
                quantity=rng.randint(8, 30),
                volunteers=rng.randint(20, 90),
                place=place,
            )
            add(
                "安全防护",
                code,
                _date(rng, month, 11, 20),
                work_type="设立警示牌",
                quantity=rng.randint(3, 15),
                volunteers=rng.randint(5, 20),
                place=place,
            )
        for code in rng.sample(TOWNS, 2):
            add(
                "安全防护",
                code,
                _date(rng, month, 21, 28),
                work_type="设置警戒线",
                quantity=rng.randint(2, 8),
                volunteers=rng.randint(5, 15),
                place=rng.choice(waters),
            )
    for code in sorted(MIDDLE | PRIMARY):
        add(
            "安全防护",
            code,
            dt.date(YEAR, 6, 26),
            work_type="安全教育",
            quantity=1,
            volunteers=None,
            place="暑期防溺水安全教育",
        )

    add(
        "心理健康服务",
        "S0301",
        dt.date(YEAR, 6, 9),
        service_type="心理讲座",
        topic="中考考前心理减压讲座",
        served=420,
        provider="12355青少年服务台",
        venue=None,
    )
    add(
        "心理健康服务",
        "S0101",
        dt.date(YEAR, 5, 26),
        service_type="心理讲座",
        topic="中考考前心理减压讲座",
        served=380,
        provider="12355青少年服务台",
        venue=None,
    )
    for month in range(1, 13):
        add(
            "心理健康服务",
            "C00",
            _date(rng, month, 25, 28),
            service_type="热线服务",
            topic=f"{month}月12355热线",
            served=rng.randint(60, 160),
            provider="12355青少年服务台",
            venue=None,
        )
    for code, venue in (("M0101", "阳光社区希望家园"), ("M0301", "湖滨社区希望家园")):
        add(
            "心理健康服务",
            code,
            dt.date(YEAR, 8, 10),
            service_type="团体辅导",
            topic="暑期留守儿童团体心理辅导",
            served=rng.randint(20, 40),
            provider="市心理咨询师协会",
            venue=venues[venue],
        )

    for month in (3, 6, 9, 12):
        for code in DISTRICTS:
            add(
                "权益宣传",
                code,
                _date(rng, month),
                publicity_type="海报张贴",
                quantity=rng.randint(50, 200),
                reach=rng.randint(2000, 8000),
            )
            add(
                "权益宣传",
                code,
                _date(rng, month),
                publicity_type="线上推文",
                quantity=rng.randint(3, 10),
                reach=rng.randint(5000, 30000),
            )
    add("权益宣传", "C00", dt.date(YEAR, 5, 18), publicity_type="志愿观察员招募", quantity=48, reach=None)

    add(
        "联合发文",
        "C00",
        dt.date(YEAR, 3, 1),
        title=f"《关于开展{YEAR}年“法治进校园”活动的通知》",
        partners="市公安局、市检察院、市法院、市司法局、市教育局",
        doc_number=f"市团联发〔{YEAR}〕3号",
        area="权益维护",
    )
    add(
        "联合发文",
        "C00",
        dt.date(YEAR, 5, 10),
        title="《关于印发〈关于加强志愿服务与检察公益诉讼协作的意见〉和〈公益诉讼志愿观察员制度实施方案〉的通知》",
        partners="市检察院",
        doc_number=f"市检会〔{YEAR}〕5号",
        area="权益维护",
    )
    add(
        "联合发文",
        "C00",
        dt.date(YEAR, 2, 20),
        title=f"《关于深入开展{YEAR}年“青年大学习”行动的通知》",
        partners="市委宣传部、市教育局",
        doc_number=f"市团联发〔{YEAR}〕1号",
        area="思想引领",
    )
    return rows


def _district_of(unit: Unit, units: dict[str, Unit]) -> str:
    for code in DISTRICTS:
        if unit.path.startswith(units[code].path):
            return code
    return "C00"


@transaction.atomic
def load_demo() -> dict[str, tuple[int, int]]:
    """Create what is missing of the demo city; return {label: (created, total)}."""
    summary: dict[str, tuple[int, int]] = {}

    units: dict[str, Unit] = {}
    created = 0
    for code, name, unit_type, parent in UNITS:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            unit = Unit(code=code, name=name, unit_type=unit_type, parent=units.get(parent))
            unit._change_reason = DEMO_REASON
            unit.save()
            created += 1
        units[code] = unit
    summary["组织单位"] = (created, Unit.objects.count())

    venues: dict[str, Venue] = {}
    created = 0
    for code, name, venue_type, opened_on, lodging in VENUES:
        venue = Venue.objects.filter(unit=units[code], name=name).first()
        if venue is None:
            venue = Venue(
                unit=units[code], name=name, venue_type=venue_type, opened_on=opened_on, provides_lodging=lodging
            )
            venue._change_reason = DEMO_REASON
            venue.save()
            created += 1
        venues[name] = venue
    summary["阵地"] = (created, Venue.objects.count())

    created = 0
    for username, code, role, superuser, last_name, first_name in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                unit=units[code],
                is_staff=True,
                is_superuser=superuser,
                last_name=last_name,
                first_name=first_name,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=role))
            created += 1
    summary["用户"] = (created, User.objects.count())

    author = User.objects.get(username="admin")
    rows = _rows(units, venues)
    for ledger in all_ledgers():
        model = ledger.model
        key = ledger.natural_key
        attnames = [model._meta.get_field(f).attname for f in key]
        existing = set(model.objects.values_list(*attnames))
        fresh, seen = [], set()
        for row in rows[ledger.sheet_name]:
            k = tuple(getattr(row[f], "pk", row[f]) for f in key)
            if k in existing or k in seen:
                continue
            seen.add(k)
            record = model(**row, created_by=author, updated_by=author)
            record.clean_fields()  # the generator keeps the cross-field rules; no lock applies to fresh demo data
            fresh.append(record)
        bulk_create_with_history(fresh, model, batch_size=500, default_user=author, default_change_reason=DEMO_REASON)
        summary[ledger.sheet_name] = (len(fresh), model.objects.count())
    return summary
