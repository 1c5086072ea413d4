"""Livelihood projects (民生实事, D10): the plan's owners mark the tasks their government counts among
its livelihood projects, and record each year's assessment (考核) of a marked task: the result
(优秀 良好 合格 不合格), a note and the evidence. Both audited; the assessment is written under the
task's row lock, so two recordings of the same year never cross."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import audit
from quanmin.core import cleaning

from .. import permissions
from ..errors import PlanningError
from ..models import Grade, LivelihoodAssessment, TaskItem
from . import evidence as evidence_rules


def _owner(user, task: TaskItem) -> None:
    if not permissions.can_manage(user, task.plan):
        raise PlanningError("plan_not_yours", _("Only the plan's owners change it."), status=403)


@transaction.atomic
def mark(user, task: TaskItem, livelihood: bool, *, request=None) -> TaskItem:
    """Mark the task as a government livelihood project (纳入政府民生实事), or take the mark off; its
    assessments stay. An unchanged mark writes nothing."""
    _owner(user, task)
    locked = TaskItem.objects.select_for_update().get(pk=task.pk)
    task.livelihood = bool(livelihood)
    if locked.livelihood != task.livelihood:
        task.save(update_fields=["livelihood"])
        audit.record("update", request=request, actor=user, obj=task.plan, region_code=task.plan.division_code,
                     detail={"task": task.number, "livelihood": task.livelihood})
    return task


def years(task: TaskItem, today) -> list[int]:
    """The years a task can be assessed for: the plan's, up to this one."""
    return list(range(task.plan.starts_on.year, min(task.plan.ends_on.year, today.year) + 1))


@transaction.atomic
def assess(user, task: TaskItem, *, year, result: str, note: str = "", evidence=None,
           request=None) -> LivelihoodAssessment:
    """The year's assessment of a marked task, with its evidence; recording it again replaces it."""
    _owner(user, task)
    allowed = years(task, timezone.localdate())
    found_year = cleaning.whole_number(year, "year", _("year"), maximum=9999, error=PlanningError)
    if found_year not in allowed:
        raise PlanningError("year_invalid", _("The year must fall within the plan's period, up to this year."), "year")
    if result not in Grade.values:
        raise PlanningError("result_invalid", _("The result is excellent, good, pass or fail."), "result")
    note = cleaning.plain_text({"note": note}, "note", 500, _("note"), error=PlanningError)
    upload = evidence_rules.check(evidence, required=True)
    locked = TaskItem.objects.select_for_update().get(pk=task.pk)
    if not locked.livelihood:
        raise PlanningError("livelihood_not_marked",
                            _("Only a task marked as a livelihood project is assessed as one."), status=409)
    saved, created = LivelihoodAssessment.objects.update_or_create(
        task=locked, year=found_year, defaults={"result": result, "note": note, "evidence": upload,
                                                "recorded_by": user})
    audit.record("create" if created else "update", request=request, actor=user, obj=saved,
                 region_code=task.plan.division_code, detail={"year": found_year, "result": result})
    return saved
