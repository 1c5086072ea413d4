"""Who may see and change sports tourism and the sports-heritage collections.

The sports bureau's division staff keep both with the culture and tourism bureau's figures
(seed 000 names 市文化和旅游局 as the responsible unit): division staff of every level read the
records of their divisions (supervisors and evaluators read too) and write them. Residents see the
routes, demonstration bases and quality events on /tourism/; the collections (with donors'
personal data) are staff's alone, and a donor's whole phone is read (audited) only by those who
may change the item, as for an instructor's numbers: read-only roles see it masked.
"""

from quanmin.accounts import scoping


def can_read(user) -> bool:
    return scoping.is_division_staff(user)


def can_write(user) -> bool:
    return scoping.is_division_staff(user, write=True)


def can_write_region(user, region_code: str) -> bool:
    return scoping.can_write_region(user, region_code)
