"""Sending a resident's report for repair, under /api/v1/feedback/staff/reports/{id}/work-order.

The path is the report's (feedback's staff API); the action is maintenance's (services.open_for_report):
feedback never calls maintenance, so this endpoint lives here and answers with feedback's view of the
report, as its other staff endpoints do.
"""

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from quanmin.core.api import MAX_ID
from quanmin.feedback.api_common import ERRORS, Text
from quanmin.feedback.api_staff import StaffReportOut, staff_out, staff_report_or_404

from . import services, units
from .errors import MaintenanceError

router = Router(tags=["feedback"])


class ReportWorkOrderIn(Schema):
    severity: str = Field("", max_length=20, description="Empty: urgent for a safety hazard, else normal.")
    kind: str = Field("repair", max_length=20)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID, description="Empty: the unit serving the division.")
    description: Text = Field("", max_length=4000)


@router.post(
    "/staff/reports/{report_id}/work-order",
    response={201: StaffReportOut, **ERRORS},
    summary="Send for repair: a work order for the report's piece or place (one open order a report)",
)
def work_order(request, report_id: int, payload: ReportWorkOrderIn):
    report = staff_report_or_404(request, report_id, write=True)
    unit = None
    if payload.unit_id:
        unit = units.units_serving(report.region_id).filter(pk=payload.unit_id).first()
        if unit is None:
            raise MaintenanceError("unit_not_serving", _("That maintenance unit does not serve this division."),
                                   "unit_id")
    services.open_for_report(report, actor=request.user, severity=payload.severity, kind=payload.kind, unit=unit,
                             description=payload.description, request=request)
    return Status(201, staff_out(request, staff_report_or_404(request, report.pk)))
