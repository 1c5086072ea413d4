"""Who may see and change the school register and the schools' term returns.

The sports bureaus' division staff keep them with the education bureau's figures: division staff
of every level read the schools of their divisions (supervisors and evaluators read too) and write
them (a county's staff its county's schools, a township's its township's). Residents see nothing:
the returns are aggregate figures for planning, not a public page; what a plan target needs
reaches the plan through the indicators.
"""

from quanmin.accounts import scoping


def can_read(user) -> bool:
    return scoping.is_division_staff(user)


def can_write(user) -> bool:
    """Registering schools and entering returns at all (each school is then checked by region)."""
    return scoping.is_division_staff(user, write=True)


def can_write_region(user, region_code: str) -> bool:
    return scoping.can_write_region(user, region_code)
