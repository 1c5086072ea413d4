"""A venue's opening figures over the year evaluated, computed from the registers: hours and days
open (facilities.public_opening), free or low-fee opening, bookable units and their certified free
use (booking), bookings and visitors counted, accessible features, and residents' complaints
(feedback). An evaluation keeps them as they were when it was saved; a pending one shows them live.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quanmin.booking.models import BookableUnit, Booking, VisitCount
from quanmin.core.indicators import local_span
from quanmin.facilities import public_opening
from quanmin.facilities.models import Facility, Site
from quanmin.feedback.models import Report

HELD = (Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN, Booking.Status.NO_SHOW)
FEATURES = {"entrance": _("step-free entrance"), "toilet": _("accessible toilet"), "parking": _("accessible parking")}
# What the pages and the export show of the figures, in order.
SHOWN = [
    ("weekly_hours", _("Hours open a week")), ("days_open", _("Days open")),
    ("free_or_low_fee", _("Free or low fee")), ("benefit_hours", _("Free or low-fee hours")),
    ("bookable_units", _("Grounds bookable online")), ("bookings", _("Bookings")),
    ("visitors", _("Visitors counted")), ("accessible", _("Accessible features")),
    ("complaints", _("Complaints")), ("opening_complaints", _("Complaints of being closed")),
    ("certified_free", _("Free for certificate holders")), ("senior_bookings", _("Free bookings by the elderly")),
    ("disabled_bookings", _("Free bookings by disabled people")),
]


def period(year: int, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The days evaluated: the year, up to today while it runs."""
    today = today or timezone.localdate()
    return datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), max(today, datetime.date(year, 1, 1)))


def venue_figures(site: Site, year: int) -> dict:
    first, last = period(year)
    hours = public_opening.hours_open([site.pk], first, last)[site.pk]
    units = BookableUnit.objects.filter(site=site, active=True).aggregate(
        n=Count("pk"), seniors=Count("pk", filter=Q(free_for_seniors=True)),
        disabled=Count("pk", filter=Q(free_for_disabled=True)))
    if units["n"]:
        certified = units["seniors"] == units["n"] == units["disabled"]
    else:  # nothing to book: free for certificate holders when every ground open to the public is free
        open_grounds = Facility.objects.filter(site=site).exclude(access=Facility.Access.CLOSED)
        certified = open_grounds.exists() and not open_grounds.exclude(access=Facility.Access.FREE).exists()
    start, end = local_span(first, last)
    held = (Booking.objects.filter(slot__unit__site=site, slot__start__gte=start, slot__start__lt=end, status__in=HELD)
            .aggregate(n=Count("pk"), senior=Count("pk", filter=Q(price_basis="senior")),
                       disabled=Count("pk", filter=Q(price_basis="disabled"))))
    visitors = VisitCount.objects.filter(site=site, hour_start__gte=start, hour_start__lt=end).aggregate(
        n=Sum("count_in"))["n"] or 0
    reports = Report.objects.filter(site=site, created_at__gte=start, created_at__lt=end).aggregate(
        n=Count("pk"), opening=Count("pk", filter=Q(category=Report.Category.OPENING)))
    free = Site.objects.filter(pk=site.pk).filter(public_opening.free_or_low_fee_q()).exists()
    return {
        "first": first.isoformat(), "last": last.isoformat(),
        "weekly_hours": float(hours.weekly or 0), "weekly_hours_required": public_opening.WEEKLY_HOURS_REQUIRED,
        "days_open": hours.days_open, "days": hours.days,
        "days_required": round(public_opening.DAYS_REQUIRED * hours.days / 365),
        "benefit_hours": float(hours.benefit_hours.quantize(Decimal("0.1"))),
        "free_or_low_fee": free, "bookable_units": units["n"], "certified_free": certified,
        "bookings": held["n"], "senior_bookings": held["senior"], "disabled_bookings": held["disabled"],
        "visitors": visitors, "complaints": reports["n"], "opening_complaints": reports["opening"],
        "accessible": [key for key in FEATURES if getattr(site, f"accessible_{key}")],
    }


def shown(f: dict) -> list[tuple[str, str]]:
    """(label, value in words) of the figures, for a page or a sheet."""
    yes, no = str(_("yes")), str(_("no"))
    out = []
    for key, label in SHOWN:
        value = f.get(key)
        if key == "accessible":
            text = "、".join(str(FEATURES[k]) for k in value or []) or str(_("none"))
        elif key == "weekly_hours":
            text = f"{value} / {f.get('weekly_hours_required')}"
        elif key == "days_open":
            text = f"{value} / {f.get('days')}"
        elif isinstance(value, bool):
            text = yes if value else no
        else:
            text = "—" if value is None else str(value)
        out.append((str(label), text))
    return out
