"""Who may do what in maintenance: the `can_*` rules that pages, the API and the menus ask.

Work orders: division staff manage their divisions' orders, supervisors read them, a maintenance
unit's staff work on the orders assigned to their unit. Inspections: division staff plan, the round's
inspector walks it.
"""

from quanmin.accounts import scoping
from quanmin.accounts.models import Role

from .models import InspectionPlan, InspectionRound, WorkOrder
from .services import NEXT, PHOTO_STAGES_ALLOWED

S = WorkOrder.Status

# --- work orders -------------------------------------------------------------------------------------------


def unit_ids(user) -> set[int]:
    """The maintenance units whose staff this user is (role org_staff bound to the unit)."""
    return {m.target_id for m in scoping.memberships(user)
            if m.role == Role.ORG_STAFF and m.target_id is not None and m.target_type is not None
            and (m.target_type.app_label, m.target_type.model) == ("maintenance", "maintenanceunit")}


def is_unit_staff(user) -> bool:
    return bool(unit_ids(user))


def can_read(user) -> bool:
    """Work-order pages: division staff and supervisors, and maintenance units' staff."""
    return scoping.is_division_staff(user) or is_unit_staff(user)


def can_manage(user, order: WorkOrder) -> bool:
    """Division staff who may change orders in the order's division: create, assign, verify, cancel."""
    return scoping.can_write_region(user, order.region_id)


def can_work(user, order: WorkOrder) -> bool:
    """Whoever may report progress: the managers, and the staff of the unit it is assigned to."""
    if can_manage(user, order):
        return True
    return bool(order.unit_id) and order.unit_id in unit_ids(user)


def allowed_actions(user, order: WorkOrder) -> set[str]:
    """The buttons this person gets on this order: state and role together."""
    manage, work = can_manage(user, order), can_work(user, order)
    nxt = NEXT[order.status]
    actions = set()
    if manage and S.ASSIGNED in nxt:
        actions.add("assign")
    if work and S.IN_PROGRESS in nxt and order.status != S.DONE:
        actions.add("start")
    if work and S.DONE in nxt:
        actions.add("complete")
    if manage and order.status == S.DONE:
        actions.add("verify")
    if manage and S.CANCELLED in nxt:
        actions.add("cancel")
    if work and any(order.status in states for states in PHOTO_STAGES_ALLOWED.values()):
        actions.add("photo")
    return actions


# --- inspections -------------------------------------------------------------------------------------------


def can_read_inspections(user) -> bool:
    """Plan and round pages: division staff and supervisors (scoped to their divisions)."""
    return scoping.is_division_staff(user)


def can_write_inspections(user) -> bool:
    return scoping.is_division_staff(user, write=True)


def can_change_plan(user, plan: InspectionPlan) -> bool:
    return scoping.can_write_region(user, plan.region_id)


def can_walk(user, round_: InspectionRound) -> bool:
    """Only the round's inspector records checks (a platform administrator may stand in)."""
    return bool(getattr(user, "is_authenticated", False)) and (
        round_.inspector_id == user.pk or scoping.is_superuser(user))
