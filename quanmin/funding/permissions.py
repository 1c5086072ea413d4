"""Who may see and change the funding of national fitness.

Finance is the sports bureaus' own business: only city and county sports staff read and write it,
county staff their county's projects and lottery fund, city staff the whole city (the city's own
and every county's). Township and community staff, supervisors, evaluators, operators and
residents see nothing of it: no page, no API, no export. Nothing is published to residents; the
figures that a plan target needs reach the plan through the indicators (indicators.py), which show
a share, not the projects' accounts.
"""

from quanmin.accounts import scoping
from quanmin.accounts.models import Role

FINANCE_ROLES = {Role.CITY_STAFF, Role.COUNTY_STAFF}


def can_read(user) -> bool:
    """City and county sports staff (and platform administrators)."""
    return scoping.is_superuser(user) or bool(scoping.roles(user) & FINANCE_ROLES)


def can_write_region(user, region_code: str) -> bool:
    """Whether the user may record funding for this division: finance staff whose scope holds it."""
    return can_read(user) and scoping.can_write_region(user, region_code)


def scope_regions(user):
    """The divisions at the top of the user's finance scope: the city for city staff, the county for
    county staff."""
    return scoping.top_regions(user, write=True) if can_read(user) else scoping.top_regions(user).none()
