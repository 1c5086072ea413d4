"""The form that sends a resident's report for repair, drawn on feedback's report page.

Opening a work order is maintenance's action (services.open_for_report) and the unit list is
maintenance's data; feedback, the lower app, names this tag in its template as it names
maintenance's URLs, and never imports maintenance.
"""

from django import template

from ..forms import ReportWorkOrderForm
from ..services import severity_for_report
from ..units import responsible_unit, units_serving

register = template.Library()


@register.inclusion_tag("maintenance/reports/_work_order_form.html", takes_context=True)
def report_work_order_form(context, report, form=None):
    """`form`: the form of a refused request, with its errors; otherwise a fresh one."""
    return {"report": report, "csrf_token": context.get("csrf_token"),
            "form": form or ReportWorkOrderForm(units=units_serving(report.region_id),
                                                initial={"severity": severity_for_report(report)}),
            "responsible_unit": responsible_unit(report.region_id)}
