"""Demo sports organisations for the demo city: the city federation, a federation in every county
and township ("1+X": the township federations are members of their county's), several hundred
associations and clubs (the last quarter of the counties short of "1+25"), fitness teams (and most of the
instructor register's fitness points, filed here too and linked to their station), ~3,000 sports communities
placed at the demo sites with members drawn from the demo residents, gradings (1A-5A, about two
thirds of registered organisations at 3A or above), and an organisation-staff account.

Bulk and deterministic: everything is drawn from the `rng` passed in and written with core.bulk;
credit codes are well formed (organizations.credit.make).
"""

import datetime
import random

from django.db.models import F
from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts import services as accounts
from quanmin.accounts.models import Role, User
from quanmin.core import bulk
from quanmin.facilities.models import Site
from quanmin.organizations import credit, sports
from quanmin.organizations.models import Grading, GroupMembership, Organization
from quanmin.people.models import Station
from quanmin.regions import codes
from quanmin.regions.models import Region

from .accounts import account

Org = Organization
K = Org.Kind
COMMUNITY_GROUPS = 3000
ORG_STAFF_PHONE = "13800000010"
GROUP_WORDS = ("健步走群", "广场舞队", "太极拳队", "夜跑团", "羽毛球群", "乒乓球群", "篮球群", "骑行队", "健身操队",
               "门球队", "跳绳群", "瑜伽群", "登山队", "钓鱼协会群", "棋友群")
GROUP_SPORTS = ("walking", "square_dance", "taiji", "running", "badminton", "table_tennis", "basketball", "cycling",
                "aerobics", "gateball", "rope_skipping", "yoga", "mountaineering", "fishing", "chess")
ASSOCIATION_SPORTS = ("basketball", "football", "table_tennis", "badminton", "swimming", "athletics", "martial_arts",
                      "taiji", "qigong", "tennis", "volleyball", "chess", "cycling", "square_dance", "dragon_boat")
GROUP_ASSOCIATIONS = (("老年人体育协会", "elderly"), ("残疾人体育协会", "disabled"), ("职工体育协会", "workplace"),
                      ("青少年体育协会", "youth"))
CLUBS = (("青少年足球俱乐部", "youth", "football"), ("青少年篮球俱乐部", "youth", "basketball"),
         ("游泳俱乐部", "general", "swimming"), ("跆拳道俱乐部", "youth", "martial_arts"),
         ("学校体育俱乐部", "school", "athletics"), ("羽毛球俱乐部", "general", "badminton"),
         ("网球俱乐部", "general", "tennis"), ("自行车俱乐部", "general", "cycling"))
OFFICER_NAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"


class _Maker:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.serial = 0
        self.orgs: list[Org] = []

    def org(self, name: str, kind: str, region_code: str, status: str, **extra) -> Org:
        self.serial += 1
        code = credit.make("1", codes.prefix_at(region_code, "county"), self.serial) \
            if status == Org.Status.REGISTERED else ""
        rng = self.rng
        found = Org(name=name[:120], kind=kind, status=status, review=Org.Review.APPROVED, credit_code=code,
                    region_id=region_code, founded_on=datetime.date(rng.randint(1995, 2024), rng.randint(1, 12),
                                                                     rng.randint(1, 28)),
                    officers=[{"post": "会长", "name": rng.choice(OFFICER_NAMES) + rng.choice("建国志明秀英丽华军")}],
                    party_branch=rng.random() < 0.6, decoupled=status == Org.Status.REGISTERED,
                    governance=rng.random() < 0.7, independent=rng.random() < 0.6, **extra)
        self.orgs.append(found)
        return found


def _sports(*found: str) -> str:
    return f",{','.join(found)}," if found else ""


def _sites_by_county(city: Region) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for region, lon, lat, pk in Site.objects.filter(region__code__within=city.prefix).values_list(
            "region_id", "lon", "lat", "pk"):
        out.setdefault(codes.prefix_at(region, "county"), []).append((lon, lat, pk, region))
    return out


def load(city: Region, rng: random.Random, community_groups: int = COMMUNITY_GROUPS) -> dict:
    """Fill the city with organisations; does nothing if it already has some."""
    if Org.objects.filter(region__code__within=city.prefix).exists():
        return {"organizations": 0, "groups": 0, "gradings": 0, "members": 0, "org_staff": None}
    make = _Maker(rng)
    regions = list(Region.objects.filter(code__within=city.prefix).values_list("code", "name", "level", "parent_id"))
    counties = [r for r in regions if r[2] == "county"]
    townships = [r for r in regions if r[2] == "township"]
    communities = [r for r in regions if r[2] == "community"]
    sites = _sites_by_county(city)

    city_fed = make.org(f"{city.name}体育总会", K.FEDERATION, city.code, Org.Status.REGISTERED)
    bulk.insert_rows([city_fed], ids=True)
    make.orgs.clear()
    county_feds = {}
    for code, name, _level, _parent in counties:
        county_feds[code] = make.org(f"{name}体育总会", K.FEDERATION, code, Org.Status.REGISTERED, parent=city_fed)
    bulk.insert_rows(list(county_feds.values()), ids=True)
    make.orgs.clear()

    for i, (code, name, _level, _parent) in enumerate(counties):
        short = i >= len(counties) - max(1, len(counties) // 4)  # Liaocheng: the last two of eight
        registered = rng.randint(12, 21) if short else rng.randint(27, 40)
        fed = county_feds[code]
        for n in range(registered):
            roll = rng.random()
            if roll < 0.55:
                sport = ASSOCIATION_SPORTS[n % len(ASSOCIATION_SPORTS)]
                label = sports.SPORTS[sport][0]
                make.org(f"{name}{label}协会" + (f"（{n // len(ASSOCIATION_SPORTS) + 1}）" if n >= len(ASSOCIATION_SPORTS) else ""),
                         K.ASSOCIATION, code, Org.Status.REGISTERED, sports=_sports(sport), parent=fed)
            elif roll < 0.7:
                word, sector = GROUP_ASSOCIATIONS[n % len(GROUP_ASSOCIATIONS)]
                make.org(f"{name}{word}{n}", K.GROUP_ASSOCIATION, code, Org.Status.REGISTERED, sector=sector, parent=fed)
            else:
                word, sector, sport = CLUBS[n % len(CLUBS)]
                make.org(f"{name}{word}{n}", K.CLUB, code, Org.Status.REGISTERED, sector=sector, sports=_sports(sport),
                         parent=fed)
        for n in range(rng.randint(3, 8)):  # filed clubs
            word, sector, sport = CLUBS[(n + 3) % len(CLUBS)]
            make.org(f"{name}社区{word}{n}", K.CLUB, code, Org.Status.FILED, sector=sector, sports=_sports(sport))

    for code, name, _level, parent in townships:
        make.org(f"{name}体育总会", K.FEDERATION, code, Org.Status.FILED if rng.random() < 0.6 else Org.Status.REGISTERED,
                 parent=county_feds.get(parent))
        for n in range(rng.randint(1, 3)):
            pick = rng.choice(sites.get(codes.prefix_at(code, "county"), [(None, None, None, None)]))
            make.org(f"{name}健身站{n + 1}", K.FITNESS_POINT, code, Org.Status.FILED, sports=_sports("square_dance", "taiji"),
                     lon=pick[0], lat=pick[1], site_id=pick[2], join_policy=Org.JoinPolicy.OPEN, meets=Org.Time.MORNING)
    # B08: most fitness points of the instructor register are filed here too, under the same name, and
    # linked, so that the one count of stations (people's fitness_stations) counts each once.
    linked = []
    for station in Station.objects.filter(region__code__within=city.prefix, kind=Station.Kind.POINT,
                                          organization__isnull=True).select_related("site").order_by("id"):
        if rng.random() < 0.6:
            site = station.site
            linked.append((station, make.org(station.name, K.FITNESS_POINT, station.region_id, Org.Status.FILED,
                                             sports=station.sports, site_id=station.site_id,
                                             lon=site.lon if site else None, lat=site.lat if site else None,
                                             join_policy=Org.JoinPolicy.OPEN, schedule=station.times)))
    bulk.insert_rows(make.orgs, ids=True)
    for station, org in linked:
        station.organization_id = org.pk
    Station.objects.bulk_update([s for s, _o in linked], ["organization"], batch_size=500)
    registered = [o for o in [city_fed, *county_feds.values(), *make.orgs] if o.status == Org.Status.REGISTERED]
    make.orgs = []

    by_county_communities: dict[str, list] = {}
    for code, name, _level, _parent in communities:
        by_county_communities.setdefault(codes.prefix_at(code, "county"), []).append((code, name))
    for n in range(community_groups):
        code, name = rng.choice(communities)[:2]
        i = rng.randrange(len(GROUP_WORDS))
        found = sites.get(codes.prefix_at(code, "county"))
        lon = lat = None
        if found:
            lon, lat = rng.choice(found)[:2]
            lon, lat = lon + rng.uniform(-0.004, 0.004), lat + rng.uniform(-0.003, 0.003)
        policy = rng.choices([Org.JoinPolicy.OPEN, Org.JoinPolicy.APPROVAL, Org.JoinPolicy.CLOSED], [5, 4, 1])[0]
        make.org(f"{name[:10]}{GROUP_WORDS[i]}{n}", K.COMMUNITY_GROUP, code, Org.Status.FILED,
                 sports=_sports(GROUP_SPORTS[i]), lon=lon, lat=lat, join_policy=policy,
                 member_cap=rng.choice([None, 30, 50, 100]), meets=rng.choice(Org.Time.values),
                 schedule=rng.choice(["每天早上6:30", "每周二、四晚上7:00", "周六上午9:00", "每天晚上7:30"]))
    bulk.insert_rows(make.orgs, ids=True)
    groups = make.orgs

    gradings = _gradings(rng, registered)
    members = _members(rng, city, groups)
    staff = _org_staff(city, groups)
    return {"organizations": Org.objects.count(), "groups": len(groups), "gradings": gradings, "members": members,
            "org_staff": staff}


def _gradings(rng: random.Random, registered: list[Org]) -> int:
    today = timezone.localdate()
    rows = []
    for org in registered:
        if rng.random() > 0.8:
            continue
        grade = rng.choices([1, 2, 3, 4, 5], [3, 12, 55, 22, 8])[0]
        assessed = today - datetime.timedelta(days=rng.randint(30, 1700))
        rows.append({"organization_id": org.pk, "grade": grade, "assessed_on": assessed,
                     "valid_until": assessed + datetime.timedelta(days=5 * 365), "assessor": "聊城市民政局",
                     "created_at": timezone.now()})
    bulk.insert_values(Grading, rows)
    return len(rows)


def _members(rng: random.Random, city: Region, groups: list[Org]) -> int:
    people = list(User.objects.filter(memberships__isnull=True, is_superuser=False, home_region__isnull=False,
                                      birth_date__lte=datetime.date(2007, 1, 1)).values_list("pk", flat=True))
    if not people:
        return 0
    now = timezone.now()
    rows, counts = [], {}
    for org in groups:
        if org.join_policy == Org.JoinPolicy.CLOSED and rng.random() < 0.5:
            continue
        n = min(rng.randint(0, 8), org.member_cap or 8, len(people))
        for user in rng.sample(people, n):
            rows.append({"organization_id": org.pk, "user_id": user, "status": GroupMembership.Status.ACTIVE,
                         "requested_at": now, "decided_at": now})
        counts[org.pk] = n
        if org.join_policy == Org.JoinPolicy.APPROVAL and rng.random() < 0.2:
            others = [p for p in people if p not in {r["user_id"] for r in rows[-n:]}] if n else people
            rows.append({"organization_id": org.pk, "user_id": rng.choice(others), "status": GroupMembership.Status.PENDING,
                         "requested_at": now, "message": "想参加，请通过"})
    bulk.insert_values(GroupMembership, rows)
    by_count: dict[int, list[int]] = {}
    for pk, n in counts.items():
        by_count.setdefault(n, []).append(pk)
    for n, pks in by_count.items():
        for start in range(0, len(pks), 500):
            Org.objects.filter(pk__in=pks[start:start + 500]).update(member_count=F("member_count") + n)
    return len(rows)


def _org_staff(city: Region, groups: list[Org]) -> User | None:
    """The demo's organisation staff: the first sports community of the main county's first community."""
    first = Org.objects.filter(kind=K.COMMUNITY_GROUP, region__code__within=city.prefix).order_by("region_id", "pk").first()
    if first is None:
        return None
    user = account(ORG_STAFF_PHONE, "周敏", region=first.region)
    accounts.grant_membership(user, Role.ORG_STAFF, first.region, target=first)
    return user


def describe() -> list[tuple[str, str]]:
    user = User.objects.filter(phone_hash=crypto.lookup_hash(ORG_STAFF_PHONE)).first()
    if user is None:
        return []
    names = [str(m.target) for m in user.memberships.filter(role=Role.ORG_STAFF)]
    return [(ORG_STAFF_PHONE, f"{user.real_name}: {Role.ORG_STAFF.label} · {'、'.join(names)}")]
