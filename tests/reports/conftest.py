"""A small city whose report figures are computed by hand in the tests (see `Town` for the values)."""

import datetime as dt
from decimal import Decimal

import pytest

from activities.models import Ceremony, CounsellorContest, OnlineLesson, ThemeDay
from assistance.models import CareEvent, Donation, HomeInternship, StudentAid, TeachingSite
from legal_education.models import JointDocument, LawEvent, PsychService, RightsPublicity, SafetyWork
from tests.factories import Cast, make_record, make_unit, make_venue
from youthwork.models import Unit, Venue

D = dt.date


class Town(Cast):
    """The usual cast plus one ledger year: 2023Q2 is the period under report.

    Units: 团市委 > 甲区团委 > 甲街道团工委 > 甲区第一小学, 甲区第二小学 (no ceremony);
           团市委 > 乙区团委 > 乙区第一中学.
    """

    def __init__(self):
        super().__init__()
        self.school_a2 = make_unit("甲区第二小学", self.town_a, Unit.Type.SCHOOL, code="A1S2")
        self.hope_a = make_venue(
            self.town_a,
            "甲街道希望家园",
            venue_type=Venue.Type.HOPE_HOME,
            opened_on=D(2023, 3, 1),
            provides_lodging=True,
        )
        self.hope_b = make_venue(
            self.district_b, "乙区希望家园", venue_type=Venue.Type.HOPE_HOME, opened_on=D(2022, 9, 1)
        )
        self.youth_home = make_venue(self.school_a, "甲小红领巾之家", opened_on=D(2022, 1, 1))
        self.late_venue = make_venue(self.district_b, "乙区新阵地", opened_on=D(2023, 7, 15))
        self._guidance()
        self._care()
        self._rights()

    def _guidance(self):
        lesson = OnlineLesson
        make_record(lesson, self.city, D(2022, 12, 31), column="青年大学习", issue="上年", participants=8888)
        make_record(lesson, self.school_a, D(2023, 1, 10), column="青年大学习", issue="第1期", participants=1000)
        make_record(lesson, self.town_a, D(2023, 4, 1), column="青年大学习", issue="第9期", participants=2000)
        make_record(lesson, self.school_b, D(2023, 6, 30), column="红领巾爱学习", issue="第6期", participants=500)
        make_record(lesson, self.district_a, D(2023, 7, 1), column="青年大学习", issue="第13期", participants=9999)
        league, pioneer = "学习二十大 永远跟党走 奋进新征程", "学习二十大 争做好队员"
        make_record(
            ThemeDay,
            self.district_a,
            D(2023, 5, 4),
            day_type="主题团日",
            theme=league,
            occasion="五四",
            participants=300,
        )
        make_record(
            ThemeDay,
            self.school_a,
            D(2023, 6, 1),
            day_type="主题队日",
            theme=pioneer,
            occasion="六一",
            participants=200,
        )
        make_record(
            ThemeDay,
            self.school_b,
            D(2023, 6, 1),
            day_type="主题队日",
            theme=pioneer,
            occasion="六一",
            participants=150,
        )
        make_record(ThemeDay, self.school_b, D(2023, 3, 1), day_type="主题团日", theme="一季度", participants=99)
        make_record(Ceremony, self.school_a, D(2023, 3, 20), ceremony_type="入队仪式", new_members=45)
        make_record(Ceremony, self.school_b, D(2023, 5, 4), ceremony_type="入团仪式", new_members=30)
        make_record(
            CounsellorContest,
            self.city,
            D(2023, 5, 20),
            name="2023年全市少先队辅导员职业技能素养大赛",
            contestants=56,
            formats=["现场答题", "情景答辩", "活动展示"],
            co_organisers="市教育局、市少工委",
        )

    def _care(self):
        make_record(
            Donation,
            self.city,
            D(2023, 2, 10),
            donor="爱心企业甲",
            donor_type="爱心企业",
            amount=Decimal("100000.00"),
            purpose="助学金",
        )
        make_record(
            Donation,
            self.district_a,
            D(2023, 5, 10),
            donor="基金会乙",
            donor_type="基金会",
            amount=Decimal("252380.50"),
            purpose="生活补助",
        )
        make_record(
            Donation,
            self.district_b,
            D(2023, 7, 2),
            donor="个人丙",
            donor_type="个人",
            amount=Decimal("5000"),
            purpose="微心愿",
        )
        # 张三 is aided twice (by the town and by the district): one student.
        make_record(
            StudentAid,
            self.town_a,
            D(2023, 3, 1),
            student_name="张三",
            school="甲区第一小学",
            aid_type="助学金",
            amount=1000,
        )
        make_record(
            StudentAid,
            self.district_a,
            D(2023, 5, 1),
            student_name="张三",
            school="甲区第一小学",
            aid_type="生活补助",
            amount=500,
        )
        # 王五 is aided by the city and by district B: one student in the city's total, one in each row.
        make_record(
            StudentAid,
            self.city,
            D(2023, 4, 1),
            student_name="王五",
            school="乙区第一中学",
            aid_type="助学金",
            amount=800,
        )
        make_record(
            StudentAid,
            self.district_b,
            D(2023, 6, 1),
            student_name="王五",
            school="乙区第一中学",
            aid_type="生活补助",
            amount=700,
        )
        make_record(
            CareEvent,
            self.district_a,
            D(2023, 6, 1),
            name="情暖六一",
            beneficiaries=320,
            goods_value=Decimal("8650.00"),
            venue=self.hope_a,
        )
        make_record(CareEvent, self.town_a, D(2023, 5, 20), name="爱心助学", target="困境儿童", beneficiaries=80)
        make_record(
            TeachingSite,
            self.town_a,
            D(2023, 6, 20),
            name="甲街道支教点",
            team="某学院大学生志愿服务队",
            volunteers=12,
            children=45,
            services=["课业辅导", "安全教育"],
        )
        make_record(
            TeachingSite,
            self.district_b,
            D(2023, 6, 25),
            name="乙区支教点",
            team="某大学青年志愿者服务团",
            volunteers=8,
            children=60,
            services=["兴趣培养", "素质拓展"],
        )
        make_record(HomeInternship, self.district_a, D(2023, 6, 15), post_type="政务实习", posts=50, students=30)

    def _rights(self):
        make_record(
            JointDocument,
            self.city,
            D(2023, 4, 10),
            title="《关于开展2023年“法治进校园”活动的通知》",
            partners="市公安局、市检察院、市中级人民法院、市司法局、市教育局",
        )
        make_record(
            JointDocument,
            self.city,
            D(2023, 6, 5),
            title="《关于加强志愿服务与检察公益诉讼协作的意见》",
            partners="市检察院",
        )
        make_record(LawEvent, self.school_a, D(2023, 4, 15), form="专家授课", partners=["检察"], participants=200)
        make_record(LawEvent, self.school_a, D(2023, 5, 15), form="法治讲座", partners=["公安"], participants=300)
        make_record(LawEvent, self.school_b, D(2023, 5, 20), form="模拟法庭", partners=["法院"], participants=150)
        make_record(LawEvent, self.town_a, D(2023, 6, 10), form="法治讲座", participants=100)
        make_record(
            SafetyWork,
            self.district_a,
            D(2023, 6, 20),
            work_type="防溺水巡查",
            quantity=12,
            volunteers=36,
            place="甲河",
        )
        make_record(SafetyWork, self.district_a, D(2023, 6, 20), work_type="设立警示牌", quantity=20, place="甲河")
        make_record(SafetyWork, self.district_b, D(2023, 6, 21), work_type="设置警戒线", quantity=5, place="乙湖")
        make_record(
            PsychService,
            self.school_b,
            D(2023, 6, 10),
            service_type="心理讲座",
            topic="中考考前心理减压讲座",
            served=120,
            provider="市12355青少年服务台",
        )
        make_record(
            PsychService,
            self.town_a,
            D(2023, 5, 10),
            service_type="个体咨询",
            topic="情绪疏导",
            served=15,
            provider="甲街道社工站",
        )
        make_record(
            RightsPublicity, self.district_a, D(2023, 5, 15), publicity_type="海报张贴", quantity=200, reach=5000
        )
        make_record(
            RightsPublicity, self.district_b, D(2023, 5, 16), publicity_type="线上推文", quantity=12, reach=30000
        )


@pytest.fixture
def town(db):
    """The cast with a year of records (see Town)."""
    return Town()
