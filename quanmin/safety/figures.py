"""What a venue's safety record lacks on a day, and the two shares per division (its whole subtree),
read by the register, the indicators and the API.

A public venue is an open site owned by the government or a community (the grounds the sports
bureau answers for; school, enterprise and private grounds have their own supervisors). Its record
is complete on a day when the responsible unit and person and the safety officer are named, the
emergency plan was filed by then, the last fire-safety check is at most a year old and the
public-liability insurance runs that day. Each share is one query whatever the number of divisions.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import percent, year_ending
from quanmin.facilities.models import Site
from quanmin.regions import codes

from .models import Hazard

PUBLIC_OWNERS = (Site.OwnerKind.GOVERNMENT, Site.OwnerKind.COMMUNITY)
FIRE_CHECK_DAYS = 365
# What a record may lack, in the order the register shows it.
GAPS = {
    "record": _("no record"), "responsible": _("no one responsible"), "officer": _("no safety officer"),
    "plan": _("no emergency plan"), "fire": _("fire check overdue"), "insurance": _("insurance lapsed"),
}


def public_q(prefix: str = "") -> Q:
    q = Q(status=Site.Status.OPEN, owner_kind__in=PUBLIC_OWNERS)
    return q & Q(region__code__within=prefix) if prefix else q


def gap_q(gap: str, on: datetime.date) -> Q:
    """The sites whose record lacks `gap` on the day `on` (a site without a record lacks everything)."""
    year_ago = on - datetime.timedelta(days=FIRE_CHECK_DAYS)
    return Q(safety__isnull=True) | {
        "record": Q(pk__in=[]),
        "responsible": Q(safety__responsible_unit="") | Q(safety__responsible_person=""),
        "officer": Q(safety__safety_officer=""),
        "plan": Q(safety__emergency_plan_on__isnull=True) | Q(safety__emergency_plan_on__gt=on),
        "fire": Q(safety__fire_check_on__isnull=True) | Q(safety__fire_check_on__lt=year_ago),
        "insurance": Q(safety__insured_until__isnull=True) | Q(safety__insured_until__lt=on),
    }[gap]


def incomplete_q(on: datetime.date) -> Q:
    out = Q(safety__isnull=True)
    for gap in GAPS:
        out |= gap_q(gap, on)
    return out


def gaps_of(record, on: datetime.date) -> list[str]:
    """The gaps of one venue's record (None: no record), as words."""
    return [str(GAPS[k]) for k in gap_codes(record, on)]


def gap_codes(record, on: datetime.date) -> list[str]:
    """The gaps of one venue's record (None: no record), as the keys of GAPS."""
    if record is None:
        return ["record"]
    lacks = {
        "responsible": not (record.responsible_unit and record.responsible_person),
        "officer": not record.safety_officer,
        "plan": record.emergency_plan_on is None or record.emergency_plan_on > on,
        "fire": record.fire_check_on is None
        or record.fire_check_on < on - datetime.timedelta(days=FIRE_CHECK_DAYS),
        "insurance": record.insured_until is None or record.insured_until < on,
    }
    return [k for k, missing in lacks.items() if missing]


@dataclass
class Totals:
    venues: int = 0
    complete: int = 0
    hazards_due: int = 0
    on_time: int = 0

    @property
    def record_share(self) -> Decimal | None:
        return percent(self.complete, self.venues)

    @property
    def on_time_share(self) -> Decimal | None:
        return percent(self.on_time, self.hazards_due)


def _rolled(wanted: list[str], rows, out: dict, add) -> None:
    keys = set(wanted)
    for region_code, *counts in rows:
        for code in codes.upward(region_code):
            if code in keys:
                add(out[code], *counts)


def _where(wanted: list[str], field: str) -> dict:
    shared = codes.common_prefix(wanted)
    return {f"{field}__within": codes.prefix(shared)} if shared else {}


def venue_totals(wanted: list[str], on: datetime.date) -> dict[str, Totals]:
    """Public venues and those with a complete record on `on`, per division."""
    out = {code: Totals() for code in wanted}
    if not wanted:
        return out
    rows = (Site.objects.filter(public_q(), **_where(wanted, "region__code")).values("region_id")
            .annotate(n=Count("pk"), bad=Count("pk", filter=incomplete_q(on))).values_list("region_id", "n", "bad"))

    def add(t, n, bad):
        t.venues += n
        t.complete += n - bad

    _rolled(wanted, rows, out, add)
    return out


def hazard_totals(wanted: list[str], as_of: datetime.date) -> dict[str, Totals]:
    """Hazards whose deadline fell in the year ending `as_of`, and those rectified by it (reported
    by the deadline and confirmed), per division."""
    out = {code: Totals() for code in wanted}
    if not wanted:
        return out
    first, last = year_ending(as_of)
    on_time = Q(status=Hazard.Status.CLOSED, rectified_on__lte=F("deadline"))
    rows = (Hazard.objects.filter(deadline__gte=first, deadline__lte=last, **_where(wanted, "site__region__code"))
            .values("site__region_id").annotate(n=Count("pk"), ok=Count("pk", filter=on_time))
            .values_list("site__region_id", "n", "ok"))

    def add(t, n, ok):
        t.hazards_due += n
        t.on_time += ok

    _rolled(wanted, rows, out, add)
    return out
