"""Who may do what in the organisations register: the `can_*` rules pages, API and imports share.

Division staff keep the register of their divisions (supervisors and evaluators read it); county
and city staff approve filings in their county; an organisation's staff (role org_staff bound to
the organisation) run their own organisation; residents see their own groups.
"""

from quanmin.accounts import scoping
from quanmin.accounts.models import Role
from quanmin.regions import codes

APPROVING_ROLES = {Role.COUNTY_STAFF, Role.CITY_STAFF}
ORG_MODEL = ("organizations", "organization")


def org_ids(user) -> set[int]:
    """The organisations whose staff this user is."""
    return {m.target_id for m in scoping.memberships(user)
            if m.role == Role.ORG_STAFF and m.target_id is not None and m.target_type is not None
            and (m.target_type.app_label, m.target_type.model) == ORG_MODEL}


def is_org_staff(user) -> bool:
    return bool(org_ids(user))


def can_read(user) -> bool:
    """The staff side of the register: division staff, supervisors, evaluators, organisations' staff."""
    return scoping.is_division_staff(user) or is_org_staff(user)


def can_write(user) -> bool:
    """Changing something in the register (each object is then checked with can_change)."""
    return scoping.is_division_staff(user, write=True) or is_org_staff(user)


def can_create(user) -> bool:
    """Registering or filing a new organisation, by hand or by import: division staff who write."""
    return scoping.is_division_staff(user, write=True)


def can_manage(user, org) -> bool:
    """Division staff whose scope holds the organisation's division: every field."""
    return scoping.can_write_region(user, org.region_id)


def can_change(user, org) -> bool:
    """The managers, and the organisation's own staff (who may not change its legal particulars)."""
    return can_manage(user, org) or org.pk in org_ids(user)


def can_approve(user, region_code: str) -> bool:
    """County or city staff whose division holds the organisation's: they approve filings."""
    if scoping.is_superuser(user):
        return True
    return any(m.role in APPROVING_ROLES and codes.contains(m.region_id, region_code)
               for m in scoping.memberships(user))


def can_read_figures(user) -> bool:
    return scoping.is_division_staff(user)


def can_read_association_coverage(user) -> bool:
    """County and city staff: which of their city and county divisions lack an instructors' association."""
    return scoping.is_superuser(user) or any(m.role in APPROVING_ROLES for m in scoping.memberships(user))
