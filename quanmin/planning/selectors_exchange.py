"""Reads of the experience exchange (E05) that the pages, the API and the export share: the cases a
user may see (their divisions' own, and the recommended cases of their city), one case, and the
on-site meetings."""

from django.db.models import Q, QuerySet
from django.http import Http404

from quanmin.accounts import scoping
from quanmin.regions.selectors import subtree_q

from . import permissions
from .models import ExperienceCase, SiteMeeting, Theme


def cases_for(user, params=None) -> QuerySet[ExperienceCase]:
    """Filters: status, theme, year, region (a subtree), q (words of the title)."""
    if not permissions.can_read(user):
        return ExperienceCase.objects.none()
    seen = scoping.scope_q(user, ExperienceCase)
    if seen is not None:
        for prefix in permissions.exchange_prefixes(user):
            seen |= Q(status=ExperienceCase.Status.RECOMMENDED, division_code__within=prefix)
    qs = ExperienceCase.objects.all() if seen is None else ExperienceCase.objects.filter(seen)
    get = (params or {}).get
    for field, allowed in (("status", ExperienceCase.Status.values), ("theme", Theme.values)):
        value = str(get(field) or "")
        if value:
            qs = qs.filter(**{field: value}) if value in allowed else qs.none()
    year = str(get("year") or "")
    if year:
        qs = qs.filter(year=int(year)) if year.isdigit() and len(year) == 4 else qs.none()
    found = subtree_q(get("region"), "division_code")
    if found is not None:
        qs = qs.filter(found)
    words = " ".join(str(get("q") or "").replace("\x00", "").split())[:60]
    if words:
        qs = qs.filter(title__icontains=words)
    return qs.select_related("submitted_by", "reviewed_by").order_by("-year", "division_code", "-submitted_at", "-pk")


def case_or_404(user, pk) -> ExperienceCase:
    found = ExperienceCase.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if found is None or not permissions.can_read(user) or not permissions.can_read_case(user, found):
        raise Http404
    return found


def meetings_for(user) -> QuerySet[SiteMeeting]:
    """The on-site meetings of the user's city (every division of a city hears of its meetings)."""
    if not permissions.can_read(user):
        return SiteMeeting.objects.none()
    if scoping.is_superuser(user):
        qs = SiteMeeting.objects.all()
    else:
        prefixes = permissions.exchange_prefixes(user)
        qs = SiteMeeting.objects.filter(Q(pk__in=[]) if not prefixes else
                                        Q.create([("division_code__within", p) for p in prefixes], connector=Q.OR))
    return qs.prefetch_related("cases").order_by("-held_on", "-pk")
