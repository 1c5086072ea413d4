"""A plan's targets and tasks as an Excel workbook (formulas neutralised by core.excel)."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from . import progress, selectors
from .models import Plan, Target


def status_label(status: str) -> str:
    return {progress.MET: _("Met"), progress.ON_TRACK: _("On track"), progress.AT_RISK: _("At risk"),
            progress.OFF_TRACK: _("Off track"), progress.NO_DATA: _("No data")}[status]


def yes_no(flag: bool) -> str:
    return _("Yes") if flag else _("No")


def _number(value):
    return "" if value is None else float(value)


def goal(row) -> Decimal | None:
    """The value a target's row must reach: its own, or for an "up" target last year's."""
    return row.baseline if row.target.comparator == Target.Comparator.INCREASE else row.target.value


def plan_sheets(plan: Plan, today: date) -> list:
    found = selectors.dashboard(plan, today)
    target_rows = []
    comparators = dict(Target.Comparator.choices)
    for row in found["rows"]:
        t = row.target
        target_rows.append([
            t.key, t.name, str(comparators[t.comparator]), _number(goal(row)), t.unit_text or str(t.get_unit_display()),
            t.deadline.isoformat(), str(t.get_level_display()), yes_no(t.each), str(t.get_kind_display()),
            row.indicator_label or (_("Entered figures") if row.source == "figures" else ""),
            _number(row.value), status_label(row.status),
            row.assessment.forecast.isoformat() if row.assessment and row.assessment.forecast else "",
            "、".join(d.name for d in row.failing), t.quote, yes_no(t.core_indicator),
        ])
    board = selectors.task_board(plan, today)
    task_rows = [[
        c["task"].number, c["task"].group, c["task"].subgroup, c["task"].title,
        "、".join(d.name for d in c["leads"]), "、".join(d.name for d in c["others"]),
        c["task"].deadline_text, c["task"].deadline.isoformat() if c["task"].deadline else "",
        str(c["task"].get_recurrence_display()), c["period"].year if c["period"] else "",
        str(c["period"].get_status_display()) if c["period"] else "", c["period"].percent if c["period"] else "",
        yes_no(c["overdue"]), yes_no(c["task"].livelihood),
    ] for c in board["cards"]]
    ranking = [[r["place"], r["name"], r["met"], r["applicable"], _number(r["share"])] for r in found["ranking"]]
    return [
        (_("Targets"), [_("Key"), _("Target"), _("Comparator"), _("Goal"), _("Unit"), _("Deadline"), _("Level"),
                        _("Every division"), _("Kind"), _("Indicator"), _("Value"), _("Status"), _("Forecast"),
                        _("Divisions not meeting it"), _("As written"), _("Core indicator")], target_rows),
        (_("Tasks"), [_("Number"), _("Work area"), _("Key task"), _("Task"), _("Reporting units"), _("Other units"),
                      _("Deadline as written"), _("Deadline"), _("Recurrence"), _("Year"), _("Status"), _("Progress (%)"),
                      _("Overdue"), _("Livelihood project")], task_rows),
        (_("Ranking"), [_("Place"), _("Division"), _("Targets met"), _("Targets applicable"), _("Share met (%)")], ranking),
    ]
