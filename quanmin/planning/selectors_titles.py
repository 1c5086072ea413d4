"""Reads of the titles (G16) that the pages and the API share: the applications a user may see,
one application with its criteria, and the counties holding each title."""

from django.db.models import QuerySet
from django.http import Http404

from quanmin.accounts import scoping
from quanmin.regions.selectors import subtree_q

from . import permissions
from .models import TitleApplication


def applications_for(user, params=None) -> QuerySet[TitleApplication]:
    """Filters: title, status, year, region (a subtree)."""
    if not permissions.can_read(user):
        return TitleApplication.objects.none()
    qs = scoping.scoped(user, TitleApplication.objects.all())
    get = (params or {}).get
    for field in ("title", "status"):
        value = str(get(field) or "")
        if value:
            qs = qs.filter(**{field: value})
    year = str(get("year") or "")
    if year:
        qs = qs.filter(year=int(year)) if year.isdigit() and len(year) == 4 else qs.none()
    found = subtree_q(get("region"), "division_code")
    if found is not None:
        qs = qs.filter(found)
    return qs.order_by("-year", "title", "division_code", "pk")


def application_or_404(user, pk) -> TitleApplication:
    found = TitleApplication.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if found is None or not permissions.can_read_application(user, found):
        raise Http404
    return found


def holders(user, title: str = "") -> QuerySet[TitleApplication]:
    """The awarded applications a user may see: the counties holding a title, since when."""
    qs = applications_for(user, {"title": title, "status": TitleApplication.Status.AWARDED})
    return qs.order_by("title", "awarded_on", "division_code")
