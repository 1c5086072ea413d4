"""Who may use the planning analysis: the rules its pages share."""

from quanmin.accounts import scoping


def can_read(user) -> bool:
    """The fitness-circle analysis and the candidate-site catalogue: division staff and read-only roles."""
    return scoping.is_division_staff(user)


def can_write(user) -> bool:
    """Requesting runs and changing candidate sites: division staff with a writing role."""
    return scoping.is_division_staff(user, write=True)
