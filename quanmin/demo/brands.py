"""Demo brand register (A08, A09, T1-22) for the demo city (Liaocheng), deterministic for a seed:

- the city's two brands (环东昌湖国际马拉松, 江北水城龙舟赛) and each county's (运河古城健步走, 景阳冈登山节…),
  each linked to this year's brand event of the games demo, and every county but the last a second
  brand of its own ("一县多品");
- a brand for most townships ("一镇一品"), each linked to one of the township's activities this year;
  about one township in eight has none, so the page of units without a brand lists some;
- a brand for about three villages and communities in five ("一村一品"), one of them retired last year;
- a brand for most of the registered associations and federations ("一协会一品牌"), a few without.

Runs after the organisations and the games (it links their rows); a second call does nothing.
"""

import datetime
import random

from django.utils import timezone

from quanmin.core import bulk
from quanmin.events.models import Brand, Games
from quanmin.events.services import ASSOCIATION_KINDS
from quanmin.organizations.models import Organization
from quanmin.regions.models import Region

from .events import BRANDS
from .facilities import short

COUNTY_SECOND = [("全民健身徒步大会", "walking"), ("农民篮球联赛", "basketball"), ("太极拳展演", "taiji"),
                 ("广场舞大赛", "square_dance"), ("乒乓球擂台赛", "table_tennis"), ("门球邀请赛", "gateball")]
TOWNSHIP_BRANDS = [("农民运动会", "tug_of_war"), ("健步走大会", "walking"), ("广场舞展演", "square_dance"),
                   ("踢毽子比赛", "shuttlecock"), ("乒乓球联赛", "table_tennis"), ("象棋擂台赛", "xiangqi"),
                   ("太极拳交流赛", "taiji"), ("拔河邀请赛", "tug_of_war")]
VILLAGE_BRANDS = [("丰收节趣味运动会", "fitness"), ("跳绳比赛", "rope_skipping"), ("广场舞比赛", "square_dance"),
                  ("健身气功展示", "qigong"), ("柔力球比赛", "rouliqiu"), ("拔河比赛", "tug_of_war")]


def load(city: Region, rng: random.Random) -> dict:
    if Brand.objects.filter(region__code__within=city.prefix).exists():
        return {"brands": 0}
    year = timezone.localdate().year
    counties = list(Region.objects.filter(parent=city, level="county").order_by("code"))
    townships = list(Region.objects.filter(parent__in=counties, level="township").order_by("code"))
    communities = list(Region.objects.filter(parent__parent__in=counties, level="community").order_by("code"))
    brands: list[Brand] = []

    def add(region: Region, name: str, sport: str, since: int, organization: Organization | None = None,
            **extra) -> Brand:
        brand = Brand(region=region, organization=organization, name=name[:120], sport=sport, since=since, **extra)
        brands.append(brand)
        return brand

    # the city's and the counties' brand series (the games demo holds this year's event of each)
    series = {}
    for i, (name, sport, organizer) in enumerate(BRANDS):
        region = city if i < 2 else next((c for c in counties if organizer.startswith(c.name[:2])), city)
        series[f"{year}{name}"] = add(region, name, sport, 2008 + 2 * i,
                                      description=f"{organizer}主办的年度品牌赛事，每年举办一届。")
    for i, county in enumerate(counties[:-1]):
        label, sport = COUNTY_SECOND[i % len(COUNTY_SECOND)]
        add(county, f"{short(county.name)}{label}", sport, 2015 + i % 5)
    # most townships, each with one of its activities this year as this year's edition
    held_by = {}
    for k, t in enumerate(townships):
        if k % 8 == 3:  # one township in eight has none yet
            continue
        label, sport = rng.choice(TOWNSHIP_BRANDS)
        held_by[t.code] = add(t, f"{short(t.name)}{label}", sport, rng.randint(2012, year - 1))
    # about three villages and communities in five; one retired last year
    retired = False
    for c in communities:
        if rng.random() >= 0.6:
            continue
        label, sport = rng.choice(VILLAGE_BRANDS)
        extra = {}
        if not retired and rng.random() < 0.05:
            extra = {"retired_on": datetime.date(year - 1, 12, 31), "retire_reason": "场地改建，暂停举办"}
            retired = True
        add(c, f"{short(c.name)}{label}", sport, rng.randint(2015, year - 1), **extra)
    # most associations and federations
    associations = list(Organization.objects.filter(region__code__within=city.prefix, kind__in=ASSOCIATION_KINDS,
                                                    active=True, review=Organization.Review.APPROVED)
                        .select_related("region").order_by("pk"))
    for k, org in enumerate(associations):
        if k % 6 == 5:
            continue
        stem = org.name.removesuffix("协会").removesuffix("体育总会") or org.name
        add(org.region, f"{stem}杯邀请赛" if org.kind != Organization.Kind.FEDERATION else f"{stem}全民健身节",
            "", rng.randint(2010, year - 1), organization=org)
    bulk.insert_rows(brands, ids=True)

    linked = []
    for games in Games.objects.filter(region__code__within=city.prefix, year=year, name__in=list(series)):
        brand = series[games.name]
        games.brand_series_id, games.brand, games.brand_owner = brand.pk, True, brand.holder[:120]
        linked.append(games)
    first = {}
    for games in (Games.objects.filter(region_id__in=list(held_by), year=year, kind=Games.Kind.EVENT,
                                       status=Games.Status.PUBLISHED).order_by("region_id", "pk")):
        first.setdefault(games.region_id, games)
    for code, games in first.items():
        brand = held_by[code]
        games.brand_series_id, games.brand, games.brand_owner = brand.pk, True, brand.holder[:120]
        linked.append(games)
    Games.objects.bulk_update(linked, ["brand_series", "brand", "brand_owner"], batch_size=500)
    return {"brands": len(brands), "linked": len(linked)}
