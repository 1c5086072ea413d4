"""Who may see and change the register of institutions, their fittings and the programme activities.

The sports bureau keeps them with civil affairs (养老服务机构), the disabled persons' federation
(康复中心) and the ethnic and religious affairs bureau (民族乡村), as the seeds' task rows name them:
division staff of every level read the institutions of their divisions (supervisors and evaluators
read too) and write them (a county's staff its county's, a township's its township's). Residents
see only the places these fittings make suitable for them (the phone page `inclusive:near`),
never the register itself.
"""

from quanmin.accounts import scoping


def can_read(user) -> bool:
    return scoping.is_division_staff(user)


def can_write(user) -> bool:
    """Registering institutions and recording fittings and activities at all (each then by region)."""
    return scoping.is_division_staff(user, write=True)


def can_write_region(user, region_code: str) -> bool:
    return scoping.can_write_region(user, region_code)
