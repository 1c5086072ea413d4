"""Who may see and change venues' safety records, checks and hazards.

Division staff of every level read the venues of their divisions (supervisors and evaluators read
too); they keep the safety records, make checks and confirm (or send back) rectifications. A
venue's operator (the operator role bound to the site) sees its checks and hazards and reports a
hazard rectified; so may the division's staff, for a venue with no operator on the platform.
"""

from quanmin.accounts import scoping
from quanmin.accounts.models import Role

SITE_MODEL = "facilities.Site"


def can_read(user) -> bool:
    return scoping.is_division_staff(user)


def can_write(user) -> bool:
    return scoping.is_division_staff(user, write=True)


def can_write_region(user, region_code: str) -> bool:
    return scoping.can_write_region(user, region_code)


def operated_sites(user) -> list[int]:
    return scoping.targets(user, {Role.OPERATOR}, SITE_MODEL)


def is_operator(user) -> bool:
    return bool(operated_sites(user))


def can_rectify(user, site) -> bool:
    return site.pk in operated_sites(user) or can_write_region(user, site.region_id)
