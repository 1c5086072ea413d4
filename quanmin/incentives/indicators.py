"""The points and vouchers figures as indicators (see quanmin.core.indicators), for many divisions
at once: each is one grouped query over the smallest subtree holding every code asked for, rolled up
to the divisions asked for (regions.subtrees). `as_of` picks the 365 days ending that day.

Points are counted where the rewarded fact happened (the ledger line's division); vouchers claimed
by the claimant's home division; vouchers redeemed, the consumption they drove and the subsidy by
the venue's division. Leverage is consumption ÷ subsidy, the figure cities publish (带动消费比).
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import decimal, indicator, local_span, year_ending
from quanmin.regions import subtrees

from .models import PointsEntry, Voucher

EVERY_LEVEL = ("city", "county", "township", "community")


def _year(as_of: datetime.date):
    return local_span(*year_ending(as_of))


def _points(codes_: list[str], as_of: datetime.date, column: int) -> dict[str, int]:
    first, last = year_ending(as_of)
    rows = (PointsEntry.objects.filter(region_code__within=subtrees.covering_prefix(codes_), day__gte=first, day__lte=last)
            .values_list("region_code").annotate(
                earned=Sum("points", filter=Q(kind__in=[PointsEntry.Kind.CREDIT, PointsEntry.Kind.REVERSAL])),
                redeemed=Sum("points", filter=Q(kind__in=[PointsEntry.Kind.REDEEM, PointsEntry.Kind.REFUND])))
            .order_by())
    return subtrees.summed(rows, codes_, column)


@indicator("points_earned", unit="count", levels=EVERY_LEVEL, label=_("Sports points earned"),
           description=_("Points credited for exercise, events, tests and service in the 365 days to the date, "
                         "less those taken back, where the activity happened."))
def points_earned(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: Decimal(n) for code, n in _points(codes_, as_of, 1).items()}


@indicator("points_redeemed", unit="count", levels=EVERY_LEVEL, label=_("Sports points redeemed"),
           description=_("Points spent on bookings in the 365 days to the date, less those returned."))
def points_redeemed(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: Decimal(-n) for code, n in _points(codes_, as_of, 2).items()}


@indicator("points_active_residents", unit="count", levels=EVERY_LEVEL, label=_("Residents earning points"),
           description=_("People credited points at least once in the 365 days to the date."))
def points_active_residents(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    first, last = year_ending(as_of)
    rows = (PointsEntry.objects.filter(region_code__within=subtrees.covering_prefix(codes_), day__gte=first, day__lte=last,
                                       kind=PointsEntry.Kind.CREDIT, points__gt=0)
            .values_list("region_code", "user_id").distinct().order_by())
    return {code: Decimal(len({r[1] for r in mine})) for code, mine in subtrees.roll_up(rows, codes_).items()}


@indicator("vouchers_claimed", unit="count", levels=EVERY_LEVEL, label=_("Sports vouchers claimed"),
           description=_("Vouchers claimed in the 365 days to the date by residents of the division "
                         "(vouchers that expired back into their pool not counted)."))
def vouchers_claimed(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    start, end = _year(as_of)
    rows = (Voucher.objects.filter(user__home_region__code__within=subtrees.covering_prefix(codes_),
                                   claimed_at__gte=start, claimed_at__lt=end)
            .exclude(status=Voucher.Status.RETURNED).values_list("user__home_region_id").annotate(n=Count("pk")).order_by())
    return {code: Decimal(n) for code, n in subtrees.summed(rows, codes_).items()}


def _redeemed(codes_: list[str], as_of: datetime.date) -> dict[str, list]:
    start, end = _year(as_of)
    rows = (Voucher.objects.filter(site__region__code__within=subtrees.covering_prefix(codes_), status=Voucher.Status.REDEEMED,
                                   redeemed_at__gte=start, redeemed_at__lt=end)
            .values_list("site__region_id").annotate(n=Count("pk"), spend=Sum("spend"), discount=Sum("discount")).order_by())
    return subtrees.roll_up(rows, codes_)


@indicator("vouchers_redeemed", unit="count", levels=EVERY_LEVEL, label=_("Sports vouchers redeemed"),
           description=_("Vouchers used at the division's venues in the 365 days to the date."))
def vouchers_redeemed(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: Decimal(sum(r[1] for r in mine)) for code, mine in _redeemed(codes_, as_of).items()}


@indicator("voucher_consumption", unit="yuan", levels=EVERY_LEVEL, label=_("Consumption driven by vouchers"),
           description=_("The bills paid with vouchers at the division's venues in the 365 days to the date, in yuan."))
def voucher_consumption(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(sum(r[2] or 0 for r in mine), 2) for code, mine in _redeemed(codes_, as_of).items()}


@indicator("voucher_leverage", unit="ratio", levels=EVERY_LEVEL, label=_("Voucher leverage"),
           description=_("Consumption driven by vouchers ÷ the subsidy they cost, at the division's venues in the "
                         "365 days to the date; none without redemptions."))
def voucher_leverage(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    out = {}
    for code, mine in _redeemed(codes_, as_of).items():
        spend, subsidy = sum(r[2] or 0 for r in mine), sum(r[3] or 0 for r in mine)
        out[code] = (Decimal(spend) / Decimal(subsidy)).quantize(Decimal("0.01")) if subsidy else None
    return out


SUMMARY = ("points_earned", "points_redeemed", "points_active_residents", "vouchers_claimed", "vouchers_redeemed",
           "voucher_consumption", "voucher_leverage")


def summary(codes_: list[str], as_of: datetime.date) -> dict[str, dict]:
    """{code: {key: value}} of every figure above, for the staff page."""
    fns = {"points_earned": points_earned, "points_redeemed": points_redeemed,
           "points_active_residents": points_active_residents, "vouchers_claimed": vouchers_claimed,
           "vouchers_redeemed": vouchers_redeemed, "voucher_consumption": voucher_consumption,
           "voucher_leverage": voucher_leverage}
    values = {key: fns[key](codes_, as_of) if codes_ else {} for key in SUMMARY}
    return {code: {key: values[key].get(code) for key in SUMMARY} for code in codes_}
