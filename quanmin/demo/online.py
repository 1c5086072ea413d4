"""Demo online fitness services for the demo city (F11): the online channels each division opened
year by year, and the 水城健身云课堂 courses residents follow on their phones.

The city's education-and-sports bureau runs 聊城体育 微信公众号 (since 2016), the 水城健身云课堂 video
account (2020), an 抖音 account (2021), a live room (2022), the 爱山东·聊城 city app's fitness column
(2023) and this platform (last year); each county adds a channel or two most years — an official
account, a mini-program for booking, a video account — and this year most counties opened one more
(the indicator new_online_channels), while one county closed an old 微博 account.

The city and the counties publish cloud fitness courses (云健身): videos on demand of 八段锦 at home,
亲子跳绳, shoulder-and-neck exercise at the office, walking warm-ups outdoors, square dance in the
community, fall prevention for older people, wheelchair exercise…, and a few live classes (some held,
some to come). Their links are searches of the course on Bilibili (a real page, on an allowed video
site): the demo invents no video. Residents of each county have marked some courses done.

Made through services_online by the county's staff member where the demo has one, else by the
platform administrator (the city's by the city's staff member).
"""

import datetime
import random
from urllib.parse import quote

from django.utils import timezone

from quanmin.accounts.models import User
from quanmin.outreach import services_online
from quanmin.outreach.models import Channel, ChannelKind, CourseAudience, CourseKind, Level, Scene
from quanmin.regions import codes
from quanmin.regions.models import Region

from .outreach import _staff

CITY_CHANNELS = [
    (ChannelKind.WECHAT, "聊城体育 微信公众号", 2016, "https://mp.weixin.qq.com/", "lcstyj"),
    (ChannelKind.VIDEO_ACCOUNT, "水城健身云课堂 视频号", 2020, "https://channels.weixin.qq.com/", "水城健身云课堂"),
    (ChannelKind.SHORT_VIDEO, "聊城体育 抖音号", 2021, "https://www.douyin.com/", "聊城体育"),
    (ChannelKind.LIVE_ROOM, "水城健身云课堂 直播间", 2022, "https://live.bilibili.com/", "水城健身云课堂"),
    (ChannelKind.CITY_APP, "爱山东·聊城 全民健身专区", 2023, "", "爱山东"),
    (ChannelKind.PLATFORM, "聊城全民健身公共服务平台", None, "", ""),
]
COUNTY_CHANNELS = [
    (ChannelKind.WECHAT, "{short}体育 微信公众号"), (ChannelKind.MINI_PROGRAM, "{short}全民健身 小程序"),
    (ChannelKind.VIDEO_ACCOUNT, "{short}体育 视频号"), (ChannelKind.SHORT_VIDEO, "{short}体育 抖音号"),
    (ChannelKind.LIVE_ROOM, "{short}健身直播间"), (ChannelKind.WEBSITE, "{name}教育和体育局 网站"),
]
# title, sport, kind, minutes, scene, audience, level, summary
COURSES = [
    ("居家八段锦跟练", "八段锦", "video", 15, Scene.HOME, CourseAudience.ELDERLY, Level.BEGINNER,
     "健身气功八段锦全套跟练，动作舒缓，客厅一块地方就够。"),
    ("亲子跳绳课：从单摇到花样", "跳绳", "video", 20, Scene.HOME, CourseAudience.FAMILY, Level.BEGINNER,
     "家长和孩子一起跳，先练并脚跳、再学交叉跳，每周三次。"),
    ("亲子韵律操", "韵律操", "video", 12, Scene.HOME, CourseAudience.FAMILY, Level.BEGINNER,
     "适合4—8岁儿童和家长一起做的韵律操，发展基本动作技能。"),
    ("办公室肩颈放松操", "健身操", "video", 8, Scene.OFFICE, CourseAudience.WORKPLACE, Level.BEGINNER,
     "久坐一小时，起身做一遍，缓解颈肩酸痛。"),
    ("工间健身操（第九套广播体操）", "广播体操", "video", 6, Scene.OFFICE, CourseAudience.WORKPLACE, Level.BEGINNER,
     "单位工间操跟练视频。"),
    ("健步走前的热身与拉伸", "健步走", "video", 10, Scene.OUTDOORS, CourseAudience.EVERYONE, Level.BEGINNER,
     "沿徒骆马河、东昌湖健步走前后的热身和拉伸动作。"),
    ("社区广场舞基础步伐", "广场舞", "video", 25, Scene.COMMUNITY, CourseAudience.EVERYONE, Level.BEGINNER,
     "十个常用基本步伐，学会了就能跟上广场上的队伍。"),
    ("二十四式太极拳分解教学", "太极拳", "video", 40, Scene.OUTDOORS, CourseAudience.EVERYONE, Level.INTERMEDIATE,
     "逐式分解，配口令，适合有一定基础的居民。"),
    ("老年人防跌倒平衡训练", "平衡训练", "video", 15, Scene.HOME, CourseAudience.ELDERLY, Level.BEGINNER,
     "扶着椅背就能做的平衡练习，降低跌倒风险。"),
    ("儿童体能游戏：客厅里的运动会", "儿童体能", "video", 20, Scene.HOME, CourseAudience.CHILDREN, Level.BEGINNER,
     "用枕头、纸杯做道具的体能游戏。"),
    ("居家徒手力量训练", "力量训练", "video", 20, Scene.HOME, CourseAudience.EVERYONE, Level.INTERMEDIATE,
     "不用器械的深蹲、俯卧撑、臀桥组合。"),
    ("轮椅健身操", "健身操", "video", 15, Scene.ANY, CourseAudience.DISABLED, Level.BEGINNER,
     "坐在轮椅上完成的上肢和躯干练习。"),
    ("易筋经跟练", "健身气功", "video", 18, Scene.ANY, CourseAudience.ELDERLY, Level.INTERMEDIATE,
     "健身气功易筋经十二势跟练。"),
]
LIVE = [("水城健身云课堂·周末亲子直播：趣味体能", "亲子体能", CourseAudience.FAMILY, Scene.HOME),
        ("水城健身云课堂·晚间直播：健身气功八段锦", "八段锦", CourseAudience.EVERYONE, Scene.HOME),
        ("水城健身云课堂·直播：科学健步走", "健步走", CourseAudience.EVERYONE, Scene.OUTDOORS)]
TEACHERS = ["国家一级社会体育指导员 孙老师", "聊城大学体育学院 陈老师", "山东省健身气功协会 周老师",
            "聊城市体育运动学校 王教练", "东昌府区社会体育指导员协会 刘老师"]


def _search(title: str, live: bool = False) -> str:
    return f"https://search.bilibili.com/{'live' if live else 'all'}?keyword={quote(title)}"


def _channels(city: Region, counties: list[Region], staff: dict, writer, admin, rng: random.Random, year: int) -> int:
    made = 0
    for kind, name, opened, link, account in CITY_CHANNELS:
        services_online.save_channel(writer, {"region": city.code, "kind": kind, "name": name, "opened_year": opened or year - 1,
                                              "owner": "聊城市教育和体育局", "link": link, "account": account})
        made += 1
    closing = counties[0].code if counties else ""
    for county in counties:
        actor = staff.get(county.code, admin)
        short = county.name.removesuffix("区").removesuffix("县").removesuffix("市")
        chosen = rng.sample(COUNTY_CHANNELS, rng.randint(2, 4))
        years = [*sorted(rng.sample(range(2018, year), len(chosen) - 1)), year if rng.random() < 0.8 else year - 1]
        for (kind, pattern), opened in zip(chosen, years, strict=True):
            services_online.save_channel(actor, {
                "region": county.code, "kind": kind, "name": pattern.format(short=short, name=county.name),
                "owner": f"{county.name}教育和体育局", "opened_year": opened,
                "link": "https://mp.weixin.qq.com/" if kind == ChannelKind.WECHAT else "", "account": f"{short}体育"})
            made += 1
        if county.code == closing:
            services_online.save_channel(actor, {
                "region": county.code, "kind": ChannelKind.OTHER, "name": f"{short}体育 微博", "opened_year": 2015,
                "closed_year": year - 1, "owner": f"{county.name}教育和体育局", "account": f"{short}体育",
                "note": "停止更新，内容迁移至视频号"})
            made += 1
    return made


def _course(actor, region: Region, data: dict, rng: random.Random, publish: bool = True):
    course = services_online.save_course(actor, {"region": region.code, "teacher": rng.choice(TEACHERS), **data})
    return services_online.publish_course(actor, course) if publish else course


def load(city: Region, rng: random.Random) -> dict:
    if Channel.objects.filter(region__code__within=city.prefix).exists():
        return {}
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    counties = list(Region.objects.filter(parent=city, level="county").order_by("code"))
    if admin is None or not counties:
        return {}
    staff, city_staff = _staff(city)
    writer = city_staff or admin
    now = timezone.localtime()
    channels = _channels(city, counties, staff, writer, admin, rng, now.year)
    published = []
    for title, sport, kind, minutes, scene, audience, level, summary in COURSES:
        published.append(_course(writer, city, {
            "title": title, "sport": sport, "kind": kind, "minutes": minutes, "scene": scene, "audience": audience,
            "level": level, "summary": summary, "provider": "聊城市教育和体育局 水城健身云课堂", "link": _search(title)}, rng))
    for n, (title, sport, audience, scene) in enumerate(LIVE):
        day = now.date() + datetime.timedelta(days=(-10, 3, 9)[n])
        starts = datetime.datetime.combine(day, datetime.time(19, 30))
        published.append(_course(writer, city, {
            "title": title, "sport": sport, "kind": CourseKind.LIVE, "minutes": 45, "scene": scene,
            "audience": audience, "starts_at": starts.strftime("%Y-%m-%d %H:%M"), "summary": "",
            "provider": "聊城市教育和体育局 水城健身云课堂", "link": _search(title, live=True)}, rng))
    for county in counties:
        actor = staff.get(county.code, admin)
        for title, sport, kind, minutes, scene, audience, level, summary in rng.sample(COURSES, 3):
            published.append(_course(actor, county, {
                "title": f"{county.name}·{title}", "sport": sport, "kind": kind, "minutes": minutes, "scene": scene,
                "audience": audience, "level": level, "summary": summary,
                "provider": f"{county.name}社会体育指导员协会", "link": _search(title)}, rng))
        _course(actor, county, {"title": f"{county.name}·亲子足球启蒙（待审）", "sport": "足球", "kind": "video",
                                "minutes": 20, "scene": Scene.COMMUNITY, "audience": CourseAudience.FAMILY,
                                "provider": f"{county.name}教育和体育局", "link": _search("亲子足球启蒙")},
                rng, publish=False)
        residents = list(User.objects.filter(home_region__code__within=codes.prefix(county.code), is_active=True,
                                             memberships__isnull=True).order_by("pk")[:30])
        mine = [c for c in published if c.region_id in (city.code, county.code)]
        started = [c for c in mine if not c.live or c.starts_at <= timezone.now()]
        for person in residents:
            for course in rng.sample(started, min(len(started), rng.randint(0, 4))):
                services_online.mark_done(person, course)
    for course in published:  # the page's openings, by those who marked it done and those who only looked
        services_online.count_view(course, rng.randint(30, 900))
    return {"online channels": channels, "online courses": len(published) + len(counties)}
