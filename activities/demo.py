"""思想引领: the demo city's rows of this area's ledgers (`python manage.py load_demo`, youthwork.demo)."""

import datetime as dt

from youthwork.demo import DISTRICTS, MIDDLE, PRIMARY, YEAR, day_in, weeks


def rows(demo) -> None:
    """Add a year of this area's records to the demo city, drawing from the loader's shared random numbers."""
    rng, add, venues = demo.rng, demo.add, demo.venues
    for number, week in enumerate(weeks(), start=1):
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
                    day_in(rng, month),
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
            day_in(rng, 4),
            name=f"{YEAR}年少先队辅导员业务培训",
            contestants=rng.randint(40, 90),
            formats=["其他"],
            co_organisers="区教育局",
        )
        add(
            "辅导员技能竞赛",
            code,
            day_in(rng, 11),
            name=f"{YEAR}年团干部技能比武",
            contestants=rng.randint(20, 50),
            formats=["现场答题", "活动展示"],
            co_organisers="",
        )
