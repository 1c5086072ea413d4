"""Who may do what with residents' reports: the `can_*` rules pages and the API ask."""

from quanmin.accounts import scoping
from quanmin.accounts.models import Role

from .models import OPEN_STATUSES, Report

S = Report.Status


def operates(user, report: Report) -> bool:
    """The user operates the report's place (its managing unit's people answer for it)."""
    return report.site_id is not None and report.site_id in scoping.targets(user, {Role.OPERATOR}, "facilities.Site")


def is_handler(user, write: bool = False) -> bool:
    """May open the staff queue: division staff (read-only roles only to read) and venue operators."""
    return scoping.is_division_staff(user, write=write) or bool(scoping.targets(user, {Role.OPERATOR}))


def can_handle(user, report: Report) -> bool:
    """Division staff who may change reports in the report's division (its own or above), and the
    operators of the report's place."""
    return scoping.can_write_region(user, report.region_id) or operates(user, report)


def allowed_actions(user, report: Report) -> set[str]:
    if not can_handle(user, report):
        return set()
    actions = set()
    if report.status == S.RECEIVED:
        actions.add("respond")
    if report.status in OPEN_STATUSES:
        actions |= {"resolve", "reject", "note"}
        # Repairs are ordered from the division's maintenance units: division staff send them.
        if (report.work_order_id is None or not report.work_order.open) and \
                scoping.can_write_region(user, report.region_id):
            actions.add("work_order")
    return actions
