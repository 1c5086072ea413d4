"""Maintenance figures per division under /api/v1/maintenance/figures: the numbers of the staff page
(views_figures) as JSON.

Division readers only (staff of any level, supervisors, evaluators): anyone else signed in gets 403;
a division outside one's scope, or a code that names none, 404. The period is `start` and `end`
(YYYY-MM-DD, both included; either may be left out): a bad one is refused with 400 and a code
(`date_invalid`, `period_invalid`, `period_too_long`) naming the field.
"""

import datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from quanmin.accounts import scoping

from . import figures

router = Router(tags=["maintenance figures"])


class MaintenanceFiguresOut(Schema):
    code: str
    name: str
    level: str
    pieces: int
    in_service: int
    defective: int
    out_of_service: int
    replacement_due: int
    rounds_due: int
    rounds_done: int
    rounds_missed: int
    completion: float | None
    defects: int
    defects_inspection: int
    defects_report: int
    defects_per_100: float | None
    repairs_done: int
    repairs_on_time: int
    repair_hours: float
    mttr_hours: float | None
    on_time: float | None
    orders_open: int
    orders_overdue: int
    reports: int
    reports_escalated: int
    reports_open: int
    reports_overdue: int
    ratings: int
    rating_sum: int
    satisfied: int
    satisfaction: float | None
    satisfied_share: float | None


class MonthOut(Schema):
    month: str
    rounds_due: int
    rounds_done: int
    completion: float | None
    defects: int
    repairs_done: int
    mttr_hours: float | None
    reports: int
    ratings: int
    satisfaction: float | None


class MaintenanceDivisionFiguresOut(MaintenanceFiguresOut):
    start: datetime.date
    end: datetime.date
    today: datetime.date
    children: list[MaintenanceFiguresOut]
    direct: MaintenanceFiguresOut | None
    months: list[MonthOut]


@router.get("/{code}", response=MaintenanceDivisionFiguresOut, summary="Maintenance figures of a division and its children")
def division_figures(request, code: str, start: str | None = None, end: str | None = None):
    """Inspection completion, defects per 100 pieces, mean time to repair, overdue work orders and
    reports, residents' satisfaction and pieces due for replacement, for the division, each
    division directly under it, what lies at the division itself (`direct`), and month by month.
    Counts over the period: rounds, defects, repairs, reports received, ratings; as they stand now:
    pieces, open and overdue work orders and reports, pieces due for replacement."""
    if not scoping.is_division_staff(request.user):
        raise PermissionDenied
    region = figures.region_for(request.user, code)
    period = figures.parse_period(start, end)
    div = figures.division_figures(region, period)
    return {
        **div.figures.as_dict(),
        "start": period.start,
        "end": period.end,
        "today": div.today,
        "children": [c.as_dict() for c in div.children],
        "direct": div.direct.as_dict() if div.direct is not None else None,
        "months": [m.as_dict() for m in div.months],
    }
