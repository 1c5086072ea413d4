"""Demo science-fitness outreach for the demo city (G10, F12): lectures, the publicity column,
"five into" activities and units with workplace exercise.

Each county holds fitness-and-health lectures with the county's education-and-sports and health
bureaus and the city's hospitals (聊城市人民医院, 聊城市中医医院, 聊城市第二人民医院…): five to eight
last year and, this year, most counties four or more by now while one county lags at two or three
(the figures page shows its ≥4 check not met); two or three lectures are announced for the coming
weeks, with places that the demo's residents of the county have begun to take. A held lecture has
its audience recorded (40-180).

The city's publicity column has eight published articles (stretching, winter exercise, walking
and blood pressure, 八段锦, children's skipping, older people's falls, heat, the 全民健身日) and a
county's draft. Each county records "five into" activities in its townships and communities in all
five settings of seed 001 (机关, 社区, 镇村, 学校, 企业), reaching about three townships in four this
year; and four to seven units run workplace exercise (offices, hospitals, schools, the county's
well-known enterprises such as 信发集团 in 茌平 or 东阿阿胶 in 东阿), a third to four fifths of their
staff taking part.

Made through the outreach services by the county's staff member where the demo has one, else by
the platform administrator (the city's articles by the city's staff member).
"""

import datetime
import random

from django.utils import timezone

from quanmin.accounts.models import Membership, Role, User
from quanmin.outreach import services
from quanmin.outreach.models import Lecture, Setting, Topic
from quanmin.regions import codes
from quanmin.regions.models import Region

LECTURES = [
    ("科学健身与慢性病预防", Topic.CHRONIC), ("运动处方：高血压人群怎样锻炼", Topic.CHRONIC),
    ("糖尿病患者的运动与饮食", Topic.CHRONIC), ("中老年人科学健步走", Topic.ELDERLY),
    ("预防老年人跌倒的平衡训练", Topic.ELDERLY), ("健身气功八段锦入门", Topic.TRADITIONAL),
    ("太极拳的健身原理与练习要点", Topic.TRADITIONAL), ("青少年近视防控与户外运动", Topic.YOUTH),
    ("儿童青少年体质提升与跳绳训练", Topic.YOUTH), ("常见运动损伤的预防与处理", Topic.INJURY),
    ("跑步膝：原因与预防", Topic.INJURY), ("运动营养与合理膳食", Topic.NUTRITION),
    ("减重人群的科学运动", Topic.EXERCISE), ("办公室人群颈肩腰背健康", Topic.EXERCISE),
    ("国民体质监测结果解读", Topic.EXERCISE), ("心肺复苏与运动安全", Topic.OTHER),
]
SPEAKERS = ["聊城市人民医院康复医学科 王主任", "聊城市中医医院治未病中心 刘医生", "聊城市第二人民医院 张医生",
            "聊城大学体育学院 陈教授", "聊城市国民体质监测中心 赵老师", "国家二级社会体育指导员 孙老师",
            "聊城市疾病预防控制中心 李医生", "山东省健身气功协会 周老师"]
PLACES = ["党群服务中心多功能厅", "文体活动中心", "新时代文明实践所", "社区卫生服务中心会议室", "全民健身中心报告厅"]
ARTICLES = [
    ("method", "运动前后如何科学拉伸",
     "运动前做5—10分钟动态热身，如原地高抬腿、手臂绕环；运动后做静态拉伸，每个动作保持15—30秒，不要弹振。\n"
     "拉伸时以感到轻微牵拉为度，出现疼痛应立即停止。"),
    ("knowledge", "冬季锻炼注意事项",
     "冬季气温低，肌肉和关节僵硬，热身时间应比平时长一些。\n雾霾天气减少户外运动，可改在室内进行。"
     "清晨气温最低，心脑血管疾病患者不宜过早外出锻炼。"),
    ("health", "健步走与血压管理",
     "规律的中等强度有氧运动有助于控制血压。建议每周至少5天、每天30分钟以上的健步走，"
     "运动时以微微出汗、能说话但不能唱歌为宜。\n服用降压药的居民应在医生指导下调整运动量。"),
    ("method", "八段锦：适合各年龄段的传统健身功法",
     "八段锦动作舒缓，共八节，练习一遍约12分钟，不受场地限制。\n"
     "初学者可先跟随社区社会体育指导员学习，注意呼吸自然、动作到位。"),
    ("knowledge", "孩子每天跳绳多少合适",
     "小学生每天户外活动不少于2小时，其中可安排跳绳10—20分钟，分组进行，组间休息。\n"
     "选择有弹性的地面，穿软底运动鞋，减少对膝踝的冲击。"),
    ("health", "老年人防跌倒的三个小练习",
     "扶椅单腿站立、脚跟脚尖直线走、坐站练习，每天各做2—3组，可以提高下肢力量和平衡能力。\n"
     "练习时身旁应有可扶的物体，必要时请家人陪同。"),
    ("knowledge", "高温天气运动防中暑",
     "夏季避开10时至16时的高温时段，少量多次补水。出现头晕、恶心、大量出汗等症状应立即停止运动，"
     "到阴凉处休息。"),
    ("notice", "全民健身日系列活动安排",
     "8月8日全民健身日前后，各县（市、区）将开展健步走、广场舞展演、体质监测进社区等活动，"
     "欢迎居民就近参加。具体安排见各县（市、区）体育部门通知。"),
]
ACTIVITIES = {
    Setting.ORGAN: ["工间操培训进机关", "健身气功进机关", "科学健身讲座进机关"],
    Setting.COMMUNITY: ["广场舞辅导进社区", "体质监测进社区", "太极拳公益培训进社区"],
    Setting.VILLAGE: ["农民健身技能培训进镇村", "柔力球教学进村", "健身器材使用指导进村"],
    Setting.SCHOOL: ["跳绳技能进校园", "防溺水与运动安全进学校", "校园足球公益课进学校"],
    Setting.ENTERPRISE: ["职工健身技能进企业", "工间操推广进企业", "运动损伤预防进企业"],
}
ENTERPRISES = {"茌平": ["信发集团", "华信铝业"], "东阿": ["东阿阿胶股份有限公司"], "高唐": ["时风集团", "泉林纸业"],
               "东昌府": ["中通客车股份有限公司"], "阳谷": ["祥光铜业"], "临清": ["临清三和纺织"],
               "冠县": ["冠县冠星纺织"], "莘县": ["莘县农商银行"]}


def _staff(city: Region) -> tuple[dict, User | None]:
    counties = Region.objects.filter(parent=city, level="county")
    found = {m.region_id: m.user for m in Membership.objects.filter(role=Role.COUNTY_STAFF, region__in=counties)
             .select_related("user").order_by("pk")}
    city_staff = (Membership.objects.filter(role=Role.CITY_STAFF, region=city).select_related("user")
                  .order_by("pk").first())
    return found, city_staff.user if city_staff else None


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.choice((9, 9, 14, 15, 19)),
                                                                            rng.choice((0, 30)))))


def _lectures(county: Region, actor, rng: random.Random, today: datetime.date, lagging: bool,
              residents: list) -> int:
    townships = list(Region.objects.filter(parent=county).order_by("code")) or [county]
    short = county.name.removesuffix("区").removesuffix("县").removesuffix("市")
    organisers = [f"{county.name}教育和体育局", f"{county.name}卫生健康局", f"{county.name}体育总会"]
    this_year = rng.randint(2, 3) if lagging else rng.randint(4, 6)
    past_days = sorted(rng.sample(range(1, max(2, (today - today.replace(month=1, day=1)).days)), this_year))
    last_year = [today.replace(year=today.year - 1, month=1, day=1) + datetime.timedelta(days=d)
                 for d in sorted(rng.sample(range(20, 350), rng.randint(5, 8)))]
    days = last_year + [today.replace(month=1, day=1) + datetime.timedelta(days=d) for d in past_days]
    upcoming = [today + datetime.timedelta(days=d) for d in sorted(rng.sample(range(3, 45), rng.randint(2, 3)))]
    made, used = 0, set()
    for day in days + upcoming:
        title, topic = rng.choice(LECTURES)
        where = county if rng.random() < 0.35 else rng.choice(townships)
        starts = _at(day, rng)
        if starts <= timezone.now() < starts + datetime.timedelta(hours=3):
            starts -= datetime.timedelta(days=1)
        if (where.code, starts, title) in used:  # one lecture of a title at a time in a division
            continue
        used.add((where.code, starts, title))
        place = f"{where.name}{rng.choice(PLACES)}" if where != county else f"{short}全民健身中心报告厅"
        lecture = services.save_lecture(actor, {
            "region": where.code, "title": title, "topic": topic, "starts_at": starts,
            "minutes": rng.choice((60, 90, 90, 120)), "place": place, "speaker": rng.choice(SPEAKERS),
            "organiser": rng.choice(organisers), "capacity": rng.choice((0, 60, 80, 100, 120))})
        made += 1
        if lecture.starts_at <= timezone.now():
            services.record_audience(actor, lecture, rng.randint(40, 180))
        elif lecture.capacity:
            for person in rng.sample(residents, min(len(residents), rng.randint(0, 5))):
                services.sign_up(person, lecture)
    return made


def _activities(county: Region, actor, rng: random.Random, today: datetime.date) -> None:
    townships = list(Region.objects.filter(parent=county, level="township").order_by("code"))
    reached = rng.sample(townships, max(1, round(len(townships) * rng.uniform(0.65, 0.85)))) if townships else []
    for year, units in ((today.year - 1, townships), (today.year, reached)):
        for township in units:
            communities = list(Region.objects.filter(parent=township).order_by("code")[:20])
            for _ in range(rng.randint(1, 3)):
                setting = rng.choice(list(Setting))
                if year == today.year:
                    held = today.replace(month=1, day=1) + datetime.timedelta(
                        days=rng.randint(0, max(0, (today - today.replace(month=1, day=1)).days)))
                else:
                    held = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(0, 364))
                where = rng.choice(communities) if communities and setting != Setting.ORGAN else township
                services.save_activity(actor, {
                    "region": where.code, "setting": setting, "title": rng.choice(ACTIVITIES[setting]),
                    "held_on": held, "place": where.name, "organiser": f"{county.name}教育和体育局",
                    "participants": rng.randint(25, 220)})


def _workplaces(county: Region, actor, rng: random.Random) -> None:
    short = county.name.removesuffix("区").removesuffix("县").removesuffix("市")
    names = [f"{county.name}人民政府机关", f"{county.name}人民医院", f"{county.name}第一中学",
             f"{county.name}税务局", f"{county.name}供电中心"]
    names = rng.sample(names, rng.randint(3, 5)) + next((v for k, v in ENTERPRISES.items() if k in short), [])
    for name in names:
        headcount = rng.randint(80, 2500) if "集团" in name or "公司" in name else rng.randint(60, 900)
        services.save_workplace(actor, {
            "region": county.code, "name": name, "headcount": headcount,
            "participants": round(headcount * rng.uniform(0.33, 0.8)),
            "since": datetime.date(rng.randint(2019, 2025), rng.randint(1, 12), 1)})


def load(city: Region, rng: random.Random) -> dict:
    if Lecture.objects.filter(region__code__within=city.prefix).exists():
        return {}
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    counties = list(Region.objects.filter(parent=city, level="county").order_by("code"))
    if admin is None or not counties:
        return {}
    staff, city_staff = _staff(city)
    today = timezone.localdate()
    lagging = counties[-1].code
    made = 0
    for county in counties:
        actor = staff.get(county.code, admin)
        residents = list(User.objects.filter(home_region__code__within=codes.prefix(county.code), is_active=True,
                                             memberships__isnull=True).order_by("pk")[:40])
        made += _lectures(county, actor, rng, today, county.code == lagging, residents)
        _activities(county, actor, rng, today)
        _workplaces(county, actor, rng)
    writer = city_staff or admin
    for category, title, body in ARTICLES:
        article = services.save_article(writer, {"region": city.code, "title": title, "category": category,
                                                 "summary": body.split("\n")[0][:60], "body": body})
        services.publish_article(writer, article)
    services.save_article(staff.get(counties[0].code, admin), {
        "region": counties[0].code, "title": "科学健身知识进万家（草稿）", "category": "knowledge",
        "body": "本区将于下月开展科学健身知识进社区系列宣讲，具体安排待定。"})
    return {"lectures": made, "articles": len(ARTICLES) + 1}
