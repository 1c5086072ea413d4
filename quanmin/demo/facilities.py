"""Demo sports grounds for the demo city: ~15,000 facilities over Liaocheng's real divisions.

A bulk loader: it builds rows in memory and writes them with bulk_create, so the whole city loads
in a few seconds. The copied Facility fields (region, lon, lat, open) are set by services._sync,
the same code the register uses. Proportions follow what a city of this size reports: most grounds
are fitness paths in villages and communities, then basketball and table tennis; each county has a
stadium, a fitness centre and (mostly) a sports park; most townships have a fitness centre or a lit
basketball court and a multi-sport court. Gaps are left on purpose so that the compliance lists
are not empty: one county has no fitness centre at all and one has no sports park, ~10% of
townships miss one of the "两个一", ~15% of communities have no square or multi-sport court.
"""

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, F, Value, When
from django.utils import timezone

from quanmin.facilities.models import Facility, OpeningException, OpeningRule, Site
from quanmin.facilities.services import sync_facility
from quanmin.regions import codes
from quanmin.regions.models import Region

# Approximate county seats (lon, lat, WGS-84); townships are spread around them.
COUNTY_SEATS = {
    "371502": (115.98, 36.45),  # 东昌府区
    "371503": (116.25, 36.58),  # 茌平区
    "371521": (115.79, 36.11),  # 阳谷县
    "371522": (115.67, 36.23),  # 莘县
    "371524": (116.25, 36.33),  # 东阿县
    "371525": (115.44, 36.48),  # 冠县
    "371526": (116.23, 36.86),  # 高唐县
    "371581": (115.70, 36.84),  # 临清市
}
CITY_CENTRE = (115.98, 36.45)
NO_FITNESS_CENTRE = "371524"  # 东阿县: its townships use lit basketball courts instead
NO_SPORTS_PARK = "371526"  # 高唐县
KM_PER_DEG_LAT = 111.2
BATCH = 2000
R, B, S = OpeningRule.Kind.REGULAR, OpeningRule.Kind.BENEFIT, OpeningRule.Kind.SCHOOL
FREE, LOW, PAID, MEMBERS, NOT_OPEN = (Facility.Access.FREE, Facility.Access.LOW_FEE, Facility.Access.PAID,
                                      Facility.Access.MEMBERS, Facility.Access.CLOSED)
SCHOOL_RULES = ("凭身份证在门卫处登记入校；仅开放操场和室外球场，教学区不开放；"
                "禁止吸烟、饮酒和携带宠物；未成年人须由监护人陪同；遇考试、大型活动暂停开放，以校门公告为准。")
GYM_BRANDS = "力健 悦动 乐跑 博健 康体 星光 动力 青春 阳光 健维 优形 铁人".split()
# Street names for the demo's addresses (common in Shandong towns; none claims to be a real address).
ROADS = ("建设路 振兴路 光明路 文化路 花园路 育新街 兴华路 东昌路 柳园路 湖滨路 站前街 利民路 新华路 "
         "向阳路 朝阳街 团结路 和平路 民主街 胜利路 卫育路").split()
LANES = "村东路 村西路 中心街 前街 后街 南街 北街 大街".split()


def _t(hhmm: str) -> datetime.time:
    return datetime.time(int(hhmm[:2]), int(hhmm[3:]))


def daily(opens, closes, kind=R, days=range(7), note=""):
    return [(d, _t(opens), _t(closes), kind, note) for d in days]


OUTDOOR = daily("06:00", "22:00")
SCHOOL_HOURS = daily("18:00", "21:00", S, range(5)) + daily("08:00", "18:00", S, (5, 6))
ENTERPRISE_HOURS = daily("17:30", "21:00", R, range(5)) + daily("08:00", "20:00", R, (5, 6))
GYM_HOURS = daily("07:00", "22:00")


@dataclass
class Plan:
    """One site before it is written: the Site, its facilities (field dicts) and its hours."""

    site: Site
    facilities: list = field(default_factory=list)
    rules: list = field(default_factory=list)
    exceptions: list = field(default_factory=list)

    def add(self, rng, type_, count=1, area=None, length=None, access=FREE, **extra):
        for _ in range(count):
            row = {"type": type_, "access": access, **extra}
            if area is not None:
                row["area_m2"] = Decimal(round(rng.uniform(*area) if isinstance(area, tuple) else area))
            if length is not None:
                row["length_km"] = Decimal(str(round(rng.uniform(*length), 1)))
            row.setdefault("year_built", rng.choice(range(2008, 2026)))
            self.facilities.append(row)


def short(name: str) -> str:
    """古城社区居委会 → 古城社区, 王庄村委会 → 王庄村, 古楼街道办事处 → 古楼街道."""
    for suffix, keep in (("居民委员会", ""), ("村民委员会", "村"), ("社区居委会", "社区"), ("居委会", ""),
                         ("村委会", "村"), ("办事处", "")):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return stem if stem.endswith(keep) else stem + keep
    return name


def demo_address(region: Region, name: str) -> str:
    """A road and number that differ from the site's name: in a village its lanes (丁庄村中心街18号),
    elsewhere a town road (建设路126号). Drawn from its own generator seeded by the place, so the
    city's other random choices stay as they were."""
    rng = random.Random(f"{region.code}:{name}")
    if region.name.endswith(("村委会", "村民委员会", "村")):
        return f"{short(region.name)}{rng.choice(LANES)}{rng.randint(1, 99)}号"
    return f"{rng.choice(ROADS)}{rng.randint(1, 399)}号"


def _offset(point, km, angle):
    lon, lat = point
    dlat = km * math.sin(angle) / KM_PER_DEG_LAT
    dlon = km * math.cos(angle) / (KM_PER_DEG_LAT * math.cos(math.radians(lat)))
    return round(lon + dlon, 6), round(lat + dlat, 6)


def _scatter(rng, centre, max_km, min_km=0.0):
    return _offset(centre, math.sqrt(rng.uniform((min_km / max_km) ** 2, 1)) * max_km, rng.uniform(0, 2 * math.pi))


def _phone(rng):
    return f"0635-{rng.randint(2, 8)}{rng.randint(0, 9999999):07d}"


class CityBuilder:
    def __init__(self, city: Region, rng: random.Random):
        self.city, self.rng = city, rng
        self.plans: list[Plan] = []
        self.today = timezone.localdate()

    # -- places ------------------------------------------------------------------------------
    def site(self, region, name, point, owner=Site.OwnerKind.COMMUNITY, manager="", status=Site.Status.OPEN,
             address="", **extra) -> Plan:
        rng = self.rng
        if status == Site.Status.OPEN:
            roll = rng.random()
            status = (Site.Status.REPAIR if roll < 0.012 else Site.Status.CLOSED if roll < 0.015
                      else Site.Status.OPEN)
        site = Site(name=name[:120], lon=point[0], lat=point[1], region=region, owner_kind=owner, manager=manager,
                    status=status, address=address or demo_address(region, name), contact_phone=extra.pop("phone", ""),
                    **extra)
        plan = Plan(site)
        self.plans.append(plan)
        return plan

    def layout(self):
        """Townships around their county seat, communities around their township (deterministic)."""
        rng = self.rng
        counties = list(Region.objects.filter(parent=self.city, level="county").order_by("code"))
        townships = list(Region.objects.filter(code__within=self.city.prefix, level="township").order_by("code"))
        communities = list(Region.objects.filter(code__within=self.city.prefix, level="community")
                           .order_by("code"))
        self.counties = counties
        self.townships_of = {c.code: [t for t in townships if t.parent_id == c.code] for c in counties}
        self.communities_of = {t.code: [m for m in communities if m.parent_id == t.code] for t in townships}
        self.centre = {}
        for n, county in enumerate(counties):
            seat = COUNTY_SEATS.get(codes.prefix_at(county.code, "county")) or _offset(CITY_CENTRE, 30, n * 2.4)
            self.centre[county.code] = seat
            radius = 0.85 * math.sqrt(float(county.area_km2 or 1000) / math.pi)
            towns = self.townships_of[county.code]
            streets = [t for t in towns if "街道" in t.name]
            for i, township in enumerate(towns):
                if township in streets:  # urban sub-districts: sectors of the county seat
                    angle = 2 * math.pi * streets.index(township) / len(streets) + rng.uniform(-0.2, 0.2)
                    self.centre[township.code] = _offset(seat, rng.uniform(1.5, 3.5), angle)
                else:
                    angle = 2 * math.pi * i / max(len(towns), 1) + rng.uniform(-0.3, 0.3)
                    self.centre[township.code] = _offset(seat, rng.uniform(0.4, 0.95) * radius, angle)
                for community in self.communities_of[township.code]:
                    urban = "社区" in community.name or "居委会" in community.name
                    self.centre[community.code] = _scatter(rng, self.centre[township.code], 1.2 if urban else 3.5)

    # -- the city ----------------------------------------------------------------------------
    def build(self):
        self.layout()
        for county in self.counties:
            self.county(county)
            towns = self.townships_of[county.code]
            gaps = self._township_gaps(county, towns)
            for township in towns:
                self.township(county, township, gaps.get(township.code, ""))
                for community in self.communities_of[township.code]:
                    self.community(county, township, community, gaps.get(township.code, ""))
        return self.plans

    def _township_gaps(self, county, towns):
        """About one township in ten misses one of its pair: the centre or the multi-sport court."""
        rng, gaps = self.rng, {}
        for township in towns:
            if rng.random() < 0.10:
                gaps[township.code] = rng.choice(("centre", "court"))
        return gaps

    def county(self, county):
        rng, seat = self.rng, self.centre[county.code]
        name = short(county.name)
        seat_region = self._seat_region(county)
        bureau = f"{name}教育和体育局"
        stadium = self.site(seat_region, f"{name}体育场", _scatter(rng, seat, 1.2), Site.OwnerKind.GOVERNMENT,
                            f"{name}体育运动发展中心", phone=_phone(rng), accessible_entrance=True,
                            accessible_toilet=True, accessible_parking=True)
        stadium.add(rng, "athletics_stadium", area=(22000, 32000), lit=True, year_built=rng.choice(range(2005, 2016)))
        stadium.add(rng, "sports_hall", area=(4500, 9000), indoor=True, access=LOW)
        stadium.add(rng, "swimming_pool", area=(1250, 2500), indoor=True, access=LOW)
        stadium.add(rng, "tennis", rng.randint(2, 4), area=(640, 680), lit=True, access=LOW)
        stadium.add(rng, "basketball_lit", rng.randint(4, 8), area=(600, 620), lit=True)
        stadium.add(rng, "badminton", rng.randint(1, 3), area=(600, 1200), indoor=True, access=LOW)
        stadium.add(rng, "table_tennis", area=(300, 600), indoor=True, access=LOW)
        stadium.rules = (OUTDOOR + daily("06:00", "22:00", R, (7,)) + daily("06:00", "08:30", B, note="免费")
                         + daily("19:00", "21:00", B, note="免费（场馆低收费）"))
        stadium.exceptions.append((self.today + datetime.timedelta(days=rng.randint(2, 9)), True, None, None,
                                   "承办全民健身运动会，暂停对外开放"))
        if codes.prefix_at(county.code, "county") != NO_FITNESS_CENTRE:
            centre = self.site(seat_region, f"{name}全民健身中心", _scatter(rng, seat, 2.5), Site.OwnerKind.GOVERNMENT,
                               bureau, phone=_phone(rng), accessible_entrance=True, accessible_toilet=True)
            centre.add(rng, "fitness_centre", area=(3000, 8000), indoor=True, access=LOW)
            centre.add(rng, "gym", area=(400, 900), indoor=True, access=LOW, smart=True)
            centre.add(rng, "badminton", rng.randint(2, 4), area=(700, 1400), indoor=True, access=LOW)
            centre.add(rng, "table_tennis", area=(300, 800), indoor=True, access=LOW)
            centre.add(rng, "martial_arts", area=(200, 500), indoor=True, access=LOW)
            centre.rules = (daily("08:30", "21:30", R, range(1, 8)) + daily("14:00", "21:30", R, (0,))
                            + daily("08:30", "11:30", B, range(1, 5), "免费"))
        if codes.prefix_at(county.code, "county") != NO_SPORTS_PARK:
            park = self.site(seat_region, f"{name}体育公园", _scatter(rng, seat, 4), Site.OwnerKind.GOVERNMENT,
                             f"{name}住房和城乡建设局", phone=_phone(rng), accessible_entrance=True,
                             accessible_toilet=True, accessible_parking=True)
            park.add(rng, "sports_park", area=(30000, 70000))
            park.add(rng, "fitness_trail", length=(2.0, 6.0), lit=True)
            park.add(rng, "football_5", rng.randint(1, 3), area=(600, 900), lit=True, access=LOW)
            park.add(rng, "cage_football", area=(500, 800), lit=True, access=LOW)
            park.add(rng, "basketball_lit", rng.randint(2, 4), area=(600, 620), lit=True)
            park.add(rng, "fitness_path", 2, area=(150, 300), smart=True)
            park.add(rng, "air_volleyball", area=(200, 300))
            park.rules = daily("05:00", "22:00")
        # Trails along rivers and lakes, the county's football pitch, public pools.
        for n in range(rng.randint(2, 4)):
            river = rng.choice(("滨河", "环湖", "运河", "林荫"))
            trail = self.site(seat_region, f"{name}{river}健身步道{n + 1}段", _scatter(rng, seat, 6),
                              Site.OwnerKind.GOVERNMENT, f"{name}住房和城乡建设局")
            trail.add(rng, rng.choice(("fitness_trail", "fitness_trail", "cycle_path")), length=(1.5, 12))
            trail.add(rng, "fitness_path", area=(100, 250))
            trail.rules = daily("05:00", "22:00")
        pitch = self.site(seat_region, f"{name}足球训练基地", _scatter(rng, seat, 5), Site.OwnerKind.GOVERNMENT,
                          f"{name}体育运动发展中心", phone=_phone(rng))
        pitch.add(rng, "football_11", area=(7000, 7500), lit=True, access=LOW)
        pitch.add(rng, "football_7", rng.randint(1, 2), area=(2400, 3200), lit=True, access=LOW)
        pitch.rules = daily("08:00", "21:30") + daily("08:00", "10:00", B, range(5), "免费")
        self.private(county)
        self.schools(county, None)

    def private(self, county):
        """Gyms, badminton halls, pools and pitches run by companies, in the urban townships."""
        rng, name = self.rng, short(county.name)
        urban = [c for t in self.townships_of[county.code] if "街道" in t.name
                 for c in self.communities_of[t.code]] or [c for t in self.townships_of[county.code]
                                                          for c in self.communities_of[t.code]]
        if not urban:
            return
        per_100k = (county.population or 300000) / 100000
        kinds = [  # (count per 100k residents, name, type, area, owner)
            (3.0, "健身馆", "gym", (300, 1800), Site.OwnerKind.PRIVATE),
            (1.0, "羽毛球馆", "badminton", (800, 2200), Site.OwnerKind.PRIVATE),
            (0.5, "游泳馆", "swimming_pool", (800, 1500), Site.OwnerKind.ENTERPRISE),
            (0.6, "网球俱乐部", "tennis", (640, 2000), Site.OwnerKind.PRIVATE),
            (0.9, "笼式足球场", "cage_football", (400, 800), Site.OwnerKind.ENTERPRISE),
            (0.6, "武术馆", "martial_arts", (200, 600), Site.OwnerKind.PRIVATE),
            (0.3, "乒乓球馆", "table_tennis", (300, 700), Site.OwnerKind.PRIVATE),
            (0.15, "轮滑场", "roller_rink", (400, 1200), Site.OwnerKind.PRIVATE),
            (0.1, "攀岩馆", "climbing_wall", (150, 400), Site.OwnerKind.PRIVATE),
        ]
        for rate, label, type_, area, owner in kinds:
            for _ in range(max(1, round(rate * per_100k * rng.uniform(0.7, 1.3)))):
                where = rng.choice(urban)
                brand = rng.choice(GYM_BRANDS)
                plan = self.site(where, f"{brand}{label}（{short(where.name)}店）",
                                 _scatter(rng, self.centre[where.code], 0.6), owner,
                                 f"聊城{brand}体育文化有限公司", phone=_phone(rng),
                                 accessible_entrance=rng.random() < 0.3,
                                 address=f"{name}{short(where.name)}{rng.randint(1, 300)}号")
                indoor = type_ not in ("cage_football",)
                access = MEMBERS if type_ == "gym" and rng.random() < 0.6 else PAID
                plan.add(rng, type_, rng.choice((1, 1, 2)), area=area, indoor=indoor, access=access, lit=True)
                plan.rules = GYM_HOURS

    def schools(self, county, township):
        """School grounds, ~10% of sites; most open to the public outside lessons."""
        rng = self.rng
        if township is None:  # the county seat's senior high schools
            where_list = [self._seat_region(county)]
            names = [f"{short(county.name)}第{'一二三四'[n]}中学" for n in range(rng.randint(2, 4))]
            big = True
        else:
            where_list = self.communities_of[township.code] or [township]
            urban = "街道" in township.name
            ordinals = "一二三四五"
            primary = [f"{short(township.name)}第{ordinals[n]}小学" for n in range(rng.randint(2, 4))]
            if not urban:
                primary[0] = f"{short(township.name)}中心小学"
            names = [f"{short(township.name)}中学", *primary]
            big = False
        for n, school in enumerate(names):
            where = rng.choice(where_list)
            middle = big or n == 0
            plan = self.site(where, school, _scatter(rng, self.centre.get(where.code, self.centre[county.code]), 1.0),
                             Site.OwnerKind.SCHOOL, school, phone=_phone(rng), school_rules=SCHOOL_RULES,
                             accessible_entrance=rng.random() < 0.4)
            plan.add(rng, "athletics_stadium", area=(11000, 16000) if middle else (4000, 7500))
            plan.add(rng, "basketball", rng.randint(3, 6) if middle else rng.randint(1, 3), area=(420, 608))
            plan.add(rng, "table_tennis", area=(100, 300))
            if rng.random() < 0.5:
                plan.add(rng, "volleyball", rng.randint(1, 2), area=(360, 450))
            if middle and rng.random() < 0.4:
                plan.add(rng, "sports_hall", area=(1200, 2800), indoor=True, access=NOT_OPEN)
            if middle and rng.random() < 0.3:
                plan.add(rng, "football_7", area=(2400, 3200))
            if rng.random() < 0.9:
                plan.rules = SCHOOL_HOURS
            else:  # not yet opened to the public
                for row in plan.facilities:
                    row["access"] = NOT_OPEN

    def township(self, county, township, gap):
        rng, name = self.rng, short(township.name)
        seat = self.centre[township.code]
        where = (self.communities_of[township.code] or [township])[0]
        plan = self.site(where, f"{name}全民健身活动中心", _scatter(rng, seat, 0.5), Site.OwnerKind.GOVERNMENT,
                         f"{name}综合文化站", phone=_phone(rng), accessible_entrance=rng.random() < 0.7,
                         accessible_toilet=rng.random() < 0.4)
        centre_ok = gap != "centre"
        if centre_ok and codes.prefix_at(county.code, "county") != NO_FITNESS_CENTRE and rng.random() < 0.55:
            plan.add(rng, "fitness_centre", area=(1000, 3000), indoor=True, access=LOW)
            plan.rules = (daily("08:00", "20:30") + daily("08:00", "11:00", B, range(7), "免费"))
        else:
            if centre_ok:
                plan.add(rng, "basketball_lit", area=(600, 620), lit=True)
            else:
                plan.add(rng, "basketball", area=(420, 608))
            plan.rules = OUTDOOR
        if gap != "court":
            plan.add(rng, "multi_sport_court", area=(1000, 2000), lit=rng.random() < 0.5)
        plan.add(rng, "fitness_path", area=(150, 300), smart=rng.random() < 0.3)
        if rng.random() < 0.45:
            plan.add(rng, "gateball", area=(500, 700))
        if rng.random() < 0.2:
            plan.add(rng, "tennis", area=(640, 680), access=LOW)
        if rng.random() < 0.2:
            plan.add(rng, "football_7", area=(2400, 3600))
        if rng.random() < 0.3:
            trail = self.site(where, f"{name}健身步道", _scatter(rng, seat, 2.0), Site.OwnerKind.GOVERNMENT,
                              f"{name}人民政府" if "街道" not in township.name else f"{name}办事处")
            trail.add(rng, "fitness_trail", length=(1.0, 5.0))
            trail.rules = daily("05:00", "22:00")
        if rng.random() < 0.04:  # a new sports park being built
            self.site(where, f"{name}体育公园（在建）", _scatter(rng, seat, 2.0), Site.OwnerKind.GOVERNMENT,
                      f"{name}人民政府", status=rng.choice((Site.Status.PLANNED, Site.Status.BUILDING))
                      ).add(rng, "sports_park", area=(15000, 40000))
        # A few enterprises open their grounds to the neighbourhood after work.
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            ent = self.site(where, f"{name}{rng.choice(('纺织', '机械', '化工', '食品', '电缆', '轴承'))}有限公司职工活动中心",
                            _scatter(rng, seat, 3.0), Site.OwnerKind.ENTERPRISE, phone=_phone(rng))
            ent.add(rng, "basketball", rng.randint(1, 2), area=(420, 608))
            ent.add(rng, "table_tennis", area=(80, 200), indoor=True)
            if rng.random() < 0.4:
                ent.add(rng, "badminton", area=(160, 400), indoor=True, access=LOW)
            ent.rules = ENTERPRISE_HOURS
        self.schools(county, township)

    def community(self, county, township, community, gap):
        rng = self.rng
        name, urban = short(community.name), "社区" in community.name
        centre = self.centre[community.code]
        owner_unit = f"{name}{'居民委员会' if urban else '村民委员会'}"
        plan = self.site(community, f"{name}{'文体广场' if urban else '健身广场'}", centre, Site.OwnerKind.COMMUNITY,
                         owner_unit, accessible_entrance=rng.random() < 0.25)
        plan.rules = OUTDOOR if rng.random() < 0.8 else daily("05:30", "21:30")
        plan.add(rng, "fitness_path", area=(100, 300), smart=rng.random() < 0.08)
        if rng.random() < 0.85:  # ~15% of communities have no square or multi-sport court
            if gap != "court" and rng.random() < 0.3:
                plan.add(rng, "multi_sport_court", area=(600, 1500), lit=rng.random() < 0.3)
            else:
                plan.add(rng, "fitness_square", area=(800, 5000) if not urban else (800, 3000))
        if rng.random() < 0.72:
            plan.add(rng, "basketball", area=(420, 608), lit=rng.random() < 0.2)
        if rng.random() < 0.62:
            plan.add(rng, "table_tennis", area=(60, 200))
        if rng.random() < 0.2:
            plan.add(rng, "badminton", area=(82, 170))
        if rng.random() < 0.08:
            plan.add(rng, "gateball", area=(400, 600))
        if rng.random() < 0.06:
            plan.add(rng, "air_volleyball", area=(200, 300))
        if urban and rng.random() < 0.08:
            plan.add(rng, "community_gym", area=(200, 600), indoor=True, access=LOW)
        if urban and rng.random() < 0.1:
            plan.add(rng, "smart_station", area=(30, 60), smart=True, indoor=True)
        if rng.random() < 0.1:
            plan.add(rng, "chess_room", area=(40, 120), indoor=True)
        # Further fitness paths in residential compounds or village lanes.
        for n in range(1 + (rng.random() < 0.18)):
            if rng.random() < 0.5 or n:
                extra = self.site(community, f"{name}{'小区' if urban else ''}健身点{n + 1}",
                                  _scatter(rng, centre, 0.6, 0.1), Site.OwnerKind.COMMUNITY, owner_unit)
                extra.add(rng, "fitness_path", area=(80, 200), smart=rng.random() < 0.05)
                extra.rules = OUTDOOR

    # -- helpers -----------------------------------------------------------------------------
    def _seat_region(self, county):
        towns = self.townships_of[county.code]
        first = next((t for t in towns if "街道" in t.name), towns[0] if towns else None)
        if first is None:
            return county
        return (self.communities_of[first.code] or [first])[0]


def _year_created(facility_years):
    """The register date of a demo ground: mid-year of the year it was built (for "new since")."""
    return {y: timezone.make_aware(datetime.datetime(y, 6, 30, 12)) for y in facility_years}


def load(city: Region, rng: random.Random) -> dict:
    """Fill the city with demo sites and facilities; does nothing if it already has some."""
    if Site.objects.filter(region__code__within=city.prefix).exists():
        return {"sites": 0, "facilities": 0}
    plans = CityBuilder(city, rng).build()
    sites = [p.site for p in plans]
    Site.objects.bulk_create(sites, batch_size=BATCH)
    facilities, rules, exceptions = [], [], []
    for p in plans:
        for row in p.facilities:
            if row["type"] in ("fitness_trail", "cycle_path", "mountain_trail"):
                row.setdefault("length_km", Decimal("1.0"))
            f = Facility(site=p.site, **row)
            sync_facility(f, p.site)
            facilities.append(f)
        rules += [OpeningRule(site=p.site, weekday=d, opens=o, closes=c, kind=k, price_note=note)
                  for d, o, c, k, note in p.rules]
        exceptions += [OpeningException(site=p.site, date=d, closed=closed, opens=o, closes=c, note=note)
                       for d, closed, o, c, note in p.exceptions]
    Facility.objects.bulk_create(facilities, batch_size=BATCH)
    OpeningRule.objects.bulk_create(rules, batch_size=BATCH)
    OpeningException.objects.bulk_create(exceptions, batch_size=BATCH)
    # auto_now_add stamped today on every row; spread the register dates over the building years.
    years = _year_created({f.year_built for f in facilities if f.year_built})
    Facility.objects.filter(region__code__within=city.prefix).update(created_at=Case(
        *[When(year_built=y, then=Value(when)) for y, when in years.items()], default=F("created_at")))
    return {"sites": len(sites), "facilities": len(facilities)}
