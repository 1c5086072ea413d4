"""Plans in the API (under /api/v1/planning): the plans a user may read, a plan's targets with
their live value, status and forecast, its tasks, and progress reports on a department's tasks."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.core.api import ArrayPaging, Day, ErrorOut, Paging, lookup_id

from . import permissions, selectors
from .models import Plan, TaskPeriod
from .services import authoring, tasks

router = Router(tags=["planning"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class PlanSummaryOut(Schema):
    key: str
    title: str
    issuer: str
    document_number: str
    issued_on: datetime.date | None
    division_code: str
    division_name: str
    starts_on: datetime.date
    ends_on: datetime.date
    convention: str
    convention_label: str


def plan_out(p: Plan) -> dict:
    return {"key": p.key, "title": p.title, "issuer": p.issuer, "document_number": p.document_number,
            "issued_on": p.issued_on, "division_code": p.division_code, "division_name": p.division_name,
            "starts_on": p.starts_on, "ends_on": p.ends_on, "convention": p.convention,
            "convention_label": str(p.get_convention_display())}


class PlanDivisionOut(Schema):
    code: str
    name: str
    value: Decimal | None
    met: bool


class PlanTargetOut(Schema):
    id: int
    key: str
    name: str
    comparator: str
    value: Decimal | None = Field(..., description="The goal, in the target's unit as the plan writes it.")
    unit: str
    unit_text: str
    deadline: datetime.date
    level: str
    each: bool = Field(..., description="Every division at the level must meet it; `current` is then the share that does.")
    kind: str
    indicator: str
    quote: str
    core_indicator: bool = Field(..., description="Counted among the core indicators of economic and social "
                                                  "development (纳入经济社会发展核心指标体系).")
    source: str = Field(..., description="indicator, figures (entered by hand) or none")
    current: Decimal | None
    baseline: Decimal | None = Field(..., description="For comparator `up` (higher than last year): the value at the "
                                                      "end of last year that `current` must exceed; else null.")
    status: str = Field(..., description="met, on_track, at_risk, off_track or no_data")
    forecast: datetime.date | None
    failing: list[PlanDivisionOut]


class PlanTaskOut(Schema):
    id: int
    number: str
    group: str
    subgroup: str
    title: str
    deadline_text: str
    deadline: datetime.date | None
    recurrence: str
    reporting_units: list[str]
    other_units: list[str]
    status: str
    percent: int | None
    overdue: bool
    livelihood: bool = Field(..., description="A government livelihood project (民生实事), assessed each year.")
    priority: int | None = Field(..., description="The order of priority (优先序): 1 comes first; null: none given.")


def _plan(request, key: str) -> Plan:
    if not permissions.can_read(request.user):
        raise PermissionDenied
    plan = Plan.objects.filter(key=key[:40]).first()
    if plan is None or not permissions.can_read_plan(request.user, plan):
        raise Http404
    return plan


@router.get("/plans", response={200: list[PlanSummaryOut], **ERRORS}, summary="The plans of the user's divisions (staff)")
@paginate(Paging)
def list_plans(request):
    if not permissions.can_read(request.user):
        raise PermissionDenied
    return [plan_out(p) for p in selectors.visible_plans(request.user)]


@router.get("/plans/{key}", response={200: PlanSummaryOut, **ERRORS}, summary="A plan (staff)")
def get_plan(request, key: str):
    return plan_out(_plan(request, key))


@router.get("/plans/{key}/targets", response={200: list[PlanTargetOut], **ERRORS},
            summary="A plan's targets with their live value, status and forecast (staff)")
@paginate(ArrayPaging)
def plan_targets(request, key: str):
    plan = _plan(request, key)
    found = selectors.dashboard(plan, timezone.localdate(), with_divisions=False)
    return [{
        "id": r.target.pk, "key": r.target.key, "name": r.target.name, "comparator": r.target.comparator,
        "value": r.target.value, "unit": r.target.unit, "unit_text": r.target.unit_text, "deadline": r.target.deadline,
        "level": r.target.level, "each": r.target.each, "kind": r.target.kind, "indicator": r.target.indicator,
        "quote": r.target.quote, "core_indicator": r.target.core_indicator, "source": r.source, "current": r.value, "baseline": r.baseline,
        "status": r.status,
        "forecast": r.assessment.forecast if r.assessment else None,
        "failing": [{"code": d.code, "name": d.name, "value": d.value, "met": d.met} for d in r.failing],
    } for r in found["rows"]]


@router.get("/plans/{key}/tasks", response={200: list[PlanTaskOut], **ERRORS}, summary="A plan's task table (staff)")
@paginate(ArrayPaging)
def plan_tasks(request, key: str):
    plan = _plan(request, key)
    board = selectors.task_board(plan, timezone.localdate())
    return [{
        "id": c["task"].pk, "number": c["task"].number, "group": c["task"].group, "subgroup": c["task"].subgroup,
        "title": c["task"].title, "deadline_text": c["task"].deadline_text, "deadline": c["task"].deadline,
        "recurrence": c["task"].recurrence, "reporting_units": [d.name for d in c["leads"]],
        "other_units": [d.name for d in c["others"]], "status": c["status"],
        "percent": c["period"].percent if c["period"] else None, "overdue": c["overdue"],
        "livelihood": c["task"].livelihood, "priority": c["task"].priority,
    } for c in board["cards"]]


class TaskReportIn(Schema):
    text: str = Field(..., min_length=1, max_length=4000)
    percent: int = Field(0, ge=0, le=100)
    done: bool = False


class TaskPeriodOut(Schema):
    id: int
    task_id: int
    year: int
    due_on: datetime.date
    status: str
    percent: int


@router.post("/periods/{int:period_id}/reports", response={201: TaskPeriodOut, **ERRORS},
             summary="A progress report on a task period (the task's reporting units)")
def report(request, period_id: int, payload: TaskReportIn):
    period = TaskPeriod.objects.select_related("task__plan").filter(pk=lookup_id(period_id)).first()
    if period is None:
        raise Http404
    if not (permissions.can_read_plan(request.user, period.task.plan)
            or period.task.units.filter(department_id__in=permissions.department_ids(request.user)).exists()):
        raise Http404
    tasks.report(request.user, period, text=payload.text, percent=payload.percent, done=payload.done)
    period.refresh_from_db()
    return Status(201, {"id": period.pk, "task_id": period.task_id, "year": period.year, "due_on": period.due_on,
                        "status": period.status, "percent": period.percent})


@router.get("/my-periods", response={200: list[TaskPeriodOut], **ERRORS},
            summary="The task periods of the user's departments, due first (department staff)")
@paginate(Paging)
def my_periods(request, overdue: bool = Query(False)):
    if not permissions.can_see_tasks(request.user):
        raise PermissionDenied
    mine = permissions.department_ids(request.user)
    found = TaskPeriod.objects.filter(task__units__department_id__in=mine).distinct().order_by("due_on", "pk")
    if overdue:
        found = tasks.overdue_for(request.user)
    return [{"id": p.pk, "task_id": p.task_id, "year": p.year, "due_on": p.due_on, "status": p.status,
             "percent": p.percent} for p in found]


class PlanEditIn(Schema):
    title: str | None = Field(None, max_length=200)
    issuer: str | None = Field(None, max_length=100)
    document_number: str | None = Field(None, max_length=60)
    issued_on: Day | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None


@router.patch("/plans/{key}", response={200: PlanSummaryOut, **ERRORS},
              summary="Change a plan's title, issuer, document number or period (the plan's owners)")
def edit_plan(request, key: str, payload: PlanEditIn):
    plan = _plan(request, key)
    return plan_out(authoring.update_plan(request.user, plan, payload.dict(exclude_unset=True), request=request))


def _target(request, key: str, target_id: int):
    target = _plan(request, key).targets.filter(pk=lookup_id(target_id)).first()
    if target is None:
        raise Http404
    return target


class TargetIndicatorIn(Schema):
    indicator: str = Field("", max_length=60, description="A key of the indicator registry; empty: figures by hand.")


class TargetIndicatorOut(Schema):
    """A target's binding and marks, as the owners' writes leave them."""
    id: int
    key: str
    indicator: str
    core_indicator: bool


def target_marks_out(target) -> dict:
    return {"id": target.pk, "key": target.key, "indicator": target.indicator, "core_indicator": target.core_indicator}


@router.put("/plans/{key}/targets/{int:target_id}/indicator", response={200: TargetIndicatorOut, **ERRORS},
            summary="Bind a target to an indicator, or unbind it (the plan's owners)")
def bind_indicator(request, key: str, target_id: int, payload: TargetIndicatorIn):
    target = _target(request, key, target_id)
    authoring.bind_indicator(request.user, target, payload.indicator, request=request)
    return target_marks_out(target)


class TargetCoreIn(Schema):
    core_indicator: bool = Field(..., description="true: a core indicator of economic and social development.")


@router.put("/plans/{key}/targets/{int:target_id}/core-indicator", response={200: TargetIndicatorOut, **ERRORS},
            summary="Mark a target as a core indicator of economic and social development, or not (the plan's owners)")
def mark_core_indicator(request, key: str, target_id: int, payload: TargetCoreIn):
    target = _target(request, key, target_id)
    authoring.mark_core_indicator(request.user, target, payload.core_indicator, request=request)
    return target_marks_out(target)


class MeetingDecisionOut(Schema):
    text: str
    task_id: int
    task_number: str
    lead_units: list[str]
    deadline: datetime.date | None


class JointMeetingOut(Schema):
    id: int
    held_on: datetime.date
    title: str
    place: str
    minutes: str
    members: list[str]
    decisions: list[MeetingDecisionOut]


@router.get("/plans/{key}/meetings", response={200: list[JointMeetingOut], **ERRORS},
            summary="A plan's joint meetings, their members and decisions (each a task of the plan)")
@paginate(Paging)
def plan_meetings(request, key: str):
    plan = _plan(request, key)
    found = plan.meetings.prefetch_related("members", "decisions__task__units__department")
    return [{"id": m.pk, "held_on": m.held_on, "title": m.title, "place": m.place, "minutes": m.minutes,
             "members": [d.name for d in m.members.all()],
             "decisions": [{"text": d.text, "task_id": d.task_id, "task_number": d.task.number,
                            "lead_units": [u.department.name for u in d.task.units.all()],
                            "deadline": d.task.deadline} for d in m.decisions.all()]} for m in found]


# Writing a plan: its targets, phases and tasks added, changed and removed by the plan's owners, under
# the same rules as the pages (services/authoring.py). In this router: a path's methods must share one.


class PlanTargetIn(Schema):
    name: str = Field(..., max_length=120)
    quote: str = Field(..., max_length=200, description="The target's words as the plan writes them.")
    key: str = Field("", max_length=20, description="Empty: one is made (T01, T02…).")
    comparator: str = Field(">=", description=">=, >, =, <=, <, yes (achieved) or up (higher than last year)")
    value: Decimal | None = Field(None, description="The goal in the target's unit; none for yes and up.")
    unit: str = Field("count", description="A unit of the indicator registry (count, percent, per_1000_residents…).")
    unit_text: str = Field("", max_length=40)
    year: int | None = Field(None, ge=1900, le=2200, description="Its last day is the deadline when none is given.")
    deadline: Day | None = None
    level: str = Field("", description="city, county, township or community; empty: the plan's own.")
    each: bool = Field(False, description="Every division at the level must meet it.")
    subject: str = Field("", max_length=120)
    kind: str = Field("count", description="count, ratio, share, yearly or yes_no")
    indicator: str = Field("", max_length=60, description="A key of the indicator registry; empty: figures by hand.")
    order: int | None = Field(None, ge=1, le=999)


class PlanTargetPatchIn(Schema):
    name: str | None = Field(None, max_length=120)
    quote: str | None = Field(None, max_length=200)
    key: str | None = Field(None, max_length=20)
    comparator: str | None = None
    value: Decimal | None = None
    unit: str | None = None
    unit_text: str | None = Field(None, max_length=40)
    year: int | None = Field(None, ge=1900, le=2200)
    deadline: Day | None = None
    level: str | None = None
    each: bool | None = None
    subject: str | None = Field(None, max_length=120)
    kind: str | None = None
    indicator: str | None = Field(None, max_length=60)
    order: int | None = Field(None, ge=1, le=999)


class AuthoredTargetOut(Schema):
    id: int
    key: str
    order: int
    name: str
    quote: str
    comparator: str
    value: Decimal | None
    unit: str
    unit_text: str
    year: int
    deadline: datetime.date
    level: str
    each: bool
    subject: str
    kind: str
    indicator: str


def target_out(t) -> dict:
    return {name: getattr(t, name) for name in AuthoredTargetOut.model_fields if name != "id"} | {"id": t.pk}


def _patch(payload: Schema) -> dict:
    """The fields a PATCH sends; a null for a value clears it, a null elsewhere changes nothing."""
    data = payload.dict(exclude_unset=True)
    return {k: v for k, v in data.items() if v is not None or k in ("value", "deadline")}


@router.post("/plans/{key}/targets", response={201: AuthoredTargetOut, **ERRORS},
             summary="Add a target to a plan (the plan's owners)")
def add_target(request, key: str, payload: PlanTargetIn):
    data = payload.dict()
    if not data["level"]:
        data.pop("level")
    return Status(201, target_out(authoring.add_target(request.user, _plan(request, key), data, request=request)))


@router.patch("/plans/{key}/targets/{int:target_id}", response={200: AuthoredTargetOut, **ERRORS},
              summary="Change a target of a plan (the plan's owners)")
def update_target(request, key: str, target_id: int, payload: PlanTargetPatchIn):
    target = _target(request, key, target_id)
    return target_out(authoring.update_target(request.user, target, _patch(payload), request=request))


@router.delete("/plans/{key}/targets/{int:target_id}", response={204: None, **ERRORS},
               summary="Remove a target nothing refers to (the plan's owners; 409 when something does)")
def remove_target(request, key: str, target_id: int):
    authoring.remove_target(request.user, _target(request, key, target_id), request=request)
    return Status(204, None)


class PlanPhaseIn(Schema):
    name: str = Field(..., max_length=60)
    starts_on: Day
    ends_on: Day
    quote: str = Field("", max_length=200)


class PlanPhasePatchIn(Schema):
    name: str | None = Field(None, max_length=60)
    starts_on: Day | None = None
    ends_on: Day | None = None
    quote: str | None = Field(None, max_length=200)


class PlanPhaseOut(Schema):
    id: int
    order: int = Field(..., description="1, 2, 3… in the order of the phases' dates.")
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    quote: str


def phase_out(p) -> dict:
    return {"id": p.pk, "order": p.order, "name": p.name, "starts_on": p.starts_on, "ends_on": p.ends_on,
            "quote": p.quote}


def _phase(request, key: str, phase_id: int):
    phase = _plan(request, key).phases.filter(pk=lookup_id(phase_id)).first()
    if phase is None:
        raise Http404
    return phase


@router.get("/plans/{key}/phases", response={200: list[PlanPhaseOut], **ERRORS}, summary="A plan's phases (staff)")
@paginate(ArrayPaging)
def plan_phases(request, key: str):
    return [phase_out(p) for p in _plan(request, key).phases.all()]


@router.post("/plans/{key}/phases", response={201: PlanPhaseOut, **ERRORS},
             summary="Add a phase inside the plan's period, overlapping no other (the plan's owners)")
def add_phase(request, key: str, payload: PlanPhaseIn):
    return Status(201, phase_out(authoring.add_phase(request.user, _plan(request, key), payload.dict(), request=request)))


@router.patch("/plans/{key}/phases/{int:phase_id}", response={200: PlanPhaseOut, **ERRORS},
              summary="Change a phase of a plan (the plan's owners)")
def update_phase(request, key: str, phase_id: int, payload: PlanPhasePatchIn):
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return phase_out(authoring.update_phase(request.user, _phase(request, key, phase_id), data, request=request))


@router.delete("/plans/{key}/phases/{int:phase_id}", response={204: None, **ERRORS},
               summary="Remove a phase of a plan (the plan's owners)")
def remove_phase(request, key: str, phase_id: int):
    authoring.remove_phase(request.user, _phase(request, key, phase_id), request=request)
    return Status(204, None)


class PlanTaskIn(Schema):
    title: str = Field(..., max_length=200)
    number: str = Field("", max_length=20, description="Empty: the next number.")
    group: str = Field("", max_length=120)
    subgroup: str = Field("", max_length=200)
    content: str = Field("", max_length=4000)
    lead: list[str] = Field([], description="Lead units: departments of the plan's division, by name.")
    responsible: list[str] = []
    cooperating: list[str] = []
    deadline_text: str = Field("", max_length=60, description="As plans write it: 2025年底前, 每年, 持续实施; "
                                                            "empty: the plan's end.")
    recurrence: str | None = Field(None, description="Empty (once), yearly or ongoing; default: as the deadline says.")
    priority: int | None = Field(None, ge=1, le=99, description="The order of priority (优先序): 1 comes first.")


class PlanTaskPatchIn(Schema):
    title: str | None = Field(None, max_length=200)
    number: str | None = Field(None, max_length=20)
    group: str | None = Field(None, max_length=120)
    subgroup: str | None = Field(None, max_length=200)
    content: str | None = Field(None, max_length=4000)
    lead: list[str] | None = None
    responsible: list[str] | None = None
    cooperating: list[str] | None = None
    deadline_text: str | None = Field(None, max_length=60)
    recurrence: str | None = None
    priority: int | None = Field(None, ge=1, le=99, description="null clears it.")


class AuthoredTaskOut(Schema):
    id: int
    number: str
    order: int
    title: str
    group: str
    subgroup: str
    content: str
    deadline_text: str
    deadline: datetime.date | None
    recurrence: str
    priority: int | None
    lead: list[str]
    responsible: list[str]
    cooperating: list[str]


def task_out(t) -> dict:
    units = list(t.units.select_related("department"))
    return {"id": t.pk, "number": t.number, "order": t.order, "title": t.title, "group": t.group,
            "subgroup": t.subgroup, "content": t.content, "deadline_text": t.deadline_text, "deadline": t.deadline,
            "recurrence": t.recurrence, "priority": t.priority,
            **{field: [u.department.name for u in units if u.role == role] for field, role in authoring.UNIT_FIELDS}}


def _task(request, key: str, task_id: int):
    task = _plan(request, key).tasks.filter(pk=lookup_id(task_id)).first()
    if task is None:
        raise Http404
    return task


@router.post("/plans/{key}/tasks", response={201: AuthoredTaskOut, **ERRORS},
             summary="Add a task to a plan (the plan's owners)")
def add_task(request, key: str, payload: PlanTaskIn):
    return Status(201, task_out(authoring.add_task(request.user, _plan(request, key), payload.dict(), request=request)))


@router.patch("/plans/{key}/tasks/{int:task_id}", response={200: AuthoredTaskOut, **ERRORS},
              summary="Change a task of a plan: its words, units, deadline or priority (the plan's owners)")
def update_task(request, key: str, task_id: int, payload: PlanTaskPatchIn):
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "priority"}
    return task_out(authoring.update_task(request.user, _task(request, key, task_id), data, request=request))


@router.delete("/plans/{key}/tasks/{int:task_id}", response={204: None, **ERRORS},
               summary="Remove a task nothing refers to (the plan's owners; 409 when something does)")
def remove_task(request, key: str, task_id: int):
    authoring.remove_task(request.user, _task(request, key, task_id), request=request)
    return Status(204, None)
