"""Who may see and change the register of new residential areas.

The sports bureau's division staff keep it with the planning (自然资源和规划) and construction
bureaus' figures: division staff of every level read the projects of their divisions (supervisors
and evaluators read too) and write them, a county's staff its county's projects. Accepting a
project (验收) is a write of the same staff; one that falls short of the norm needs a reason,
which the audit log keeps. Residents see nothing: what a plan needs reaches it through the
indicator.
"""

from quanmin.accounts import scoping


def can_read(user) -> bool:
    return scoping.is_division_staff(user)


def can_write(user) -> bool:
    """Registering projects at all (each project is then checked by its division)."""
    return scoping.is_division_staff(user, write=True)


def can_write_region(user, region_code: str) -> bool:
    return scoping.can_write_region(user, region_code)
