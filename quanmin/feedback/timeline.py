"""A report's timeline and who is told: the steps every writer of reports records (services for the
answers, routing for escalation)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from quanmin.accounts.models import DIVISION_ROLES, Role, User
from quanmin.core.notify import notify
from quanmin.facilities.models import Site

from .models import Report, ReportEvent


def event(report: Report, kind: str, *, actor=None, text: str = "", public: bool = True,
          at: datetime.datetime | None = None) -> ReportEvent:
    return ReportEvent.objects.create(report=report, kind=kind, actor=actor, text=(text or "")[:4000],
                                      public=public, at=at or timezone.now())


def locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def staff_of(region_code: str):
    return User.objects.filter(is_active=True, memberships__region_id=region_code,
                               memberships__role__in=list(DIVISION_ROLES)).distinct()


def site_operators(site_id: int | None):
    """The active users who operate the place (its managing unit's people), none for no place."""
    if site_id is None:
        return User.objects.none()
    return User.objects.filter(
        is_active=True, memberships__role=Role.OPERATOR, memberships__target_id=site_id,
        memberships__target_type=ContentType.objects.get_for_model(Site)).distinct()


def notify_handlers(report: Report, subject: str) -> None:
    """The staff of the handling division and, while the division has not passed it up, the
    operators of the report's place."""
    people = list(staff_of(report.handler_region_id)[:50])
    if report.escalations == 0:
        people += [u for u in site_operators(report.site_id)[:20] if u not in people]
    for user in people:
        notify(user, subject, report.description[:200])


def notify_reporter(report: Report, subject: str) -> None:
    if report.reporter_id is None:
        return
    notify(report.reporter, subject, report.answer[:200] or report.description[:200])
