"""Who may see and run the venue-opening evaluation.

Division staff of every level (and supervisors and evaluators) read the evaluations of the venues
in their divisions. The county's and the city's sports staff run it: they open and finish a round
of their division, evaluate its venues, request rectifications and confirm them. A venue's
operator (the operator role bound to the site) sees its rectifications and reports them done; so
may the division's staff, for a venue with no operator on the platform.
"""

from quanmin.accounts import scoping
from quanmin.accounts.models import Role

SITE_MODEL = "facilities.Site"
RUNNING_ROLES = {Role.COUNTY_STAFF, Role.CITY_STAFF}


def can_read(user) -> bool:
    return scoping.is_division_staff(user)


def can_run(user) -> bool:
    return scoping.is_superuser(user) or bool(scoping.roles(user) & RUNNING_ROLES)


def can_run_region(user, region_code: str) -> bool:
    return can_run(user) and scoping.can_write_region(user, region_code)


def operated_sites(user) -> list[int]:
    return scoping.targets(user, {Role.OPERATOR}, SITE_MODEL)


def can_report(user, site) -> bool:
    return site.pk in operated_sites(user) or scoping.can_write_region(user, site.region_id)
