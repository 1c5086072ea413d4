"""The experience exchange for the demo city (E05): what two counties found worth copying, the
city's recommendations and its on-site meetings.

The main county (李明's, 东昌府区 in the demo) sent three cases: pocket parks on left-over land and
community games every year, both recommended as typical cases, and the night opening of school
grounds, returned for figures and sent again (awaiting the city). The neighbouring county (王芳's)
sent two: its village sports committees, recommended, and a fitness-and-medicine clinic, awaiting
review. Last year the city (孙建国) held an on-site meeting in the main county showing its two cases;
this spring one in the neighbouring county.

Made through planning's exchange services by the demo's accounts; nothing when they are missing.
"""

import datetime

from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts.models import User
from quanmin.planning.models import ExperienceCase
from quanmin.planning.services import exchange
from quanmin.regions.models import Region

CITY, MAIN, NEIGHBOUR = "13800000001", "13800000002", "13800000003"

CASES = {
    MAIN: [
        ("见缝插绿建设口袋体育公园", "facilities",
         "梳理老城区边角地、闲置地 42 处，按“一园一方案”建设口袋体育公园，配建健身路径、笼式球场和儿童活动区，"
         "由街道和社区分片管护，纳入“15分钟健身圈”地图。",
         "新增健身场地 3.6 万平方米，人均体育场地面积提高 0.08 平方米，周边居民满意度 95%。", "区体育中心 张宁"),
        ("社区运动会“周周有、月月赛”", "events",
         "以街道为单位轮流承办社区运动会，设置跳绳、踢毽、拔河、家庭趣味接力等项目，社区体育指导员担任裁判，"
         "报名和成绩在平台上完成。",
         "全年举办社区运动会 126 场，参赛居民 2.3 万人次。", "区全民健身办 刘洋"),
        ("学校体育场地夜间向社会开放", "facilities",
         "首批 12 所中小学在课后和周末开放操场，实行线上预约、刷脸入校、保险兜底，开放时段由学校和社区共同管理。",
         "", "区教体局 陈静"),
    ],
    NEIGHBOUR: [
        ("村级体育健身委员会全覆盖", "organisations",
         "每个行政村成立由村干部、健身骨干和退休教师组成的体育健身委员会，负责组织日常健身活动和维护健身器材。",
         "建成村级体育健身委员会 306 个，农民健身活动常态化开展。", "区体育事业发展中心 赵强"),
        ("卫生院开设运动健康门诊", "health",
         "在 4 个乡镇卫生院开设运动健康门诊，体质测试后由医生和社会体育指导员共同开具运动处方，三个月复测。",
         "开具运动处方 1,800 余份，复测合格率提高 11 个百分点。", "区卫健体育局 孙丽"),
    ],
}


def _user(phone: str):
    return User.objects.filter(phone_hash=crypto.lookup_hash(phone)).first()


def load(city, rng):
    users = {phone: _user(phone) for phone in (CITY, MAIN, NEIGHBOUR)}
    if None in users.values() or ExperienceCase.objects.filter(division_code__within=city.prefix).exists():
        return
    today = timezone.localdate()
    sent = {}
    for phone, cases in CASES.items():
        county = users[phone].memberships.first().region_id
        if not Region.objects.filter(code=county, level="county").exists():
            return
        sent[phone] = [exchange.send_case(users[phone], division_code=county, year=today.year - 1, title=title,
                                          theme=theme, practice=practice, results=results, contact=contact)
                       for title, theme, practice, results, contact in cases]
    parks, games, schools = sent[MAIN]
    committees, _clinic = sent[NEIGHBOUR]
    last_spring = datetime.date(today.year - 1, 4, 18)
    for case in (parks, games):
        exchange.review_case(users[CITY], case, decision="recommend", note="做法可复制，请各县（市、区）学习借鉴",
                             on=last_spring)
    exchange.review_case(users[CITY], schools, decision="return", note="请补充开放学校数量、入场人次等成效数据")
    exchange.change_case(users[MAIN], schools, year=today.year - 1, title=schools.title, theme=schools.theme,
                         practice=schools.practice, contact=schools.contact,
                         results="开放学校 12 所，一年入场健身 8.6 万人次，未发生安全事故。")
    exchange.review_case(users[CITY], committees, decision="recommend", on=datetime.date(today.year - 1, 9, 6))
    counties = list(Region.objects.filter(parent_id=city.code, level="county").values_list("code", flat=True))
    exchange.record_site_meeting(
        users[CITY], division_code=city.code, host_code=parks.division_code, held_on=datetime.date(today.year - 1, 5, 26),
        title="全市全民健身场地设施建设现场会", place=f"{parks.division_name}口袋体育公园", attendee_codes=counties,
        case_ids=[parks.pk, games.pk],
        minutes="参观口袋体育公园 3 处、社区运动会 1 场，东昌府区介绍经验，各县（市、区）交流补短板做法。")
    held = min(today, datetime.date(today.year, 4, 12))
    if held.year == today.year and held > datetime.date(today.year, 1, 1):
        exchange.record_site_meeting(
            users[CITY], division_code=city.code, host_code=committees.division_code, held_on=held,
            title="全市农村体育工作现场会", place=f"{committees.division_name}体育事业发展中心",
            attendee_codes=counties[:6], case_ids=[committees.pk],
            minutes="观摩村级体育健身委员会组织的晨练和农民运动会，部署乡村全民健身工作。")
