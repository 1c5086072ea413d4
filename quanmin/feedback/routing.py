"""Who answers a report, by when, and escalation when they don't.

A report lies in the division of its piece of equipment or place. It is handled first by the lowest
division above it that has staff of its own. The city's (or a county's) FeedbackSettings say how many
working days (Chinese calendar: holidays off, make-up days on) staff have to respond and to resolve,
and which hotline residents call. A safety hazard does not wait for Monday: it is answered within
HAZARD_RESPONSE and solved within HAZARD_RESOLUTION around the clock, or sooner if the division's
working days come first.

A place with an operator recorded (a venue operator's membership of the site) has a manager who
answers for it: the operators are told of its reports, see them in their queue and may answer them,
beside the division staff (who keep the report if the operator does not act; escalation moves the
division up as before).

Escalation: a report whose response deadline passed without a response goes one level up; one whose
resolution deadline passed without a resolution goes one more. The number of levels owed is worked
out from the report's own dates, so the tick command may run as often as it likes (idempotent).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit
from quanmin.accounts.models import DIVISION_ROLES, Membership
from quanmin.core import workdays
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import timeline
from .models import OPEN_STATUSES, FeedbackSettings, Report, ReportEvent

S = Report.Status
E = ReportEvent.Kind

DEFAULT_HOTLINE = "12345"
DEFAULT_RESPONSE_DAYS = 1
DEFAULT_RESOLUTION_DAYS = 5
HAZARD_RESPONSE = datetime.timedelta(hours=24)
HAZARD_RESOLUTION = datetime.timedelta(hours=72)

# --- settings, hotline, handlers ----------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    hotline: str
    response_working_days: int
    resolution_working_days: int


def rules_for(region_code: str) -> Rules:
    """The nearest FeedbackSettings at or above the division, or the defaults."""
    chain = codes.upward(region_code)
    found = {s.region_id: s for s in FeedbackSettings.objects.filter(region_id__in=chain)}
    for code in chain:
        if code in found:
            s = found[code]
            return Rules(s.hotline or DEFAULT_HOTLINE, s.response_working_days, s.resolution_working_days)
    return Rules(DEFAULT_HOTLINE, DEFAULT_RESPONSE_DAYS, DEFAULT_RESOLUTION_DAYS)


def hotline_for(region_code: str | None) -> str:
    return rules_for(region_code).hotline if region_code else DEFAULT_HOTLINE


def deadlines(region_code: str, received: datetime.datetime,
              category: str = "") -> tuple[datetime.datetime, datetime.datetime]:
    """(respond_by, resolve_by) for a report of `category` received at `received` in this division."""
    rules = rules_for(region_code)
    respond_by = workdays.add_working_days(received, rules.response_working_days)
    resolve_by = workdays.add_working_days(received, rules.resolution_working_days)
    if category == Report.Category.HAZARD:
        respond_by = min(respond_by, received + HAZARD_RESPONSE)
        resolve_by = min(resolve_by, received + HAZARD_RESOLUTION)
    return respond_by, resolve_by


def _existing_regions(chain: list[str]) -> set[str]:
    return set(Region.objects.filter(code__in=chain).values_list("code", flat=True))


def handler_for(region_code: str) -> str:
    """The lowest division at or above `region_code` with division staff who may act; the top of the
    chain when nobody is staffed."""
    existing = _existing_regions(codes.upward(region_code))
    chain = [c for c in codes.upward(region_code) if c in existing]
    staffed = set(Membership.objects.filter(region_id__in=chain, role__in=list(DIVISION_ROLES))
                  .values_list("region_id", flat=True))
    for code in chain:
        if code in staffed:
            return code
    return chain[-1] if chain else region_code



def handled_by(report: Report) -> str:
    """Who answers the report, as the resident and staff read it: the place's managing unit when it
    has an operator, else the handling division."""
    site = report.site
    if site is not None and timeline.site_operators(site.pk).exists():
        return site.manager or site.name
    return report.handler_region.name


def parent_handler(code: str) -> str | None:
    """The division above `code` that exists, or None at the top."""
    chain = codes.upward(code)[1:]
    existing = _existing_regions(chain)
    for c in chain:
        if c in existing:
            return c
    return None


# --- deadlines kept or missed ---------------------------------------------------------------------------------

def is_open(report: Report) -> bool:
    return report.status in OPEN_STATUSES


def response_overdue(report: Report, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return report.status == S.RECEIVED and report.respond_by < now


def resolution_overdue(report: Report, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return report.status in OPEN_STATUSES and report.resolve_by < now


def is_overdue(report: Report, now: datetime.datetime | None = None) -> bool:
    return response_overdue(report, now) or resolution_overdue(report, now)


def escalations_owed(report: Report, now: datetime.datetime | None = None) -> int:
    """Levels a report should have gone up by now: one for a missed response, one for a missed
    resolution. Worked out from its dates, so asking twice gives the same answer."""
    now = now or timezone.now()
    owed = 0
    responded = report.responded_at
    if (responded is None and report.respond_by < now and report.status != S.REJECTED) or \
            (responded is not None and responded > report.respond_by):
        owed += 1
    resolved = report.resolved_at
    if (resolved is None and report.resolve_by < now and report.status in OPEN_STATUSES) or \
            (resolved is not None and resolved > report.resolve_by):
        owed += 1
    return owed



# --- escalation ------------------------------------------------------------------------------------------------------

def escalate(report: Report, now: datetime.datetime | None = None) -> bool:
    """Move an overdue report up as many levels as it owes (see escalations_owed); True if it moved."""
    now = now or timezone.now()
    with transaction.atomic():
        report = timeline.locked(report)
        if report.status not in OPEN_STATUSES:
            return False
        moved = False
        while report.escalations < escalations_owed(report, now):
            parent = parent_handler(report.handler_region_id)
            if parent is None:
                break
            before = report.handler_region_id
            report.handler_region_id = parent
            report.escalations += 1
            report.save(update_fields=["handler_region", "escalations"])
            reason = (_("No response by the deadline.") if report.escalations == 1 and report.responded_at is None
                      else _("Not resolved by the deadline."))
            timeline.event(report, E.ESCALATED, text=reason, at=now)
            audit.record("report.escalate", obj=report, detail={"from": before, "to": parent})
            timeline.notify_handlers(report, _("Overdue report %(number)s passed up to you") % {"number": report.number})
            moved = True
        return moved


def escalate_overdue(now: datetime.datetime | None = None) -> int:
    """Escalate every overdue open report that still owes a level; returns how many moved.
    Idempotent: a second run at the same moment moves nothing."""
    now = now or timezone.now()
    # At most two levels are ever owed (see escalations_owed); the rest is checked row by row.
    candidates = Report.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(respond_by__lt=now, escalations=0) | Q(resolve_by__lt=now, escalations__lt=2)).order_by("pk")
    moved = 0
    for report in candidates.iterator(chunk_size=500):
        if report.escalations < escalations_owed(report, now) and escalate(report, now):
            moved += 1
    return moved
