"""Demo social sports instructors for the demo city (Liaocheng): about 20,000 instructors across its
divisions, ~400 guidance stations with regular bookable sessions, a year of training and of service
logs, dual posts, a supplier directory, skills contests, questions from residents, and volunteer
service (B07): the “运动家”志愿服务联盟 and a county brand, past activities with the hours served and
upcoming ones, online and on site, open to sign up.

The numbers are shaped after the seeds: Liaocheng's plan asks for 37 instructors per 10,000
residents by 2023 (000), so the city stands near it with some counties below and some above, and a
few communities have no instructor at all (B03's list is not empty); each county has an instructor
post in 60-95 % of its communities, two thirds of them held over a year (stable); about 5 % of the
instructors are core (B06), 3 % serve disabled people and most counties ran a class for them (B13). Associations: the city's (for second grade and above) and one per county (B09).

Everything is drawn from the `rng` passed in and written with core.bulk (executemany, COPY on
PostgreSQL); only the stations' booking units and weekly times go through booking's services.
"""

from __future__ import annotations

import datetime
import functools
import random
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts import services as account_services
from quanmin.accounts.models import Role, User
from quanmin.core import bulk
from quanmin.facilities.models import Site
from quanmin.people import logs as log_services
from quanmin.people import stations as station_services
from quanmin.people import volunteering
from quanmin.people.models import (
    APPROVER,
    Contest,
    ContestResult,
    DutyLog,
    Enrollment,
    GradeRecord,
    GuidanceRequest,
    Instructor,
    Post,
    Sport,
    Station,
    Supplier,
    Training,
)
from quanmin.regions import codes
from quanmin.regions.models import Region

from .accounts import GIVEN, SURNAMES, account, make_id_number

STATION_STAFF_PHONE = "13800000090"
INSTRUCTOR_PHONE = "13900000090"
GRADES = [("third", 0.70), ("second", 0.22), ("first", 0.07), ("national", 0.01)]
SPORTS = [s for s in Sport.values if s != "other"]
POPULAR = ["square_dance", "taiji", "walking", "qigong", "aerobics", "table_tennis", "badminton", "equipment"]
ACTIVITIES = {"square_dance": "广场舞教学", "taiji": "太极拳晨练指导", "walking": "健步走带队", "qigong": "八段锦教学",
              "aerobics": "健身操带练", "table_tennis": "乒乓球技术指导", "badminton": "羽毛球训练",
              "equipment": "健身器材使用指导"}
SETTINGS = ["organ", "community", "village", "school", "enterprise"]
KINDS = ("guidance", "point")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


@functools.cache
def _county(code: str) -> str:
    return codes.prefix_at(code, "county")


@functools.cache
def _township(code: str) -> str:
    return codes.prefix_at(code, "township")


def _aware(day: datetime.date, minutes: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0)) + datetime.timedelta(minutes=minutes))


def _weighted(rng: random.Random, pairs):
    x, total = rng.random(), 0.0
    for value, weight in pairs:
        total += weight
        if x < total:
            return value
    return pairs[-1][0]


def _plan(city: Region, rng: random.Random, total: int) -> dict[str, int]:
    """Instructors per community: population-weighted, each county with its own factor (some under the
    target, some over), a few communities with none."""
    communities = list(Region.objects.filter(code__within=city.prefix, level="community")
                       .values_list("code", "population"))
    counties = sorted({_county(code) for code, _p in communities})
    factor = {c: rng.choice((0.55, 0.7, 0.85, 1.0, 1.3, 1.6)) for c in counties}
    empty = set(rng.sample([c for c, _p in communities], max(3, len(communities) // 60)))
    weights = {code: (pop or 2000) * factor[_county(code)] for code, pop in communities if code not in empty}
    scale = total / sum(weights.values())
    return {code: max(0, round(w * scale + rng.random() - 0.5)) for code, w in weights.items()}


def _instructors(city: Region, rng: random.Random, total: int, today: datetime.date) -> list[Instructor]:
    counties = {_county(r.code): r for r in Region.objects.filter(parent=city)}
    used: set[str] = set()
    people: list[Instructor] = []
    for code, count in _plan(city, rng, total).items():
        county = counties.get(_county(code))
        for _n in range(count):
            male = rng.random() < 0.45
            while True:
                birth = datetime.date(rng.randint(1955, 2003), rng.randint(1, 12), rng.randint(1, 28))
                id_number = make_id_number(code, birth.strftime("%Y%m%d"), rng.randint(0, 499), male)
                if id_number not in used:
                    used.add(id_number)
                    break
            grade = _weighted(rng, GRADES)
            phone = f"1{rng.choice('35789')}{rng.randint(0, 999999999):09d}"
            status = _weighted(rng, [("active", 0.88), ("lapsed", 0.10), ("revoked", 0.02)])
            sports = rng.sample(POPULAR, rng.choice((1, 1, 2, 3)))
            association = (f"{city.name}社会体育指导员协会" if grade != "third" or rng.random() < 0.1
                           else f"{county.name if county else city.name}社会体育指导员协会")
            people.append(Instructor(
                kind=_weighted(rng, [("instructor", 0.95), ("volunteer", 0.03), ("pe_student", 0.02)]),
                real_name=_name(rng), id_number_hash=crypto.lookup_hash(id_number),
                id_number_enc=crypto.encrypt(id_number), phone_hash=crypto.lookup_hash(phone),
                phone_enc=crypto.encrypt(phone), sex="male" if male else "female", birth_date=birth, region_id=code,
                grade=grade, certificate_no=f"SD{_county(code)}{len(people):06d}", approval_level=APPROVER[grade],
                approved_on=today - datetime.timedelta(days=rng.randint(30, 3650)),
                sports=f",{','.join(sports)},", association=association, status=status,
                core=status == "active" and grade != "third" and rng.random() < 0.2,
                serves_disabled=rng.random() < 0.03,
                public_name=_weighted(rng, [("surname", 0.7), ("full", 0.25), ("hidden", 0.05)]), created_at=None))
    bulk.insert_rows(people, ids=True)
    bulk.insert_rows([GradeRecord(instructor=p, action="imported", grade=p.grade, certificate_no=p.certificate_no,
                                  approval_level=p.approval_level, on=p.approved_on, at=None) for p in people])
    return people


def _stations(city: Region, rng: random.Random, people: list[Instructor], count: int, staff) -> list[Station]:
    sites = list(Site.objects.filter(region__code__within=city.prefix, status="open")
                 .annotate(n=Count("facilities")).filter(n__gt=0).order_by("id").select_related("region"))
    chosen = rng.sample(sites, min(count, len(sites)))
    by_township: dict[str, list[Instructor]] = {}
    for p in people:
        if p.status == "active" and p.kind == "instructor":
            by_township.setdefault(_township(p.region_id), []).append(p)
    out = []
    for n, site in enumerate(chosen):
        pool = by_township.get(_township(site.region_id)) or []
        on_duty = rng.sample(pool, min(len(pool), rng.randint(2, 6)))
        sports = sorted({s for p in on_duty for s in p.sports.strip(",").split(",") if s}) or ["walking"]
        start = rng.choice((6 * 60, 6 * 60 + 30, 7 * 60, 18 * 60 + 30, 19 * 60))
        kind = KINDS[n % 5 == 0]
        station = Station(name=f"{site.name}{'健身指导站' if kind == 'guidance' else '健身站点'}", kind=kind,
                          region_id=site.region_id, site=site, sports=f",{','.join(sports[:4])},",
                          times=f"每天 {start // 60}:{start % 60:02d}-{start // 60 + 1}:{start % 60:02d}")
        station.on_duty, station.start = on_duty, start
        out.append(station)
    bulk.insert_rows(out, ids=True)
    through = Station.instructors.through
    bulk.insert_rows([through(station_id=s.pk, instructor_id=p.pk) for s in out for p in s.on_duty])
    # A regular guided session a week at each station, bookable through booking's services (each
    # weekly time makes the unit's slots: one a station keeps the demo's load time down).
    for station in out:
        start = datetime.time(station.start // 60, station.start % 60)
        station_services.add_session(station, weekday=rng.randint(0, 6), start=start,
                                     end=datetime.time(start.hour + 1, start.minute),
                                     capacity=rng.choice((20, 30, 40)), by=staff)
    return out


def _logs(rng: random.Random, people: list[Instructor], stations: list[Station], today: datetime.date,
          confirmer: User) -> int:
    """A year of services: about two thirds of the active instructors served, most several times.
    Written as plain rows (no model instances: 50,000 of them cost the demo half its time)."""
    serves: dict[int, list[Station]] = {}
    for s in stations:
        for p in s.on_duty:
            serves.setdefault(p.pk, []).append(s)
    sites_by_county: dict[str, list[Site]] = {}
    for s in stations:
        sites_by_county.setdefault(_county(s.region_id), []).append(s.site)
    now = timezone.now()
    midnight = {back: _aware(today - datetime.timedelta(days=back), 0) for back in range(1, 366)}
    hours = {minutes: Decimal(minutes) / 60 for minutes in (60, 90, 120)}
    logs = []
    for p in people:
        if p.status != "active" or rng.random() > (0.85 if p.pk in serves else 0.6):
            continue
        places = serves.get(p.pk)
        sites = sites_by_county.get(_county(p.region_id)) or []
        if not places and not sites:
            continue
        sports = p.sports.strip(",").split(",")
        for day_back in sorted(rng.sample(range(1, 365), rng.choice((1, 2, 3, 4, 6, 8, 12)))):
            started = midnight[day_back] + datetime.timedelta(minutes=rng.choice((390, 420, 540, 900, 1140)))
            minutes = rng.choice((60, 90, 120))
            ended = started + datetime.timedelta(minutes=minutes)
            station = rng.choice(places) if places else None
            site = station.site if station else rng.choice(sites)
            sport = rng.choice(sports)
            status = _weighted(rng, [("confirmed", 0.9), ("pending", 0.08), ("rejected", 0.02)])
            decided = ended + datetime.timedelta(hours=rng.randint(1, 48)) if status != "pending" else None
            if decided is not None and decided > now:
                status, decided = "pending", None
            logs.append({
                "instructor_id": p.pk, "station_id": station.pk if station else None, "site_id": site.pk,
                "region_id": site.region_id, "started_at": started, "ended_at": ended, "hours": hours[minutes],
                "activity": ACTIVITIES.get(sport, "健身指导"), "sport": sport,
                "setting": rng.choice(SETTINGS) if rng.random() < 0.08 else "", "people_guided": rng.randint(5, 60),
                "status": status, "confirmed_by_id": confirmer.pk if decided else None, "confirmed_at": decided,
                "created_at": ended})
    bulk.insert_values(DutyLog, logs)
    log_services.note_last_services()  # the logs went in without decide(): their instructors' last service
    return len(logs)


def _training(city: Region, rng: random.Random, people: list[Instructor], today: datetime.date) -> int:
    counties = list(Region.objects.filter(parent=city).order_by("code"))
    by_county: dict[str, list[Instructor]] = {}
    for p in people:
        if p.status in ("active", "lapsed"):
            by_county.setdefault(_county(p.region_id), []).append(p)
    courses, enrolments = [], []
    for county in counties:
        for k in range(rng.randint(3, 6)):
            starts = today - datetime.timedelta(days=rng.randint(10, 330))
            kind = ("grade", "continuing", "special")[k % 3]
            hours = Decimal((24, 16, 8)[k % 3])
            course = Training(title=f"{county.name}{today.year}年社会体育指导员{dict(Training.Kind.choices)[kind]}第{k + 1}期",
                              kind=kind, grade="third", organiser=f"{county.name}教育和体育局", region=county,
                              starts_on=starts, ends_on=starts + datetime.timedelta(days=2), hours=hours,
                              capacity=80, created_at=None)
            course.members = rng.sample(by_county.get(_county(county.code), []), min(60, len(by_county.get(_county(county.code), []))))
            courses.append(course)
        # A special class for serving disabled people (B13) in most counties, its members those who do.
        serving = [p for p in by_county.get(_county(county.code), []) if p.serves_disabled]
        if serving and rng.random() < 0.75:
            starts = today - datetime.timedelta(days=rng.randint(10, 300))
            course = Training(title=f"{county.name}{today.year}年助残健身指导专项培训班", kind="special", grade="third",
                              organiser=f"{county.name}教育和体育局、{county.name}残疾人联合会", region=county,
                              starts_on=starts, ends_on=starts + datetime.timedelta(days=1), hours=Decimal(12),
                              capacity=40, for_disabled=True, created_at=None)
            course.members = rng.sample(serving, min(40, len(serving)))
            courses.append(course)
    bulk.insert_rows(courses, ids=True)
    for course in courses:
        for p in course.members:
            passed = rng.random() < 0.9
            enrolments.append(Enrollment(training=course, instructor_id=p.pk, attended_hours=course.hours if passed
                                         else course.hours / 2, passed=passed, result_on=course.ends_on, created_at=None))
    bulk.insert_rows(enrolments)
    return len(enrolments)


def _pools(city: Region, rng: random.Random, people: list[Instructor], stations: list[Station],
           today: datetime.date) -> None:
    communities = list(Region.objects.filter(code__within=city.prefix, level="community").values_list("code", flat=True))
    active = [p for p in people if p.status == "active" and p.kind == "instructor"]
    posts = []
    holders, nearby = {}, {}
    for p in active:
        holders.setdefault(p.region_id, p)
        nearby.setdefault(_township(p.region_id), []).append(p)
    # Instructor posts (配备, B03): each county has appointed one in most of its communities (its own
    # share, 60-95%), to someone living there or else in the same township; about two thirds were
    # appointed over a year ago (a stable instructor), the rest this year.
    assigned = {codes.ancestor_at(code, "county"): 0.60 + 0.35 * rng.random() for code in communities}
    for code in communities:
        holder = holders.get(code) or (rng.choice(nearby[_township(code)]) if nearby.get(_township(code)) else None)
        if holder is not None and rng.random() < assigned[codes.ancestor_at(code, "county")]:
            posts.append(Post(kind="instructor", instructor_id=holder.pk, person_name=holder.real_name, region_id=code,
                              appointed_on=today - datetime.timedelta(days=rng.randint(30, 1100)), created_at=None))
    # Community sports staff (C13): a grassroots sports committee member in most communities, fewer in
    # the counties that have not finished appointing (each county its own share, 70-98%).
    share = {codes.ancestor_at(code, "county"): 0.70 + 0.28 * rng.random() for code in communities}
    for code in communities:
        if rng.random() < share[codes.ancestor_at(code, "county")]:
            posts.append(Post(kind="sports_committee_member", person_name=_name(rng), region_id=code,
                              appointed_on=today - datetime.timedelta(days=rng.randint(30, 700)), created_at=None))
    bulk.insert_rows(posts)
    counties = list(Region.objects.filter(parent=city).order_by("code"))
    suppliers = []
    for county in counties:
        for kind, name in (("expert", f"{_name(rng)}（运动医学）"), ("pe_teacher", f"{_name(rng)}（{county.name}第一中学）"),
                           ("organization", f"{county.name}健身气功协会"), ("company", f"{county.name}动感健身有限公司")):
            suppliers.append(Supplier(kind=kind, name=name, region=county, sports=f",{rng.choice(POPULAR)},",
                                      specialty="科学健身讲座、运动处方指导", serves_disabled=rng.random() < 0.2,
                                      created_at=None))
    bulk.insert_rows(suppliers)
    contest = Contest.objects.create(title=f"{city.name}社会体育指导员技能大比武", region=city,
                                     held_on=today - datetime.timedelta(days=60), sport="taiji")
    bulk.insert_rows([ContestResult(contest=contest, instructor_id=p.pk, rank=n + 1,
                                    award=("一等奖" if n < 3 else "二等奖" if n < 10 else "优秀奖"))
                      for n, p in enumerate(rng.sample(active, min(30, len(active))))])
    residents = list(User.objects.filter(memberships__isnull=True, is_superuser=False).order_by("id")[:20])
    asked = []
    for user in residents:
        station = rng.choice(stations)
        asked.append(GuidanceRequest(station=station, user=user, region_id=station.region_id, sport="taiji",
                                     message="想学太极拳，零基础可以参加吗？", created_at=None))
    bulk.insert_rows(asked)


def _volunteering(city: Region, rng: random.Random, people: list[Instructor], staff, mine: Instructor) -> int:
    """Brands, activities and sign-ups through the services; past activities with the hours served."""
    county = Region.objects.filter(parent=city).order_by("code").first()
    alliance = volunteering.save_brand({"name": "“运动家”志愿服务联盟", "kind": "alliance", "region": city.code,
                                        "organiser": f"{city.name}体育局、{city.name}文明办",
                                        "founded_on": datetime.date(2021, 8, 8),
                                        "description": "全民健身志愿者线上线下服务联盟"}, by=staff)
    brand = volunteering.save_brand({"name": f"{county.name}“健身先锋”志愿服务队", "kind": "brand",
                                     "region": county.code, "organiser": f"{county.name}文体局"}, by=staff)
    sites = list(Site.objects.filter(region__code__within=codes.prefix(city.code)).order_by("id")[:20])
    pool = [p for p in people if p.status == "active" and p.kind in ("volunteer", "instructor")]
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    plans = [("东昌湖健步走大会志愿服务", "service", "offline", alliance, -40, 4, 30),
             ("全民健身日广场志愿服务", "service", "offline", alliance, -120, 5, 40),
             ("科学健身线上直播答疑", "service", "online", alliance, -20, 2, 15),
             ("“健身先锋”社区健身器材巡查", "service", "offline", brand, -10, 3, 12),
             ("招募全民健身志愿者骨干", "recruit", "offline", alliance, 6, 3, 50),
             ("周末线上健身操带练", "service", "online", alliance, 3, 1, 20),
             (f"{county.name}马拉松赛道志愿服务", "service", "offline", brand, 12, 6, 60)]
    served = 0
    for n, (title, purpose, mode, owner, days, hours, places) in enumerate(plans):
        start = (now + datetime.timedelta(days=days)).replace(hour=8 if mode == "offline" else 19)
        site = sites[n % len(sites)] if sites and mode == "offline" else None
        activity = volunteering.create_activity({
            "title": title, "purpose": purpose, "mode": mode, "brand": owner.pk, "region": owner.region_id,
            "organiser": owner.organiser, "site": site.pk if site else None,
            "place": "" if site or mode == "online" else "东昌湖风景区",
            "link": "https://live.liaocheng.example.cn/yundongjia" if mode == "online" else "",
            "starts_at": start, "ends_at": start + datetime.timedelta(hours=hours), "places": places,
            "description": "请提前15分钟到场签到，佩戴志愿者标识。" if mode == "offline" else "报名后可见直播链接。"},
            by=staff)
        chosen = rng.sample(pool, min(len(pool), places * 2 // 3))
        if mine not in chosen:
            chosen.append(mine)
        for person in chosen:
            signup = volunteering.add_volunteer(activity, person, by=staff)
            if days < 0:
                came = rng.random() < 0.9
                volunteering.record_service(signup, served=came, by=staff,
                                            hours=Decimal(hours) - (Decimal("0.5") if rng.random() < 0.3 else 0))
                served += came
    return served


def load(city: Region, rng: random.Random, *, instructors: int = 20000, stations: int = 400) -> dict:
    today = timezone.localdate()
    county = Region.objects.filter(parent=city).order_by("code").first()
    staff = User.objects.filter(memberships__role=Role.CITY_STAFF).first() or account(
        "13800000001", "孙建国", region=city)
    people = _instructors(city, rng, instructors, today)
    made = _stations(city, rng, people, stations, staff)
    # A station's own staff (the role bound to one station) and an instructor with an account.
    first = made[0]
    keeper = account(STATION_STAFF_PHONE, "韩立新", region=first.region)
    account_services.grant_membership(keeper, Role.STATION_STAFF, first.region, target=first)
    mine = first.on_duty[0] if first.on_duty else next(p for p in people if p.status == "active")
    user = account(INSTRUCTOR_PHONE, mine.real_name, mine.id_number, Region.objects.get(code=mine.region_id))
    Instructor.objects.filter(pk=mine.pk).update(user=user)
    logs = _logs(rng, people, made, today, staff)
    trained = _training(city, rng, people, today)
    _pools(city, rng, people, made, today)
    volunteered = _volunteering(city, rng, people, staff, Instructor.objects.get(pk=mine.pk))
    return {"instructors": len(people), "stations": len(made), "logs": logs, "enrolments": trained,
            "volunteer_services": volunteered, "county": county.code if county else None}


def describe() -> list[tuple[str, str]]:
    out = []
    for phone, what in ((STATION_STAFF_PHONE, "健身指导站工作人员"), (INSTRUCTOR_PHONE, "社会体育指导员")):
        user = User.objects.filter(phone_hash=crypto.lookup_hash(phone)).first()
        if user is not None:
            out.append((phone, f"{user.real_name}: {what}"))
    return out
