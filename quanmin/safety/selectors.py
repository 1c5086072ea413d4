"""Reads the pages, the API and the export share: the public venues with their safety records, the
checks and the hazards a user may see."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from quanmin.accounts import scoping
from quanmin.facilities.models import Site
from quanmin.regions.models import Region
from quanmin.regions.selectors import subtree_q

from . import figures, permissions
from .models import Hazard, SafetyCheck


def venues_for(user, params=None, write: bool = False) -> QuerySet[Site]:
    """Public venues in scope with their records. Filters: q (name contains), region (a subtree),
    gap (one of figures.GAPS, or "any": the venues whose record is incomplete today)."""
    if not permissions.can_read(user):
        return Site.objects.none()
    qs = scoping.scoped(user, Site.objects.filter(figures.public_q()).select_related("region", "safety"), write)
    get = (params or {}).get
    q = str(get("q") or "").strip()[:60]
    if q:
        qs = qs.filter(name__icontains=q)
    found = subtree_q(get("region"))
    if found is not None:
        qs = qs.filter(found)
    gap = str(get("gap") or "")
    today = timezone.localdate()
    if gap == "any":
        qs = qs.filter(figures.incomplete_q(today))
    elif gap in figures.GAPS:
        qs = qs.filter(figures.gap_q(gap, today))
    elif gap:
        qs = qs.none()
    return qs.order_by("region_id", "name", "pk")


def record_of(site):
    """The site's safety record, or None."""
    try:
        return site.safety
    except Site.safety.RelatedObjectDoesNotExist:
        return None


def venue_or_404(user, pk, write: bool = False) -> Site:
    """A public venue (owned by the government or a community) in scope, else 404: a school's or a
    company's ground is none of the register's. One closed for now keeps its record, checks and
    hazards (the lists and the figures count the open ones)."""
    if not permissions.can_read(user):
        raise Http404
    public = Site.objects.filter(owner_kind__in=figures.PUBLIC_OWNERS)
    return scoping.get_scoped_or_404(user, public.select_related("region", "safety"), write, pk=pk)


def checks_for(user, params=None) -> QuerySet[SafetyCheck]:
    """Checks of the venues in scope (a venue's operator: its own). Filters: site, region."""
    qs = scoping.scoped(user, SafetyCheck.objects.select_related("site", "site__region", "checked_by"))
    get = (params or {}).get
    site = str(get("site") or "")
    if site:
        qs = qs.filter(site_id=site) if site.isdigit() else qs.none()
    found = subtree_q(get("region"), "site__region__code")
    if found is not None:
        qs = qs.filter(found)
    return qs


def check_or_404(user, pk, write: bool = False) -> SafetyCheck:
    return scoping.get_scoped_or_404(user, SafetyCheck.objects.select_related("site", "site__region", "checked_by"),
                                     write, pk=pk)


def hazards_for(user, params=None) -> QuerySet[Hazard]:
    """Hazards of the venues in scope. Filters: status, level, overdue (1: open past the deadline),
    region, site."""
    qs = scoping.scoped(user, Hazard.objects.select_related("site", "site__region", "safety_check"))
    get = (params or {}).get
    status = str(get("status") or "")
    if status:
        qs = qs.filter(status=status) if status in Hazard.Status.values else qs.none()
    level = str(get("level") or "")
    if level:
        qs = qs.filter(level=level) if level in Hazard.Level.values else qs.none()
    if str(get("overdue") or "") == "1":
        qs = qs.filter(status=Hazard.Status.OPEN, deadline__lt=timezone.localdate())
    site = str(get("site") or "")
    if site:
        qs = qs.filter(site_id=site) if site.isdigit() else qs.none()
    found = subtree_q(get("region"), "site__region__code")
    if found is not None:
        qs = qs.filter(found)
    return qs.order_by("deadline", "pk")


def hazard_or_404(user, pk, write: bool = False) -> Hazard:
    return scoping.get_scoped_or_404(user, Hazard.objects.select_related("site", "site__region", "safety_check"),
                                     write, pk=pk)


def open_hazards_of_my_venues(user) -> QuerySet[Hazard]:
    """The operator's view: hazards of the venues the user operates, not yet confirmed."""
    return (Hazard.objects.filter(site_id__in=permissions.operated_sites(user))
            .exclude(status=Hazard.Status.CLOSED).select_related("site", "safety_check").order_by("deadline", "pk"))


def top_region(user) -> Region | None:
    return scoping.top_regions(user).order_by("code").first()
