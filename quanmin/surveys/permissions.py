"""Who may do what with surveys: the `can_*` rules pages, API and exports share.

Division staff run the surveys of their divisions (supervisors and evaluators read them and their
results); any signed-in real-name resident living in a survey's division answers it, once.
"""

from quanmin.accounts import scoping


def can_read(user) -> bool:
    """The staff side: division staff, supervisors, evaluators."""
    return scoping.is_division_staff(user)


def can_create(user) -> bool:
    return scoping.is_division_staff(user, write=True)


def can_manage(user, survey) -> bool:
    """Division staff whose scope holds the surveyed division: questions, quotas, opening, closing."""
    return scoping.can_write_region(user, survey.region_id)
