"""Which reports a member of staff sees, by the staff queue's tabs: the pages, the API and the home
page's counts read them here so that the numbers agree everywhere."""

import datetime

from django.db.models import Q, QuerySet

from quanmin.accounts import scoping

from . import services
from .models import Report

S = Report.Status
DONE_STATUSES = (S.RESOLVED, S.CLOSED, S.REJECTED)
TABS = ("open", "overdue", "escalated", "resolved", "all")


def overdue(now: datetime.datetime) -> Q:
    """Not answered by the response deadline, or not solved by the resolution deadline."""
    return Q(status=S.RECEIVED, respond_by__lt=now) | Q(status__in=services.OPEN_STATUSES, resolve_by__lt=now)


def queue(user, which: str, now: datetime.datetime) -> QuerySet[Report]:
    """The reports in the user's divisions on one tab of the queue (TABS; anything else: all)."""
    qs = scoping.scoped(user, Report.objects.all())
    if which == "open":
        qs = qs.filter(status__in=services.OPEN_STATUSES)
    elif which == "overdue":
        qs = qs.filter(overdue(now))
    elif which == "escalated":
        qs = qs.filter(escalations__gt=0, status__in=services.OPEN_STATUSES)
    elif which == "resolved":
        qs = qs.filter(status__in=DONE_STATUSES)
    return qs
