"""What the livelihood projects' page, API and workbook read: a plan's marked tasks (民生实事) with
their progress in a year and that year's assessment, filtered by result."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Grade, LivelihoodAssessment, TaskItem, TaskPeriod

NOT_ASSESSED = "none"


@dataclass
class Row:
    task: TaskItem
    period: TaskPeriod | None
    assessment: LivelihoodAssessment | None
    leads: list


def board(plan, year: int, result: str = "") -> dict:
    """{rows, counts}: every task of the plan marked as a livelihood project, with its period of the
    year (progress, status) and the year's assessment; `result` keeps those assessed so (or, with
    "none", those not assessed yet). Counts are of all the marked tasks, before the filter."""
    tasks = list(TaskItem.objects.filter(plan=plan, livelihood=True).prefetch_related("units__department")
                 .order_by("order"))
    periods = {}  # the year's period, else the last before it, else the task's first (as the task board)
    for period in TaskPeriod.objects.filter(task__in=tasks).order_by("task_id", "year"):
        if period.task_id not in periods or period.year <= year:
            periods[period.task_id] = period
    assessments = {a.task_id: a for a in LivelihoodAssessment.objects.filter(task__in=tasks, year=year)
                   .select_related("recorded_by")}
    rows = []
    for task in tasks:
        units = list(task.units.all())
        leads = [u for u in units if u.role == "lead"] or [u for u in units if u.role == "responsible"] or units
        rows.append(Row(task, periods.get(task.pk), assessments.get(task.pk), [u.department for u in leads]))
    counts = {"marked": len(rows), "assessed": sum(r.assessment is not None for r in rows),
              **{g: sum(r.assessment is not None and r.assessment.result == g for r in rows) for g in Grade.values}}
    if result == NOT_ASSESSED:
        rows = [r for r in rows if r.assessment is None]
    elif result in Grade.values:
        rows = [r for r in rows if r.assessment is not None and r.assessment.result == result]
    return {"rows": rows, "counts": counts}


def sheets(plan, year: int, result: str = "") -> list:
    found = board(plan, year, result)
    rows = [[r.task.number, r.task.title, "、".join(d.name for d in r.leads), r.task.deadline_text,
             r.period.year if r.period else "", str(r.period.get_status_display()) if r.period else "",
             r.period.percent if r.period else "",
             str(r.assessment.get_result_display()) if r.assessment else _("Not assessed yet"),
             r.assessment.note if r.assessment else ""] for r in found["rows"]]
    return [(_("Livelihood projects %(year)s") % {"year": year}, [
        _("Number"), _("Task"), _("Reporting units"), _("Deadline as written"), _("Year"), _("Status"),
        _("Progress (%)"), _("Assessment result"), _("Note")], rows)]
