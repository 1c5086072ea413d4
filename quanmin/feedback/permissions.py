"""Who may do what with residents' reports: the `can_*` rules pages and the API ask."""

from quanmin.accounts import scoping

from .models import OPEN_STATUSES, Report

S = Report.Status


def can_handle(user, report: Report) -> bool:
    """Division staff who may change reports in the report's division (its own or above)."""
    return scoping.can_write_region(user, report.region_id)


def allowed_actions(user, report: Report) -> set[str]:
    if not can_handle(user, report):
        return set()
    actions = set()
    if report.status == S.RECEIVED:
        actions.add("respond")
    if report.status in OPEN_STATUSES:
        actions |= {"resolve", "reject", "note"}
        if report.work_order_id is None or not report.work_order.open:
            actions.add("work_order")
    return actions
