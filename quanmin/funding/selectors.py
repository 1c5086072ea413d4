"""Reads the pages, the API and the export share: the projects and funds a user may see."""

from django.db.models import QuerySet
from django.http import Http404

from quanmin.accounts import scoping

from . import permissions
from .models import LotteryFund, Project


def projects_for(user, year: int | None = None, region: str = "") -> QuerySet[Project]:
    if not permissions.can_read(user):
        return Project.objects.none()
    qs = scoping.scoped(user, Project.objects.select_related("region", "site").prefetch_related("amounts"))
    if year:
        qs = qs.filter(year=year)
    if region:
        qs = qs.filter(region__code__within=region)
    return qs


def project_or_404(user, pk, write: bool = False) -> Project:
    try:
        found = projects_for(user).get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if write and not permissions.can_write_region(user, found.region_id):
        raise Http404
    return found


def funds_for(user, year: int | None = None) -> QuerySet[LotteryFund]:
    if not permissions.can_read(user):
        return LotteryFund.objects.none()
    qs = scoping.scoped(user, LotteryFund.objects.select_related("region"))
    return qs.filter(year=year) if year else qs


def top_region(user):
    return permissions.scope_regions(user).order_by("code").first()
