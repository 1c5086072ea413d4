"""Booking's reads that more than one caller shares: a site's availability as a resident sees it
(pages and API), and the venue console's day grid, lists and names (pages, API, exports, admin)."""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.facilities.models import Site

from . import permissions, pricing
from .models import Booking, Slot

SHOWN = [Booking.Status.HELD, Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN, Booking.Status.NO_SHOW]
CODE_RE = re.compile(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}")


def mask_name(name: str) -> str:
    """张* / 王*明 / 欧阳**: the family name and, for longer names, the last character."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def who(booking: Booking) -> str:
    """A booking's person as lists show it: masked; a club's block booking by its name."""
    if booking.channel == Booking.Channel.BLOCK and booking.block_label:
        return booking.block_label
    if booking.user_id is None:
        return mask_name(booking.block_label) if booking.block_label else _("Walk-in")
    return mask_name(booking.user.real_name) or booking.user.phone_masked


def code_from(text: str) -> str:
    """The 8-character code in what was typed or scanned (a QR may hold a link that ends with it)."""
    text = (text or "").strip().upper()
    found = CODE_RE.findall(text)
    return found[-1] if found else text[:8]


def walk_in_places(slot, people: int) -> int:
    """A court or lane is one party's, whatever its size: it takes its one place (as services.hold does)."""
    return 1 if slot.unit.kind == "slot" else people


def day_bounds(first: datetime.date, last: datetime.date | None = None):
    """The start of the first day and of the day after the last, in the city's time zone."""
    tz = timezone.get_current_timezone()
    last = last or first
    return (timezone.make_aware(datetime.datetime.combine(first, datetime.time.min), tz),
            timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min), tz))


def site_availability(site, day: datetime.date, user=None, now=None) -> list[dict]:
    """A site's bookable units with their slots on one day: free places (run-out holds count as free,
    as the next hold releases them) and the price this person would be charged (base price if anonymous)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    units = list(site.bookable_units.filter(active=True).order_by("name", "pk"))
    start, end = day_bounds(day)
    slots = list(Slot.objects.filter(unit__in=units, start__gte=start, start__lt=end).order_by("start", "unit_id"))
    stale = dict(Booking.objects.filter(slot__in=slots, status=Booking.Status.HELD, hold_expires_at__lt=now)
                 .values("slot_id").annotate(n=Sum("places")).values_list("slot_id", "n"))
    signed_in = user is not None and user.is_authenticated
    groups = pricing.eligibility(user, day) if signed_in else set()  # the same groups pricing.quote uses
    by_unit = {u.pk: {"unit": u, "in_window": day <= today + datetime.timedelta(days=u.window_days), "slots": []}
               for u in units}
    for slot in slots:
        row = by_unit[slot.unit_id]
        slot.unit = row["unit"]
        free = 0 if slot.blocked else max(slot.capacity - slot.taken + stale.get(slot.pk, 0), 0)
        price, basis = pricing.place_price(slot.unit, slot, groups)  # no groups: the base price
        started = slot.start <= now
        row["slots"].append({
            "slot": slot, "free": free, "price": price, "basis": basis, "started": started,
            "bookable": not slot.blocked and not started and row["in_window"] and free > 0,
            "full": not slot.blocked and free == 0,
        })
    return list(by_unit.values())


# --- the venue console -----------------------------------------------------------------------------

def sites_in_care(user):
    """The sites this person runs or oversees, each with ``units``: its count of active bookable units
    (the console's list of venues, on the page and in the API)."""
    return permissions.scoped(user, Site.objects.select_related("region")).annotate(
        units=Count("bookable_units", filter=Q(bookable_units__active=True)))


@dataclass
class Cell:
    slot: Slot
    bookings: list = field(default_factory=list)
    held: int = 0  # places held by people still confirming or paying
    booked: int = 0  # places confirmed, arrived or missed
    arrived: int = 0

    @property
    def free(self) -> int:
        return self.slot.free_places

    @property
    def state(self) -> str:
        if self.slot.blocked:
            return "blocked"
        if self.arrived and self.arrived >= self.booked:
            return "arrived"
        if self.slot.free_places == 0:
            return "full"
        if self.held or self.booked:
            return "partly"
        return "free"


@dataclass
class Row:
    unit: object
    cells: list  # aligned with the grid's times; None where the unit has no slot


@dataclass
class DayGrid:
    day: datetime.date
    times: list  # local start times
    rows: list
    counts: dict


def day_grid(site, day: datetime.date, now=None) -> DayGrid:
    """Units × start times of one day, each cell a slot with its holds, bookings, block and arrivals (3 queries)."""
    now = now or timezone.now()
    start, end = day_bounds(day)
    units = list(site.bookable_units.order_by("name", "id"))
    slots = list(Slot.objects.filter(unit__site=site, start__gte=start, start__lt=end).order_by("start", "unit_id"))
    cells = {s.pk: Cell(s) for s in slots}
    counts = {"bookings": 0, "people": 0, "arrived": 0, "held": 0, "no_show": 0}
    for b in (Booking.objects.filter(slot_id__in=list(cells), status__in=SHOWN).select_related("user", "slot__unit")
              .order_by("created_at")):
        cell = cells[b.slot_id]
        if b.status == Booking.Status.HELD:
            if b.hold_expires_at and b.hold_expires_at < now:
                continue  # a run-out hold no longer holds anything
            cell.held += b.places
            counts["held"] += b.places
        else:
            cell.booked += b.places
            counts["bookings"] += 1
            counts["people"] += b.places
        if b.status == Booking.Status.CHECKED_IN:
            cell.arrived += b.places
            counts["arrived"] += b.places
        if b.status == Booking.Status.NO_SHOW:
            counts["no_show"] += 1
        b.who = who(b)
        cell.bookings.append(b)
    times = sorted({timezone.localtime(s.start).time() for s in slots})
    index = {t: i for i, t in enumerate(times)}
    rows = []
    for unit in units:
        row = [None] * len(times)
        for s in slots:
            if s.unit_id == unit.pk:
                row[index[timezone.localtime(s.start).time()]] = cells[s.pk]
        if any(row) or unit.active:
            rows.append(Row(unit, row))
    return DayGrid(day, times, rows, counts)


def bookings_between(site, first: datetime.date, last: datetime.date):
    """Every booking of the site's slots from first to last (cancelled ones too), in time order."""
    start, end = day_bounds(first, last)
    return (Booking.objects.filter(slot__unit__site=site, slot__start__gte=start, slot__start__lt=end)
            .exclude(status=Booking.Status.EXPIRED)
            .select_related("slot__unit", "user").order_by("slot__start", "slot__unit__name", "created_at"))


def used_bookings(user):
    """The person's bookings actually used (checked in), oldest first, with the unit, its site and its
    guidance station; a physique test's booking left out (the test itself is the fact)."""
    return (Booking.objects.filter(user=user, status=Booking.Status.CHECKED_IN, slot__physique_session__isnull=True)
            .select_related("slot__unit__site", "slot__unit__guidance_station").order_by("slot__start", "pk"))
