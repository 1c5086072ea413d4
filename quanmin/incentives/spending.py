"""Spending points: each city's rate (points a yuan) and cap (the largest share of one price points
may pay), and points spent on an event's entry fee.

The rate and the cap are a `PointsSettings` row per city, set by that city's staff (audited); a city
without one uses the defaults in settings. Every place points are spent asks `rate_for` with the
division of what is paid for (a booking's venue, a games' division), so the city that runs the
venue or the games sets what its points are worth there.

Entry fees follow the layers as bookings do: events (layer 4) never imports incentives. It offers
`services_fees.take_discount`, which lowers a fee still to pay; `points_for_entry` here takes the
points off the balance (a conditional UPDATE: two requests at once beyond the balance, one wins)
and calls it in the same transaction, so the ledger line and the lower fee happen together or not
at all. A fee that is given back or never taken (the entry withdrawn before entries close, lapsed,
paid too late) gives its points back: `undo_dropped_entry_fees` reads those fees in the tick.
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from quanmin.accounts import audit
from quanmin.booking import services as booking_services
from quanmin.booking.models import Payment
from quanmin.events import services_fees
from quanmin.events.models import Entry, EntryFee
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import points, vouchers
from .errors import fail
from .models import PointsEntry, PointsSettings


@dataclass(frozen=True)
class Rate:
    points_per_yuan: int
    max_share: int
    custom: bool = False

    @property
    def yuan_per_point(self) -> Decimal:
        return (Decimal(1) / self.points_per_yuan).quantize(Decimal("0.0001"))


def default_rate() -> Rate:
    return Rate(settings.INCENTIVES_POINTS_PER_YUAN, settings.INCENTIVES_POINTS_MAX_SHARE)


def rate_for(region_code: str | None) -> Rate:
    """The rate and cap of the city `region_code` lies in (the defaults outside any city)."""
    if not codes.is_code(region_code):
        return default_rate()
    row = PointsSettings.objects.filter(city_id=codes.ancestor_at(region_code, "city")).first()
    return Rate(row.points_per_yuan, row.max_share, True) if row else default_rate()


def rates_for(cities: list[Region]) -> list[tuple[Region, Rate]]:
    """Each city with its rate, in one query."""
    rows = {r.city_id: r for r in PointsSettings.objects.filter(city__in=cities)}
    return [(c, Rate(rows[c.code].points_per_yuan, rows[c.code].max_share, True) if c.code in rows else default_rate())
            for c in cities]


def save_settings(city: Region, data: dict, *, by=None, request=None) -> PointsSettings:
    """Set a city's rate (1 to 100,000 points a yuan) and cap (1 to 100 % of a price). Bad values are
    refused and nothing is written; the change is audited with the values before and after."""
    if city.level != "city":
        raise fail("not_a_city", status=400)
    per_yuan = vouchers.whole(data.get("points_per_yuan"), "points_per_yuan", minimum=1, maximum=100000)
    share = vouchers.whole(data.get("max_share"), "max_share", minimum=1, maximum=100)
    before = rate_for(city.code)
    with transaction.atomic():
        row, _created = PointsSettings.objects.update_or_create(
            city=city, defaults={"points_per_yuan": per_yuan, "max_share": share, "updated_by": by})
    audit.record("points_settings", request=request, actor=by, obj=row, region_code=city.code,
                 detail={"points_per_yuan": per_yuan, "max_share": share,
                         "before": {"points_per_yuan": before.points_per_yuan, "max_share": before.max_share}})
    return row


def most_points(rate: Rate, price: Decimal) -> int:
    """The most points the city lets pay of `price`."""
    return int(price * rate.max_share / 100 * rate.points_per_yuan)


def discount(rate: Rate, price: Decimal, wanted) -> tuple[int, Decimal]:
    """The points taken and the yuan they take off `price`: whole fen only, at most the city's share."""
    try:
        wanted = int(wanted)
    except (TypeError, ValueError):
        raise fail("points_positive", status=400) from None
    if wanted <= 0:
        raise fail("points_positive", status=400)
    if wanted > most_points(rate, price):
        raise fail("points_share", share=rate.max_share)
    # Whole fen, rounded down (never more yuan than the points asked for are worth, nor than the city's
    # share), for the points those fen are worth, rounded up (never fewer: at 3 points a yuan, 3.33 yuan
    # take 10 points, not 9).
    yuan = (Decimal(wanted) / rate.points_per_yuan).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    wanted = int((yuan * rate.points_per_yuan).to_integral_value(rounding=ROUND_CEILING))
    if wanted <= 0 or yuan <= 0:
        raise fail("points_positive", status=400)
    return wanted, yuan


def points_for_booking(user, booking_id: int, wanted, *, now=None, request=None) -> PointsEntry:
    """Pay part of one's own held booking with points, at the rate of the venue's city: the balance
    and the booking's price change together or not at all (booking's take_discount)."""
    booking = vouchers.own_held_booking(user, booking_id)
    wanted, yuan = discount(rate_for(booking.slot.unit.site.region_id), booking.price, wanted)
    with transaction.atomic():
        line = points.spend(user, wanted, key=f"spend:booking:{booking.pk}", note=str(booking.slot))
        booking_services.take_discount(booking.pk, yuan, basis="points", now=now)
    audit.record("points_spend", request=request, actor=user, obj=line, detail={"booking": booking.pk, "yuan": str(yuan)})
    return line


# --- entry fees ----------------------------------------------------------------------------------

def entry_key(entry_id: int) -> str:
    return f"spend:entry:{entry_id}"


def with_most(rows, price_of, region_of) -> list:
    """Each row (a held booking, an open entry fee) with `most_points`: what its city lets points pay."""
    rows = list(rows)
    rates: dict[str, Rate] = {}
    for row in rows:
        code = region_of(row)
        rate = rates.setdefault(code, rate_for(code))
        row.most_points = min(most_points(rate, price_of(row)), 10**9)
    return rows


def open_entry_fees(user, now=None):
    """The person's own entry fees still to pay, with no discount yet: where points can go."""
    now = now or timezone.now()
    return (EntryFee.objects.filter(entry__user=user, status__in=[Payment.Status.PENDING, Payment.Status.ON_SITE],
                                    discount_basis="", amount__gt=0, entry__status__in=services_fees.DISCOUNTABLE,
                                    entry__competition__starts_at__gt=now)
            .select_related("entry__competition__games").order_by("entry__competition__starts_at"))


def points_for_entry(user, entry_id: int, wanted, *, now=None, request=None) -> PointsEntry:
    """Pay part of one's own entry fee with points, at the rate of the games' city: the balance and
    the fee change together or not at all."""
    now = now or timezone.now()
    entry = Entry.objects.select_related("games").filter(pk=entry_id, user=user).first()
    fee = EntryFee.objects.filter(entry_id=entry_id).first() if entry is not None else None
    if fee is None:
        raise fail("not_found")
    if fee.discount_basis:
        raise fail("already_discounted")
    wanted, yuan = discount(rate_for(entry.games.region_id), fee.amount, wanted)
    with transaction.atomic():
        line = points.spend(user, wanted, key=entry_key(entry.pk), note=str(entry.competition)[:120])
        services_fees.take_discount(entry.pk, yuan, basis="points", now=now)
    audit.record("points_spend", request=request, actor=user, obj=line, detail={"entry": entry.pk, "yuan": str(yuan)})
    return line


def undo_dropped_entry_fees() -> int:
    """Entry fees paid partly with points that were then given back or never taken (refunded, or a
    pending payment dropped) return their points, once each (by key)."""
    refunded = points._key("refund:entry:", "entry_id")
    dropped = (EntryFee.objects.filter(discount_basis="points", status__in=[Payment.Status.REFUNDED, Payment.Status.FAILED])
               .annotate(back=refunded).filter(~Exists(PointsEntry.objects.filter(source_key=OuterRef("back")))))
    back = 0
    for entry_id, user_id in dropped.values_list("entry_id", "entry__user_id").iterator(chunk_size=2000):
        with transaction.atomic():
            back += bool(points.refund(user_id, key=entry_key(entry_id), refund_key=f"refund:entry:{entry_id}"))
    return back
