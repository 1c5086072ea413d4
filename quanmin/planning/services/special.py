"""Special evaluations (专项评估, D08) of one key target or one major project of a plan, and the
publication of evaluation results to the public (通过第三方评估…形成多方监督机制).

The plan's owners open a special evaluation (who ordered it, its scope, its evaluator) and approve
its conclusion; they or an evaluator whose division holds the plan's record the findings, the
conclusion, the grade and the evidence while it is open. The owners publish a concluded special
evaluation, or an evaluation whose every county result is approved, for anyone to read without
signing in, and may withdraw it; each step is audited. Every write checks and acts under the row's
lock, so a conclusion and a change of findings never cross."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quanmin.accounts import audit
from quanmin.core import cleaning

from .. import permissions
from ..errors import PlanningError
from ..models import CountyScore, Evaluation, Grade, Plan, SpecialEvaluation
from . import evidence as evidence_rules

FIRST_DAY = datetime.date(2000, 1, 1)


def _owner(user, plan: Plan) -> None:
    if not permissions.can_manage(user, plan):
        raise PlanningError("plan_not_yours", _("Only the plan's owners change it."), status=403)


def _subject(plan: Plan, data: dict) -> dict:
    """{subject, target, task, subject_name} from `subject` (target, task or project) and `target`
    (a target's key), `task` (a task's number) or `project` (a funded project's title)."""
    kind = str(data.get("subject") or "")
    if kind == SpecialEvaluation.Subject.TARGET:
        key = str(data.get("target") or "").strip()[:20]
        target = plan.targets.filter(key=key).first() if key else None
        if target is None:
            raise PlanningError("special_target", _("Choose one of the plan's targets."), "target")
        return {"subject": kind, "target": target, "task": None, "subject_name": f"{target.key} {target.name}"[:200]}
    if kind == SpecialEvaluation.Subject.TASK:
        number = str(data.get("task") or "").strip()[:20]
        task = plan.tasks.filter(number=number).first() if number else None
        if task is None:
            raise PlanningError("special_task", _("Choose one of the plan's tasks."), "task")
        return {"subject": kind, "target": None, "task": task, "subject_name": f"{task.number} {task.title}"[:200]}
    if kind == SpecialEvaluation.Subject.PROJECT:
        name = cleaning.plain_text(data, "project", 200, _("funded project"), required=True, error=PlanningError)
        return {"subject": kind, "target": None, "task": None, "subject_name": name}
    raise PlanningError("special_subject", _("Say whether a target, a task or a funded project is evaluated."),
                        "subject")


@transaction.atomic
def open_special(user, plan: Plan, data: dict, *, request=None) -> SpecialEvaluation:
    """A special evaluation of the plan: title, subject, ordered_by, ordered_on, scope, evaluator,
    third_party (the plan's owners)."""
    _owner(user, plan)
    fields = _subject(plan, data)
    fields["title"] = cleaning.plain_text(data, "title", 120, _("title"), required=True, error=PlanningError)
    fields["ordered_by"] = cleaning.plain_text(data, "ordered_by", 100, _("ordered by"), required=True,
                                               error=PlanningError)
    fields["ordered_on"] = cleaning.day(data.get("ordered_on"), "ordered_on", _("ordered on"), required=True,
                                        first=FIRST_DAY, last=timezone.localdate(), error=PlanningError)
    fields["scope"] = cleaning.plain_text(data, "scope", 2000, _("scope"), required=True, error=PlanningError)
    fields["evaluator"] = cleaning.plain_text(data, "evaluator", 100, _("evaluator"), required=True,
                                              error=PlanningError)
    fields["third_party"] = data.get("third_party") in (True, "true", "on", "1", 1)
    try:
        with transaction.atomic():
            found = SpecialEvaluation.objects.create(plan=plan, created_by=user, **fields)
    except IntegrityError:
        raise PlanningError("special_exists", _("The plan already has a special evaluation of that title."), "title",
                            status=409)
    audit.record("create", request=request, actor=user, obj=found, region_code=plan.division_code,
                 detail={"subject": found.subject, "subject_name": found.subject_name})
    return found


def _locked_open(special: SpecialEvaluation) -> SpecialEvaluation:
    special = SpecialEvaluation.objects.select_for_update().select_related("plan").get(pk=special.pk)
    if special.status != SpecialEvaluation.Status.OPEN:
        raise PlanningError("special_concluded", _("This special evaluation is concluded: it no longer changes."),
                            status=409)
    return special


@transaction.atomic
def record(user, special: SpecialEvaluation, data: dict, *, evidence=None, request=None) -> SpecialEvaluation:
    """The findings, conclusion, grade and evidence (each kept when not given), while it is open:
    the plan's owners, or an evaluator whose division holds the plan's."""
    if not permissions.can_record_special(user, special.plan):
        raise PlanningError("special_not_yours",
                            _("Only the plan's owners and its evaluators record a special evaluation."), status=403)
    grade = str(data.get("grade") or "")
    if grade and grade not in Grade.values:
        raise PlanningError("special_grade", _("The grade is excellent, good, pass or fail."), "grade")
    findings = cleaning.plain_text(data, "findings", 4000, pgettext_lazy("evaluation", "findings"), error=PlanningError)
    conclusion = cleaning.plain_text(data, "conclusion", 2000, _("conclusion"), error=PlanningError)
    upload = evidence_rules.check(evidence, required=False)
    special = _locked_open(special)
    changed = []
    for name, value in (("findings", findings), ("conclusion", conclusion), ("grade", grade)):
        if value and value != getattr(special, name):
            setattr(special, name, value)
            changed.append(name)
    if upload is not None:
        special.evidence = upload
        changed.append("evidence")
    if changed:
        special.save(update_fields=[*changed, "updated_at"])
        audit.record("update", request=request, actor=user, obj=special, region_code=special.plan.division_code,
                     detail={"fields": changed})
    return special


@transaction.atomic
def conclude(user, special: SpecialEvaluation, *, request=None) -> SpecialEvaluation:
    """The owners approve the conclusion: findings, conclusion, grade and evidence all there; it is
    then fixed (and may be published)."""
    _owner(user, special.plan)
    special = _locked_open(special)
    missing = [str(label) for name, label in (("findings", pgettext_lazy("evaluation", "findings")), ("conclusion", _("conclusion")),
                                              ("grade", pgettext_lazy("evaluation", "grade")), ("evidence", _("evidence")))
               if not getattr(special, name)]
    if missing:
        raise PlanningError("special_incomplete", _("Still missing: %(what)s.") % {"what": "、".join(missing)},
                            status=409, detail={"missing": missing})
    special.status = SpecialEvaluation.Status.CONCLUDED
    special.concluded_on = timezone.localdate()
    special.concluded_by = user
    special.save(update_fields=["status", "concluded_on", "concluded_by", "updated_at"])
    audit.record("set_status", request=request, actor=user, obj=special, region_code=special.plan.division_code,
                 detail={"status": special.status, "grade": special.grade})
    return special


def _publishable(obj) -> None:
    if isinstance(obj, SpecialEvaluation):
        if obj.status != SpecialEvaluation.Status.CONCLUDED:
            raise PlanningError("not_approved", _("Only a concluded special evaluation is published."), status=409)
        return
    if not obj.counties.exists() or obj.counties.exclude(status=CountyScore.Status.APPROVED).exists():
        raise PlanningError("not_approved", _("Only an evaluation whose every county result is approved is published."),
                            status=409)


@transaction.atomic
def publish(user, obj: Evaluation | SpecialEvaluation, *, request=None):
    """Publish an evaluation's results, or a special evaluation's conclusion, for anyone to read."""
    _owner(user, obj.plan)
    obj = type(obj).objects.select_for_update().select_related("plan").get(pk=obj.pk)
    if obj.published_at is not None:
        raise PlanningError("already_published", _("It is published already."), status=409)
    _publishable(obj)
    obj.published_at, obj.published_by = timezone.now(), user
    obj.save(update_fields=["published_at", "published_by"])
    audit.record("publish", request=request, actor=user, obj=obj, region_code=obj.plan.division_code)
    return obj


@transaction.atomic
def withdraw(user, obj: Evaluation | SpecialEvaluation, *, request=None):
    """Take a published result back: the public no longer sees it."""
    _owner(user, obj.plan)
    obj = type(obj).objects.select_for_update().select_related("plan").get(pk=obj.pk)
    if obj.published_at is None:
        raise PlanningError("not_published", _("It is not published."), status=409)
    obj.published_at, obj.published_by = None, None
    obj.save(update_fields=["published_at", "published_by"])
    audit.record("unpublish", request=request, actor=user, obj=obj, region_code=obj.plan.division_code)
    return obj
