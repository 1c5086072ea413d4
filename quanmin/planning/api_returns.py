"""County returns in the API (under /api/v1/planning): rounds (the city's staff open them and read
the summary), returns (a county's staff fill in, save and submit their own; the round's owners
accept or return them), and a return's evidence files (listed to its readers; attached and removed by
its county's staff while they may still change it, with the page's checks of type and size)."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from quanmin.core.api import Day, ErrorOut, Paging, lookup_id

from . import permissions
from . import selectors_returns as reads
from .models import CountyReturn, ReturnAttachment, ReturnItem, ReturnRound
from .services import returns as services

router = Router(tags=["planning"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ReturnItemOut(Schema):
    id: int
    order: int
    name: str
    indicator: str = Field(..., description="The registry's indicator computing it; empty: entered by each county.")
    unit: str
    unit_label: str
    kind: str
    kind_label: str


class ReturnRoundOut(Schema):
    id: int
    title: str
    division_code: str
    division_name: str
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    computed_as_of: datetime.date
    status: str
    status_label: str
    items: list[ReturnItemOut]


class RoundRowOut(Schema):
    return_id: int
    division_code: str
    division_name: str
    status: str
    status_label: str
    overdue: bool
    submitted_at: datetime.datetime | None
    values: list[Decimal | None] = Field(..., description="One per item, in the items' order; null: not given.")


class ReturnRoundSummaryOut(ReturnRoundOut):
    returns: list[RoundRowOut]


def _item(item: ReturnItem) -> dict:
    return {"id": item.pk, "order": item.order, "name": item.name, "indicator": item.indicator, "unit": item.unit,
            "unit_label": str(item.get_unit_display()), "kind": item.kind, "kind_label": str(item.get_kind_display())}


def _round(rnd: ReturnRound) -> dict:
    return {"id": rnd.pk, "title": rnd.title, "division_code": rnd.division_code, "division_name": rnd.division_name,
            "period_start": rnd.period_start, "period_end": rnd.period_end, "due_on": rnd.due_on,
            "computed_as_of": rnd.computed_as_of, "status": rnd.status, "status_label": str(rnd.get_status_display()),
            "items": [_item(i) for i in rnd.items.order_by("order")]}


def _reader(request):
    if not permissions.can_read(request.user):
        raise PermissionDenied


@router.get("/rounds", response={200: list[ReturnRoundOut], **ERRORS},
            summary="Return rounds of the user's divisions (the city's staff, supervisors)")
@paginate(Paging)
def list_rounds(request):
    _reader(request)
    return [_round(r) for r in reads.rounds_for(request.user).prefetch_related(None)]


class ManualItemIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    unit: str = Field("count", max_length=30)
    kind: str = Field("decimal", max_length=8, description="integer, decimal, percent or yes_no")


class RoundIn(Schema):
    division_code: str = Field(..., max_length=12, description="The division opening the round (a city).")
    title: str = Field(..., min_length=1, max_length=200)
    period_start: Day
    period_end: Day
    due_on: Day
    indicators: list[str] = Field([], max_length=60, description="Keys of the registry computed for every county.")
    items: list[ManualItemIn] = Field([], max_length=60, description="Figures each county enters.")


@router.post("/rounds", response={201: ReturnRoundOut, **ERRORS},
             summary="Open a round: a return for each county, computed figures filled in (division staff)")
def open_round(request, payload: RoundIn):
    if not permissions.can_open_rounds(request.user):
        raise PermissionDenied
    rnd = services.open_round(request.user, division_code=payload.division_code, title=payload.title,
                              period_start=payload.period_start, period_end=payload.period_end,
                              due_on=payload.due_on, indicator_keys=[k[:60] for k in payload.indicators],
                              manual=[i.dict() for i in payload.items], request=request)
    return Status(201, _round(rnd))


@router.get("/rounds/{int:round_id}", response={200: ReturnRoundSummaryOut, **ERRORS},
            summary="A round with a row per county: state, overdue, every figure (the round's readers)")
def get_round(request, round_id: int):
    _reader(request)
    found = reads.summary(reads.round_or_404(request.user, round_id), timezone.localdate())
    return {**_round(found["round"]), "returns": [{
        "return_id": row.ret.pk, "division_code": row.ret.division_code, "division_name": row.ret.division_name,
        "status": row.ret.status, "status_label": str(row.ret.get_status_display()), "overdue": row.overdue,
        "submitted_at": row.ret.submitted_at, "values": row.values} for row in found["rows"]]}


class ReturnFigureOut(Schema):
    item_id: int
    name: str
    unit: str
    kind: str
    computed: Decimal | None = Field(..., description="The platform's figure (as of the round's computed_as_of).")
    entered: Decimal | None = Field(..., description="The county's figure, where the platform computes none.")


class ReturnEntryOut(Schema):
    kind: str
    kind_label: str
    text: str
    at: datetime.datetime


class ReturnSummaryOut(Schema):
    id: int
    round_id: int
    round_title: str
    division_code: str
    division_name: str
    status: str
    status_label: str
    overdue: bool
    due_on: datetime.date


class ReturnOut(ReturnSummaryOut):
    situation: str
    submitted_at: datetime.datetime | None
    figures: list[ReturnFigureOut]
    attachments: list[str]
    history: list[ReturnEntryOut]


def _summary(ret: CountyReturn, today: datetime.date) -> dict:
    return {"id": ret.pk, "round_id": ret.round_id, "round_title": ret.round.title, "division_code": ret.division_code,
            "division_name": ret.division_name, "status": ret.status, "status_label": str(ret.get_status_display()),
            "overdue": reads.is_overdue(ret, today), "due_on": ret.round.due_on}


def _return(ret: CountyReturn) -> dict:
    return {**_summary(ret, timezone.localdate()), "situation": ret.situation, "submitted_at": ret.submitted_at,
            "figures": [{"item_id": f.item_id, "name": f.item.name, "unit": f.item.unit, "kind": f.item.kind,
                         "computed": f.computed, "entered": f.entered} for f in reads.figures_of(ret)],
            "attachments": [a.name for a in ret.attachments.all()],
            "history": [{"kind": e.kind, "kind_label": str(e.get_kind_display()), "text": e.text, "at": e.created_at}
                        for e in ret.entries.all()]}


@router.get("/returns", response={200: list[ReturnSummaryOut], **ERRORS},
            summary="The returns of the user's divisions, latest round first (county and city staff)")
@paginate(Paging)
def list_returns(request, overdue: bool = Query(False)):
    _reader(request)
    found = services.overdue_for(request.user) if overdue else reads.returns_for(request.user)
    today = timezone.localdate()
    return [_summary(r, today) for r in found]


@router.get("/returns/{int:return_id}", response={200: ReturnOut, **ERRORS},
            summary="A return with its figures, attachments and history (its county's staff, the round's readers)")
def get_return(request, return_id: int):
    _reader(request)
    return _return(reads.return_or_404(request.user, return_id))


class ReturnIn(Schema):
    figures: dict[str, str | int | float | bool | None] = Field(
        {}, description="{item id: figure} for the items the platform does not compute; empty or null clears one.")
    situation: str | None = Field(None, max_length=8000, description="Situations and problems (情况和问题).")


def _figures(payload: ReturnIn) -> dict:
    return {key: ("1" if value is True else "0" if value is False else value)
            for key, value in list(payload.figures.items())[:200]}


@router.put("/returns/{int:return_id}", response={200: ReturnOut, **ERRORS},
            summary="Save a return's entered figures and its situations and problems (its county's staff)")
def save_return(request, return_id: int, payload: ReturnIn):
    _reader(request)
    ret = services.save(request.user, reads.return_or_404(request.user, return_id), figures=_figures(payload),
                        situation=payload.situation, request=request)
    return _return(ret)


@router.post("/returns/{int:return_id}/submit", response={200: ReturnOut, **ERRORS},
             summary="Submit a return to the round's owners, with any last changes (its county's staff)")
def submit_return(request, return_id: int, payload: ReturnIn):
    _reader(request)
    ret = services.submit(request.user, reads.return_or_404(request.user, return_id), figures=_figures(payload),
                          situation=payload.situation, request=request)
    return _return(ret)


class ReturnDecisionIn(Schema):
    decision: str = Field(..., max_length=10, description="accepted, or returned (with a comment)")
    comment: str = Field("", max_length=8000)


@router.post("/returns/{int:return_id}/decision", response={200: ReturnOut, **ERRORS},
             summary="Accept a submitted return or return it with a comment (the round's owners)")
def decide_return(request, return_id: int, payload: ReturnDecisionIn):
    _reader(request)
    ret = services.decide(request.user, reads.return_or_404(request.user, return_id), decision=payload.decision,
                          comment=payload.comment, request=request)
    return _return(ret)


class ReturnAttachmentOut(Schema):
    id: int
    name: str
    size: int | None = Field(..., description="Bytes; null when the stored file is missing.")
    uploaded_by: str
    uploaded_at: datetime.datetime
    url: str = Field(..., description="The file, opened through the return's page (signed-in readers).")


def _attachment(a: ReturnAttachment) -> dict:
    try:
        size = a.file.size
    except (OSError, ValueError):
        size = None
    return {"id": a.pk, "name": a.name, "size": size, "uploaded_by": a.uploaded_by.display_name,
            "uploaded_at": a.uploaded_at, "url": reverse("planning:return_attachment", args=[a.ret_id, a.pk])}


@router.get("/returns/{int:return_id}/attachments", response={200: list[ReturnAttachmentOut], **ERRORS},
            summary="A return's evidence files (its county's staff, the round's readers)")
@paginate(Paging)
def list_attachments(request, return_id: int):
    _reader(request)
    ret = reads.return_or_404(request.user, return_id)
    return [_attachment(a) for a in ret.attachments.select_related("uploaded_by")]


@router.post("/returns/{int:return_id}/attachments", response={201: ReturnAttachmentOut, **ERRORS,
                                                                413: ErrorOut, 415: ErrorOut},
             summary="Attach an evidence file to a return: multipart/form-data, field evidence (its county's staff)")
def attach(request, return_id: int, evidence: File[UploadedFile] = None):
    """A PDF, photo, Excel or Word file of at most 20 MB (415 or 413 otherwise), while the return
    is a draft or returned for changes (409 once submitted or accepted, or when it holds as many
    files as it may)."""
    _reader(request)
    found = services.attach(request.user, reads.return_or_404(request.user, return_id), evidence, request=request)
    return Status(201, _attachment(found))


@router.delete("/returns/{int:return_id}/attachments/{int:attachment_id}", response={204: None, **ERRORS},
               summary="Remove an evidence file from a return (its county's staff, while they may change it)")
def detach(request, return_id: int, attachment_id: int):
    _reader(request)
    ret = reads.return_or_404(request.user, return_id)
    found = ret.attachments.filter(pk=lookup_id(attachment_id)).first()
    if found is None:
        raise Http404
    services.detach(request.user, found, request=request)
    return Status(204, None)
