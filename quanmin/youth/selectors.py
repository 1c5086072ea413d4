"""Reads the pages, the API, the export and the indicators share: the schools and returns a user
may see, and whether a school's grounds are open to the public (read from the facilities register:
an open school site with public opening hours)."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from quanmin.accounts import scoping
from quanmin.facilities.models import OpeningRule, Site
from quanmin.regions.models import Region
from quanmin.regions.selectors import subtree_q as region_q
from quanmin.regions.selectors import with_children

from . import permissions
from .models import School, Stage, TermReturn


def grounds_open_q(site_field: str = "site") -> Q:
    """Schools whose grounds (their site) are open and have hours open to the public."""
    public_hours = OpeningRule.objects.filter(site=OuterRef(site_field), kind=OpeningRule.Kind.SCHOOL)
    return Q(**{f"{site_field}__status": Site.Status.OPEN}) & Q(Exists(public_hours))


def with_grounds_open(qs: QuerySet[School]) -> QuerySet[School]:
    public_hours = OpeningRule.objects.filter(site=OuterRef("site"), kind=OpeningRule.Kind.SCHOOL)
    return qs.annotate(public_hours=Exists(public_hours))


def grounds_open(school: School) -> bool:
    """One school's answer (a list reads the annotation of with_grounds_open instead)."""
    found = getattr(school, "public_hours", None)
    if found is None:
        found = school.site_id is not None and OpeningRule.objects.filter(
            site_id=school.site_id, kind=OpeningRule.Kind.SCHOOL).exists()
    return bool(found) and school.site is not None and school.site.status == Site.Status.OPEN


def schools_for(user, params=None, write: bool = False) -> QuerySet[School]:
    """Filters: q (name contains), stage, region (a division's subtree), open (1/0), active (1/0/all)."""
    if not permissions.can_read(user):
        return School.objects.none()
    qs = with_grounds_open(scoping.scoped(user, School.objects.select_related("region", "site"), write))
    get = (params or {}).get
    q = str(get("q") or "").strip()[:60]
    if q:
        qs = qs.filter(name__icontains=q)
    stage = get("stage")
    if stage:
        qs = qs.filter(stage=stage) if stage in Stage.values else qs.none()
    found = region_q(get("region"))
    if found is not None:
        qs = qs.filter(found)
    grounds = str(get("open") or "")
    if grounds in ("1", "0"):
        qs = qs.filter(grounds_open_q()) if grounds == "1" else qs.exclude(grounds_open_q())
    active = str(get("active") or "1")
    if active in ("1", "0"):
        qs = qs.filter(active=active == "1")
    return qs


def school_or_404(user, pk, write: bool = False) -> School:
    if not permissions.can_read(user):
        raise Http404
    return scoping.get_scoped_or_404(user, with_grounds_open(School.objects.select_related("region", "site")),
                                     write, pk=pk)


def returns_for(user, school_year: int | None = None, term: int | None = None, region: str = "") -> QuerySet[TermReturn]:
    if not permissions.can_read(user):
        return TermReturn.objects.none()
    qs = scoping.scoped(user, TermReturn.objects.select_related("school", "region"))
    if school_year:
        qs = qs.filter(school_year=school_year)
    if term:
        qs = qs.filter(term=term)
    found = region_q(region)
    if found is not None:
        qs = qs.filter(found)
    return qs.order_by("-starts_on", "region_id", "school__name")


def return_or_404(user, pk, write: bool = False) -> TermReturn:
    if not permissions.can_read(user):
        raise Http404
    return scoping.get_scoped_or_404(user, TermReturn.objects.select_related("school", "region"), write, pk=pk)


def top_region(user) -> Region | None:
    return scoping.top_region(user)


def rollup_regions(top: Region | None) -> list[Region]:
    """The top of the user's scope and the divisions just below it."""
    return with_children(top)


def top_region_for_writing(user):
    """The divisions at the top of the user's write scope (for the school form's division list)."""
    return scoping.top_regions(user, write=True)
