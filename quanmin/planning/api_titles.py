"""Titles in the API (under /api/v1/planning, G16): the titles and their criteria; a county's
applications (opened, answered and submitted by its own staff), scored by the evaluators of its
division and decided by the city; the counties holding each title."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.core.api import ArrayPaging, Day, Paging

from . import permissions, selectors_titles, titles
from .api import ERRORS
from .models import TitleApplication
from .services import titles as services

router = Router(tags=["planning"])


class TitleCriterionDefOut(Schema):
    key: str
    name: str
    quote: str = Field(description="The plan's words the criterion is derived from.")
    weight: Decimal
    indicator: str = Field(description="The indicator that computes it live; empty: scored from evidence.")
    comparator: str
    value: Decimal | None


class TitleOut(Schema):
    key: str
    name: str
    seed: str
    quote: str
    target_quote: str
    indicator: str = Field(description="The indicator counting the counties holding the title.")
    pass_score: Decimal
    criteria: list[TitleCriterionDefOut]


@router.get("/titles", response={200: list[TitleOut], **ERRORS},
            summary="Titles a county applies for, with their criteria and sources (staff)")
@paginate(ArrayPaging)
def list_titles(request):
    if not permissions.can_read(request.user):
        raise PermissionDenied
    return [{**t.__dict__, "criteria": [c.__dict__ for c in t.criteria]} for t in titles.titles().values()]


class TitleCriterionOut(Schema):
    key: str
    order: int
    name: str
    quote: str
    weight: Decimal
    indicator: str
    comparator: str
    value: Decimal | None
    claim_met: bool | None
    claim_note: str
    live_value: Decimal | None = Field(description="The indicator's value when the application was submitted.")
    score: Decimal | None
    score_note: str


class TitleApplicationOut(Schema):
    id: int
    title: str
    title_name: str
    division_code: str
    division_name: str
    year: int
    status: str
    status_label: str
    total: Decimal | None
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    decision_note: str
    awarded_on: datetime.date | None

    @staticmethod
    def resolve_title_name(obj: TitleApplication) -> str:
        return titles.title_name(obj.title)

    @staticmethod
    def resolve_status_label(obj: TitleApplication) -> str:
        return str(obj.get_status_display())


class TitleApplicationDetailOut(TitleApplicationOut):
    criteria: list[TitleCriterionOut]
    current_values: dict[str, Decimal | None] = Field(
        description="Each computed criterion's indicator value for the county today, by criterion key.")

    @staticmethod
    def resolve_criteria(obj: TitleApplication) -> list:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_current_values(obj: TitleApplication) -> dict:
        return services.live_values(obj)


class TitleApplicationFilters(Schema):
    title: str = Field("", max_length=40)
    status: str = Field("", max_length=10)
    year: str = Field("", pattern=r"^([0-9]{4})?$")
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$", description="A division: it and all below it.")


class TitleApplicationIn(Schema):
    title: str = Field(max_length=40, description="sports_modern_county or fitness_model_county")
    division_code: str = Field(max_length=12, description="the county's 12-digit code")
    year: int = Field(ge=2000, le=2100)


class TitleAnswerIn(Schema):
    key: str = Field(max_length=40)
    met: bool | None = None
    note: str = Field("", max_length=500)


class TitleAnswersIn(Schema):
    answers: list[TitleAnswerIn] = Field(max_length=50)


class TitleScoreIn(Schema):
    key: str = Field(max_length=40)
    score: Decimal = Field(ge=0, le=100, decimal_places=2)
    note: str = Field("", max_length=500)


class TitleScoresIn(Schema):
    scores: list[TitleScoreIn] = Field(max_length=50)


class TitleDecisionIn(Schema):
    decision: str = Field(pattern=r"^(award|return)$")
    note: str = Field("", max_length=500, description="required when returning")
    awarded_on: Day | None = Field(None, description="today by default")


def _detail(request, application_id: int) -> TitleApplication:
    return selectors_titles.application_or_404(request.user, application_id)


@router.get("/title-applications", response={200: list[TitleApplicationOut], **ERRORS},
            summary="Title applications in my scope (staff)")
@paginate(Paging)
def list_applications(request, filters: Query[TitleApplicationFilters]):
    if not permissions.can_read(request.user):
        raise PermissionDenied
    return selectors_titles.applications_for(request.user, filters.dict())


@router.post("/title-applications", response={201: TitleApplicationDetailOut, **ERRORS},
             summary="Apply for a title for a county in a year (the county's staff)")
def open_application(request, payload: TitleApplicationIn):
    found = services.open_application(request.user, **payload.dict(), request=request)
    return Status(201, _detail(request, found.pk))


@router.get("/title-applications/{int:application_id}", response={200: TitleApplicationDetailOut, **ERRORS},
            summary="One application with its criteria, answers, scores and the indicators' values")
def get_application(request, application_id: int):
    return _detail(request, application_id)


@router.put("/title-applications/{int:application_id}/answers", response={200: TitleApplicationDetailOut, **ERRORS},
            summary="The county's answers to criteria (while being prepared or returned)")
def save_answers(request, application_id: int, payload: TitleAnswersIn):
    application = _detail(request, application_id)
    services.save_answers(request.user, application, [a.dict() for a in payload.answers], request=request)
    return _detail(request, application_id)


@router.post("/title-applications/{int:application_id}/submit", response={200: TitleApplicationDetailOut, **ERRORS},
             summary="Submit the application for assessment (every criterion answered)")
def submit(request, application_id: int):
    services.submit(request.user, _detail(request, application_id), request=request)
    return _detail(request, application_id)


@router.put("/title-applications/{int:application_id}/scores", response={200: TitleApplicationDetailOut, **ERRORS},
            summary="An evaluator's scores of criteria, 0 to 100 (a submitted application)")
def save_scores(request, application_id: int, payload: TitleScoresIn):
    application = _detail(request, application_id)
    services.save_scores(request.user, application, [s.dict() for s in payload.scores], request=request)
    return _detail(request, application_id)


@router.post("/title-applications/{int:application_id}/decision", response={200: TitleApplicationDetailOut, **ERRORS},
             summary="The city awards the title (scored, at the pass score) or returns the application")
def decide(request, application_id: int, payload: TitleDecisionIn):
    application = _detail(request, application_id)
    services.decide(request.user, application, **payload.dict(), request=request)
    return _detail(request, application_id)


class TitleHolderOut(Schema):
    title: str
    title_name: str
    division_code: str
    division_name: str
    year: int
    total: Decimal | None
    awarded_on: datetime.date | None

    @staticmethod
    def resolve_title_name(obj: TitleApplication) -> str:
        return titles.title_name(obj.title)


class TitleHolderFilters(Schema):
    title: str = Field("", max_length=40)


@router.get("/title-holders", response={200: list[TitleHolderOut], **ERRORS},
            summary="Counties holding a title, in my scope (staff)")
@paginate(Paging)
def list_holders(request, filters: Query[TitleHolderFilters]):
    if not permissions.can_read(request.user):
        raise PermissionDenied
    return selectors_titles.holders(request.user, filters.title)


