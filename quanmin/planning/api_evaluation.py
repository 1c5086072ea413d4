"""Evaluation in the API (under /api/v1/planning): a plan's indicator system with weights, its
evaluations, each county's scores and total, ranked; the evaluator's and the third party's scores
(multipart, with the evidence file), and the owners' approval that locks a county's result."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from quanmin.core.api import MAX_ID, ArrayPaging, ErrorOut, lookup_id
from quanmin.regions import codes

from . import permissions, selectors_evaluation
from .api import ERRORS, _plan
from .errors import PlanningError
from .models import CountyScore, Evaluation, EvaluationItem
from .services import evaluation as services

router = Router(tags=["planning"])


class EvaluationItemOut(Schema):
    id: int
    order: int
    name: str
    weight: Decimal = Field(..., description="Points of 100 the item weighs.")
    method: str = Field(..., description="computed (from `target`) or entered (by the evaluator)")
    method_label: str
    target: str = Field(..., description="The key of the plan's target it is computed from; empty when entered.")
    criteria: str


class EvaluationItemIn(Schema):
    name: str = Field(..., max_length=120)
    weight: Decimal = Field(..., description="Points of 100; the items' weights add up to 100.")
    method: str = Field(..., description="computed or entered")
    target: str = Field("", max_length=20, description="A target's key of the plan; needed when computed.")
    criteria: str = Field("", max_length=300)


class EvaluationItemsIn(Schema):
    items: list[EvaluationItemIn] = Field(..., max_length=services.MAX_ITEMS)


def item_out(i: EvaluationItem) -> dict:
    return {"id": i.pk, "order": i.order, "name": i.name, "weight": i.weight, "method": i.method,
            "method_label": str(i.get_method_display()), "target": i.target.key if i.target else "",
            "criteria": i.criteria}


@router.get("/plans/{key}/evaluation-items", response={200: list[EvaluationItemOut], **ERRORS},
            summary="A plan's evaluation indicator system with its weights (staff)")
@paginate(ArrayPaging)
def evaluation_items(request, key: str):
    return [item_out(i) for i in selectors_evaluation.items_of(_plan(request, key))]


@router.put("/plans/{key}/evaluation-items", response={200: list[EvaluationItemOut], **ERRORS},
            summary="Replace a plan's evaluation indicator system; weights add up to 100 (the plan's owners)")
def set_evaluation_items(request, key: str, payload: EvaluationItemsIn):
    plan = _plan(request, key)
    services.set_items(request.user, plan, [i.dict() for i in payload.items], request=request)
    return [item_out(i) for i in selectors_evaluation.items_of(plan)]


class EvaluationOut(Schema):
    id: int
    plan: str
    kind: str = Field(..., description="annual, midterm or final")
    kind_label: str
    year: int
    third_party: str
    as_of: datetime.date = Field(..., description="The day computed items stand for.")
    published_at: datetime.datetime | None = Field(..., description="When the results were published for anyone "
                                                                   "to read; null: not published.")


class EvaluationIn(Schema):
    kind: str = Field(..., description="annual, midterm (the end of a phase before the last, or mid-way) or final "
                                       "(the plan's last year)")
    year: int = Field(..., ge=1900, le=2200)
    third_party: str = Field("", max_length=100, description="The third-party agency's name, if any.")


def evaluation_out(e: Evaluation) -> dict:
    return {"id": e.pk, "plan": e.plan.key, "kind": e.kind, "kind_label": str(e.get_kind_display()), "year": e.year,
            "third_party": e.third_party, "as_of": selectors_evaluation.as_of(e, timezone.localdate()),
            "published_at": e.published_at}


@router.get("/plans/{key}/evaluations", response={200: list[EvaluationOut], **ERRORS},
            summary="A plan's evaluations (staff)")
@paginate(ArrayPaging)
def plan_evaluations(request, key: str):
    plan = _plan(request, key)
    return [evaluation_out(e) for e in plan.evaluations.select_related("plan").order_by("-year", "kind")]


@router.post("/plans/{key}/evaluations", response={201: EvaluationOut, **ERRORS},
             summary="Open an evaluation of a plan: annual, mid-term or final (the plan's owners)")
def open_evaluation(request, key: str, payload: EvaluationIn):
    plan = _plan(request, key)
    found = services.open_evaluation(request.user, plan, kind=payload.kind, year=payload.year,
                                     third_party=payload.third_party, request=request)
    return Status(201, evaluation_out(found))


class ItemScoreOut(Schema):
    item_id: int
    item: str
    weight: Decimal
    computed: bool
    value: Decimal | None = Field(..., description="The target's value, for a computed item.")
    score: Decimal | None = Field(..., description="The official score, 0–100; null: not scored yet.")
    note: str
    third_party_score: Decimal | None
    third_party_note: str


class CountyResultOut(Schema):
    place: int
    code: str
    name: str
    status: str = Field(..., description="open or approved")
    status_label: str
    total: Decimal = Field(..., description="Σ weight × score ÷ 100; frozen once approved.")
    third_party_total: Decimal | None
    missing: int = Field(..., description="Entered items the evaluator has not scored yet.")
    items: list[ItemScoreOut]


class EvaluationResultsOut(EvaluationOut):
    counties: list[CountyResultOut] = Field(..., description="Ranked by total score, highest first.")


def _evaluation(request, evaluation_id: int) -> Evaluation:
    found = Evaluation.objects.select_related("plan").filter(pk=lookup_id(evaluation_id)).first()
    if found is None or not permissions.can_read_evaluation(request.user, found):
        if found is None or permissions.can_read(request.user) or permissions.is_third_party(request.user):
            raise Http404
        raise PermissionDenied
    return found


def result_out(r) -> dict:
    return {"place": r.place, "code": r.code, "name": r.name, "status": r.county.status,
            "status_label": str(r.county.get_status_display()), "total": r.total,
            "third_party_total": r.third_party_total, "missing": r.missing,
            "items": [{"item_id": row.item.pk, "item": row.item.name, "weight": row.item.weight, "computed": row.computed,
                       "value": row.value, "score": row.score, "note": row.note,
                       "third_party_score": row.third_party.score if row.third_party else None,
                       "third_party_note": row.third_party.note if row.third_party else ""} for row in r.items]}


@router.get("/evaluations/{int:evaluation_id}", response={200: EvaluationResultsOut, **ERRORS},
            summary="An evaluation's counties ranked, with every item's scores (staff, its third-party evaluators)")
def evaluation_results(request, evaluation_id: int):
    found = _evaluation(request, evaluation_id)
    return {**evaluation_out(found),
            "counties": [result_out(r) for r in selectors_evaluation.results(found, timezone.localdate())]}


def _county(request, evaluation_id: int, code: str) -> CountyScore:
    evaluation = _evaluation(request, evaluation_id)
    county = CountyScore.objects.filter(evaluation=evaluation, division_code=code).first() if codes.is_code(code) else None
    if county is None:
        raise Http404
    county.evaluation = evaluation
    return county


class ScoreIn(Schema):
    item_id: int = Field(0, ge=0, le=MAX_ID, description="An item of the plan's indicator system.")
    score: Decimal | None = Field(None, description="0 to 100, two decimals at most.")
    note: str = Field("", max_length=500)
    third_party: bool = Field(False, description="The third party's score (its evaluators), not the official one.")


@router.post("/evaluations/{int:evaluation_id}/counties/{code}/scores", response={201: CountyResultOut, **ERRORS,
                                                                                   413: ErrorOut, 415: ErrorOut},
             summary="Score an item for a county: multipart/form-data with the evidence file (the county's "
                     "evaluators; a third-party evaluator with third_party=true)")
def score(request, evaluation_id: int, code: str, payload: Form[ScoreIn], evidence: File[UploadedFile] = None):
    """An evaluator scores the items not computed, with evidence (PDF, photo, Excel or Word, at most
    20 MB); the third party scores any item, evidence optional. 409 once the county is approved."""
    county = _county(request, evaluation_id, code)
    if not (permissions.can_score(request.user, county.division_code)
            or permissions.can_score_third_party(request.user, county.evaluation)):
        raise PlanningError("evaluation_not_yours", _("Only an evaluator whose division holds this county scores it."),
                            status=403)
    item = EvaluationItem.objects.filter(plan=county.evaluation.plan, pk=payload.item_id).first()
    if item is None:
        raise PlanningError("evaluation_item_target", _("The item is not of this plan's indicator system."), "item_id",
                            status=404)
    services.score(request.user, county, item, value=payload.score, note=payload.note, evidence=evidence,
                   third_party=payload.third_party, request=request)
    found = selectors_evaluation.results(county.evaluation, timezone.localdate(), division_codes=[county.division_code])
    return Status(201, result_out(found[0]))


@router.post("/evaluations/{int:evaluation_id}/counties/{code}/approve", response={200: CountyResultOut, **ERRORS},
             summary="Approve a county's result: its scores and total no longer change (the plan's owners)")
def approve(request, evaluation_id: int, code: str):
    county = _county(request, evaluation_id, code)
    services.approve(request.user, county, request=request)
    found = selectors_evaluation.results(county.evaluation, timezone.localdate(), division_codes=[county.division_code])
    return result_out(found[0])
