"""Demo booking for the demo city: bookable courts and pools at the public venues of the two city
districts, weekly times, slots for the window and four weeks back, and believable history.

What it makes (deterministic for a seed; rows written with bulk_create):
- a bookable unit for every public basketball, badminton and tennis court and pool at government
  sites (at most three of a kind per site) and at the school grounds of the urban sub-districts (街道), as the
  facilities demo left them (its load() runs first);
- weekly times: government courts hourly 08:00-21:00 at 20-40 yuan with free hours 08:00-10:00 on
  weekdays (free courts are free all day); pools in three sessions of 80-120 places, the weekday
  morning session at 5 yuan; school grounds free (benefit) on weekday evenings and weekend days;
- slots from four weeks ago to the end of the booking window (schedule.generate_slots, the same code
  the venues use), bookings on past slots (arrived, no-shows with their strikes, cancellations by the
  person or the venue, walk-ins) and confirmed bookings ahead, with prices from pricing;
- gate counts of people without a booking at the main stadium, a blocked maintenance time, a school
  team's block booking, eligibility certificates waiting for a check;
- two venue operators and an equipment inspector (phones 13800000010-12, the demo password).
"""

import datetime
import random
from io import BytesIO
from types import SimpleNamespace

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw

from quanmin.accounts import services as accounts
from quanmin.accounts.crypto import lookup_hash
from quanmin.accounts.models import Role, User
from quanmin.booking import pricing, services_console
from quanmin.booking.errors import BookingError
from quanmin.booking.models import BookableUnit, Booking, Certificate, Payment, Slot, Strike, WeeklyTemplate
from quanmin.booking.models_counts import VisitCount
from quanmin.core import bulk
from quanmin.facilities import opening
from quanmin.facilities.models import Facility, OpeningException, Site
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import accounts as accounts_demo

MAIN_COUNTIES = ("371502", "371503")  # 东昌府区 and 茌平区, the city's two districts
NAMES = {"basketball": "篮球场", "basketball_lit": "灯光篮球场", "badminton": "羽毛球场", "tennis": "网球场",
         "swimming_pool": "游泳馆"}
PRICES = {"basketball": 20, "basketball_lit": 20, "badminton": 30, "tennis": 40}
PUBLIC = [Facility.Access.FREE, Facility.Access.LOW_FEE, Facility.Access.PAID]
PER_TYPE = 3  # courts of one type per site
SCHOOLS_PER_COUNTY = 3
PAST_DAYS = 21
AHEAD_DAYS = 5
STAFF = [  # phone, name, role, which site
    ("13800000010", "周海燕", Role.OPERATOR, "stadium"),
    ("13800000011", "吴志强", Role.OPERATOR, "school"),
    ("13800000012", "郑文博", Role.INSPECTOR, "stadium"),
]
ACCOUNTS: list[tuple[str, str]] = []  # (phone, description) of the accounts made here, for the demo command
CANCEL_REASONS = ["临时有事", "天气原因", "行程变更"]
VENUE_REASONS = ["场地维修", "承办比赛临时封场", "设备故障"]
BATCH = 2000


def _hours(first: int, last: int, step: int = 1):
    return [(datetime.time(h), datetime.time(h + step)) for h in range(first, last, step)]


def _templates(unit: BookableUnit, facility: Facility, site: Site) -> list[WeeklyTemplate]:
    out = []
    if facility.type == "swimming_pool":
        for day in range(8):
            out.append(WeeklyTemplate(unit=unit, weekday=day, start=datetime.time(9), end=datetime.time(11), capacity=80,
                                      price=5 if day < 5 else 15, benefit=day < 5))
            out.append(WeeklyTemplate(unit=unit, weekday=day, start=datetime.time(14), end=datetime.time(16),
                                      capacity=120, price=15))
            out.append(WeeklyTemplate(unit=unit, weekday=day, start=datetime.time(19), end=datetime.time(21),
                                      capacity=100, price=20))
        return out
    if site.owner_kind == Site.OwnerKind.SCHOOL:  # open to the public outside lessons, free
        for day in range(8):
            for start, end in _hours(18, 21) if day < 5 else _hours(8, 18, 2):
                out.append(WeeklyTemplate(unit=unit, weekday=day, start=start, end=end, price=0, benefit=True))
        return out
    free = facility.access == Facility.Access.FREE
    for day in range(8):
        for start, end in _hours(8, 21):
            benefit = free or (day < 5 and start.hour < 10)
            out.append(WeeklyTemplate(unit=unit, weekday=day, start=start, end=end, benefit=benefit,
                                      price=0 if benefit else PRICES.get(facility.type, 20)))
    return out


def _facilities(city: Region) -> list[Facility]:
    """Public courts and pools of government sites and of urban school grounds in the two districts."""
    urban = {codes.prefix_at(code, "township") for code in Region.objects.filter(level="township", name__contains="街道",
                                                         code__within=city.prefix).values_list("code", flat=True)}
    qs = (Facility.objects.filter(type__in=list(NAMES), access__in=PUBLIC, site__status=Site.Status.OPEN,
                                  site__owner_kind__in=[Site.OwnerKind.GOVERNMENT, Site.OwnerKind.SCHOOL],
                                  region__code__within=city.prefix)
          .select_related("site").order_by("site__region_id", "site_id", "id"))
    chosen, per_site, schools = [], {}, {}
    for f in qs:
        county = codes.prefix_at(f.region_id, "county")
        if county not in MAIN_COUNTIES:
            continue
        if f.site.owner_kind == Site.OwnerKind.SCHOOL and f.site_id not in schools:
            township = codes.prefix_at(f.region_id, "township")
            if township not in urban or list(schools.values()).count(county) >= SCHOOLS_PER_COUNTY:
                continue
            schools[f.site_id] = county
        if per_site.get((f.site_id, f.type), 0) >= PER_TYPE:
            continue
        per_site[(f.site_id, f.type)] = per_site.get((f.site_id, f.type), 0) + 1
        chosen.append(f)
    return chosen


def _staff_account(phone, name, city):
    user = User.objects.filter(phone_hash=lookup_hash(phone)).first()
    if user is None:
        user = accounts.create_user(phone=phone, password=accounts_demo.DEMO_PASSWORD, real_name=name,
                                    id_number=accounts_demo.make_id_number(city.code, "19860415", int(phone[-2:]), True))
        accounts.record_consent(user, "privacy", settings.PRIVACY_NOTICE_VERSION)
    return user


def _code(rng, used) -> str:
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    while True:
        code = "".join(rng.choice(alphabet) for _ in range(8))
        if code not in used:
            used.add(code)
            return code


def _demand(slot, local) -> float:
    weekend = local.weekday() >= 5
    evening = local.hour >= 18
    base = 0.55 if evening else 0.45 if weekend else 0.22
    return min(base + (0.2 if slot.benefit else 0), 0.9)


class History:
    """Bookings for the demo slots, built in memory: places taken per slot, strikes per person."""

    def __init__(self, rng, residents, groups, now):
        self.rng, self.residents, self.groups, self.now = rng, residents, groups, now
        self.bookings, self.strikes, self.open_ahead = [], {}, {}
        self.used_codes = set(Booking.objects.values_list("code", flat=True))

    def add(self, slot, unit, places, status, channel="online", user=None, reason="", by_venue=False):
        rng = self.rng
        if channel == "online":
            price, basis = pricing.place_price(unit, slot, self.groups[user.pk])
            price *= places
        else:
            price, basis = slot.price * places, "standard"
        confirmed = slot.start - datetime.timedelta(hours=rng.randint(2, 72))
        b = Booking(slot_id=slot.pk, user=user, status=status, channel=channel, places=places, price=price, price_basis=basis,
                    code=_code(rng, self.used_codes), confirmed_at=confirmed)
        if status == "checked_in":
            b.checked_in_at = slot.start + datetime.timedelta(minutes=rng.randint(-25, 10))
            if channel == "walk_in":
                b.confirmed_at = b.checked_in_at
        if status == "cancelled":
            b.cancelled_at = min(slot.start - datetime.timedelta(hours=rng.randint(1, 24)), self.now)
            b.cancelled_at = max(b.cancelled_at, confirmed)
            b.cancel_reason, b.cancelled_by_venue = reason, by_venue
        b.unit_id, b.slot_end = slot.unit_id, slot.end
        self.bookings.append(b)
        return b

    def status(self, slot, channel="online") -> str:
        ended = slot.end + datetime.timedelta(minutes=settings.BOOKING_NO_SHOW_GRACE_MINUTES) < self.now
        started = slot.start - datetime.timedelta(minutes=30) <= self.now
        roll = self.rng.random()
        if not started:
            return "cancelled" if roll < 0.06 else "confirmed"
        if roll < 0.09:
            return "cancelled"
        if ended and roll < 0.15:
            return "no_show"
        return "checked_in" if ended or roll < 0.7 else "confirmed"

    def fill(self, slot, unit):
        rng, local = self.rng, timezone.localtime(slot.start)
        ahead = slot.start > self.now
        demand = _demand(slot, local) * (0.5 if ahead else 1)
        free = slot.capacity
        parties = 1 if slot.capacity == 1 else int(slot.capacity * demand * rng.uniform(0.4, 0.9) / 1.6)
        if slot.capacity == 1 and rng.random() > demand:
            return
        for _ in range(parties):
            places = 1 if slot.capacity == 1 else rng.choice((1, 1, 1, 2, 2, 3))
            if places > free:
                break
            if not ahead and rng.random() < 0.05:
                self.add(slot, unit, places, "checked_in", channel="walk_in")
                free -= places if slot.capacity > 1 else 1
                continue
            status = self.status(slot)
            user = rng.choice(self.residents)
            if status in ("confirmed",) and ahead:
                if self.open_ahead.get(user.pk, 0) >= 2:
                    continue
                self.open_ahead[user.pk] = self.open_ahead.get(user.pk, 0) + 1
            forgiven = False
            if status == "no_show":
                # Staff forgave the strikes that would have suspended a demo person: everyone can still book.
                recent = [t for t in self.strikes.get(user.pk, []) if self.now - t < datetime.timedelta(days=90)]
                forgiven = len(recent) >= settings.BOOKING_STRIKES_TO_SUSPEND - 1
                if not forgiven:
                    self.strikes.setdefault(user.pk, []).append(slot.end)
            by_venue = status == "cancelled" and rng.random() < 0.25
            reason = rng.choice(VENUE_REASONS if by_venue else CANCEL_REASONS) if status == "cancelled" else ""
            self.add(slot, unit, places, status, user=user, reason=reason, by_venue=by_venue).forgiven = forgiven
            if status != "cancelled":
                free -= places


def _certificate_image(kind_label: str, number: int) -> ContentFile:
    img = Image.new("RGB", (480, 300), (250, 246, 238))
    draw = ImageDraw.Draw(img)
    draw.rectangle((8, 8, 471, 291), outline=(180, 30, 40), width=4)
    draw.text((32, 40), "DEMO CERTIFICATE", fill=(180, 30, 40))
    draw.text((32, 90), kind_label, fill=(30, 30, 30))
    draw.text((32, 130), f"No. {number:08d}", fill=(30, 30, 30))
    buf = BytesIO()
    img.save(buf, format="PNG")
    return ContentFile(buf.getvalue())


def _slots(units, templates, first: datetime.date, today: datetime.date) -> list[Slot]:
    """What schedule.generate_slots makes for each unit from `first` to the end of its window, for all
    units at once (the same rules: open sites only, closed days skipped, holidays' own times)."""
    tz = timezone.get_current_timezone()
    closed = set(OpeningException.objects.filter(site__in={u.site_id for u in units}, closed=True)
                 .values_list("site_id", "date"))
    days = {}
    by_unit = {}
    for t in templates:
        by_unit.setdefault(t.unit_id, {}).setdefault(t.weekday, []).append(t)
    out = []
    for unit in units:
        if unit.site.status != Site.Status.OPEN:
            continue
        by_weekday = by_unit.get(unit.pk, {})
        for n in range((today - first).days + unit.window_days + 1):
            day = first + datetime.timedelta(days=n)
            if (unit.site_id, day) in closed:
                continue
            if day not in days:
                days[day] = opening.weekdays_for(day)
            weekday, fallback = days[day]
            for t in by_weekday.get(weekday) or (by_weekday.get(fallback, []) if fallback is not None else []):
                out.append(Slot(unit=unit, start=timezone.make_aware(datetime.datetime.combine(day, t.start), tz),
                                end=timezone.make_aware(datetime.datetime.combine(day, t.end), tz), capacity=t.capacity,
                                price=t.price, benefit=t.benefit, template=t))
    return out


def load(city: Region, rng: random.Random) -> dict:
    """Fill the demo city's public venues with bookable units and history; does nothing twice."""
    if BookableUnit.objects.filter(region__code__within=city.prefix).exists():
        return {"units": 0}
    now = timezone.now()
    today = timezone.localdate()
    facilities = _facilities(city)
    units, templates, counters = [], [], {}
    for f in facilities:
        key = (f.site_id, f.type)
        counters[key] = counters.get(key, 0) + 1
        name = NAMES[f.type] if f.type == "swimming_pool" else f"{NAMES[f.type]}{counters[key]}号"
        school = f.site.owner_kind == Site.OwnerKind.SCHOOL
        units.append(BookableUnit(facility=f, site=f.site, region_id=f.region_id, name=name,
                                  kind="session" if f.type == "swimming_pool" else "slot",
                                  window_days=7 if school else 15, payment_provider="free" if school else "on_site",
                                  guardian_under=14, min_age=6 if f.type == "swimming_pool" else 0))
    BookableUnit.objects.bulk_create(units, batch_size=BATCH)
    for unit, f in zip(units, facilities):
        templates += _templates(unit, f, f.site)
    WeeklyTemplate.objects.bulk_create(templates, batch_size=BATCH)
    bulk.insert_rows(_slots(units, templates, today - datetime.timedelta(days=PAST_DAYS), today))

    residents = list(User.objects.filter(memberships__isnull=True, is_superuser=False, home_region__isnull=False)
                     .exclude(id_number_hash="").order_by("pk"))
    if not residents:
        return {"units": len(units), "bookings": 0}
    groups = {u.pk: pricing.eligibility(u, today) for u in residents}
    history = History(rng, residents, groups, now)
    by_unit = {u.pk: u for u in units}
    horizon = now + datetime.timedelta(days=AHEAD_DAYS)
    fields = ("pk", "unit_id", "start", "end", "capacity", "price", "benefit")
    for row in (Slot.objects.filter(unit__in=units, start__lt=horizon, blocked=False).order_by("start", "unit_id")
                .values_list(*fields)):
        history.fill(SimpleNamespace(**dict(zip(fields, row))), by_unit[row[1]])
    for b in history.bookings:
        b.created_at = b.confirmed_at  # booked when confirmed, not when the demo ran
    bulk.insert_rows(history.bookings)
    # Places taken as the bookings say: one UPDATE per distinct count, whatever the planner knows.
    taken = {}
    for b in history.bookings:
        if b.status in ("confirmed", "checked_in", "no_show"):
            taken[b.slot_id] = taken.get(b.slot_id, 0) + b.places
    by_count = {}
    for slot_id, n in taken.items():
        by_count.setdefault(n, []).append(slot_id)
    for n, slot_ids in by_count.items():
        Slot.objects.filter(pk__in=slot_ids).update(taken=n)
    ids = dict(Booking.objects.filter(slot__unit__in=units).values_list("code", "pk"))
    grace = datetime.timedelta(minutes=settings.BOOKING_NO_SHOW_GRACE_MINUTES)
    Payment.objects.bulk_create([
        Payment(booking_id=ids[b.code], provider="free" if b.price == 0 else by_unit[b.unit_id].payment_provider,
                amount=b.price, status=Payment.Status.PAID if b.price == 0 or b.status == "checked_in"
                else Payment.Status.ON_SITE)
        for b in history.bookings if b.status == "confirmed" and b.user_id], batch_size=BATCH)
    strikes = [Strike(user_id=b.user_id, booking_id=ids[b.code], at=b.slot_end + grace, forgiven=b.forgiven,
                      forgiven_reason="恶劣天气，场馆免除" if b.forgiven else "")
               for b in history.bookings if b.status == "no_show"]
    bulk.insert_rows(strikes)  # keeps `at` (bulk_create would stamp it now)

    extras = _venue_life(city, rng, units, now, today)
    return {"units": len(units), "templates": len(templates), "bookings": len(history.bookings),
            "no_shows": len(strikes), **extras}


def _venue_life(city, rng, units, now, today) -> dict:
    """Operators, gate counts, a maintenance block, a school team's term, certificates to check."""
    stadium_units = [u for u in units
                     if u.site.name.endswith("体育场") and codes.in_subtree(u.site.region_id, MAIN_COUNTIES[0])]
    school_units = [u for u in units if u.site.owner_kind == Site.OwnerKind.SCHOOL]
    sites = {"stadium": stadium_units[0].site if stadium_units else None,
             "school": school_units[0].site if school_units else None}
    ACCOUNTS.clear()
    for phone, name, role, which in STAFF:
        site = sites.get(which)
        if site is None:
            continue
        user = _staff_account(phone, name, city)
        accounts.grant_membership(user, role, site.region, target=site)
        ACCOUNTS.append((phone, f"{name}: {Role(role).label} · {site.name}"))
    out = {"visit_counts": 0, "block_booked": 0, "certificates": 0}
    stadium = sites["stadium"]
    if stadium is not None:
        counts = []
        for n in range(1, 15):
            day = today - datetime.timedelta(days=n)
            for hour in (6, 7, 19, 20):  # people walking the track without booking
                start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
                came = rng.randint(15, 70)
                counts.append(VisitCount(site=stadium, hour_start=start, count_in=came,
                                         count_out=max(0, came + rng.randint(-12, 12))))
        VisitCount.objects.bulk_create(counts)
        out["visit_counts"] = len(counts)
        court = next((u for u in stadium_units if u.kind == "slot"), None)
        operator = User.objects.filter(phone_hash=lookup_hash(STAFF[0][0])).first()
        if court is not None and operator is not None:
            tomorrow = today + datetime.timedelta(days=1)
            services_console.block_unit_time(court, timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(8))),
                                             timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(10))),
                                             "场地保养", staff=operator)
            wednesday = today + datetime.timedelta(days=(2 - today.weekday()) % 7 or 7)
            try:
                made = services_console.block_book_term(operator, court, weekday=2, start=datetime.time(16),
                                                        first_day=wednesday, last_day=wednesday + datetime.timedelta(weeks=8),
                                                        label="聊城一中篮球队（王老师）")
                out["block_booked"] = len(made)
            except BookingError:
                pass  # a demo booking already holds one of those times: the term stays unbooked
    out["certificates"] = _certificates(city, rng, today)
    return out


def _certificates(city, rng, today) -> int:
    """Certificates waiting for the main county's staff (a senior's, a disability card, a student card), and two
    already verified; each kind goes to someone of a fitting age."""
    people = list(User.objects.filter(memberships__isnull=True, home_region__code__within=MAIN_COUNTIES[0])
                  .exclude(id_number_hash="").order_by("pk"))
    fits = {Certificate.Kind.SENIOR: lambda age: age >= 60, Certificate.Kind.STUDENT: lambda age: 16 <= age <= 24,
            Certificate.Kind.DISABLED: lambda age: 18 <= age < 60}
    plan = [(Certificate.Kind.SENIOR, False), (Certificate.Kind.DISABLED, False), (Certificate.Kind.STUDENT, False),
            (Certificate.Kind.SENIOR, True), (Certificate.Kind.DISABLED, True)]
    used, made = set(), 0
    for kind, verified in plan:
        person = next((p for p in people if p.pk not in used and p.age(today) is not None and fits[kind](p.age(today))),
                      None)
        if person is None:
            continue
        used.add(person.pk)
        name = default_storage.save(f"certificates/demo/{person.pk}-{kind}.png",
                                    _certificate_image(str(Certificate.Kind(kind).label), 37150000 + person.pk))
        Certificate.objects.create(user=person, kind=kind, image=name, region=person.home_region,
                                   status=Certificate.Status.VERIFIED if verified else Certificate.Status.PENDING,
                                   valid_until=today + datetime.timedelta(days=365 * 3) if verified else None,
                                   checked_at=timezone.now() if verified else None)
        made += 1
    return made


def describe() -> list[tuple[str, str]]:
    """The staff accounts made here, read without writing: (phone, description)."""
    out = []
    for phone, name, _role, _which in STAFF:
        user = User.objects.filter(phone_hash=lookup_hash(phone)).first()
        if user is not None:
            roles = [f"{m.get_role_display()} · {m.target}" for m in user.memberships.all()]
            out.append((phone, f"{name}: " + "; ".join(roles)))
    return out

