"""Work on tasks: periods, progress reports, comments and reviews.

A task done once has one period, due on its deadline; a recurring one (每年, 持续实施) has one for
each year of the plan, due at the year's end (or the task's deadline if sooner). The reporting
units are the task's lead units, or its responsible units where the plan names no lead (002's
责任部门, 003's 责任单位); every other unit of the task comments. The plan's owners review.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..errors import PlanningError
from ..models import Plan, TaskEntry, TaskItem, TaskPeriod, TaskUnit
from . import evidence as evidence_rules

MAX_TEXT = 4000


def periods_for(task: TaskItem, plan: Plan) -> list[tuple[int, date]]:
    """(year, due) of every period the task should have."""
    deadline = task.deadline or plan.ends_on
    if task.recurrence:
        last = min(deadline, plan.ends_on) if task.recurrence == TaskItem.Recurrence.YEARLY else plan.ends_on
        return [(year, min(date(year, 12, 31), last)) for year in range(plan.starts_on.year, last.year + 1)]
    return [(deadline.year, deadline)]


def ensure_periods(plan: Plan) -> int:
    """Create the periods the plan's tasks lack (idempotent); answers how many were made."""
    have = set(TaskPeriod.objects.filter(task__plan=plan).values_list("task_id", "year"))
    new = [TaskPeriod(task=task, year=year, due_on=due)
           for task in plan.tasks.all() for year, due in periods_for(task, plan) if (task.pk, year) not in have]
    TaskPeriod.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def reporting_units(task: TaskItem) -> list[int]:
    units = list(task.units.all())
    leads = [u.department_id for u in units if u.role == TaskUnit.Role.LEAD]
    return leads or [u.department_id for u in units if u.role == TaskUnit.Role.RESPONSIBLE]


def _my_unit(user, task: TaskItem, allowed: list[int]) -> int:
    mine = [d for d in permissions.department_ids(user) if d in allowed]
    if not mine:
        raise PlanningError("task_not_yours", _("Only the task's reporting units may report on it."), status=403)
    return mine[0]


def _text(value: str) -> str:
    text = (value or "").strip()
    if not text:
        raise PlanningError("entry_text_missing", _("Write what was done."), "text")
    if len(text) > MAX_TEXT:
        raise PlanningError("entry_text_too_long", _("The text is too long."), "text")
    return text


def _locked(period: TaskPeriod) -> TaskPeriod:
    return TaskPeriod.objects.select_for_update().select_related("task__plan").get(pk=period.pk)


@transaction.atomic
def report(user, period: TaskPeriod, *, text: str, percent=None, done: bool = False, evidence=None) -> TaskEntry:
    period = _locked(period)
    department = _my_unit(user, period.task, reporting_units(period.task))
    if period.status == TaskPeriod.Status.ACCEPTED:
        raise PlanningError("task_period_closed", _("This period was accepted: nothing more to report."), status=409)
    try:
        percent = 100 if done else int(percent if percent not in (None, "") else period.percent)
    except (TypeError, ValueError):
        raise PlanningError("not_a_number", _("Not a number."), "percent")
    if not 0 <= percent <= 100:
        raise PlanningError("percent_out_of_range", _("Progress is a share from 0 to 100."), "percent")
    entry = TaskEntry.objects.create(period=period, kind=TaskEntry.Kind.REPORT, department_id=department, author=user,
                                     text=_text(text), percent=percent, done=done, evidence=evidence_rules.check(evidence, required=False) or "")
    period.percent = percent
    period.status = TaskPeriod.Status.SUBMITTED if done else TaskPeriod.Status.IN_PROGRESS
    period.save(update_fields=["percent", "status", "updated_at"])
    return entry


@transaction.atomic
def comment(user, period: TaskPeriod, *, text: str) -> TaskEntry:
    period = _locked(period)
    units = list(period.task.units.values_list("department_id", flat=True))
    mine = [d for d in permissions.department_ids(user) if d in units]
    if not mine and not permissions.can_manage(user, period.task.plan):
        raise PlanningError("task_not_yours", _("Only the task's units and the plan's owners may comment."), status=403)
    return TaskEntry.objects.create(period=period, kind=TaskEntry.Kind.COMMENT, department_id=mine[0] if mine else None,
                                    author=user, text=_text(text))


@transaction.atomic
def review(user, period: TaskPeriod, *, decision: str, text: str = "") -> TaskEntry:
    period = _locked(period)
    if not permissions.can_manage(user, period.task.plan):
        raise PlanningError("plan_not_yours", _("Only the plan's owners review its tasks."), status=403)
    if decision not in (TaskEntry.Decision.ACCEPTED, TaskEntry.Decision.RETURNED):
        raise PlanningError("review_decision", _("Accept or return the report."), "decision")
    if period.status != TaskPeriod.Status.SUBMITTED:
        raise PlanningError("task_not_submitted", _("There is no finished report to review."), status=409)
    if decision == TaskEntry.Decision.RETURNED:
        text = _text(text)
    entry = TaskEntry.objects.create(period=period, kind=TaskEntry.Kind.REVIEW, author=user, text=text.strip(),
                                     decision=decision)
    period.status = decision
    if decision == TaskEntry.Decision.RETURNED:
        period.percent = min(period.percent, 99)
    period.save(update_fields=["status", "percent", "updated_at"])
    return entry


def overdue_for(user, today: date | None = None):
    """Periods past due and not accepted, of the tasks the user's departments report on."""
    today = today or timezone.localdate()
    mine = permissions.department_ids(user)
    if not mine:
        return TaskPeriod.objects.none()
    return (TaskPeriod.objects.filter(due_on__lt=today, task__units__department_id__in=mine)
            .exclude(status=TaskPeriod.Status.ACCEPTED).select_related("task__plan").distinct().order_by("due_on"))
