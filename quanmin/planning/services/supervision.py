"""Supervision (督查): every write of visits, findings, rectification items and bulletins.

Supervisors plan a visit to a division under a plan's (or record one after the fact, as an
unannounced visit is), record it as carried out, write its findings per division and, for a
problem, the rectification items with a deadline after the visit and a responsible unit of the
finding's division. Staff of that division (or of the unit) report what they rectified; the
supervisor verifies it closed or returns it, and may extend its deadline (the reason and the old
deadline kept in its follow-up); a planned visit may be cancelled, with the reason. A bulletin is written as a draft and published once:
publishing freezes its ranking and findings (selectors_supervision.bulletin_content). Each write
locks the row it changes and checks its state under the lock, so two clicks cannot both pass.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import audit
from quanmin.core.api import MAX_ID
from quanmin.regions import codes
from quanmin.regions.models import Region

from .. import permissions, selectors_supervision
from ..errors import PlanningError
from ..models import Bulletin, Department, Finding, Plan, Rectification, RectificationEntry, Visit
from . import evidence as evidence_rules

MAX_TEXT = 4000


def _text(value, *, field: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise PlanningError("supervision_text_missing", _("This field is required."), field)
    if len(text) > limit:
        raise PlanningError("supervision_text_too_long", _("The text is too long."), field)
    return text


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise PlanningError("supervision_choice", _("Pick one of the choices offered."), field)
    return value


def _joint_bodies(values) -> list[str]:
    """The bodies a joint visit names, each once, in the order of the choices."""
    picked = set(values or [])
    if not picked <= set(Visit.JointBody.values):
        raise PlanningError("supervision_choice", _("Pick one of the choices offered."), "joint_with")
    return [code for code in Visit.JointBody.values if code in picked]


def _division(code, *, within: str, field: str = "division_code") -> Region:
    """The division `code` names, if it is `within` or under it."""
    code = (code or "").strip()
    region = Region.objects.filter(code=code).first() if codes.is_code(code) else None
    if region is None or not codes.contains(within, code):
        raise PlanningError("supervision_division", _("The division is not under the one supervised."), field)
    return region


def _supervisor(user, division_code: str) -> None:
    if not permissions.can_supervise(user, division_code):
        raise PlanningError("supervision_not_yours", _("Only the division's supervisors do this."), status=403)


@transaction.atomic
def plan_visit(user, plan: Plan, *, division_code: str, title: str, schedule: str, coverage: str, kind: str,
               manner: str, planned_on: date, visited_on: date | None = None, team: str = "", summary: str = "",
               joint_with: list[str] | None = None, target_id=None, task_id=None, request=None) -> Visit:
    """A visit planned for a day; with `visited_on`, one recorded as carried out (an unannounced visit
    is often written down only afterwards). `joint_with` names the bodies it is carried out with (the
    people's congress, CPPCC and supervision offices: tracking research, seed 002 task 8). Tracking
    research (kind `tracking`) follows one of the plan's targets or tasks, named by `target_id` or
    `task_id` (exactly one); another kind of visit follows none."""
    region = _division(division_code, within=plan.division_code)
    _supervisor(user, region.code)
    title = " ".join(_text(title, field="title", limit=200).split())
    if planned_on is None or planned_on < plan.starts_on:
        raise PlanningError("visit_date", _("A visit cannot be before the plan starts."), "planned_on")
    visit = Visit(plan=plan, division_code=region.code, division_name=region.name, title=title,
                  schedule=_choice(schedule, Visit.Schedule, "schedule"),
                  coverage=_choice(coverage, Visit.Coverage, "coverage"), kind=_choice(kind, Visit.Kind, "kind"),
                  manner=_choice(manner, Visit.Manner, "manner"), planned_on=planned_on,
                  team=_text(team, field="team", limit=200, required=False), joint_with=_joint_bodies(joint_with),
                  created_by=user)
    visit.target, visit.task = _followed(plan, visit.kind, target_id, task_id)
    if visited_on is not None:
        _done(visit, visited_on, summary)
    visit.save()
    audit.record("create", request=request, actor=user, obj=visit, region_code=visit.division_code)
    return visit


def _followed(plan: Plan, kind: str, target_id, task_id):
    """The (target, task) a visit of `kind` follows: one of the two for tracking research, neither otherwise."""
    given = [v for v in (target_id, task_id) if v not in (None, "")]
    if kind != Visit.Kind.TRACKING:
        if given:
            raise PlanningError("visit_followed", _("Only tracking research follows a target or task."),
                                "target_id" if target_id not in (None, "") else "task_id")
        return None, None
    if len(given) != 1:
        raise PlanningError("visit_followed", _("Tracking research follows one target or one task of the plan."),
                            "target_id")
    return _plan_target(plan, target_id), _plan_task(plan, task_id)


def _plan_target(plan: Plan, target_id):
    return _of_plan(plan.targets, target_id, "target_id", "finding_target", _("The target is not one of the plan's."))


def _plan_task(plan: Plan, task_id):
    return _of_plan(plan.tasks, task_id, "task_id", "finding_task", _("The task is not one of the plan's."))


def _of_plan(rows, value, field: str, code: str, message):
    """The plan's row (target or task) `value` names; None when none is named."""
    if value in (None, ""):
        return None
    found = rows.filter(pk=_id(value, field)).first()
    if found is None:
        raise PlanningError(code, message, field)
    return found


def _done(visit: Visit, visited_on: date, summary: str) -> None:
    if visited_on > timezone.localdate() or visited_on < visit.plan.starts_on:
        raise PlanningError("visit_date", _("A visit is recorded for a day that has come, within the plan's period."),
                            "visited_on")
    visit.visited_on = visited_on
    visit.summary = _text(summary, field="summary", required=False)
    visit.status = Visit.Status.DONE


@transaction.atomic
def record_visit(user, visit: Visit, *, visited_on: date, summary: str = "", request=None) -> Visit:
    """The planned visit took place on `visited_on`."""
    visit = Visit.objects.select_for_update().select_related("plan").get(pk=visit.pk)
    _supervisor(user, visit.division_code)
    _still_planned(visit)
    if visited_on is None:
        raise PlanningError("visit_date", _("A visit is recorded for a day that has come, within the plan's period."),
                            "visited_on")
    _done(visit, visited_on, summary)
    visit.save(update_fields=["visited_on", "summary", "status"])
    audit.record("update", request=request, actor=user, obj=visit, region_code=visit.division_code,
                 detail={"fields": ["visited_on", "summary", "status"]})
    return visit


def _still_planned(visit: Visit) -> None:
    if visit.status == Visit.Status.CANCELLED:
        raise PlanningError("visit_cancelled", _("This visit was cancelled."), status=409)
    if visit.status != Visit.Status.PLANNED:
        raise PlanningError("visit_recorded", _("This visit was already recorded as carried out."), status=409)


@transaction.atomic
def cancel_visit(user, visit: Visit, *, reason: str, request=None) -> Visit:
    """A planned visit called off before it took place, with the reason. An announced one stays on the
    visited division's list as cancelled; an unannounced one stays unknown to them (selectors)."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _supervisor(user, visit.division_code)
    _still_planned(visit)
    visit.cancel_reason = _text(reason, field="reason")
    visit.status = Visit.Status.CANCELLED
    visit.cancelled_at = timezone.now()
    visit.cancelled_by = user
    visit.save(update_fields=["cancel_reason", "status", "cancelled_at", "cancelled_by"])
    audit.record("supervision.cancel_visit", request=request, actor=user, obj=visit, region_code=visit.division_code,
                 detail={"reason": visit.cancel_reason})
    return visit


@transaction.atomic
def add_finding(user, visit: Visit, *, division_code: str = "", kind: str = Finding.Kind.PROBLEM,
                severity: str = "", place: str = "", text: str, target_id=None, task_id=None,
                request=None) -> Finding:
    """A finding of a visit that took place, in the visited division or a division under it,
    optionally about one of the plan's targets or tasks; a problem is graded, a good practice not."""
    visit = Visit.objects.select_for_update().select_related("plan").get(pk=visit.pk)
    _supervisor(user, visit.division_code)
    if visit.status != Visit.Status.DONE:
        raise PlanningError("visit_not_done", _("Findings are recorded once the visit took place."), status=409)
    region = _division(division_code or visit.division_code, within=visit.division_code)
    kind = _choice(kind, Finding.Kind, "kind")
    if kind == Finding.Kind.PROBLEM:
        severity = _choice(severity or Finding.Severity.MINOR, Finding.Severity, "severity")
    else:
        severity = ""
    target, task = _plan_target(visit.plan, target_id), _plan_task(visit.plan, task_id)
    finding = Finding.objects.create(
        visit=visit, division_code=region.code, division_name=region.name, kind=kind, severity=severity,
        place=_text(place, field="place", limit=120, required=False), text=_text(text, field="text"),
        target=target, task=task, created_by=user)
    audit.record("create", request=request, actor=user, obj=finding, region_code=finding.division_code)
    return finding


def _id(value, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise PlanningError("not_a_number", _("Not a number."), field)
    if not 0 < number <= MAX_ID:
        raise PlanningError("not_a_number", _("Not a number."), field)
    return number


@transaction.atomic
def add_rectification(user, finding: Finding, *, requirement: str, deadline: date, division_code: str = "",
                      department_id=None, request=None) -> Rectification:
    """A rectification item of a problem: in the finding's division (or one under it), answered by
    that division's government or one of its departments, due after the visit."""
    finding = Finding.objects.select_for_update().select_related("visit__plan").get(pk=finding.pk)
    _supervisor(user, finding.visit.division_code)
    if finding.kind != Finding.Kind.PROBLEM:
        raise PlanningError("finding_not_problem", _("Only a problem is rectified."), "finding")
    region = _division(division_code or finding.division_code, within=finding.division_code)
    department = None
    if department_id not in (None, ""):
        department = Department.objects.filter(pk=_id(department_id, "department_id")).first()
        if department is None or department.division_code != region.code:
            raise PlanningError("rectification_unit", _("The responsible unit is not a department of the division."),
                                "department_id")
    if deadline is None or deadline <= finding.visit.visited_on:
        raise PlanningError("rectification_deadline", _("The deadline comes after the visit."), "deadline")
    item = Rectification.objects.create(
        finding=finding, division_code=region.code, division_name=region.name, department=department,
        requirement=_text(requirement, field="requirement"), deadline=deadline, created_by=user)
    audit.record("create", request=request, actor=user, obj=item, region_code=item.division_code)
    return item


def _locked(item: Rectification) -> Rectification:
    return Rectification.objects.select_for_update().select_related("finding__visit").get(pk=item.pk)


@transaction.atomic
def respond(user, item: Rectification, *, text: str, evidence=None, request=None) -> RectificationEntry:
    """The responsible division (or unit) reports what it rectified; the item awaits verification."""
    item = _locked(item)
    if not permissions.can_answer(user, item):
        raise PlanningError("rectification_not_yours",
                            _("Only staff of the item's division or responsible unit answer it."), status=403)
    if item.status not in (Rectification.Status.OPEN, Rectification.Status.RETURNED):
        raise PlanningError("rectification_not_open", _("This item awaits verification or is closed."), status=409)
    entry = RectificationEntry.objects.create(
        rectification=item, kind=RectificationEntry.Kind.RESPONSE, author=user, text=_text(text, field="text"),
        evidence=evidence_rules.check(evidence, required=False) or "")
    item.status = Rectification.Status.SUBMITTED
    item.save(update_fields=["status", "updated_at"])
    audit.record("update", request=request, actor=user, obj=item, region_code=item.division_code,
                 detail={"status": item.status})
    return entry


@transaction.atomic
def verify(user, item: Rectification, *, close: bool, text: str = "", request=None) -> RectificationEntry:
    """The supervisor checks the report: closed (销号), or returned with what is still missing."""
    item = _locked(item)
    _supervisor(user, item.division_code)
    if item.status != Rectification.Status.SUBMITTED:
        raise PlanningError("rectification_not_submitted", _("There is no rectification report to verify."),
                            status=409)
    text = _text(text, field="text", required=not close)
    decision = RectificationEntry.Decision.CLOSED if close else RectificationEntry.Decision.RETURNED
    entry = RectificationEntry.objects.create(rectification=item, kind=RectificationEntry.Kind.REVIEW, author=user,
                                              text=text, decision=decision)
    item.status = Rectification.Status.CLOSED if close else Rectification.Status.RETURNED
    item.closed_on = timezone.localdate() if close else None
    item.save(update_fields=["status", "closed_on", "updated_at"])
    audit.record("update", request=request, actor=user, obj=item, region_code=item.division_code,
                 detail={"status": item.status})
    return entry


@transaction.atomic
def extend_deadline(user, item: Rectification, *, deadline: date, reason: str, request=None) -> RectificationEntry:
    """The supervisor gives an item that is not closed a later deadline, with the reason; the entry
    keeps the deadline it had, so the item's follow-up shows every extension, and overdue follows
    the new one."""
    item = _locked(item)
    _supervisor(user, item.division_code)
    if item.status == Rectification.Status.CLOSED:
        raise PlanningError("rectification_closed", _("This item is verified closed."), status=409)
    if deadline is None or deadline <= item.deadline:
        raise PlanningError("rectification_extension", _("The new deadline comes after the current one."),
                            "deadline")
    entry = RectificationEntry.objects.create(
        rectification=item, kind=RectificationEntry.Kind.EXTENSION, author=user, text=_text(reason, field="reason"),
        deadline_was=item.deadline, deadline=deadline)
    item.deadline = deadline
    item.save(update_fields=["deadline", "updated_at"])
    audit.record("supervision.extend_deadline", request=request, actor=user, obj=item,
                 region_code=item.division_code,
                 detail={"from": entry.deadline_was.isoformat(), "to": deadline.isoformat()})
    return entry


@transaction.atomic
def write_bulletin(user, plan: Plan, *, title: str, period_start: date, period_end: date,
                   document_number: str = "", foreword: str = "", public: bool = False, request=None) -> Bulletin:
    """A draft bulletin of the plan's division over the visits of a period."""
    _supervisor(user, plan.division_code)
    if period_start is None or period_end is None or period_end < period_start:
        raise PlanningError("bulletin_period", _("The period ends on or after its start."), "period_end")
    bulletin = Bulletin.objects.create(
        plan=plan, division_code=plan.division_code, division_name=plan.division_name,
        title=" ".join(_text(title, field="title", limit=200).split()),
        document_number=_text(document_number, field="document_number", limit=60, required=False),
        period_start=period_start, period_end=period_end, foreword=_text(foreword, field="foreword", required=False),
        public=bool(public), created_by=user)
    audit.record("create", request=request, actor=user, obj=bulletin, region_code=bulletin.division_code)
    return bulletin


@transaction.atomic
def publish(user, bulletin: Bulletin, *, public: bool | None = None, request=None) -> Bulletin:
    """Publish the draft once: its ranking and findings are frozen as they stand today."""
    bulletin = Bulletin.objects.select_for_update().select_related("plan").get(pk=bulletin.pk)
    _supervisor(user, bulletin.division_code)
    if bulletin.status != Bulletin.Status.DRAFT:
        raise PlanningError("bulletin_published", _("This bulletin was already published."), status=409)
    if public is not None:
        bulletin.public = bool(public)
    bulletin.content = selectors_supervision.bulletin_content(bulletin, timezone.localdate())
    bulletin.status = Bulletin.Status.PUBLISHED
    bulletin.published_at = timezone.now()
    bulletin.published_by = user
    bulletin.save(update_fields=["public", "content", "status", "published_at", "published_by"])
    audit.record("publish", request=request, actor=user, obj=bulletin, region_code=bulletin.division_code,
                 detail={"public": bulletin.public})
    return bulletin
