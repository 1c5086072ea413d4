"""Booking figures for the plans, per division, and hourly visitor counts per venue.

Plan figures (pure reads, three GROUP BY queries for a whole subtree plus one for the names of the
child divisions; everything else is rolled up in Python by code prefix, as facilities.figures does):

- Share of public venues bookable online: sites open to the public (an existing site — not planned,
  under construction or closed for good — with at least one facility whose access is free, low-fee
  or paid) that have at least one active bookable unit, divided by all such sites.
- Utilisation: places taken ÷ places offered, over the slots that start in the period and are not
  blocked. A place stays taken by a no-show (nobody else could use it); cancelled places are free.
- No-show rate: no-shows ÷ (no-shows + arrivals) among online and waitlist bookings of the period
  (walk-ins and block bookings cannot miss their time).
- Benefit hours given: the hours of unblocked free or low-fee ("benefit") slots in the period, and
  the people who came to them (checked-in bookings: the booker and companions, or the places if more).
- Bookings by eligible group: bookings that held a place (confirmed, arrived or no-show) by the basis
  of their price (senior, disabled, student, minor, benefit, standard; block bookings apart).

The division of a venue is BookableUnit.region (the facility's 12-digit code) and Site.region.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, DurationField, Exists, F, Func, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quanmin.facilities.figures import GONE
from quanmin.facilities.models import Facility, Site
from quanmin.regions import codes
from quanmin.regions.models import Region

from .models import BookableUnit, Booking, Slot
from .models_counts import VisitCount

PUBLIC_ACCESS = [Facility.Access.FREE, Facility.Access.LOW_FEE, Facility.Access.PAID]
HELD_A_PLACE = [Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN, Booking.Status.NO_SHOW]
CAN_MISS = [Booking.Channel.ONLINE, Booking.Channel.WAITLIST]
GROUPS = {
    "senior": _("Senior (60+)"),
    "disabled": _("Disability certificate"),
    "student": _("Student"),
    "minor": _("Minor"),
    "benefit": _("Free or low-fee hours"),
    "standard": _("Standard price"),
    "block": _("Block booking"),
    "other": _("Other"),
}


def _ratio(a, b) -> float | None:
    return round(a / b, 4) if b else None


@dataclass
class BookingFigures:
    code: str
    name: str
    level: str
    public_sites: int = 0
    bookable_sites: int = 0
    places_offered: int = 0
    places_taken: int = 0
    no_shows: int = 0
    arrivals: int = 0  # online and waitlist bookings that came: the no-show rate's other part
    benefit_slots: int = 0
    benefit_seconds: float = 0.0
    benefit_people: int = 0
    by_group: dict = field(default_factory=dict)

    @property
    def bookable_share(self) -> float | None:
        return _ratio(self.bookable_sites, self.public_sites)

    @property
    def utilisation(self) -> float | None:
        return _ratio(self.places_taken, self.places_offered)

    @property
    def no_show_rate(self) -> float | None:
        return _ratio(self.no_shows, self.no_shows + self.arrivals)

    @property
    def benefit_hours(self) -> float:
        return round(self.benefit_seconds / 3600, 2)

    @property
    def bookings(self) -> int:
        return sum(self.by_group.values())

    def groups(self) -> list[dict]:
        """Every group in a fixed order, with its label and count (zeros included)."""
        return [{"group": g, "label": str(label), "bookings": self.by_group.get(g, 0)} for g, label in GROUPS.items()]


@dataclass
class DivisionBookingFigures:
    figures: BookingFigures
    children: list  # of BookingFigures, by code
    first_day: datetime.date
    last_day: datetime.date


def _period(first_day: datetime.date, last_day: datetime.date):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time.min), tz)
    end = timezone.make_aware(datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min), tz)
    return start, end


def site_rows(prefix: str) -> list[tuple]:
    """(region, public sites, bookable ones) in the subtree of the code prefix: one query."""
    public = Facility.objects.filter(site=OuterRef("pk"), access__in=PUBLIC_ACCESS)
    bookable = BookableUnit.objects.filter(site=OuterRef("pk"), active=True)
    return list(Site.objects.filter(region__code__within=prefix).exclude(status__in=GONE)
                .filter(Exists(public)).order_by().values("region_id")
                .annotate(n=Count("id"), bookable=Count("id", filter=Exists(bookable)))
                .values_list("region_id", "n", "bookable"))


def slot_rows(lo: str, hi: str, start, end) -> list[tuple]:
    """(region, places offered, taken, benefit slots, benefit time): one query."""
    return list(Slot.objects.filter(unit__region_id__gte=lo, unit__region_id__lte=hi, start__gte=start, start__lt=end,
                                    blocked=False).order_by().values("unit__region_id")
                .annotate(offered=Sum("capacity"), taken=Sum("taken"), benefit_n=Count("id", filter=Q(benefit=True)),
                          benefit_time=Sum(F("end") - F("start"), filter=Q(benefit=True), output_field=DurationField()))
                .values_list("unit__region_id", "offered", "taken", "benefit_n", "benefit_time"))


class JSONArrayLength(Func):
    """The length of a JSON array column (SQLite's json_array_length, PostgreSQL's jsonb_array_length)."""

    function = "json_array_length"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="jsonb_array_length", **extra)


def booking_rows(lo: str, hi: str, start, end) -> list[tuple]:
    """(region, status, channel, price basis, benefit slot, bookings, people): one query. A court booking takes
    one place for its whole party, so people are the booker and companions, or the places if more."""
    return list(Booking.objects.filter(slot__unit__region_id__gte=lo, slot__unit__region_id__lte=hi,
                                       slot__start__gte=start, slot__start__lt=end).order_by()
                .values("slot__unit__region_id", "status", "channel", "price_basis", "slot__benefit")
                .annotate(n=Count("id"), people=Sum(Greatest("places", Value(1) + JSONArrayLength("companions"))))
                .values_list("slot__unit__region_id", "status", "channel", "price_basis", "slot__benefit", "n", "people"))


def _seconds(value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    return float(value) / 1e6  # microseconds, as some backends sum durations


def _add_sites(f: BookingFigures, row) -> None:
    f.public_sites += row[1]
    f.bookable_sites += row[2]


def _add_slots(f: BookingFigures, row) -> None:
    f.places_offered += row[1] or 0
    f.places_taken += row[2] or 0
    f.benefit_slots += row[3] or 0
    f.benefit_seconds += _seconds(row[4])


def _add_bookings(f: BookingFigures, row) -> None:
    _region, status, channel, basis, benefit, n, people = row
    if status == Booking.Status.NO_SHOW and channel in CAN_MISS:
        f.no_shows += n
    if status == Booking.Status.CHECKED_IN:
        if channel in CAN_MISS:
            f.arrivals += n
        if benefit:
            f.benefit_people += people or 0
    if status in HELD_A_PLACE:
        group = basis if basis in GROUPS else ("block" if channel == Booking.Channel.BLOCK else "other")
        f.by_group[group] = f.by_group.get(group, 0) + n


def division_figures(region: Region, first_day: datetime.date, last_day: datetime.date) -> DivisionBookingFigures:
    """The division's figures and each child division's, for slots starting from first_day to last_day."""
    lo, hi = codes.subtree_range(region.prefix)
    start, end = _period(first_day, last_day)
    total = BookingFigures(region.code, region.name, region.level)
    children = {r.prefix: BookingFigures(r.code, r.name, r.level) for r in Region.objects.filter(parent=region)}
    lengths = sorted({len(p) for p in children})

    def child_of(code: str):
        for n in lengths:
            found = children.get(code[:n])
            if found is not None:
                return found
        return None

    for rows, add in ((site_rows(region.prefix), _add_sites), (slot_rows(lo, hi, start, end), _add_slots),
                      (booking_rows(lo, hi, start, end), _add_bookings)):
        for row in rows:
            add(total, row)
            child = child_of(row[0])
            if child is not None:
                add(child, row)
    return DivisionBookingFigures(total, sorted(children.values(), key=lambda f: f.code), first_day, last_day)


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last 30 whole days."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=30), today - datetime.timedelta(days=1)


# --- visitors per hour ----------------------------------------------------------------------------

def _people(places: int, companions) -> int:
    # A court booking takes one place for the whole party: count its people, not its places.
    return max(places, 1 + len(companions or []))


def hourly_visits(site: Site, day: datetime.date, now: datetime.datetime | None = None) -> list[dict]:
    """In and out per hour of one day at one venue, as the national platform collects them.

    In: people of bookings checked in that hour (the booker and companions), walk-ins included. Out: people of checked-in
    bookings whose slot ended that hour (only once it has ended). Plus the gate counts of people who
    came without booking (VisitCount). Three small queries for one site and one day.
    """
    now = now or timezone.now()
    start, end = _period(day, day)
    hours = [{"hour": h, "booked_in": 0, "booked_out": 0, "counted_in": 0, "counted_out": 0} for h in range(24)]
    checked_in = Booking.objects.filter(slot__unit__site=site, checked_in_at__isnull=False)
    for when, places, companions in checked_in.filter(checked_in_at__gte=start, checked_in_at__lt=end).values_list(
            "checked_in_at", "places", "companions"):
        hours[timezone.localtime(when).hour]["booked_in"] += _people(places, companions)
    for when, places, companions in checked_in.filter(slot__end__gte=start, slot__end__lt=end,
                                                      slot__end__lte=now).values_list("slot__end", "places", "companions"):
        hours[timezone.localtime(when).hour]["booked_out"] += _people(places, companions)
    for when, n_in, n_out in VisitCount.objects.filter(site=site, hour_start__gte=start, hour_start__lt=end).values_list(
            "hour_start", "count_in", "count_out"):
        row = hours[timezone.localtime(when).hour]
        row["counted_in"] += n_in
        row["counted_out"] += n_out
    for row in hours:
        row["in"] = row["booked_in"] + row["counted_in"]
        row["out"] = row["booked_out"] + row["counted_out"]
    return hours


def visits_by_source(rows: list[dict]) -> dict:
    totals = defaultdict(int)
    for row in rows:
        for k in ("booked_in", "booked_out", "counted_in", "counted_out", "in", "out"):
            totals[k] += row[k]
    return dict(totals)
