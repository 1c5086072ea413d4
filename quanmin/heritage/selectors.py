"""Reads the pages, the API, the export and the residents' page share: the records a staff member
may see (scoped to their divisions, 404 outside) and what residents see near them."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from quanmin.accounts import scoping
from quanmin.regions import codes
from quanmin.regions.models import Region
from quanmin.regions.selectors import subtree_q

from . import permissions
from .models import Base, BaseLevel, Holder, HolderKind, Item, ItemKind, QualityEvent, Route

# Each staff register: its queryset with what its lists show, and the filter its `kind` takes.
REGISTERS = {
    "route": (lambda: Route.objects.select_related("region").prefetch_related("stops"), None),
    "base": (lambda: Base.objects.select_related("region", "site"), ("level", BaseLevel)),
    "event": (lambda: QualityEvent.objects.select_related("region", "site"), None),
    "holder": (lambda: Holder.objects.select_related("region", "site"), ("kind", HolderKind)),
    "item": (lambda: Item.objects.select_related("region", "holder"), ("kind", ItemKind)),
}


def records_for(user, kind: str, params=None, write: bool = False) -> QuerySet:
    """A register's records in the user's scope. Filters: q (name contains), region (a subtree),
    the register's kind or level, holder (items)."""
    build, choice = REGISTERS[kind]
    qs = build()
    if not permissions.can_read(user):
        return qs.none()
    qs = scoping.scoped(user, qs, write)
    get = (params or {}).get
    q = str(get("q") or "").strip()[:60]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(catalogue_no__icontains=q) | Q(donor__icontains=q)) \
            if kind == "item" else qs.filter(name__icontains=q)
    found = subtree_q(get("region"))
    if found is not None:
        qs = qs.filter(found)
    if choice:
        value = str(get(choice[0]) or "")
        if value:
            qs = qs.filter(**{choice[0]: value}) if value in choice[1].values else qs.none()
    holder = str(get("holder") or "")
    if kind == "item" and holder:
        qs = qs.filter(holder_id=int(holder)) if holder.isdigit() and len(holder) < 10 else qs.none()
    return qs.order_by(*qs.model._meta.ordering, "pk")


def record_or_404(user, kind: str, pk, write: bool = False):
    if not permissions.can_read(user):
        raise Http404
    return scoping.get_scoped_or_404(user, REGISTERS[kind][0](), write, pk=pk)


def holders(user) -> list[Holder]:
    """The holders an item may be catalogued in: those of the user's write scope."""
    return list(scoping.scoped(user, Holder.objects.all(), write=True).order_by("region_id", "name")[:500])


def divisions(user) -> list[Region]:
    """The divisions a record may be placed in: the top of the user's write scope and everything below it."""
    found = Region.objects.none()
    for top in scoping.top_regions(user, write=True):
        found = found | Region.objects.filter(code__within=codes.prefix(top.code))
    return list(found.order_by("code")[:3000])


def top_region(user) -> Region | None:
    return scoping.top_regions(user).order_by("code").first()


# ---------------------------------------------------------------- residents


def near_q(user) -> Q:
    """Near a resident: their home county and below, and the divisions above it (the city's own
    routes and bases); everyone's when no home is known."""
    home = getattr(user, "home_region_id", None) if getattr(user, "is_authenticated", False) else None
    if not home or codes.level(home) in ("province", "city"):
        return Q()
    county = codes.ancestor_at(home, "county")
    return Q(region__code__within=codes.prefix(county)) | Q(region_id__in=codes.ancestors(county))


def public_routes(user=None) -> QuerySet[Route]:
    return (Route.objects.filter(near_q(user), active=True).select_related("region").prefetch_related("stops")
            .order_by("region_id", "name", "pk"))


def public_bases(user=None) -> list[Base]:
    """Bases holding their title, the national first."""
    order = {BaseLevel.NATIONAL: 0, BaseLevel.PROVINCIAL: 1, BaseLevel.CITY: 2}
    rows = Base.objects.filter(near_q(user), active=True).select_related("region", "site")
    return sorted(rows[:200], key=lambda b: (order[b.level], b.region_id, b.name))


def public_events(user=None) -> QuerySet[QualityEvent]:
    """Quality events not yet over, soonest first."""
    return (QualityEvent.objects.filter(near_q(user), last_day__gte=timezone.localdate()).select_related("region")
            .order_by("first_day", "pk"))


def public_route_or_404(pk) -> Route:
    found = Route.objects.filter(pk=pk, active=True).select_related("region").prefetch_related("stops").first()
    if found is None:
        raise Http404
    return found
