"""Supervision in the API (under /api/v1/planning/supervision): visits with their findings and
rectification items, the follow-up of an item, and bulletins. The same services and visibility
rules as the pages (services/supervision.py, selectors_supervision.py, permissions.py)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts import services as accounts
from quanmin.core.api import Day, ErrorOut, PagedRows, Paging, lookup_id

from . import permissions, selectors, selectors_supervision
from .models import Bulletin, Finding, Rectification, Visit
from .services import oversight, supervision

router = Router(tags=["planning"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _reader(request) -> None:
    if not permissions.can_read_supervision(request.user):
        raise PermissionDenied


class RectificationOut(Schema):
    id: int
    finding_id: int
    division_code: str
    division_name: str
    responsible: str = Field(..., description="The responsible department's name, or the division's.")
    requirement: str
    deadline: datetime.date
    status: str = Field(..., description="open, submitted, returned or closed")
    status_label: str
    overdue: bool
    closed_on: datetime.date | None


def rectification_out(r: Rectification, today: datetime.date) -> dict:
    return {"id": r.pk, "finding_id": r.finding_id, "division_code": r.division_code,
            "division_name": r.division_name, "responsible": r.responsible_name(), "requirement": r.requirement,
            "deadline": r.deadline, "status": r.status, "status_label": str(r.get_status_display()),
            "overdue": r.status in selectors_supervision.OPEN and r.deadline < today, "closed_on": r.closed_on}


class FindingOut(Schema):
    id: int
    visit_id: int
    division_code: str
    division_name: str
    kind: str = Field(..., description="problem or practice")
    kind_label: str
    severity: str = Field(..., description="minor, major, serious; empty for a good practice")
    severity_label: str
    place: str
    text: str
    target_id: int | None
    task_id: int | None
    rectifications: list[RectificationOut]


def finding_out(f: Finding, today: datetime.date) -> dict:
    return {"id": f.pk, "visit_id": f.visit_id, "division_code": f.division_code, "division_name": f.division_name,
            "kind": f.kind, "kind_label": str(f.get_kind_display()), "severity": f.severity,
            "severity_label": str(f.get_severity_display()) if f.severity else "", "place": f.place, "text": f.text,
            "target_id": f.target_id, "task_id": f.task_id,
            "rectifications": [rectification_out(r, today) for r in f.rectifications.all()]}


class VisitOut(Schema):
    id: int
    plan_key: str
    division_code: str
    division_name: str
    title: str
    schedule: str = Field(..., description="regular or unscheduled (定期 / 不定期)")
    coverage: str = Field(..., description="focused or overall (重点督查 / 全面督查)")
    kind: str = Field(..., description="routine, special or tracking (日常检查 / 专项检查 / 跟踪调研)")
    manner: str = Field(..., description="announced or unannounced (明查 / 暗访)")
    planned_on: datetime.date
    visited_on: datetime.date | None
    status: str = Field(..., description="planned, done or cancelled")
    team: str
    joint_with: list[str] = Field(..., description="Bodies it was carried out with: congress, cppcc, party_office, "
                                                   "government_office (人大, 政协, 党委督查室, 政府督查室)")
    joint_with_labels: list[str] = Field(..., description="Those bodies' names, in the reader's language")
    target_id: int | None = Field(..., description="Tracking research: the plan's target it follows.")
    task_id: int | None = Field(..., description="Tracking research: the plan's task it follows.")
    followed: str = Field(..., description="The target's or task's name; empty when the visit follows none.")
    summary: str
    cancel_reason: str = Field(..., description="Why a cancelled visit was called off; empty otherwise.")


class VisitDetailOut(VisitOut):
    findings: list[FindingOut]


def visit_out(v: Visit) -> dict:
    return {"id": v.pk, "plan_key": v.plan.key, "division_code": v.division_code, "division_name": v.division_name,
            "title": v.title, "schedule": v.schedule, "coverage": v.coverage, "kind": v.kind, "manner": v.manner,
            "planned_on": v.planned_on, "visited_on": v.visited_on, "status": v.status, "team": v.team,
            "joint_with": v.joint_with, "joint_with_labels": v.joint_with_labels, "target_id": v.target_id,
            "task_id": v.task_id, "followed": _followed_name(v), "summary": v.summary,
            "cancel_reason": v.cancel_reason}


def _followed_name(v: Visit) -> str:
    if v.target_id:
        return f"{v.target.key} {v.target.name}"
    return f"{v.task.number} {v.task.title}" if v.task_id else ""


def _visit(request, visit_id: int) -> Visit:
    _reader(request)
    visit = selectors_supervision.visits_for(request.user).filter(pk=lookup_id(visit_id)).first()
    if visit is None:
        raise Http404
    return visit


def _detail(request, visit: Visit) -> dict:
    today = timezone.localdate()
    return {**visit_out(visit), "findings": [finding_out(f, today)
                                             for f in selectors_supervision.findings_for(request.user, visit)]}


@router.get("/visits", response={200: list[VisitOut], **ERRORS},
            summary="The supervision visits the user may see (staff, supervisors)")
@paginate(Paging)
def list_visits(request, status: str = Query("", description="planned, done or cancelled; empty: all")):
    _reader(request)
    found = selectors_supervision.visits_for(request.user).select_related("target", "task")
    if status:
        found = found.filter(status=status)
    return [visit_out(v) for v in found.order_by("-planned_on", "-pk")]


class ChainVisitOut(Schema):
    id: int
    title: str
    division_code: str
    division_name: str
    day: datetime.date = Field(..., description="The day it took place, or is planned for.")
    status: str = Field(..., description="planned, done or cancelled")
    joint_with_labels: list[str]
    problems: int = Field(..., description="Problems found on the visit.")
    items_open: int = Field(..., description="Its rectification items not yet verified closed.")


class ChainOut(Schema):
    plan_key: str
    target_id: int | None
    task_id: int | None
    followed: str = Field(..., description="The target's or task's name")
    first: datetime.date
    last: datetime.date
    visits: list[ChainVisitOut]


@router.get("/tracking", response={200: list[ChainOut], **ERRORS},
            summary="Tracking research: each target or task followed, with the chain of its visits")
@paginate(Paging)
def list_tracking(request):
    _reader(request)
    return [{"plan_key": c["plan"].key, "target_id": c["target"].pk if c["target"] else None,
             "task_id": c["task"].pk if c["task"] else None, "followed": _followed_name(c["visits"][0]),
             "first": c["first"], "last": c["last"],
             "visits": [{"id": v.pk, "title": v.title, "division_code": v.division_code,
                         "division_name": v.division_name, "day": v.day, "status": v.status,
                         "joint_with_labels": v.joint_with_labels, "problems": v.problems,
                         "items_open": v.items_open} for v in c["visits"]]}
            for c in selectors_supervision.tracking_chains(request.user)]


class VisitIn(Schema):
    plan_key: str = Field(..., max_length=40)
    division_code: str = Field(..., max_length=12)
    title: str = Field(..., min_length=1, max_length=200)
    schedule: str = Field(..., description="regular or unscheduled", max_length=12)
    coverage: str = Field(..., description="focused or overall", max_length=8)
    kind: str = Field(..., description="routine, special or tracking (跟踪调研: names target_id or task_id)",
                      max_length=8)
    manner: str = Field(..., description="announced or unannounced", max_length=12)
    planned_on: Day
    visited_on: Day | None = Field(None, description="Given: the visit is recorded as carried out that day.")
    team: str = Field("", max_length=200)
    joint_with: list[str] = Field([], max_length=4, description="Tracking research with the people's congress, "
                                  "CPPCC or supervision offices: congress, cppcc, party_office, government_office")
    target_id: int | None = Field(None, description="Tracking research: one of the plan's targets it follows.")
    task_id: int | None = Field(None, description="Tracking research: one of the plan's tasks it follows.")
    summary: str = Field("", max_length=4000)


@router.post("/visits", response={201: VisitDetailOut, **ERRORS},
             summary="Plan a visit, or record one carried out (the division's supervisors)")
def create_visit(request, payload: VisitIn):
    _reader(request)
    data = payload.dict()
    plan = selectors.visible_plans(request.user).filter(key=data.pop("plan_key")).first()
    if plan is None:
        raise Http404
    visit = supervision.plan_visit(request.user, plan, request=request, **data)
    return Status(201, _detail(request, visit))


@router.get("/visits/{int:visit_id}", response={200: VisitDetailOut, **ERRORS},
            summary="A visit with its findings and their rectification items")
def get_visit(request, visit_id: int):
    visit = _visit(request, visit_id)
    return _detail(request, visit)


class VisitRecordIn(Schema):
    visited_on: Day
    summary: str = Field("", max_length=4000)


@router.post("/visits/{int:visit_id}/record", response={200: VisitDetailOut, **ERRORS},
             summary="Record a planned visit as carried out (the division's supervisors)")
def record_visit(request, visit_id: int, payload: VisitRecordIn):
    visit = _visit(request, visit_id)
    supervision.record_visit(request.user, visit, visited_on=payload.visited_on, summary=payload.summary,
                             request=request)
    visit.refresh_from_db()
    return _detail(request, visit)


class VisitCancelIn(Schema):
    reason: str = Field(..., min_length=1, max_length=4000)


@router.post("/visits/{int:visit_id}/cancel", response={200: VisitDetailOut, **ERRORS},
             summary="Cancel a planned visit before it takes place, with the reason (the division's supervisors)")
def cancel_visit(request, visit_id: int, payload: VisitCancelIn):
    visit = _visit(request, visit_id)
    visit = supervision.cancel_visit(request.user, visit, reason=payload.reason, request=request)
    return _detail(request, visit)


class FindingIn(Schema):
    division_code: str = Field("", max_length=12, description="Empty: the visited division.")
    kind: str = Field("problem", description="problem or practice", max_length=8)
    severity: str = Field("", description="minor, major or serious (a problem; minor when empty)", max_length=8)
    place: str = Field("", max_length=120)
    text: str = Field(..., min_length=1, max_length=4000)
    target_id: int | None = Field(None, description="One of the plan's targets the finding is about.")
    task_id: int | None = Field(None, description="One of the plan's tasks the finding is about.")


@router.post("/visits/{int:visit_id}/findings", response={201: FindingOut, **ERRORS},
             summary="Record a finding of a visit carried out (the division's supervisors)")
def add_finding(request, visit_id: int, payload: FindingIn):
    visit = _visit(request, visit_id)
    finding = supervision.add_finding(request.user, visit, request=request, **payload.dict())
    return Status(201, finding_out(finding, timezone.localdate()))


class RectificationIn(Schema):
    requirement: str = Field(..., min_length=1, max_length=4000)
    deadline: Day = Field(..., description="After the day of the visit.")
    division_code: str = Field("", max_length=12, description="Empty: the finding's division.")
    department_id: int | None = Field(None, description="A department of the division; empty: its government.")


@router.post("/findings/{int:finding_id}/rectifications", response={201: RectificationOut, **ERRORS},
             summary="Set a rectification item of a problem (the division's supervisors)")
def add_rectification(request, finding_id: int, payload: RectificationIn):
    _reader(request)
    finding = Finding.objects.select_related("visit").filter(pk=lookup_id(finding_id)).first()
    if finding is None or not selectors_supervision.visits_for(request.user).filter(pk=finding.visit_id).exists():
        raise Http404
    item = supervision.add_rectification(request.user, finding, request=request, **payload.dict())
    return Status(201, rectification_out(item, timezone.localdate()))


@router.get("/rectifications", response={200: list[RectificationOut], **ERRORS},
            summary="The rectification items of the user's divisions, due first")
@paginate(Paging)
def list_rectifications(request, overdue: bool = Query(False, description="Only those past their deadline")):
    _reader(request)
    today = timezone.localdate()
    found = selectors_supervision.rectifications_for(request.user)
    if overdue:
        found = selectors_supervision.overdue(found, today)
    return PagedRows(found.order_by("deadline", "pk"), lambda page: selectors_supervision.rectification_rows(page, today))


def _item(request, rectification_id: int) -> Rectification:
    _reader(request)
    item = selectors_supervision.rectifications_for(request.user).filter(pk=lookup_id(rectification_id)).first()
    if item is None:
        raise Http404
    return item


class ResponseIn(Schema):
    text: str = Field(..., min_length=1, max_length=4000)


@router.post("/rectifications/{int:rectification_id}/responses", response={201: RectificationOut, **ERRORS},
             summary="Report what was rectified (staff of the item's division or responsible unit)")
def respond(request, rectification_id: int, payload: ResponseIn):
    item = _item(request, rectification_id)
    supervision.respond(request.user, item, text=payload.text, request=request)
    item.refresh_from_db()
    return Status(201, rectification_out(item, timezone.localdate()))


class VerificationIn(Schema):
    close: bool = Field(..., description="True: verified closed; false: returned (text required).")
    text: str = Field("", max_length=4000)


@router.post("/rectifications/{int:rectification_id}/verification", response={200: RectificationOut, **ERRORS},
             summary="Verify a rectification report: close the item or return it (the division's supervisors)")
def verify(request, rectification_id: int, payload: VerificationIn):
    item = _item(request, rectification_id)
    supervision.verify(request.user, item, close=payload.close, text=payload.text, request=request)
    item.refresh_from_db()
    return rectification_out(item, timezone.localdate())


class DeadlineExtensionIn(Schema):
    deadline: Day = Field(..., description="After the item's current deadline.")
    reason: str = Field(..., min_length=1, max_length=4000)


@router.post("/rectifications/{int:rectification_id}/extension", response={200: RectificationOut, **ERRORS},
             summary="Extend an open item's deadline, with the reason (the division's supervisors)")
def extend(request, rectification_id: int, payload: DeadlineExtensionIn):
    item = _item(request, rectification_id)
    supervision.extend_deadline(request.user, item, deadline=payload.deadline, reason=payload.reason, request=request)
    item.refresh_from_db()
    return rectification_out(item, timezone.localdate())


class RectificationEntryOut(Schema):
    id: int
    kind: str = Field(..., description="response, review or extension")
    kind_label: str
    author: str
    text: str
    decision: str = Field(..., description="A review's: closed or returned; empty otherwise.")
    deadline_was: datetime.date | None = Field(..., description="An extension's: the deadline before it.")
    deadline: datetime.date | None = Field(..., description="An extension's: the new deadline.")
    has_evidence: bool
    created_at: datetime.datetime


@router.get("/rectifications/{int:rectification_id}/entries", response={200: list[RectificationEntryOut], **ERRORS},
            summary="An item's follow-up: reports, verifications and deadline extensions, oldest first")
@paginate(Paging)
def list_entries(request, rectification_id: int):
    item = _item(request, rectification_id)
    return [{"id": e.pk, "kind": e.kind, "kind_label": str(e.get_kind_display()), "author": e.author.display_name,
             "text": e.text, "decision": e.decision, "deadline_was": e.deadline_was, "deadline": e.deadline,
             "has_evidence": bool(e.evidence), "created_at": e.created_at}
            for e in item.entries.select_related("author")]


class BulletinOut(Schema):
    id: int
    plan_key: str
    division_code: str
    division_name: str
    title: str
    document_number: str
    period_start: datetime.date
    period_end: datetime.date
    foreword: str
    public: bool
    status: str = Field(..., description="draft or published")
    published_at: datetime.datetime | None


class BulletinRankOut(Schema):
    place: int
    code: str
    name: str
    met: int
    applicable: int
    share: str | None = Field(..., description="Share of the applicable targets met, per cent, as a decimal string.")
    problems: int
    practices: int
    items: int
    closed: int
    overdue: int


class BulletinFindingOut(Schema):
    division: str
    kind: str
    kind_label: str
    severity: str
    severity_label: str
    place: str
    text: str
    visited_on: datetime.date
    visit_kind: str
    visit_kind_label: str
    manner: str
    manner_label: str


class BulletinDetailOut(BulletinOut):
    as_of: datetime.date = Field(..., description="The day the ranking stands for (the day of publication).")
    visits: int
    ranking: list[BulletinRankOut]
    findings: list[BulletinFindingOut]


def bulletin_out(b: Bulletin) -> dict:
    return {"id": b.pk, "plan_key": b.plan.key, "division_code": b.division_code, "division_name": b.division_name,
            "title": b.title, "document_number": b.document_number, "period_start": b.period_start,
            "period_end": b.period_end, "foreword": b.foreword, "public": b.public, "status": b.status,
            "published_at": b.published_at}


def _bulletin_detail(b: Bulletin) -> dict:
    content = selectors_supervision.content_of(b, timezone.localdate())
    return {**bulletin_out(b), "as_of": content["as_of"], "visits": content["visits"], "ranking": content["ranking"],
            "findings": content["findings"]}


@router.get("/bulletins", response={200: list[BulletinOut], **ERRORS},
            summary="The bulletins the user may read, and the drafts of the divisions they supervise")
@paginate(Paging)
def list_bulletins(request):
    _reader(request)
    return [bulletin_out(b) for b in selectors_supervision.bulletins_for(request.user)]


def _bulletin(request, bulletin_id: int) -> Bulletin:
    _reader(request)
    found = selectors_supervision.bulletins_for(request.user).filter(pk=lookup_id(bulletin_id)).first()
    if found is None:
        raise Http404
    return found


@router.get("/bulletins/{int:bulletin_id}", response={200: BulletinDetailOut, **ERRORS},
            summary="A bulletin with its ranking and findings (as published, or as a draft would be today)")
def get_bulletin(request, bulletin_id: int):
    return _bulletin_detail(_bulletin(request, bulletin_id))


class BulletinIn(Schema):
    plan_key: str = Field(..., max_length=40)
    title: str = Field(..., min_length=1, max_length=200)
    document_number: str = Field("", max_length=60)
    period_start: Day
    period_end: Day
    foreword: str = Field("", max_length=4000)
    public: bool = False


@router.post("/bulletins", response={201: BulletinDetailOut, **ERRORS},
             summary="Write a draft bulletin of a plan's division (its supervisors)")
def create_bulletin(request, payload: BulletinIn):
    _reader(request)
    data = payload.dict()
    plan = selectors.visible_plans(request.user).filter(key=data.pop("plan_key")).first()
    if plan is None:
        raise Http404
    return Status(201, _bulletin_detail(supervision.write_bulletin(request.user, plan, request=request, **data)))


class PublishIn(Schema):
    public: bool | None = Field(None, description="Given: whether anyone may read it; empty: as the draft says.")


@router.post("/bulletins/{int:bulletin_id}/publish", response={200: BulletinDetailOut, **ERRORS},
             summary="Publish a draft bulletin once, freezing its ranking and findings (its supervisors)")
def publish(request, bulletin_id: int, payload: PublishIn):
    bulletin = supervision.publish(request.user, _bulletin(request, bulletin_id), public=payload.public,
                                   request=request)
    return _bulletin_detail(bulletin)


# The congress, CPPCC and supervision offices' people (Role.OVERSIGHT): who reads this supervision.

def _manager(request) -> None:
    if not permissions.can_manage_oversight(request.user):
        raise PermissionDenied


class OversightOut(Schema):
    id: int
    name: str
    division_code: str
    division_name: str
    since: datetime.datetime


def _oversight_out(m) -> dict:
    return {"id": m.pk, "name": m.user.display_name, "division_code": m.region_id, "division_name": m.region.name,
            "since": m.created_at}


@router.get("/oversight", response={200: list[OversightOut], **ERRORS},
            summary="The congress, CPPCC and supervision offices' people reading the user's divisions' supervision")
@paginate(Paging)
def list_oversight(request):
    _manager(request)
    return [_oversight_out(m) for m in oversight.people(request.user)]


class OversightIn(Schema):
    phone: str = Field(..., max_length=20, description="The person's mobile number (they register first)")
    division_code: str = Field(..., max_length=12)


@router.post("/oversight", response={201: OversightOut, **ERRORS},
             summary="Let a person of the congress, CPPCC or a supervision office read a division's supervision "
                     "(its staff)")
def grant_oversight(request, payload: OversightIn):
    _manager(request)
    person = accounts.active_user_by_phone(payload.phone)
    return Status(201, _oversight_out(oversight.grant(request.user, person, payload.division_code, request=request)))


@router.delete("/oversight/{int:membership_id}", response={204: None, **ERRORS},
               summary="Take the role away")
def revoke_oversight(request, membership_id: int):
    _manager(request)
    if not oversight.revoke(request.user, membership_id, request=request):
        raise Http404
    return Status(204, None)
