"""What the events register knows about other apps' objects (see quanmin.core.facts): the games an
organisation organised and the people entered in them, for its vitality index (organisations C08).
Organisations may not import events; they read these by key."""

import datetime
from collections.abc import Iterable

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from quanmin.core.facts import fact

from .models import Entry, Games

ORG = "organizations.Organization"


@fact(ORG, "events", label=_("Games and events organised"))
def events_organised(ids: Iterable[int], first: datetime.date, last: datetime.date) -> dict[int, float]:
    """Games whose first day falls in the window, by organising organisation (one query)."""
    rows = (Games.objects.filter(organization_id__in=ids, first_day__range=(first, last)).order_by()
            .values_list("organization_id").annotate(n=Count("id")))
    return dict(rows)


@fact(ORG, "event_participants", label=_("People entered in its events"))
def event_participants(ids: Iterable[int], first: datetime.date, last: datetime.date) -> dict[int, float]:
    """Athletes of the entered (confirmed) entries in those games, by organising organisation (one query)."""
    rows = (Entry.objects.filter(games__organization_id__in=ids, games__first_day__range=(first, last),
                                 status=Entry.Status.CONFIRMED).order_by()
            .values_list("games__organization_id").annotate(n=Sum("athletes")))
    return {org: n or 0 for org, n in rows}
