"""Special evaluations (专项评估) and publication in the API (under /api/v1/planning): a plan's special
evaluations of a key target or a major project, opened by its owners, recorded by them or its
evaluators (multipart, with the evidence file), concluded by the owners; the publication of an
evaluation's results or a special evaluation's conclusion, and withdrawing it; and the public's
reads (`/public/…`, no sign-in) of what was published — results only, never a person or a file."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from quanmin.accounts.api_auth import PUBLIC
from quanmin.core.api import ArrayPaging, Day, ErrorOut, PagedRows, Paging, lookup_id

from . import permissions, selectors_special
from .api import ERRORS, _plan
from .api_evaluation import EvaluationOut, _evaluation, evaluation_out
from .models import Evaluation, SpecialEvaluation
from .services import special as services

router = Router(tags=["planning"])


class SpecialEvaluationOut(Schema):
    id: int
    plan: str
    title: str
    subject: str = Field(..., description="target, task or project")
    subject_label: str
    target: str = Field(..., description="The target's key, when a target is evaluated.")
    task: str = Field(..., description="The task's number, when a task is evaluated.")
    subject_name: str
    ordered_by: str
    ordered_on: datetime.date
    scope: str
    evaluator: str
    third_party: bool
    findings: str
    conclusion: str
    grade: str = Field(..., description="excellent, good, pass or fail; empty until recorded")
    grade_label: str
    has_evidence: bool
    status: str = Field(..., description="open or concluded")
    status_label: str
    concluded_on: datetime.date | None
    published_at: datetime.datetime | None


def special_out(s: SpecialEvaluation) -> dict:
    return {"id": s.pk, "plan": s.plan.key, "title": s.title, "subject": s.subject,
            "subject_label": str(s.get_subject_display()), "target": s.target.key if s.target else "",
            "task": s.task.number if s.task else "", "subject_name": s.subject_name, "ordered_by": s.ordered_by,
            "ordered_on": s.ordered_on, "scope": s.scope, "evaluator": s.evaluator, "third_party": s.third_party,
            "findings": s.findings, "conclusion": s.conclusion, "grade": s.grade,
            "grade_label": str(s.get_grade_display()) if s.grade else "", "has_evidence": bool(s.evidence),
            "status": s.status, "status_label": str(s.get_status_display()), "concluded_on": s.concluded_on,
            "published_at": s.published_at}


class SpecialEvaluationIn(Schema):
    title: str = Field(..., max_length=120)
    subject: str = Field(..., description="target, task or project")
    target: str = Field("", max_length=20, description="A target's key of the plan (subject target).")
    task: str = Field("", max_length=20, description="A task's number of the plan (subject task).")
    project: str = Field("", max_length=200, description="The funded project's title (subject project).")
    ordered_by: str = Field(..., max_length=100, description="The body that ordered the evaluation.")
    ordered_on: Day
    scope: str = Field(..., max_length=2000)
    evaluator: str = Field(..., max_length=100)
    third_party: bool = False


@router.get("/plans/{key}/special-evaluations", response={200: list[SpecialEvaluationOut], **ERRORS},
            summary="A plan's special evaluations of key targets and major projects (staff)")
@paginate(ArrayPaging)
def specials(request, key: str):
    return [special_out(s) for s in selectors_special.specials_of(_plan(request, key))]


@router.post("/plans/{key}/special-evaluations", response={201: SpecialEvaluationOut, **ERRORS},
             summary="Open a special evaluation of a key target or a major project (the plan's owners)")
def open_special(request, key: str, payload: SpecialEvaluationIn):
    found = services.open_special(request.user, _plan(request, key), payload.dict(), request=request)
    return Status(201, special_out(found))


def _special(request, special_id: int) -> SpecialEvaluation:
    if not permissions.can_read(request.user):
        raise PermissionDenied
    found = (SpecialEvaluation.objects.select_related("plan", "target", "task")
             .filter(pk=lookup_id(special_id)).first())
    if found is None or not permissions.can_read_plan(request.user, found.plan):
        raise Http404
    return found


@router.get("/special-evaluations/{int:special_id}", response={200: SpecialEvaluationOut, **ERRORS},
            summary="A special evaluation (staff)")
def special(request, special_id: int):
    return special_out(_special(request, special_id))


class SpecialRecordIn(Schema):
    findings: str = Field("", max_length=4000, description="Empty: kept as recorded.")
    conclusion: str = Field("", max_length=2000, description="Empty: kept as recorded.")
    grade: str = Field("", description="excellent, good, pass or fail; empty: kept as recorded.")


@router.post("/special-evaluations/{int:special_id}/record", response={200: SpecialEvaluationOut, **ERRORS,
                                                                        413: ErrorOut, 415: ErrorOut},
             summary="Record a special evaluation's findings, conclusion, grade and evidence: multipart/form-data "
                     "(the plan's owners, its evaluators; while open)")
def record(request, special_id: int, payload: Form[SpecialRecordIn], evidence: File[UploadedFile] = None):
    found = services.record(request.user, _special(request, special_id), payload.dict(), evidence=evidence,
                            request=request)
    return special_out(found)


@router.post("/special-evaluations/{int:special_id}/conclude", response={200: SpecialEvaluationOut, **ERRORS},
             summary="Approve a special evaluation's conclusion: it no longer changes (the plan's owners)")
def conclude(request, special_id: int):
    return special_out(services.conclude(request.user, _special(request, special_id), request=request))


class PublicationIn(Schema):
    published: bool = Field(..., description="true: publish for anyone to read; false: withdraw.")


def _publish(request, obj, published: bool):
    return (services.publish if published else services.withdraw)(request.user, obj, request=request)


@router.put("/special-evaluations/{int:special_id}/publication", response={200: SpecialEvaluationOut, **ERRORS},
            summary="Publish a concluded special evaluation's conclusion, or withdraw it (the plan's owners)")
def special_publication(request, special_id: int, payload: PublicationIn):
    return special_out(_publish(request, _special(request, special_id), payload.published))


@router.put("/evaluations/{int:evaluation_id}/publication", response={200: EvaluationOut, **ERRORS},
            summary="Publish an evaluation whose every county result is approved, or withdraw it (the plan's owners)")
def evaluation_publication(request, evaluation_id: int, payload: PublicationIn):
    return evaluation_out(_publish(request, _evaluation(request, evaluation_id), payload.published))


# The public's reads: what was published, no sign-in.

class PublicPlanOut(Schema):
    key: str
    title: str
    division_name: str


class PublicItemScoreOut(Schema):
    item: str
    weight: Decimal
    score: Decimal | None


class PublicCountyOut(Schema):
    place: int
    code: str
    name: str
    total: Decimal
    third_party_total: Decimal | None
    scores: list[PublicItemScoreOut]


class PublicEvaluationOut(Schema):
    id: int
    plan: PublicPlanOut
    kind: str
    kind_label: str
    year: int
    third_party: str = Field(..., description="The third-party agency, if any.")
    published_at: datetime.datetime


class PublicEvaluationResultsOut(PublicEvaluationOut):
    counties: list[PublicCountyOut] = Field(..., description="Ranked by total score, highest first; every result "
                                                             "approved before publication.")


class PublicSpecialOut(Schema):
    id: int
    plan: PublicPlanOut
    title: str
    subject: str
    subject_label: str
    subject_name: str
    ordered_by: str
    ordered_on: datetime.date
    scope: str
    evaluator: str
    third_party: bool
    conclusion: str
    grade: str
    grade_label: str
    concluded_on: datetime.date | None
    published_at: datetime.datetime


def _public_plan(plan) -> dict:
    return {"key": plan.key, "title": plan.title, "division_name": plan.division_name}


def public_evaluation_out(e: Evaluation) -> dict:
    return {"id": e.pk, "plan": _public_plan(e.plan), "kind": e.kind, "kind_label": str(e.get_kind_display()),
            "year": e.year, "third_party": e.third_party, "published_at": e.published_at}


def public_special_out(s: SpecialEvaluation) -> dict:
    return {"id": s.pk, "plan": _public_plan(s.plan), "title": s.title, "subject": s.subject,
            "subject_label": str(s.get_subject_display()), "subject_name": s.subject_name,
            "ordered_by": s.ordered_by, "ordered_on": s.ordered_on, "scope": s.scope, "evaluator": s.evaluator,
            "third_party": s.third_party, "conclusion": s.conclusion, "grade": s.grade,
            "grade_label": str(s.get_grade_display()), "concluded_on": s.concluded_on, "published_at": s.published_at}


def _published(model, pk: int):
    found = selectors_special.published_one(model, pk)
    if found is None:
        raise Http404
    return found


@router.get("/public/evaluations", auth=PUBLIC, response={200: list[PublicEvaluationOut], 400: ErrorOut},
            summary="The evaluations whose results were published, newest first (anyone)")
@paginate(Paging)
def public_evaluations(request):
    return PagedRows(selectors_special.published_of(Evaluation), lambda page: [public_evaluation_out(e) for e in page])


@router.get("/public/evaluations/{int:evaluation_id}", auth=PUBLIC,
            response={200: PublicEvaluationResultsOut, 400: ErrorOut, 404: ErrorOut},
            summary="A published evaluation's counties ranked, with their scores (anyone)")
def public_evaluation(request, evaluation_id: int):
    found = _published(Evaluation, evaluation_id)
    return {**public_evaluation_out(found), "counties": selectors_special.public_results(found)["counties"]}


@router.get("/public/special-evaluations", auth=PUBLIC, response={200: list[PublicSpecialOut], 400: ErrorOut},
            summary="The special evaluations whose conclusions were published, newest first (anyone)")
@paginate(Paging)
def public_specials(request):
    return PagedRows(selectors_special.published_of(SpecialEvaluation),
                     lambda page: [public_special_out(s) for s in page])


@router.get("/public/special-evaluations/{int:special_id}", auth=PUBLIC,
            response={200: PublicSpecialOut, 400: ErrorOut, 404: ErrorOut},
            summary="A published special evaluation's conclusion and grade (anyone)")
def public_special(request, special_id: int):
    return public_special_out(_published(SpecialEvaluation, special_id))
