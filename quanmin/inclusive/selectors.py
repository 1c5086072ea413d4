"""Reads the pages, the API, the export and the indicators share: the institutions, fittings and
activities a user may see (scoped to their divisions), and the places suitable for a group of
residents near a point (public: what was fitted, never who)."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from quanmin.accounts import scoping
from quanmin.facilities import selectors as facility_selectors
from quanmin.facilities.models import Site
from quanmin.regions.models import Region
from quanmin.regions.selectors import subtree_q as region_q
from quanmin.regions.selectors import with_children

from . import permissions
from .models import MEASURES, SUITABLE, Activity, Fitting, Group, Institution, Kind


def equipped_q(measure: str, as_of=None) -> Q:
    """Institutions fitted (by `as_of`) with what the plan's measure asks for."""
    _kinds, fitted = MEASURES[measure]
    found = Fitting.objects.filter(institution=OuterRef("pk"), kind__in=fitted)
    if as_of is not None:
        found = found.filter(fitted_on__lte=as_of)
    return Q(Exists(found))


def measure_of(kind: str) -> str | None:
    """The first of the plans' measures an institution of this kind counts under."""
    return next((m for m, (kinds, _fitted) in MEASURES.items() if kind in kinds), None)


def institutions_for(user, params=None, write: bool = False) -> QuerySet[Institution]:
    """Filters: q (name contains), kind, region (a division's subtree), equipped (1/0: fitted as its
    kind's measure asks), active (1/0/all)."""
    if not permissions.can_read(user):
        return Institution.objects.none()
    qs = scoping.scoped(user, Institution.objects.select_related("region", "site"), write)
    get = (params or {}).get
    q = str(get("q") or "").strip()[:60]
    if q:
        qs = qs.filter(name__icontains=q)
    kind = get("kind")
    if kind:
        qs = qs.filter(kind=kind) if kind in Kind.values else qs.none()
    found = region_q(get("region"))
    if found is not None:
        qs = qs.filter(found)
    equipped = str(get("equipped") or "")
    if equipped in ("1", "0"):
        any_measure = Q()
        for measure, (kinds, _fitted) in MEASURES.items():
            any_measure |= Q(kind__in=kinds) & equipped_q(measure)
        qs = qs.filter(any_measure) if equipped == "1" else qs.exclude(any_measure)
    active = str(get("active") or "1")
    if active in ("1", "0"):
        qs = qs.filter(active=active == "1")
    return qs


def institution_or_404(user, pk, write: bool = False) -> Institution:
    if not permissions.can_read(user):
        raise Http404
    return scoping.get_scoped_or_404(user, Institution.objects.select_related("region", "site"), write, pk=pk)


def fittings_of(institution: Institution) -> QuerySet[Fitting]:
    return institution.fittings.select_related("facility", "site").order_by("-fitted_on", "-pk")


def fittings_for(user) -> QuerySet[Fitting]:
    if not permissions.can_read(user):
        return Fitting.objects.none()
    return scoping.scoped(user, Fitting.objects.select_related("institution", "facility", "region"))


def fitting_or_404(user, pk, write: bool = False) -> Fitting:
    if not permissions.can_read(user):
        raise Http404
    return scoping.get_scoped_or_404(user, Fitting.objects.select_related("institution"), write, pk=pk)


def activities_for(user, params=None) -> QuerySet[Activity]:
    """Filters: group, year (the calendar year held), region (a division's subtree)."""
    if not permissions.can_read(user):
        return Activity.objects.none()
    qs = scoping.scoped(user, Activity.objects.select_related("region", "institution"))
    get = (params or {}).get
    group = get("group")
    if group:
        qs = qs.filter(group=group) if group in Group.values else qs.none()
    year = str(get("year") or "")
    if year.isdigit() and len(year) == 4:
        qs = qs.filter(held_on__year=int(year))
    found = region_q(get("region"))
    if found is not None:
        qs = qs.filter(found)
    return qs.order_by("-held_on", "-pk")


def activity_or_404(user, pk, write: bool = False) -> Activity:
    if not permissions.can_read(user):
        raise Http404
    return scoping.get_scoped_or_404(user, Activity.objects.select_related("region", "institution"), write, pk=pk)


def top_region(user) -> Region | None:
    return scoping.top_region(user)


def rollup_regions(top: Region | None) -> list[Region]:
    """The top of the user's scope and the divisions just below it."""
    return with_children(top)


# -- residents: places suitable for a group -------------------------------------------------------
RESIDENT_GROUPS = tuple(SUITABLE)


def suitable_sites(group: str) -> QuerySet[Site]:
    """Open sites where an active institution's fitting suits the group (elderly, preschool, disabled)."""
    fitted = Fitting.objects.filter(site=OuterRef("pk"), kind__in=SUITABLE[group], institution__active=True)
    return Site.objects.filter(status=Site.Status.OPEN).filter(Exists(fitted))


def near(group: str, origin: tuple[float, float] | None, radius_m: float, region: str = ""):
    """(sites, {site id: metres}) suitable for the group: nearest first within the radius when a point
    is given, else by division then name (a queryset the caller pages)."""
    qs = suitable_sites(group)
    found = region_q(region)
    if found is not None:
        qs = qs.filter(found)
    if origin is None:
        return qs.order_by("region_id", "name", "pk"), {}
    hits = facility_selectors.nearby(qs, origin[0], origin[1], radius_m)
    return [s for s, _d in hits], {s.pk: d for s, d in hits}


def what_suits(sites: list[Site], group: str) -> dict[int, list[tuple[str, str, str]]]:
    """Each site's institutions and what was fitted for the group there: {site id: [(institution,
    fitting kind, its label)]}, in one query."""
    out: dict[int, list[tuple[str, str, str]]] = {}
    rows = (Fitting.objects.filter(site__in=[s.pk for s in sites], kind__in=SUITABLE[group], institution__active=True)
            .select_related("institution").order_by("site_id", "institution__name", "kind"))
    for f in rows:
        pair = (f.institution.name, f.kind, f.get_kind_display())
        if pair not in out.setdefault(f.site_id, []):
            out[f.site_id].append(pair)
    return out
