"""The departments register: the bodies a division's tasks name (牵头 / 责任 / 配合 units)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import scoping
from quanmin.accounts.models import Membership, Role, User
from quanmin.accounts.services import grant_membership, revoke_membership
from quanmin.regions import codes
from quanmin.regions.models import Region

from ..errors import PlanningError
from ..models import Department
from ..units import is_division_group


def add(user, *, division_code: str, name: str) -> Department:
    name = " ".join((name or "").split())
    if not name or len(name) > 80:
        raise PlanningError("department_name", _("A department's name has 1 to 80 characters."), "name")
    if not codes.is_code(division_code or ""):
        raise PlanningError("plan_division_code", _("Not a division code."), "division_code")
    if not scoping.can_write_region(user, division_code):
        raise PlanningError("department_not_yours", _("Staff keep the register of their own divisions."), status=403)
    kind = Department.Kind.DIVISIONS if is_division_group(name) else Department.Kind.DEPARTMENT
    try:
        with transaction.atomic():
            return Department.objects.create(division_code=division_code, name=name, kind=kind)
    except IntegrityError:
        raise PlanningError("department_exists", _("The division already has a department of that name."), "name",
                            status=409)


def staff_of(department: Department):
    return (Membership.objects.filter(role=Role.DEPARTMENT_STAFF, target_id=department.pk,
                                      target_type__app_label="planning", target_type__model="department")
            .select_related("user").order_by("created_at", "id"))


def _check_owner(actor, department: Department) -> None:
    if not scoping.can_write_region(actor, department.division_code):
        raise PlanningError("department_not_yours", _("Staff keep the register of their own divisions."), status=403)


@transaction.atomic
def add_staff(actor, department: Department, user: User, *, request=None) -> Membership:
    """Make a person staff of the department (the department_staff role bound to it, granted and
    audited by accounts): the division's own staff do it, outside the admin. Twice changes nothing."""
    _check_owner(actor, department)
    membership = grant_membership(user, Role.DEPARTMENT_STAFF, Region.objects.get(pk=department.division_code),
                                  target=department, request=request)
    user.__dict__.pop("_quanmin_memberships", None)
    return membership


@transaction.atomic
def remove_staff(actor, department: Department, user_id: int, *, request=None) -> bool:
    _check_owner(actor, department)
    membership = staff_of(department).filter(user_id=user_id).first()
    if membership is None:
        return False
    revoke_membership(membership, request=request)
    return True
