"""思想引领: the demo city's rows of this area's ledgers (`python manage.py load_demo`, youthwork.demo)."""

import datetime as dt

from youthwork.demo import DISTRICTS, MIDDLE, PRIMARY


def rows(demo) -> None:
    """Add a year (demo.year) of this area's records to the demo city, from the loader's shared random numbers."""
    rng, add, venues, year = demo.rng, demo.add, demo.venues, demo.year
    for number, week in enumerate(demo.weeks(), start=1):
        for code in sorted(MIDDLE):
            add(
                "网上团队课",
                code,
                week,
                column="青年大学习",
                issue=f"{year}年第{number}期",
                participants=rng.randint(600, 1500),
            )
        for code in sorted(PRIMARY):
            add(
                "网上团队课",
                code,
                week + dt.timedelta(days=1),
                column="红领巾爱学习",
                issue=f"{year}年第{number}期",
                participants=rng.randint(400, 1200),
            )

    nodes = [(5, 4, "五四"), (6, 1, "六一"), (7, 1, "七一"), (10, 1, "国庆")]
    for code in sorted(MIDDLE | PRIMARY):
        kinds = (["主题团日"] if code in MIDDLE else []) + (["主题队日"] if code in PRIMARY else [])
        for kind in kinds:
            theme = "学习二十大 永远跟党走 奋进新征程" if kind == "主题团日" else "学习二十大 争做好队员"
            for month, day, node in nodes:
                date = demo.date(month, day) - dt.timedelta(days=rng.randint(0, 3))
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
                    demo.day_in(month),
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
            demo.date(5, 4),
            day_type="主题团日",
            theme="五四青年节主题团日(区级示范)",
            occasion="五四",
            participants=rng.randint(150, 300),
            venue=venues[venue],
        )

    # Middle schools admit members around 五四 and 一二·九 (two of them also at 七一); primary schools admit
    # pioneers at 六一 and on 10月13日 (建队日), three of them also in the spring term.
    for code in sorted(MIDDLE):
        for month, day in ((5, 4), (12, 9)):
            add(
                "入团入队仪式",
                code,
                demo.date(month, day) - dt.timedelta(days=rng.randint(0, 5)),
                ceremony_type="入团仪式",
                new_members=rng.randint(20, 80),
            )
    for code in rng.sample(sorted(MIDDLE), 2):
        add("入团入队仪式", code, demo.date(7, 1), ceremony_type="入团仪式", new_members=rng.randint(10, 30))
    for code in sorted(PRIMARY):
        add(
            "入团入队仪式",
            code,
            demo.date(6, 1) - dt.timedelta(days=rng.randint(0, 5)),
            ceremony_type="入队仪式",
            new_members=rng.randint(60, 180),
        )
        add("入团入队仪式", code, demo.date(10, 13), ceremony_type="入队仪式", new_members=rng.randint(30, 90))
    for code in rng.sample(sorted(PRIMARY), 3):
        add("入团入队仪式", code, demo.day_in(3, 10, 25), ceremony_type="入队仪式", new_members=rng.randint(20, 60))

    add(
        "辅导员技能竞赛",
        "C00",
        demo.date(6, 16),
        name=f"{year}年全市少先队辅导员职业技能素养大赛",
        contestants=126,
        formats=["现场答题", "情景答辩", "活动展示"],
        co_organisers="市教育局、市少工委",
    )
    for code in DISTRICTS:
        for month, name in ((3, "少先队辅导员业务培训"), (8, "少先队辅导员暑期培训")):
            add(
                "辅导员技能竞赛",
                code,
                demo.day_in(month),
                name=f"{year}年{name}",
                contestants=rng.randint(40, 90),
                formats=["其他"],
                co_organisers="区教育局",
            )
        add(
            "辅导员技能竞赛",
            code,
            demo.day_in(11),
            name=f"{year}年团干部技能比武",
            contestants=rng.randint(20, 50),
            formats=["现场答题", "活动展示"],
            co_organisers="",
        )
