"""Who may do what with people's accounts: the rules the API and the admin share.

Which people a user sees is the scoping helper's business (scoping.py); these say whether the user
may use a function at all.
"""

from . import scoping


def can_list_people(user) -> bool:
    """People in one's divisions, masked: division staff and read-only roles."""
    return scoping.is_division_staff(user)


def can_reveal_personal(user) -> bool:
    """A person's whole phone and ID number (an audited read): division staff with a writing role."""
    return scoping.is_division_staff(user, write=True)


def can_grant_roles(user) -> bool:
    """Granting and revoking roles in one's divisions: division staff with a writing role."""
    return scoping.is_division_staff(user, write=True)


def can_read_audit(user) -> bool:
    """The audit log is the city's: city staff and platform administrators."""
    return scoping.is_city_staff(user)


def can_lift_lockout(user) -> bool:
    """Forgetting failed sign-ins (a locked-out person calls the bureau): city staff."""
    return scoping.is_city_staff(user)
