"""权益维护: the demo city's rows of this area's ledgers (`python manage.py load_demo`, youthwork.demo)."""

from youthwork.demo import DISTRICTS, MIDDLE, PRIMARY, TOWNS


def rows(demo) -> None:
    """Add a year (demo.year) of this area's records to the demo city, from the loader's shared random numbers."""
    rng, add, venues, year = demo.rng, demo.add, demo.venues, demo.year
    forms = ["专家授课", "法治讲座", "模拟法庭"]
    for month in range(3, 13):
        for half in (5, 20):
            code = rng.choice(sorted(MIDDLE | PRIMARY))
            add(
                "法治宣教",
                code,
                demo.date(month, half + rng.randint(0, 4)),
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
                demo.day_in(month, 1, 10),
                work_type="防溺水巡查",
                quantity=rng.randint(8, 30),
                volunteers=rng.randint(20, 90),
                place=place,
            )
            add(
                "安全防护",
                code,
                demo.day_in(month, 11, 20),
                work_type="设立警示牌",
                quantity=rng.randint(3, 15),
                volunteers=rng.randint(5, 20),
                place=place,
            )
        for code in rng.sample(TOWNS, 2):
            add(
                "安全防护",
                code,
                demo.day_in(month, 21, 28),
                work_type="设置警戒线",
                quantity=rng.randint(2, 8),
                volunteers=rng.randint(5, 15),
                place=rng.choice(waters),
            )
    # Winter: patrols of frozen waters in December; before each vacation every school holds a lesson.
    for code in rng.sample(TOWNS, 2):
        add(
            "安全防护",
            code,
            demo.day_in(12, 10, 28),
            work_type="防溺水巡查",
            quantity=rng.randint(4, 12),
            volunteers=rng.randint(10, 40),
            place=rng.choice(waters),
        )
    for code in sorted(MIDDLE | PRIMARY):
        for date, place in ((demo.date(1, 12), "寒假防溺水防溺冰安全教育"), (demo.date(6, 26), "暑期防溺水安全教育")):
            add(
                "安全防护",
                code,
                date,
                work_type="安全教育",
                quantity=1,
                volunteers=None,
                place=place,
            )

    add(
        "心理健康服务",
        "S0301",
        demo.date(6, 9),
        service_type="心理讲座",
        topic="中考考前心理减压讲座",
        served=420,
        provider="12355青少年服务台",
        staff="心理咨询师",
        venue=None,
    )
    add(
        "心理健康服务",
        "S0101",
        demo.date(5, 26),
        service_type="心理讲座",
        topic="中考考前心理减压讲座",
        served=380,
        provider="12355青少年服务台",
        staff="心理咨询师",
        venue=None,
    )
    for month in range(1, 13):
        add(
            "心理健康服务",
            "C00",
            demo.day_in(month, 25, 28),
            service_type="热线服务",
            topic=f"{month}月12355热线",
            served=rng.randint(60, 160),
            provider="12355青少年服务台",
            staff="热线咨询员",
            venue=None,
        )
    for code, venue in (("M0101", "阳光社区希望家园"), ("M0301", "湖滨社区希望家园")):
        add(
            "心理健康服务",
            code,
            demo.date(8, 10),
            service_type="团体辅导",
            topic="暑期留守儿童团体心理辅导",
            served=rng.randint(20, 40),
            provider="市心理咨询师协会",
            staff="心理咨询师",
            venue=venues[venue],
        )

    for month in (3, 6, 9, 12):
        for code in DISTRICTS:
            add(
                "权益宣传",
                code,
                demo.day_in(month),
                publicity_type="海报张贴",
                theme="强制报告制度",
                channel="线下",
                quantity=rng.randint(50, 200),
                reach=rng.randint(2000, 8000),
            )
            add(
                "权益宣传",
                code,
                demo.day_in(month),
                publicity_type="线上推文",
                theme=rng.choice(["强制报告制度", "防欺凌", "预防性侵"]),
                channel="线上推文",
                quantity=rng.randint(3, 10),
                reach=rng.randint(5000, 30000),
            )
        add(
            "权益宣传",
            "C00",
            demo.day_in(month),
            publicity_type="其他",
            theme="强制报告制度",
            channel="小程序",
            quantity=1,
            reach=rng.randint(10000, 40000),
        )
    add("权益宣传", "C00", demo.date(5, 18), publicity_type="志愿观察员招募", quantity=48, reach=None)

    add(
        "联合发文",
        "C00",
        demo.date(3, 1),
        title=f"《关于开展{year}年“法治进校园”活动的通知》",
        partners="市公安局、市检察院、市法院、市司法局、市教育局",
        doc_number=f"市团联发〔{year}〕3号",
        area="权益维护",
    )
    add(
        "联合发文",
        "C00",
        demo.date(5, 10),
        title="《关于印发〈关于加强志愿服务与检察公益诉讼协作的意见〉和〈公益诉讼志愿观察员制度实施方案〉的通知》",
        partners="市检察院",
        doc_number=f"市检会〔{year}〕5号",
        area="权益维护",
    )
    add(
        "联合发文",
        "C00",
        demo.date(2, 20),
        title=f"《关于深入开展{year}年“青年大学习”行动的通知》",
        partners="市委宣传部、市教育局",
        doc_number=f"市团联发〔{year}〕1号",
        area="思想引领",
    )
    add(
        "联合发文",
        "C00",
        demo.date(8, 25),
        title="《关于做好秋季学期开学安全教育工作的通知》",
        partners="市教育局、市公安局",
        doc_number=f"市团联发〔{year}〕9号",
        area="权益维护",
    )
    add(
        "联合发文",
        "C00",
        demo.date(11, 20),
        title=f"《关于开展{year}年“宪法宣传周”进校园活动的通知》",
        partners="市司法局、市教育局",
        doc_number=f"市团联发〔{year}〕12号",
        area="权益维护",
    )
