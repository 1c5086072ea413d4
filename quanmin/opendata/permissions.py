"""Who may take the national export, and of which division: division staff, within their scope."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from quanmin.accounts import scoping
from quanmin.organizations.selectors import region_or_404
from quanmin.regions.models import Region


def export_tops(user) -> list[Region]:
    """The divisions the user's export starts from (403 for anyone who is not division staff; 404 for
    staff with no division)."""
    if not scoping.is_division_staff(user):
        raise PermissionDenied
    tops = list(scoping.top_regions(user))
    if not tops:
        raise Http404
    return tops


def export_region(user, code: str) -> Region:
    """A division within the user's scope by its code (404 otherwise, or for a code that is not one)."""
    return region_or_404(user, code)
