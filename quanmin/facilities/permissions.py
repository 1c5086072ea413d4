"""Who may do what with the facilities register: the rules its pages, API, imports and exports share.

Which rows a user sees or changes is the scoping helper's business (accounts.scoping); these say
whether the user may use a function at all, or change one object.
"""

from quanmin.accounts import scoping


def can_read(user) -> bool:
    """The staff side of the register (lists, figures, exports): division staff, supervisors, evaluators."""
    return scoping.is_division_staff(user)


def can_write(user) -> bool:
    """Changing the register, by hand or by import: division staff with a writing role."""
    return scoping.is_division_staff(user, write=True)


def can_change_equipment(user, piece) -> bool:
    """A piece of equipment in a division the user may change."""
    return scoping.can_write_region(user, piece.region_id)


def can_read_figures(user, region) -> bool:
    """A division's staff-only figures: a signed-in user whose scope covers the division."""
    return bool(user is not None and user.is_authenticated and scoping.can_read_region(user, region.code))
