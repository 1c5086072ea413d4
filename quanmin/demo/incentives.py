"""Demo points and vouchers for the demo city (runs after booking, physique, people, organisations
and events, whose facts it credits).

What it makes (deterministic for a seed; through the services, as the city would):
- the city's points rules (a check-in 10 points, at most 30 a day; an event entry 20, a finish 30; a
  physique test 50, at most 100 a year; an exercise standard test 50, at most 50 a year; group
  activities, instructor services, volunteer hours);
- points credited from every fact the demo holds (its bookings, tests, entries and results of the
  past year), by the same crediting run cron does, and the people with the most points spending
  some on a court booking and on the entry fee of a paid race in the city's next games (30 yuan,
  paid on site); the city's rate and cap for spending points set by its staff;
- a finished campaign (claimed three months ago, usable for a month) at the venues that joined:
  the booking demo's stadium and school ground and a commercial venue of the city; most vouchers
  redeemed at the counter by the venues' operators, the rest expired back into the pool; each venue's
  settlement drafted, confirmed by the venue and approved by the city;
- an open campaign for the public-benefit hours of the coming weeks, a quarter of it claimed;
- a venue operator for the commercial venue (phone 13800000040, the demo password);
- honours: last year's 健身达人 selection published with its winners after a public vote, and this
  year's 健身最美家庭 in its public vote, families put forward by residents and reviewed by staff.
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from quanmin.accounts import services as accounts
from quanmin.accounts.crypto import lookup_hash
from quanmin.accounts.models import Membership, Role, User
from quanmin.booking import services as booking_services
from quanmin.booking.models import Slot
from quanmin.core.errors import ServiceError
from quanmin.events import services as events_services
from quanmin.events import services_entries
from quanmin.events.models import Competition, EntryFee, Games
from quanmin.facilities.models import Site
from quanmin.incentives import honours, points, settlements, spending, vouchers
from quanmin.incentives.models import PointsAccount, Settlement, Voucher
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import accounts as accounts_demo

RULES = [  # fact, points, a day at most, a year at most
    ("check_in", 10, 30, 2000), ("group_activity", 10, 20, None), ("instructor_service", 20, 40, None),
    ("volunteer_hour", 15, 60, None), ("event_entry", 20, None, 400), ("event_finish", 30, None, None),
    ("physique_test", 50, None, 100), ("exercise_standard", 50, None, 50),
]
OPERATOR = ("13800000040", "冯晓东")


def _operator_sites() -> dict[int, User]:
    found = {}
    for m in Membership.objects.filter(role=Role.OPERATOR, target_id__isnull=False).select_related("user", "target_type"):
        if (m.target_type.app_label, m.target_type.model) == ("facilities", "site"):
            found.setdefault(m.target_id, m.user)
    return found


def _commercial_site(city: Region, taken: set[int]) -> Site | None:
    return (Site.objects.filter(region__code__startswith=codes.prefix(city.code), status=Site.Status.OPEN,
                                owner_kind__in=[Site.OwnerKind.ENTERPRISE, Site.OwnerKind.PRIVATE])
            .exclude(pk__in=taken).order_by("pk").first())


def _residents() -> list[User]:
    staff = Membership.objects.values("user_id")
    return list(User.objects.exclude(id_number_hash="").exclude(real_name="").exclude(pk__in=staff)
                .filter(is_superuser=False).order_by("pk")[:400])


def _spend_points(city: Region, rng: random.Random) -> int:
    """The people with the most points spend some on a paid court in the coming days (hold, points
    off the price, confirm), as they would on the phone."""
    rate = spending.rate_for(city.code)
    per_yuan = rate.points_per_yuan
    rich = list(PointsAccount.objects.filter(balance__gte=per_yuan).order_by("-balance", "user_id")[:12])
    slots = list(Slot.objects.filter(start__gt=timezone.now() + datetime.timedelta(days=1), price__gt=0, blocked=False,
                                     unit__kind="slot", taken=0).order_by("start", "pk")[:200])
    done = 0
    for account in rich:
        if not slots:
            break
        slot = slots.pop(rng.randrange(len(slots)))
        try:
            booking = booking_services.hold(account.user, slot.pk)
            most = spending.most_points(rate, booking.price)
            spending.points_for_booking(account.user, booking.pk, min(account.balance // per_yuan * per_yuan, most))
            booking_services.confirm(booking)
            done += 1
        except ServiceError:
            continue
    return done


def _points_on_entry_fees(city: Region, staff: User) -> int:
    """A paid race (30 yuan, paid on site) in the city's next games still taking entries; the people
    with the most points enter it and pay part of the fee with points, as they would on the phone."""
    now = timezone.now()
    competition = (Competition.objects.filter(games__region__code__startswith=codes.prefix(city.code), games__status=Games.Status.PUBLISHED,
                                              closes_at__gt=now + datetime.timedelta(days=2),
                                              entries__in=[Competition.Entries.OPEN, Competition.Entries.BOTH])
                   .select_related("games").order_by("starts_at").first())
    if competition is None:
        return 0
    paid = events_services.add_competition(staff, competition.games, {
        "sport": competition.sport, "name": "健步走（收费组）", "capacity": 200, "residents_only": False,
        "entries": Competition.Entries.OPEN, "fee": Decimal("30"), "starts_at": competition.starts_at,
        "ends_at": competition.ends_at, "closes_at": competition.closes_at})
    rate = spending.rate_for(city.code)
    done = 0
    for account in PointsAccount.objects.filter(balance__gte=rate.points_per_yuan).select_related("user").order_by(
            "-balance", "user_id")[:8]:
        try:
            entry = services_entries.enter(account.user, paid.pk)
            fee = EntryFee.objects.get(entry=entry)
            wanted = min(account.balance, spending.most_points(rate, fee.amount))
            spending.points_for_entry(account.user, entry.pk, wanted // rate.points_per_yuan * rate.points_per_yuan)
            done += 1
        except (ServiceError, EntryFee.DoesNotExist):
            continue
    points.credit()  # the entries are facts too: credited as the next tick would
    return done


FAMILIES = ["张家", "李家", "王家", "刘家", "陈家", "杨家", "赵家", "黄家"]
STARS = [("王秀兰", "每天清晨带领社区居民跳广场舞十年"), ("李建国", "坚持冬泳二十年，义务教授游泳"),
         ("刘芳", "组建社区跑团，带动两百多人参加马拉松"), ("陈志强", "退休后义务指导太极拳"),
         ("赵丽", "带孩子参加亲子运动会并获得多项奖励")]


def _honours(city: Region, staff: User, people: list[User], rng: random.Random) -> dict:
    """Last year's 健身达人 (published, with winners) and this year's 健身最美家庭 in its public vote."""
    year = timezone.localdate().year
    communities = list(Region.objects.filter(code__startswith=codes.prefix(city.code), level="community")
                       .order_by("code")[:40]) or [city]
    past = honours.create(staff, city, {"kind": "fitness_star", "name": f"{city.name}{year - 1}年度“健身达人”评选",
                                        "year": year - 1, "places": 3,
                                        "description": "坚持科学健身、带动身边群众参与全民健身的普通市民。"})
    past = honours.advance(staff, past)
    stars = [honours.nominate(staff, past, {"nominee": n, "citation": why, "region": rng.choice(communities).code})
             for n, why in STARS]
    past = honours.advance(staff, past)
    half = len(people) // 2
    for person in people[:half]:
        try:
            honours.vote(person, rng.choice(stars).pk)
        except ServiceError:
            continue
    ranked = list(honours.standing(past))
    honours.publish(staff, past, [n.pk for n in ranked[:3]])
    now = honours.create(staff, city, {"kind": "family", "name": f"{city.name}{year}年“健身最美家庭”评选", "year": year,
                                       "places": 5, "description": "全家共同参与健身、家庭成员身体素质良好的家庭。"})
    now = honours.advance(staff, now)
    for i, person in enumerate(people[:6]):  # residents put families forward; staff accept most
        try:
            sent = honours.nominate(person, now, {"nominee": FAMILIES[i], "citation": "全家每周一起锻炼三次以上",
                                                  "region": rng.choice(communities).code})
        except ServiceError:
            continue
        honours.review(staff, sent, accept=i != 5)
    now = honours.advance(staff, now)
    families = list(honours.standing(now))
    votes = 0
    for person in people[half:]:
        try:
            honours.vote(person, rng.choice(families).pk)
            votes += 1
        except ServiceError:
            continue
    return {"selections": 2, "votes": votes}


def load(city: Region, rng: random.Random) -> dict:
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    city_staff = User.objects.filter(memberships__role=Role.CITY_STAFF).order_by("pk").first() or admin
    for fact, pts, daily, yearly in RULES:
        points.save_rule(city, {"fact": fact, "points": pts, "daily_cap": daily, "yearly_cap": yearly,
                                "starts_on": timezone.localdate() - datetime.timedelta(days=366)}, by=admin)
    # The city's own rate and cap for spending points, set by its staff (here the platform's defaults).
    spending.save_settings(city, {"points_per_yuan": settings.INCENTIVES_POINTS_PER_YUAN,
                                  "max_share": settings.INCENTIVES_POINTS_MAX_SHARE}, by=city_staff)
    credited = points.credit()
    spent = _spend_points(city, rng)
    on_fees = _points_on_entry_fees(city, city_staff)

    operators = _operator_sites()
    commercial = _commercial_site(city, set(operators))
    if commercial is not None:
        user = accounts_demo.account(OPERATOR[0], OPERATOR[1], region=commercial.region)
        accounts.grant_membership(user, Role.OPERATOR, commercial.region, target=commercial)
        operators[commercial.pk] = user
    sites = Site.objects.filter(pk__in=list(operators)).order_by("pk")
    people = _residents()
    now = timezone.now()
    out = {"points": {k: v["credited"] for k, v in credited.items()}, "points_spent_on": spent,
           "points_on_entry_fees": on_fees, "campaigns": 0,
           "claimed": 0, "redeemed": 0}
    if not sites or not people:
        return out

    # A finished campaign: claimed for a week three months ago, usable for a month, then settled.
    start = now - datetime.timedelta(days=95)
    done = vouchers.create_campaign(city_staff, city, {
        "name": f"{city.name}体育消费券（第一期）", "budget": "9000", "face_value": "30", "threshold": "100", "total": 300,
        "per_person": 2, "per_device": 2, "claim_starts_at": start, "claim_ends_at": start + datetime.timedelta(days=7),
        "use_until": start + datetime.timedelta(days=37), "return_unused": True,
        "bands": [{"days": [0, 1, 2, 3, 4, 5, 6], "start": "08:00", "end": "21:00"}]})
    for site in sites:
        vouchers.add_venue(city_staff, done, site, commercial=site.owner_kind in (Site.OwnerKind.ENTERPRISE,
                                                                                  Site.OwnerKind.PRIVATE))
    vouchers.publish(city_staff, done)
    claimed = []
    for i, person in enumerate(people):
        for _n in range(rng.choice([1, 1, 2])):
            when = start + datetime.timedelta(minutes=rng.randint(0, 3 * 24 * 60))
            try:
                claimed.append(vouchers.claim(person, done.pk, device=f"demo-phone-{person.pk}", address=f"10.1.{i % 200}.{i % 7}",
                                              now=when))
            except ServiceError:
                break
    site_list = list(sites)
    redeemed = 0
    for voucher in claimed:
        if rng.random() < 0.2:
            continue  # never used: it expires back into the pool
        site = rng.choice(site_list)
        day = voucher.claimed_at + datetime.timedelta(days=rng.randint(1, 25))
        when = timezone.localtime(day).replace(hour=rng.randint(9, 19), minute=rng.choice([0, 15, 30, 45]))
        bill = Decimal(rng.choice([100, 120, 150, 180, 200, 260, 300]))
        try:
            vouchers.redeem_at_counter(operators[site.pk], voucher.code, site_id=site.pk, spend=bill, now=when)
            redeemed += 1
        except ServiceError:
            continue
    vouchers.expire_vouchers(now=start + datetime.timedelta(days=38))
    first, last = timezone.localdate(start), timezone.localdate(start + datetime.timedelta(days=37))
    for site in site_list:
        try:
            settlement = settlements.draft(city_staff, done, site.pk, first, last)
        except ServiceError:
            continue
        settlements.confirm(operators[site.pk], settlement)
        settlements.approve(city_staff, settlement)
    vouchers.close(city_staff, done)

    # An open campaign for the public-benefit hours of the coming weeks.
    open_ = vouchers.create_campaign(city_staff, city, {
        "name": f"{city.name}公益时段体育消费券（第二期）", "budget": "40000", "face_value": "20", "threshold": "0",
        "total": 2000, "per_person": 1, "per_device": 1, "claim_starts_at": now - datetime.timedelta(days=2),
        "claim_ends_at": now + datetime.timedelta(days=20), "use_until": now + datetime.timedelta(days=45),
        "valid_days": 30, "benefit_hours_only": True,
        "bands": [{"days": [0, 1, 2, 3, 4], "start": "08:00", "end": "12:00"},
                  {"days": [5, 6], "start": "08:00", "end": "18:00"}]})
    for site in site_list:
        vouchers.add_venue(city_staff, open_, site, commercial=site.owner_kind in (Site.OwnerKind.ENTERPRISE,
                                                                                   Site.OwnerKind.PRIVATE))
    vouchers.publish(city_staff, open_)
    fresh = 0
    for i, person in enumerate(people[: len(people) // 4]):
        try:
            vouchers.claim(person, open_.pk, device=f"demo-phone-{person.pk}", address=f"10.2.{i % 200}.1",
                           now=now - datetime.timedelta(hours=rng.randint(1, 40)))
            fresh += 1
        except ServiceError:
            pass
    out["honours"] = _honours(city, city_staff, people, rng)
    out.update(campaigns=2, claimed=len(claimed) + fresh, redeemed=redeemed,
               settled=Settlement.objects.filter(campaign=done, status=Settlement.Status.APPROVED).count(),
               returned=Voucher.objects.filter(campaign=done, status=Voucher.Status.RETURNED).count())
    return out


def describe() -> list[tuple[str, str]]:
    user = User.objects.filter(phone_hash=lookup_hash(OPERATOR[0])).first()
    if user is None:
        return []
    sites = [str(m.target) for m in user.memberships.filter(Q(role=Role.OPERATOR))]
    return [(OPERATOR[0], f"{OPERATOR[1]}: " + "; ".join(sites))]
