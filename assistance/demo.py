"""关心关爱: the demo city's rows of this area's ledgers (`python manage.py load_demo`, youthwork.demo)."""

import datetime as dt
from decimal import Decimal

from youthwork.demo import DISTRICTS, TOWNS, district_of
from youthwork.models import Unit

INTERNSHIP_WORK = {"政务实习": ["政务实习"], "乡村振兴志愿": ["乡村振兴"], "企业实践": ["企业实践"]}
# (month, [(leader's name, post)], place visited, content): two leaders come together in the summer
LEADER_VISITS = (
    (1, [("陈华", "市委副书记")], "白沙小区希望家园", "新春走访慰问留守儿童"),
    (5, [("赵敏", "市人大常委会副主任")], "阳光社区希望家园", "看望慰问留守儿童"),
    (7, [("王建国", "副市长"), ("李明", "市委组织部副部长")], "阳光社区希望家园", "与大学生志愿者见面,关怀支教工作"),
    (11, [("刘洋", "团省委副书记")], "白沙小区希望家园", "调研指导“希望家园”建设"),
)
TEAMS = ("市师范学院大学生志愿服务队", "省理工大学“星火”青年志愿者服务团")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "子涵欣怡梓萱诗涵梓涵浩宇宇轩子轩浩然雨涵一诺思彤俊熙晨阳嘉怡佳琪"


def rows(demo) -> None:
    """Add a year (demo.year) of this area's records to the demo city, from the loader's shared random numbers."""
    rng, add, units, hope_homes = demo.rng, demo.add, demo.units, demo.hope_homes
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
            add("希望工程募捐", code, demo.day_in(month), donor=donor, donor_type=kind, amount=amount, purpose=purpose)

    schools = [u for code, u in units.items() if u.unit_type == Unit.Type.SCHOOL]
    students = []
    for index in range(90):
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
        school = schools[index % len(schools)]
        students.append((name, school, f"{rng.randint(1, 9)}年级"))
    for index, (name, school, grade) in enumerate(students):
        district = units[district_of(school, units)]
        spring = demo.date(3, 10 + index % 15)
        add_row = {"student_name": name, "school": school.name, "grade": grade}
        demo.rows["资助学生"].append(
            {
                "unit": district,
                "date": spring,
                **add_row,
                "aid_type": "助学金",
                "amount": Decimal(rng.choice((500, 800, 1000, 1500))),
            }
        )
        # A second grant (counted once): a third of the students in autumn, a fifth before 六一, a fifth in winter.
        for chosen, date in (
            (index % 3 == 0, demo.date(9, 5 + index % 20)),
            (index % 5 == 1, demo.date(5, 20 + index % 8)),
            (index % 5 == 2, demo.date(12, 10 + index % 15)),
        ):
            if chosen:
                demo.rows["资助学生"].append(
                    {
                        "unit": district,
                        "date": date,
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
            date = demo.day_in(month, 1, 20)
            venue = next(
                (v for v in hope_homes if v.unit.path.startswith(units[code].path) and v.opened_on <= date), None
            )
            add(
                "关爱活动",
                code,
                date,
                name=name,
                target=rng.choice(["留守儿童", "留守儿童", "困境儿童"]),
                beneficiaries=rng.randint(30, 260),
                goods_value=Decimal(rng.randrange(3000, 40000, 100)),
                venue=venue,
            )

    sites = (
        ("M0101", "阳光社区希望家园"),
        ("T0201", "白沙小区希望家园"),
        ("M0301", "湖滨社区希望家园"),
        ("T0302", "龙泉活动中心希望家园"),
        ("T0202", None),
    )
    for index, (code, venue_name) in enumerate(sites):
        # Most summer sites open in the last days of June, so the second-quarter report can name them.
        start = demo.date(6, 26 + index) if index < 4 else demo.date(7, 10)
        teaching_site(demo, code, f"{units[code].name}暑期支教点", start, 35, index, venue_name)
    # Winter sites in the 寒假 (January) and weekend classes of the autumn term at two 希望家园.
    for index, (code, venue_name) in enumerate(sites[:2]):
        teaching_site(demo, code, f"{units[code].name}寒假支教点", demo.date(1, 16 + index), 20, index, venue_name)
    for index, (code, venue_name) in enumerate(sites[2:4]):
        teaching_site(demo, code, f"{units[code].name}周末课堂", demo.date(10, 12 + index), 60, index, venue_name)

    # 返家乡: posts published before each vacation (June, December), a second batch once it has begun.
    for month, day in ((1, 10), (6, 28), (7, 15), (12, 28)):
        for code in DISTRICTS:
            for kind in ("政务实习", "乡村振兴志愿", "企业实践"):
                posts = rng.randint(10, 60)
                add(
                    "返家乡实践",
                    code,
                    demo.date(month, day),
                    post_type=kind,
                    posts=posts,
                    students=rng.randint(5, posts),
                    work=INTERNSHIP_WORK[kind] + (["暑期支教"] if kind == "乡村振兴志愿" and month in (6, 7) else []),
                )

    # 领导关心: leaders of the city visiting the 希望家园 (the report's 党委有重视), once or twice a quarter.
    for month, leaders, place, content in LEADER_VISITS:
        date = demo.day_in(month, 5, 25)
        for name, post in leaders:
            add("领导关心", "C00", date, leader_name=name, leader_post=post, place=place, content=content)

def teaching_site(demo, code: str, name: str, start, days: int, index: int, venue_name: str | None) -> None:
    """A 支教点 opening on `start` for `days` days (no 结班日期 while it runs), at its venue once that has opened."""
    rng = demo.rng
    demo.add(
        "支教点",
        code,
        start,
        name=name,
        end_date=demo.end_date(start + dt.timedelta(days=days)),
        team=TEAMS[index % 2],
        volunteers=rng.randint(8, 20),
        children=rng.randint(30, 90),
        services=["课业辅导", "安全教育", "兴趣培养", "素质拓展"][: 2 + index % 3],
        venue=demo.open_venue(venue_name, start),
    )
