"""Reads of the register that the list page, the API and the export share: the user's scope,
narrowed by the list's filters."""

from django.db.models import Q, QuerySet
from django.http import Http404

from quanmin.accounts import scoping
from quanmin.regions import codes
from quanmin.regions.models import Region
from quanmin.regions.selectors import subtree_q as region_q

from . import sports
from .models import Organization

Org = Organization
LIST_RELATED = ("region", "parent")


def organizations_for(user, write: bool = False) -> QuerySet[Org]:
    return scoping.scoped(user, Org.objects.select_related(*LIST_RELATED), write)


def get_or_404(user, pk, write: bool = False) -> Org:
    return scoping.get_scoped_or_404(user, Org.objects.select_related(*LIST_RELATED, "site"), write, pk=pk)


def filtered(qs: QuerySet[Org], params) -> QuerySet[Org]:
    """Filters: q (name, credit code), kind, status, review, sport, region, parent, active (1/0/all),
    grade (the current grade at least N)."""
    get = params.get
    q = str(get("q") or "").strip()[:60]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code=q.upper()))
    for key, choices in (("kind", Org.Kind), ("status", Org.Status), ("review", Org.Review)):
        value = get(key)
        if value:
            qs = qs.filter(**{key: value}) if value in choices.values else qs.none()
    sport = get("sport")
    if sport:
        qs = qs.filter(sports__contains=f",{sport},") if sport in sports.SPORTS else qs.none()
    found = region_q(get("region"))
    if found is not None:
        qs = qs.filter(found)
    parent = str(get("parent") or "")
    if parent:
        qs = qs.filter(parent_id=int(parent)) if parent.isdigit() and len(parent) < 16 else qs.none()
    active = str(get("active") or "1")
    if active in ("1", "0"):
        qs = qs.filter(active=active == "1")
    return qs



def region_or_404(user, code: str) -> Region:
    """A division in the user's scope, by its code (figures pages and API)."""
    try:
        code = codes.normalise(str(code)[:20])
    except ValueError:
        raise Http404 from None
    return scoping.get_scoped_or_404(user, Region.objects.all(), code=code)
