"""Demo institutions, fittings and programme activities for the demo city (G06–G09).

Each county registers: day-care centres (日间照料中心) of about a quarter of its urban communities and
happiness homes (幸福院) of a few villages, each at its community's square in the facilities register;
the county's elderly centre (社会福利中心) and its rehabilitation centre for disabled people, which
have no ground in the register; children's play corners at a few community squares (学龄前儿童活动区);
and one to three villages as Hui villages (回族村: which villages are is made up, as the demo's
grounds are). About two in three elderly-care institutions have been fitted with equipment suited
to older people (2021 to this year; the pieces registered at the square's fitness path, so the
phone page finds them), some also with barrier-free access; the elderly centre and the rehab
centre mostly have rehab equipment; half the play corners have gross-motor equipment; most Hui
villages have equipment and a basketball court, a few a simple football ground. So no share is 0
or 100 %, and the indicators have something to show.

Every county records the past year's programme activities: 常青可乐 and the elderly sports seed 000
names (柔力球, 太极拳, 门球, 健身球操), 星火点亮 and parent–child games for toddlers, rehab fitness for
disabled people, ethnic-feature activities in the Hui villages. Counts of participants only.

Made through the inclusive services by the county's staff member where the demo has one, else by
the platform administrator. It runs after the facilities demo and before the plans.
"""

import datetime
import random

from django.utils import timezone

from quanmin.accounts.models import Membership, Role, User
from quanmin.facilities.models import Facility, Site
from quanmin.inclusive import services
from quanmin.inclusive.models import Institution
from quanmin.regions import codes
from quanmin.regions.models import Region

ELDERLY_TITLES = ("常青可乐·柔力球交流赛", "常青可乐·太极拳展示", "常青可乐·门球友谊赛", "常青可乐·健身球操比赛",
                  "老年人健步走", "常青可乐·八段锦集体练习")
PRESCHOOL_TITLES = ("星火点亮·幼儿趣味运动会", "星火点亮·亲子跳绳", "星火点亮·幼儿基本动作技能展示", "亲子健身游园")
DISABLED_TITLES = ("残疾人康复健身操培训", "残疾人康复健身体验日", "轮椅健身操展示")
ETHNIC_TITLES = ("回族传统武术展示", "民族健身操表演", "回族民俗体育游戏")


def _short(name: str) -> str:
    for suffix in ("居民委员会", "村民委员会", "居委会", "村委会", "社区"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _squares(county: Region) -> list[tuple[Site, int | None]]:
    """The county's community squares and each one's fitness path (its facility id), in two queries."""
    sites = list(Site.objects.filter(region__code__within=codes.prefix(county.code), owner_kind=Site.OwnerKind.COMMUNITY,
                                     status=Site.Status.OPEN)
                 .filter(name__regex=r"(文体广场|健身广场)$").select_related("region").order_by("pk"))
    paths = dict(Facility.objects.filter(site__in=sites, type="fitness_path").order_by("site_id", "pk")
                 .values_list("site_id", "pk").distinct())
    return [(s, paths.get(s.pk)) for s in sites]


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def load(city: Region, rng: random.Random) -> None:
    if Institution.objects.filter(region__code__within=city.prefix).exists():
        return
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    counties = list(Region.objects.filter(parent=city, level="county").order_by("code"))
    if admin is None or not counties:
        return
    staff = {m.region_id: m.user for m in Membership.objects.filter(role=Role.COUNTY_STAFF, region__in=counties)
             .select_related("user").order_by("pk")}
    today = timezone.localdate()
    for county in counties:
        County(staff.get(county.code, admin), county, rng, today).load()


class County:
    def __init__(self, actor, county: Region, rng: random.Random, today: datetime.date):
        self.actor, self.county, self.rng, self.today = actor, county, rng, today
        self.name = county.name
        self.ethnic: list[Institution] = []

    def institution(self, where: Region, name: str, kind: str, site: Site | None = None, **extra) -> Institution:
        return services.save_institution(self.actor, {"region": where.code, "name": name, "kind": kind,
                                                      "site": site, **extra})

    def fit(self, found: Institution, kind: str, facility: int | None = None, pieces: tuple = (1, 1)) -> None:
        first = max(datetime.date(2021, 3, 1), self.today - datetime.timedelta(days=5 * 365))
        services.record_fitting(self.actor, found, {"kind": kind, "facility": facility,
                                                    "pieces": self.rng.randint(*pieces),
                                                    "fitted_on": _day(self.rng, first, self.today)})

    def load(self) -> None:
        rng, squares = self.rng, _squares(self.county)
        urban = [pair for pair in squares if pair[0].name.endswith("文体广场")]
        rural = [pair for pair in squares if pair[0].name.endswith("健身广场")]
        homes = [(s, f, False) for s, f in rng.sample(urban, min(len(urban), max(1, len(urban) // 4)))]
        homes += [(s, f, True) for s, f in rng.sample(rural, min(len(rural), rng.randint(2, 4)))]
        for site, facility, village in homes:
            label = "幸福院" if village else "日间照料中心"
            found = self.institution(site.region, f"{_short(site.region.name)}{label}", "elderly_care", site,
                                     address=site.address)
            if rng.random() < 0.65:
                self.fit(found, "elderly_equipment", facility, (4, 10))
            if rng.random() < 0.3:
                self.fit(found, "barrier_free")
        centre = self.institution(self.county, f"{self.name}社会福利中心", "elderly_centre")
        if rng.random() < 0.8:
            self.fit(centre, "elderly_equipment", None, (6, 15))
        if rng.random() < 0.5:
            self.fit(centre, "rehab_equipment", None, (3, 8))
        rehab = self.institution(self.county, f"{self.name}残疾人康复中心", "rehab_centre")
        if rng.random() < 0.75:
            self.fit(rehab, "rehab_equipment", None, (5, 12))
        self.fit(rehab, "barrier_free")
        for site, facility in rng.sample(urban, min(len(urban), rng.randint(2, 4))):
            corner = self.institution(site.region, f"{_short(site.region.name)}学龄前儿童活动区", "preschool", site)
            if rng.random() < 0.5:
                self.fit(corner, "preschool_equipment", facility, (3, 6))
        taken = {s.region_id for s, _f, _v in homes}
        others = [pair for pair in rural if pair[0].region_id not in taken]
        for site, facility in rng.sample(others, min(len(others), rng.randint(1, 3))):
            village = self.institution(site.region, _short(site.region.name), "ethnic_village", site,
                                       ethnic_group="回族")
            self.ethnic.append(village)
            if rng.random() < 0.75:
                self.fit(village, "fitness_equipment", facility, (6, 12))
            if rng.random() < 0.6:
                self.fit(village, "outdoor_basketball")
            if rng.random() < 0.2:
                self.fit(village, "simple_football")
        self.activities(centre, rehab)

    def activities(self, centre: Institution, rehab: Institution) -> None:
        rng, first = self.rng, self.today - datetime.timedelta(days=360)
        plan = [("elderly", "changqing_kele", ELDERLY_TITLES, rng.randint(8, 14), (30, 220), centre),
                ("preschool", "xinghuo_dianliang", PRESCHOOL_TITLES, rng.randint(3, 6), (20, 120), None),
                ("disabled", "rehab_fitness", DISABLED_TITLES, rng.randint(2, 4), (15, 60), rehab)]
        plan += [("ethnic", "ethnic_feature", ETHNIC_TITLES, rng.randint(1, 2), (40, 300), v) for v in self.ethnic]
        for group, programme, titles, count, people, institution in plan:
            for _n in range(count):
                title = rng.choice(titles)
                where = institution.region if institution else self.county
                services.record_activity(self.actor, {
                    "region": where.code, "group": group,
                    "programme": programme if "·" in title or group in ("disabled", "ethnic") else "other", "title": title, "held_on": _day(rng, first, self.today),
                    "participants": rng.randint(*people), "institution": institution.pk if institution else None})
