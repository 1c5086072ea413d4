"""The venue-opening evaluation in the API (/api/v1/opening): the county's and the city's sports staff
open a year's round, evaluate each publicly funded venue, request rectifications and confirm them,
and take a round out to Excel; division staff read their divisions' evaluations; a venue's operator
reads its rectifications and reports them done."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts import scoping
from quanmin.core.api import Day, ErrorOut, Paging

from . import io, permissions, selectors, services
from .models import OpeningEvaluation, OpeningRectification, OpeningRound

router = Router(tags=["opening"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class OpeningRoundIn(Schema):
    region: str = Field(max_length=12, pattern=r"^[0-9]+$", description="a county's or the city's code")
    year: int = Field(ge=services.FIRST_YEAR, le=9999, description="the year evaluated, up to the current one")
    title: str = Field("", max_length=120, description="a title of the division and year by default")
    due: Day | None = Field(None, description="evaluations due by (from today up to a year on)")


class OpeningRoundOut(Schema):
    id: int
    region: str
    region_name: str
    year: int
    title: str
    due: datetime.date | None
    status: str
    status_label: str
    closed_at: datetime.datetime | None

    resolve_region = staticmethod(lambda obj: obj.region_id)
    resolve_region_name = staticmethod(lambda obj: obj.region.name)
    resolve_status_label = staticmethod(lambda obj: str(obj.get_status_display()))


class OpeningCountOut(Schema):
    label: str
    count: int


class OpeningRoundDetailOut(OpeningRoundOut):
    venues: int = Field(description="venues of the round I may see")
    evaluated: int
    results: list[OpeningCountOut]
    certified_free_use: list[OpeningCountOut]


def _round_detail(request, found: OpeningRound) -> OpeningRound:
    """The round with the counts of the evaluations the user may see, as OpeningRoundDetailOut reads them."""
    counted = selectors.summary(selectors.evaluations_for(request.user, {"round": str(found.pk)}))
    found.venues, found.evaluated = counted["venues"], counted["done"]
    found.results = [{"label": str(label), "count": n} for label, n in counted["results"]]
    found.certified_free_use = [{"label": str(label), "count": n} for label, n in counted["special"]]
    return found


@router.get("/rounds", response={200: list[OpeningRoundOut], **ERRORS},
            summary="Evaluation rounds of my divisions, and those above holding a venue of mine (staff)")
@paginate(Paging)
def list_rounds(request):
    _require(permissions.can_read(request.user))
    return selectors.rounds_for(request.user)


@router.post("/rounds", response={201: OpeningRoundDetailOut, **ERRORS},
             summary="Open a year's evaluation of a county's or the city's publicly funded venues")
def open_round(request, payload: OpeningRoundIn):
    _require(permissions.can_run(request.user))
    found = services.open_round(request.user, payload.dict(), request=request)
    return Status(201, _round_detail(request, selectors.round_or_404(request.user, found.pk)))


@router.get("/rounds/{int:round_id}", response={200: OpeningRoundDetailOut, **ERRORS},
            summary="One round with the counts of its results (of the venues I may see)")
def get_round(request, round_id: int):
    return _round_detail(request, selectors.round_or_404(request.user, round_id))


@router.post("/rounds/{int:round_id}/close", response={200: OpeningRoundDetailOut, **ERRORS},
             summary="Finish a round whose venues are all evaluated (its county's or city's staff)")
def close_round(request, round_id: int):
    _require(permissions.can_run(request.user))
    found = services.close_round(request.user, selectors.round_or_404(request.user, round_id), request=request)
    return _round_detail(request, selectors.round_or_404(request.user, found.pk))


@router.get("/rounds/{int:round_id}/export.xlsx", response={200: None, **ERRORS},
            summary="A round's venues, rectifications and totals (.xlsx; the venues I may see)")
def export_round(request, round_id: int):
    found = selectors.round_or_404(request.user, round_id)
    return io.xlsx_response(found, selectors.evaluations_for(request.user, {"round": str(found.pk)}))


class OpeningItemOut(Schema):
    key: str
    label: str
    section: str = Field(description="general, or special: certified free use by elderly and disabled people")
    computed: bool = Field(description="scored from the registers (else ticked by the evaluator)")
    points: int
    earned: Decimal


class OpeningEvaluationOut(Schema):
    id: int
    round: int
    site: int
    site_name: str
    region: str
    region_name: str
    status: str
    status_label: str
    score: Decimal | None
    result: str
    result_label: str
    special_result: str
    special_result_label: str
    note: str
    evaluated_on: datetime.date | None
    figures: dict = Field(description="as kept when evaluated (empty while pending)")

    resolve_round = staticmethod(lambda obj: obj.round_id)
    resolve_site = staticmethod(lambda obj: obj.site_id)
    resolve_site_name = staticmethod(lambda obj: obj.site.name)
    resolve_region = staticmethod(lambda obj: obj.site.region_id)
    resolve_region_name = staticmethod(lambda obj: obj.site.region.name)
    resolve_status_label = staticmethod(lambda obj: str(obj.get_status_display()))
    resolve_result_label = staticmethod(lambda obj: str(obj.get_result_display()))
    resolve_special_result_label = staticmethod(lambda obj: str(obj.get_special_result_display()))


class OpeningEvaluationDetailOut(OpeningEvaluationOut):
    items: list[OpeningItemOut] = Field(description="every item with its points (empty while pending)")

    @staticmethod
    def resolve_items(obj: OpeningEvaluation) -> list:
        return services.scoring(obj)["items"] if obj.status == OpeningEvaluation.Status.DONE else []


class OpeningEvaluationFilters(Schema):
    round: str = Field("", max_length=12, pattern=r"^[0-9]*$")
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$", description="A division: it and all below it.")
    status: str = Field("", pattern=r"^(pending|done)?$")
    result: str = Field("", pattern=r"^(pass|basic|fail)?$")
    special: str = Field("", pattern=r"^(met|partly|not_met)?$", description="the certified-free-use conclusion")
    q: str = Field("", max_length=60, description="Venue name contains.")


@router.get("/evaluations", response={200: list[OpeningEvaluationOut], **ERRORS},
            summary="Evaluations of the venues in my divisions (staff)")
@paginate(Paging)
def list_evaluations(request, filters: Query[OpeningEvaluationFilters]):
    _require(permissions.can_read(request.user))
    return selectors.evaluations_for(request.user, filters.dict())


@router.get("/evaluations/{int:evaluation_id}", response={200: OpeningEvaluationDetailOut, **ERRORS},
            summary="One venue's evaluation with its items")
def get_evaluation(request, evaluation_id: int):
    return selectors.evaluation_or_404(request.user, evaluation_id)


class OpeningEvaluateIn(Schema):
    hours_posted: bool = False
    fitness_day_free: bool = False
    closure_notice: bool = False
    certified_notice: bool = False
    certificate_entry: bool = False
    certified_register: bool = False
    note: str = Field("", max_length=500, description="findings")
    evaluated_on: Day | None = Field(None, description="today by default; within the year evaluated")



@router.put("/evaluations/{int:evaluation_id}", response={200: OpeningEvaluationDetailOut, **ERRORS},
            summary="Evaluate a venue (again) while its round runs: figures computed now, the items ticked")
def put_evaluation(request, evaluation_id: int, payload: OpeningEvaluateIn):
    _require(permissions.can_run(request.user))
    found = selectors.evaluation_or_404(request.user, evaluation_id, write=True)
    services.evaluate(request.user, found, payload.dict(), request=request)
    return selectors.evaluation_or_404(request.user, evaluation_id)


class OpeningRectificationIn(Schema):
    request: str = Field(max_length=300, description="what to rectify")
    due: Day | None = Field(None, description="from today up to a year on; 30 days by default")


class OpeningRectificationOut(Schema):
    id: int
    evaluation: int
    site: int
    site_name: str
    request: str
    due: datetime.date
    status: str
    status_label: str
    overdue: bool
    reported_on: datetime.date | None
    report_note: str
    returned_note: str
    confirmed_at: datetime.datetime | None

    resolve_evaluation = staticmethod(lambda obj: obj.evaluation_id)
    resolve_site = staticmethod(lambda obj: obj.site_id)
    resolve_site_name = staticmethod(lambda obj: obj.site.name)
    resolve_status_label = staticmethod(lambda obj: str(obj.get_status_display()))

    @staticmethod
    def resolve_overdue(obj: OpeningRectification) -> bool:
        return obj.status == OpeningRectification.Status.OPEN and obj.due < timezone.localdate()


@router.post("/evaluations/{int:evaluation_id}/rectifications", response={201: OpeningRectificationOut, **ERRORS},
             summary="Request a rectification of an evaluated venue; its operators are told")
def request_rectification(request, evaluation_id: int, payload: OpeningRectificationIn):
    _require(permissions.can_run(request.user))
    found = selectors.evaluation_or_404(request.user, evaluation_id, write=True)
    return Status(201, services.request_rectification(request.user, found, payload.dict(), request=request))


class OpeningRectificationFilters(Schema):
    status: str = Field("", pattern=r"^(open|reported|closed)?$")
    overdue: str = Field("", pattern=r"^(1|0)?$", description="1: open past the due date")
    round: str = Field("", max_length=12, pattern=r"^[0-9]*$")
    site: str = Field("", max_length=12, pattern=r"^[0-9]*$")
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$")


@router.get("/rectifications", response={200: list[OpeningRectificationOut], **ERRORS},
            summary="Rectifications of the venues in my scope (staff; an operator: its venues')")
@paginate(Paging)
def list_rectifications(request, filters: Query[OpeningRectificationFilters]):
    _require(scoping.is_backoffice(request.user))
    return selectors.rectifications_for(request.user, filters.dict())


class OpeningReportIn(Schema):
    note: str = Field(max_length=300, description="what was done")


class OpeningConfirmIn(Schema):
    accepted: bool
    note: str = Field("", max_length=300, description="why it is sent back (required when not accepted)")


@router.post("/rectifications/{int:rectification_id}/report", response={200: OpeningRectificationOut, **ERRORS},
             summary="Report a rectification done (the venue's operator, or the division's staff)")
def report_rectification(request, rectification_id: int, payload: OpeningReportIn):
    _require(scoping.is_backoffice(request.user))
    found = selectors.rectification_or_404(request.user, rectification_id, write=True)
    return services.report_done(request.user, found, payload.dict(), request=request)


@router.post("/rectifications/{int:rectification_id}/confirm", response={200: OpeningRectificationOut, **ERRORS},
             summary="Confirm a rectification reported done, or send it back (the county's or city's staff)")
def confirm_rectification(request, rectification_id: int, payload: OpeningConfirmIn):
    _require(permissions.can_run(request.user))
    found = selectors.rectification_or_404(request.user, rectification_id, write=True)
    return services.confirm(request.user, found, payload.dict(), request=request)
