"""Reads the pages, the API, the export and the figures share: the projects a user may see."""

from django.db.models import QuerySet
from django.http import Http404

from quanmin.accounts import scoping
from quanmin.regions import codes
from quanmin.regions.models import Region
from quanmin.regions.selectors import subtree_q

from . import permissions
from .models import ResidentialProject, Status


def projects_for(user, params=None, write: bool = False) -> QuerySet[ResidentialProject]:
    """Filters: q (name or developer contains), status, compliant (1/0), region (a subtree)."""
    if not permissions.can_read(user):
        return ResidentialProject.objects.none()
    qs = scoping.scoped(user, ResidentialProject.objects.select_related("region"), write)
    get = (params or {}).get
    q = str(get("q") or "").strip()[:60]
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(developer__icontains=q)
    stage = str(get("status") or "")
    if stage:
        qs = qs.filter(status=stage) if stage in Status.values else qs.none()
    compliant = str(get("compliant") or "")
    if compliant in ("1", "0"):
        qs = qs.filter(compliant=compliant == "1")
    found = subtree_q(get("region"))
    if found is not None:
        qs = qs.filter(found)
    return qs.order_by("region_id", "name", "pk")


def project_or_404(user, pk, write: bool = False) -> ResidentialProject:
    if not permissions.can_read(user):
        raise Http404
    return scoping.get_scoped_or_404(user, ResidentialProject.objects.select_related("region", "accepted_by"), write,
                                     pk=pk)


def top_region(user) -> Region | None:
    return scoping.top_regions(user).order_by("code").first()


def writable_regions(user) -> list[Region]:
    """The divisions a project may be placed in: counties and townships of the user's write scope."""
    out = Region.objects.none()
    for top in scoping.top_regions(user, write=True):
        out = out | Region.objects.filter(code__within=codes.prefix(top.code),
                                          level__in=("county", "township"))
    return list(out.order_by("code")[:2000])
