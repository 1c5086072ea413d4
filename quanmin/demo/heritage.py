"""Demo sports tourism and sports heritage for the demo city (G13).

Routes after seed 000's own words (「沿东昌湖健步走、环湖徒步、古城定向」) and Liaocheng's known places:
the lakeside walk round 东昌湖 past 光岳楼, 山陕会馆 and the 中国运河文化博物馆; orienteering in the
old town (光岳楼, 海源阁, 铁塔); a hill walk to 景阳冈 in 阳谷 past 狮子楼; a Grand Canal ride in 临清
(运河钞关, 鳌头矶); a ride through 冠县's pear orchards; a walk up 鱼山 by the Yellow River in 东阿. Each
county's registered sports park or stadium is a stop where the county has one (a registered Site);
the other stops are named points whose coordinates are approximate (to about a kilometre).

Demonstration bases (provincial and city titles only: no national title is claimed for a real
place), the quality events seed 000 names (the 7.20 chess festival, dragon-boat racing and open-
water swimming on 东昌湖, the lakeside walk, old-town orienteering) dated in this year, and three
collections (a city sports archive, a hall of fame and a canal sports-culture room in 临清: demo
inventions) with twelve to twenty items each: games medals, photographs, programmes, torches,
video tapes, donated by invented people with invented phone numbers, some checked and one of each
collection lent to the provincial sports museum.

Made through the heritage services by the city's staff member where the demo has one, else by the
platform administrator.
"""

import datetime
import random

from django.utils import timezone

from quanmin.accounts.models import Membership, Role, User
from quanmin.facilities.models import Site
from quanmin.heritage import services
from quanmin.heritage.models import Route
from quanmin.regions import codes
from quanmin.regions.models import Region

# (county code prefix, name, km, season, text, stops: a site-name suffix for the county's registered
# site, or (name, lon, lat)).
ROUTES = [
    ("371502", "环东昌湖健步走线路", "13.5", "四季皆宜，春秋最佳",
     "沿东昌湖环湖步道一圈，途经古城、运河文化博物馆和山陕会馆，全程平坦，适合家庭和中老年人健步走。",
     [("光岳楼", 115.9887, 36.4535), ("中国运河文化博物馆", 115.9795, 36.4468), ("山陕会馆", 116.0005, 36.4530),
      "体育公园"]),
    ("371502", "聊城古城定向线路", "5.2", "春、秋两季",
     "古城内的定向越野线路，打卡光岳楼、海源阁和铁塔，每年秋季举办古城定向赛。",
     [("光岳楼", 115.9887, 36.4535), ("海源阁", 115.9902, 36.4518), ("铁塔", 115.9946, 36.4462)]),
    ("371521", "景阳冈登山健身线路", "8.0", "春、秋两季",
     "从阳谷县城狮子楼出发，经县体育公园至景阳冈景区，沿途有健身步道和补给点。",
     [("狮子楼", 115.7880, 36.1135), "体育公园", ("景阳冈景区", 115.8590, 36.1690)]),
    ("371581", "运河文化骑行线路", "18.0", "4月至10月",
     "沿京杭大运河临清段骑行，途经运河钞关和鳌头矶，可租用公共自行车。",
     ["体育场", ("临清运河钞关", 115.7125, 36.8470), ("鳌头矶", 115.7140, 36.8490)]),
    ("371525", "万亩梨园骑行线路", "25.0", "4月梨花节最佳",
     "穿行冠县万亩梨园的乡村骑行道，梨花节期间举办健步走和骑行活动。",
     ["体育场", ("中华第一梨园", 115.3100, 36.5700)]),
    ("371524", "鱼山黄河徒步线路", "6.0", "春、秋两季",
     "沿黄河大堤至鱼山，登山远眺黄河，适合徒步爱好者。",
     [("东阿黄河大堤", 116.2400, 36.3000), ("鱼山", 116.2700, 36.2800)]),
]
BASES = [
    ("371502", "东昌湖水上运动基地", "聊城市江北水城旅游度假区管委会", "provincial", 2021, "体育公园",
     "东昌湖水域开展龙舟、皮划艇、公开水域游泳等水上运动，承办省级水上赛事。"),
    ("371521", "景阳冈户外运动基地", "阳谷县景阳冈景区管理处", "city", 2022, None, "登山健身、拓展训练和户外露营。"),
    ("371525", "冠县梨园体育旅游示范基地", "冠县文化和旅游局", "city", 2023, None, "梨花节健步走、乡村骑行和农民运动会。"),
    ("371581", "临清运河体育休闲基地", "临清市教育和体育局", "city", 2024, "体育场", "运河沿岸骑行、健步走和龙舟活动。"),
]
# (county, name, month, day, days, place, organiser, text)
EVENTS = [
    ("371502", "7.20国际象棋文化节", 7, 20, 3, "聊城市全民健身中心", "聊城市教育和体育局", "国际象棋公开赛、车轮战和青少年赛。"),
    ("371502", "东昌湖龙舟赛", 6, 1, 1, "东昌湖", "聊城市教育和体育局", "端午前后在东昌湖举办，各县（市、区）组队参赛。"),
    ("371502", "东昌湖公开水域游泳挑战赛", 8, 15, 1, "东昌湖", "聊城市游泳协会", "1.5公里和3公里两个组别。"),
    ("371502", "环东昌湖健步走大会", 5, 1, 1, "东昌湖", "聊城市全民健身运动协会", "全民健身日前后的环湖健步走。"),
    ("371502", "聊城古城定向赛", 10, 18, 1, "聊城古城", "聊城市定向运动协会", "古城内的百米定向和积分定向赛。"),
    ("371525", "冠县梨花节健步走", 4, 12, 1, "中华第一梨园", "冠县教育和体育局", "梨花节期间穿行梨园的健步走。"),
]
HOLDERS = [
    ("", "聊城市体育档案室", "archive", "市教育和体育局办公楼"),
    ("371502", "聊城体育名人堂", "hall_of_fame", "东昌府区体育公园"),
    ("371581", "临清运河体育文化陈列室", "room", "临清市体育场"),
]
ITEMS = [
    ("第{n}届聊城市运动会金牌", "medal", "{year}年"), ("聊城市运动会开幕式老照片", "photo", "{year}年"),
    ("市运会秩序册", "document", "{year}年"), ("全民健身运动会会徽设计稿", "document", "{year}年"),
    ("东昌湖龙舟赛冠军奖杯", "medal", "{year}年"), ("农民运动会录像带", "audio_video", "{year}年"),
    ("老式木制乒乓球拍", "object", "20世纪60年代"), ("民兵运动会奖状", "document", "20世纪70年代"),
    ("全国运动会火炬传递火炬", "object", "2009年"), ("国际象棋比赛棋钟", "object", "{year}年"),
    ("武术表演队合影", "photo", "{year}年"), ("体育场奠基纪念章", "medal", "{year}年"),
]
DONORS = ("王振华", "李秀英", "张建国", "刘桂芝", "陈志强", "杨玉兰", "赵德明", "孙丽华")
PLACES = ("一号库房", "二号库房", "一号展厅", "二号展厅", "档案柜A-3")


def _site(county: str, suffix: str):
    return Site.objects.filter(region__code__within=county, name__endswith=suffix).order_by("pk").first()


def _stops(county: str, stops) -> list[dict]:
    out = []
    for stop in stops:
        if isinstance(stop, str):
            found = _site(county, stop)
            if found is not None:
                out.append({"site": found.pk})
            continue
        name, lon, lat = stop
        out.append({"name": name, "lon": lon, "lat": lat})
    return out


def load(city: Region, rng: random.Random) -> None:
    """`rng` is left untouched: this step draws from its own generator, so the steps after it make
    the same city whether it runs or not."""
    if Route.objects.filter(region__code__within=city.prefix).exists():
        return
    rng = random.Random(f"heritage:{city.code}")
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    member = Membership.objects.filter(role=Role.CITY_STAFF, region=city).select_related("user").order_by("pk").first()
    actor = member.user if member else admin
    if actor is None:
        return
    counties = {codes.prefix(r.code): r for r in Region.objects.filter(parent=city, level="county")}
    today = timezone.localdate()
    for county, name, km, season, text, stops in ROUTES:
        where = counties.get(county)
        found = _stops(county, stops)
        if where is None or len(found) < 2:
            continue
        opened = datetime.date(rng.randint(2021, 2024), rng.randint(3, 10), 1)
        services.save_route(actor, {"region": where.code, "name": name, "length_km": km, "season": season,
                                    "description": text, "opened_on": opened.isoformat(), "stops": found})
    for county, name, unit, level, year, suffix, text in BASES:
        where = counties.get(county)
        if where is None:
            continue
        site = _site(county, suffix) if suffix else None
        services.save_base(actor, {"region": where.code, "name": name, "unit": unit, "level": level,
                                   "year_awarded": year, "site": site.pk if site else "", "description": text})
    for county, name, month, day, days, place, organiser, text in EVENTS:
        where = counties.get(county)
        if where is None:
            continue
        first = datetime.date(today.year, month, day)
        services.save_event(actor, {"region": where.code, "name": name, "first_day": first.isoformat(),
                                    "last_day": (first + datetime.timedelta(days=days - 1)).isoformat(),
                                    "place": place, "organiser": organiser, "description": text})
    for county, name, kind, address in HOLDERS:
        where = counties.get(county, city) if county else city
        holder = services.save_holder(actor, {"region": where.code, "name": name, "kind": kind, "address": address})
        _items(actor, holder, rng, today)


def _items(actor, holder, rng: random.Random, today: datetime.date) -> None:
    for n in range(1, rng.randint(12, 20) + 1):
        title, kind, era = ITEMS[(n - 1) % len(ITEMS)]
        year = rng.randint(1975, 2018)
        way = rng.choices(("donation", "purchase", "transfer"), (6, 1, 2))[0]
        donor = rng.choice(DONORS) if way == "donation" else ("聊城市教育和体育局" if way == "transfer" else "")
        acquired = today - datetime.timedelta(days=rng.randint(60, 2500))
        item = services.save_item(actor, {
            "holder": holder.pk, "catalogue_no": f"{holder.pk:02}-{n:04}",
            "title": title.format(n=rng.randint(5, 20)), "kind": kind, "era": era.format(year=year),
            "donor": donor, "donor_phone": f"13{rng.randint(5, 9)}{rng.randint(0, 99999999):08}" if way == "donation" else "",
            "acquired_on": acquired.isoformat(), "acquisition": way, "location": rng.choice(PLACES),
            "condition": rng.choices(("good", "fair", "poor"), (6, 3, 1))[0]})
        if n == 3:
            lent = max(acquired + datetime.timedelta(days=1), today - datetime.timedelta(days=30))
            services.add_log(actor, item, {"kind": "loan", "day": lent.isoformat(), "borrower": "山东省体育博物馆",
                                           "due_back": (lent + datetime.timedelta(days=180)).isoformat(),
                                           "note": "借展“山东体育百年”"})
        elif rng.random() < 0.4:
            checked = acquired + datetime.timedelta(days=rng.randint(1, max((today - acquired).days - 1, 1)))
            services.add_log(actor, item, {"kind": "check", "day": checked.isoformat(),
                                           "condition": rng.choice(("good", "fair")), "note": "年度藏品状况检查"})
