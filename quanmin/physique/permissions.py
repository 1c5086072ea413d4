"""Who may do what in physique monitoring: the rules its pages and API share.

This platform has no separate "tester" role: the division staff who run a station (a writing role)
are its testers. Who may read a person's results is a query rule, in selectors.
"""

from quanmin.accounts import scoping


def can_read(user) -> bool:
    """Figures and lists of stations and sessions: division staff, supervisors and evaluators."""
    return scoping.is_division_staff(user)


def can_test(user) -> bool:
    """Running stations and sessions and recording results: division staff with a writing role."""
    return scoping.is_division_staff(user, write=True)
