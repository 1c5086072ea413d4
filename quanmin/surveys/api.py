"""Surveys in the API: staff make and run surveys and read their results (/api/v1/surveys); a
resident reads the open surveys and answers one (/api/v1/surveys/open …)."""

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator

from quanmin.core.api import MAX_ID, ArrayPaging, Day, ErrorOut, Paging

from . import exports, permissions, results, selectors, services
from .models import Question, Quota, Survey

router = Router(tags=["surveys"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _no_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


Text = Annotated[str, AfterValidator(_no_nul)]


class SurveyQuestionOut(Schema):
    id: int
    position: int
    key: str
    text: str
    kind: str
    kind_label: str
    choices: list[dict]
    required: bool


def question_out(q: Question) -> dict:
    return {"id": q.pk, "position": q.position, "key": q.key, "text": q.text, "kind": q.kind,
            "kind_label": q.get_kind_display(), "choices": q.choices or [], "required": q.required}


class SurveyQuotaOut(Schema):
    id: int
    region: str
    region_name: str
    sex: str
    age_band: str
    target: int
    filled: int


def quota_out(q: Quota) -> dict:
    return {"id": q.pk, "region": q.region_id, "region_name": q.region.name, "sex": q.sex, "age_band": q.age_band,
            "target": q.target, "filled": q.filled}


class SurveyOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    region: str
    region_name: str
    introduction: str
    opens_on: datetime.date
    closes_on: datetime.date
    status: str
    status_label: str
    min_age: int
    sample_target: int
    weighting: str
    response_count: int


def survey_out(s: Survey) -> dict:
    return {"id": s.pk, "title": s.title, "kind": s.kind, "kind_label": s.get_kind_display(), "region": s.region_id,
            "region_name": s.region.name, "introduction": s.introduction, "opens_on": s.opens_on,
            "closes_on": s.closes_on, "status": s.status, "status_label": s.get_status_display(),
            "min_age": s.min_age, "sample_target": s.sample_target, "weighting": s.weighting,
            "response_count": s.response_count}


class SurveyDetailOut(SurveyOut):
    questions: list[SurveyQuestionOut]
    quotas: list[SurveyQuotaOut]


def detail_out(s: Survey) -> dict:
    return {**survey_out(s), "questions": [question_out(q) for q in s.questions.all()],
            "quotas": [quota_out(q) for q in s.quotas.select_related("region")]}


def _staff(request):
    if not permissions.can_read(request.user):
        raise PermissionDenied


def _survey(request, survey_id: int) -> Survey:
    _staff(request)
    return selectors.get_or_404(request.user, min(survey_id, MAX_ID))


@router.get("", response={200: list[SurveyOut], **ERRORS}, summary="Surveys in my scope (staff)")
@paginate(Paging)
def list_surveys(request):
    _staff(request)
    return [survey_out(s) for s in selectors.surveys_for(request.user)]


class SurveyIn(Schema):
    title: Text = Field(..., max_length=240)
    kind: str = Field(..., max_length=30, description="regular_exercise or satisfaction")
    region: str = Field(..., max_length=12, description="The city, county or township surveyed.")
    opens_on: Day
    closes_on: Day
    weighting: str = Field("county", max_length=10, description="county or township (a county's survey: township)")
    min_age: int | None = Field(None, ge=6, le=100)
    sample_target: int = Field(0, ge=0, le=1_000_000)
    introduction: Text = Field("", max_length=4000)


@router.post("", response={201: SurveyDetailOut, **ERRORS},
             summary="A draft survey with the standard questionnaire of its kind (division staff)")
def create_survey(request, payload: SurveyIn):
    _staff(request)
    survey = services.create_survey(payload.dict(), actor=request.user, request=request)
    return Status(201, detail_out(survey))


@router.get("/open", response={200: list[SurveyOut], **ERRORS},
            summary="The surveys open to me now: those of the divisions holding my home")
@paginate(ArrayPaging)
def open_surveys(request):
    return [survey_out(s) for s in services.open_for(request.user)]


def _open(survey_id: int) -> Survey:
    found = Survey.objects.select_related("region").exclude(status=Survey.Status.DRAFT).filter(
        pk=min(survey_id, MAX_ID)).first()
    if found is None:
        raise Http404
    return found


class SurveyAnswerIn(Schema):
    answers: dict[str, Text | int | list[Text]] = Field(
        ..., description='{question id: "choice value" | mark 1–5 | ["choice", …] | "text"}')


class SurveyAnsweredOut(Schema):
    survey_id: int
    submitted_on: datetime.date
    regular: bool | None
    score: float | None


@router.get("/open/{int:survey_id}", response={200: SurveyDetailOut, **ERRORS},
            summary="A survey's questionnaire, to answer it")
def questionnaire(request, survey_id: int):
    survey = _open(survey_id)
    out = detail_out(survey)
    out["quotas"] = []
    return out


@router.post("/open/{int:survey_id}/answers", response={201: SurveyAnsweredOut, **ERRORS},
             summary="Answer a survey: once per real-name person, within its quotas (409 already_answered, "
                     "quota_full, survey_not_open, real_name_required, outside_survey, too_young)")
def answer(request, survey_id: int, payload: SurveyAnswerIn):
    response = services.answer(_open(survey_id), request.user, payload.answers, request=request)
    return Status(201, {"survey_id": response.survey_id, "submitted_on": response.submitted_on,
                        "regular": response.regular, "score": None if response.score is None else float(response.score)})


@router.get("/{int:survey_id}", response={200: SurveyDetailOut, **ERRORS}, summary="A survey (staff)")
def get_survey(request, survey_id: int):
    return detail_out(_survey(request, survey_id))


class SurveyQuestionIn(Schema):
    text: Text = Field(..., max_length=600)
    kind: str = Field(..., max_length=10, description="single, multiple, scale or text")
    choices: list[Text] = Field([], max_length=60, description="The choices' labels, for single and multiple.")
    required: bool = True


@router.post("/{int:survey_id}/questions", response={201: SurveyQuestionOut, **ERRORS},
             summary="Add a question to a draft survey (the division's staff)")
def add_question(request, survey_id: int, payload: SurveyQuestionIn):
    question = services.add_question(_survey(request, survey_id), payload.dict(), actor=request.user,
                                     request=request)
    return Status(201, question_out(question))


class SurveyQuotaIn(Schema):
    region: str = Field("", max_length=12, description="A division in the survey's; by default the survey's own.")
    sex: str = Field("", max_length=6, description="male, female, or empty for either")
    age_band: str = Field("", max_length=10, description="under_20, 20_39, 40_59, 60_plus, or empty for any")
    target: int = Field(..., ge=1, le=1_000_000)


@router.post("/{int:survey_id}/quotas", response={201: SurveyQuotaOut, **ERRORS},
             summary="Add a quota to a draft survey (the division's staff); 409 quota_exists")
def add_quota(request, survey_id: int, payload: SurveyQuotaIn):
    quota = services.add_quota(_survey(request, survey_id), payload.dict(), actor=request.user, request=request)
    return Status(201, quota_out(Quota.objects.select_related("region").get(pk=quota.pk)))


class SurveyStatusIn(Schema):
    status: str = Field(..., max_length=10, description="open or closed")


@router.post("/{int:survey_id}/status", response={200: SurveyOut, **ERRORS},
             summary="Open a draft survey or close it for good (the division's staff)")
def set_status(request, survey_id: int, payload: SurveyStatusIn):
    return survey_out(services.set_status(_survey(request, survey_id), payload.status, actor=request.user,
                                          request=request))


class SurveyEstimateOut(Schema):
    code: str
    label: str
    population: int | None
    answers: int
    effective_sample: float | None
    value: float | None = Field(..., description="Per cent (regular exercisers) or points of 100 (satisfaction).")
    margin: float | None = Field(..., description="± the same unit, 95 %.")
    low: float | None
    high: float | None


class SurveyResultsOut(Schema):
    survey: SurveyOut
    as_of: datetime.date
    divisions: list[SurveyEstimateOut]
    sexes: list[SurveyEstimateOut]
    age_bands: list[SurveyEstimateOut]


def _rows(rows) -> list[dict]:
    return [{"code": r.code, "label": r.label, "population": r.population, "answers": r.estimate.n,
             "effective_sample": r.estimate.n_eff, "value": r.estimate.value, "margin": r.estimate.moe,
             "low": r.estimate.low, "high": r.estimate.high} for r in rows]


class SurveyResultsQuery(Schema):
    level: str = Field("", max_length=10, description="county or township: the divisions listed")


@router.get("/{int:survey_id}/results", response={200: SurveyResultsOut, **ERRORS},
            summary="Weighted results with their margin of error, by division, sex and age band (staff)")
def survey_results(request, survey_id: int, query: Query[SurveyResultsQuery]):
    survey = _survey(request, survey_id)
    level = query.level
    data = results.load(survey)
    return {"survey": survey_out(survey), "as_of": timezone.localdate(),
            "divisions": _rows(results.by_division(data, level if level in ("county", "township") else None)),
            "sexes": _rows(results.by_sex(data)), "age_bands": _rows(results.by_age_band(data))}


@router.get("/{int:survey_id}/export.xlsx", response={200: None, **ERRORS},
            summary="The results and the (anonymous) answers in Excel (staff)")
def export(request, survey_id: int):
    return exports.xlsx(_survey(request, survey_id))
