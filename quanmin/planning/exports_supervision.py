"""Supervision's findings and rectification items as an Excel workbook, as the user sees them
(formulas neutralised by core.excel)."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import selectors_supervision
from .models import Finding


def sheets(user, today: date) -> list:
    visits = selectors_supervision.visits_for(user)
    findings = (Finding.objects.filter(visit__in=visits.filter(status="done"))
                .select_related("visit", "target", "task").order_by("visit__visited_on", "division_code", "pk"))
    finding_rows = [[
        f.visit.visited_on.isoformat(), f.visit.title, str(f.visit.get_kind_display()), str(f.visit.get_manner_display()),
        f.division_name, str(f.get_kind_display()), str(f.get_severity_display()) if f.severity else "", f.place, f.text,
        f.target.name if f.target else "", f"{f.task.number} {f.task.title}" if f.task else "",
    ] for f in findings.iterator(chunk_size=500)]
    items = selectors_supervision.rectifications_for(user).order_by("deadline", "pk")
    item_rows = [[
        r.finding.visit.visited_on.isoformat(), r.division_name, r.responsible_name(), r.finding.text, r.requirement,
        r.deadline.isoformat(), str(r.get_status_display()),
        _("Yes") if r.status in selectors_supervision.OPEN and r.deadline < today else _("No"),
        r.closed_on.isoformat() if r.closed_on else "",
    ] for r in items.iterator(chunk_size=500)]
    return [
        (_("Findings"), [_("Visited on"), _("Visit"), _("Kind of check"), _("Manner"), _("Division"), _("Kind"),
                         _("Severity"), _("Place"), _("Finding"), _("Target"), _("Task")], finding_rows),
        (_("Rectification items"), [_("Visited on"), _("Division"), _("Responsible unit"), _("Finding"),
                                    _("What to rectify"), _("Deadline"), _("Status"), _("Overdue"), _("Closed on")],
         item_rows),
        (_("Tracking research"), [_("Plan"), _("Target or task followed"), pgettext("date", "Day"), _("Visit"), _("Division"),
                                  _("Status"), _("Carried out jointly with"), _("Problems"), _("Items open")],
         tracking_rows(user)),
    ]


def tracking_rows(user) -> list[list]:
    """Each tracking visit under the piece of work it follows, chain after chain."""
    return [[c["plan"].title, f"{c['target'].key} {c['target'].name}" if c["target"]
             else f"{c['task'].number} {c['task'].title}", v.day.isoformat(), v.title, v.division_name,
             str(v.get_status_display()), "、".join(v.joint_with_labels), v.problems, v.items_open]
            for c in selectors_supervision.tracking_chains(user) for v in c["visits"]]
