"""Who may see and change the outreach registers (lectures, the publicity column, the "five into"
activities, workplace exercise).

Division staff of every level keep them for their divisions (a county's staff its county's, a
township's its township's); supervisors and evaluators read them. Residents see the published
column and the lectures to come, and sign themselves up: anyone signed in may.
"""

from quanmin.accounts import scoping


def can_read(user) -> bool:
    return scoping.is_division_staff(user)


def can_write(user) -> bool:
    """Writing at all (each row is then checked by its division)."""
    return scoping.is_division_staff(user, write=True)


def can_write_region(user, region_code: str) -> bool:
    return scoping.can_write_region(user, region_code)


def can_sign_up(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))
