"""关心关爱: the demo city's rows of this area's ledgers (`python manage.py load_demo`, youthwork.demo)."""

import datetime as dt
from decimal import Decimal

from youthwork.demo import DISTRICTS, TOWNS, YEAR, day_in, district_of
from youthwork.models import Unit

TEAMS = ("市师范学院大学生志愿服务队", "省理工大学“星火”青年志愿者服务团")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "子涵欣怡梓萱诗涵梓涵浩宇宇轩子轩浩然雨涵一诺思彤俊熙晨阳嘉怡佳琪"


def rows(demo) -> None:
    """Add a year of this area's records to the demo city, drawing from the loader's shared random numbers."""
    rng, add, units, venues, hope_homes = demo.rng, demo.add, demo.units, demo.venues, demo.hope_homes
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
            add("希望工程募捐", code, day_in(rng, month), donor=donor, donor_type=kind, amount=amount, purpose=purpose)

    schools = [u for code, u in units.items() if u.unit_type == Unit.Type.SCHOOL]
    students = []
    for index in range(90):
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
        school = schools[index % len(schools)]
        students.append((name, school, f"{rng.randint(1, 9)}年级"))
    for index, (name, school, grade) in enumerate(students):
        district = units[district_of(school, units)]
        spring = dt.date(YEAR, 3, 10 + index % 15)
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
        if index % 3 == 0:  # a third of the students get a second grant in autumn: counted once
            demo.rows["资助学生"].append(
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
                day_in(rng, month, 1, 20),
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
