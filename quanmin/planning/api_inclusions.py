"""The four inclusions in the API (under /api/v1/planning/inclusions, D11): the yearly overview of a
division's children with the year's supervision visits, the records in the user's scope, a record
written by its division's own staff, its evidence file, the level above's decision, and the Excel
import. The same services and rules as the pages (services/inclusions.py, permissions.py)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate

from quanmin.accounts import scoping
from quanmin.core import imports
from quanmin.core.api import Day, ErrorOut, Paging, lookup_id
from quanmin.regions.models import Region

from . import io_inclusions, permissions, selectors_inclusions
from .api import ERRORS
from .errors import PlanningError
from .models import Inclusion
from .services import inclusions as services

router = Router(tags=["planning"])


def _reader(request) -> None:
    if not permissions.can_read(request.user):
        raise PermissionDenied


class InclusionOut(Schema):
    id: int
    division_code: str
    division_name: str
    year: int
    kind: str = Field(..., description="agenda, budget, work_report or performance (政府重要议事日程, "
                                       "年度财政预算和中长期预算规划, 政府工作报告, 政府绩效考核目标管理)")
    kind_label: str
    included: bool
    document: str = Field(..., description="The document or meeting that shows it")
    dated: datetime.date | None
    has_evidence: bool
    note: str
    status: str = Field(..., description="recorded (awaiting confirmation), confirmed or returned")
    status_label: str
    return_reason: str
    recorded_at: datetime.datetime
    decided_at: datetime.datetime | None


def inclusion_out(r: Inclusion) -> dict:
    return {"id": r.pk, "division_code": r.division_code, "division_name": r.division_name, "year": r.year,
            "kind": r.kind, "kind_label": str(r.get_kind_display()), "included": r.included, "document": r.document,
            "dated": r.dated, "has_evidence": bool(r.evidence), "note": r.note, "status": r.status,
            "status_label": str(r.get_status_display()), "return_reason": r.return_reason,
            "recorded_at": r.recorded_at, "decided_at": r.decided_at}


class InclusionCellOut(Schema):
    kind: str
    kind_label: str
    state: str = Field(..., description="confirmed, awaiting, not_included or missing")
    state_label: str
    record_id: int | None
    document: str
    dated: datetime.date | None


class InclusionRowOut(Schema):
    division_code: str
    division_name: str
    complete: bool = Field(..., description="All four included and confirmed")
    cells: list[InclusionCellOut]
    supervision_visits: int = Field(..., description="Supervision visits carried out in the division that year")
    last_visit: datetime.date | None
    gaps: list[str] = Field(..., description="The inclusions not (yet) counted, by code")


class InclusionOverviewOut(Schema):
    division_code: str
    division_name: str
    year: int
    complete: int = Field(..., description="Child divisions with all four confirmed")
    supervised: int = Field(..., description="Child divisions with a supervision visit in the year")
    both: int
    awaiting: int = Field(..., description="Records awaiting confirmation")
    rows: list[InclusionRowOut]


@router.get("/inclusions/overview", response={200: InclusionOverviewOut, **ERRORS},
            summary="The four inclusions and one supervision of a division's children in a year (staff)")
def overview(request, region: str = Query("", max_length=12, description="Empty: the top of the user's scope"),
             year: int | None = Query(None, description="Empty: this year")):
    _reader(request)
    found = Region.objects.filter(code=region).first() if region else scoping.top_region(request.user)
    if found is None or not permissions.can_read_inclusions(request.user, found.code):
        raise Http404
    board = selectors_inclusions.overview(found, services.check_year(timezone.localdate().year
                                                                     if year is None else year))
    return {"division_code": found.code, "division_name": found.name, "year": board["year"],
            "complete": board["complete"], "supervised": board["supervised"], "both": board["both"],
            "awaiting": board["awaiting"],
            "rows": [{"division_code": r.code, "division_name": r.name, "complete": r.complete,
                      "supervision_visits": r.visits, "last_visit": r.last_visit,
                      "gaps": [k.value for k in r.gaps],
                      "cells": [{"kind": c.kind.value, "kind_label": str(c.kind.label), "state": c.state,
                                 "state_label": c.state_label, "record_id": c.record.pk if c.record else None,
                                 "document": c.record.document if c.record else "",
                                 "dated": c.record.dated if c.record else None} for c in r.cells]}
                     for r in board["rows"]]}


@router.get("/inclusions", response={200: list[InclusionOut], **ERRORS},
            summary="The inclusion records of the user's divisions (staff)")
@paginate(Paging)
def list_inclusions(request, year: int | None = Query(None), division_code: str = Query("", max_length=12),
                    status: str = Query("", description="recorded, confirmed or returned; empty: all")):
    _reader(request)
    found = scoping.scoped(request.user, Inclusion.objects.all())
    if year is not None:
        found = found.filter(year=year)
    if division_code:
        found = found.filter(division_code=division_code)
    if status:
        found = found.filter(status=status)
    return [inclusion_out(r) for r in found.order_by("-year", "division_code", "kind")]


class InclusionIn(Schema):
    included: bool
    document: str = Field("", max_length=200, description="Required when included")
    dated: Day | None = Field(None, description="Required when included: in the year or the year before")
    note: str = Field("", max_length=4000)


@router.put("/inclusions/{division_code}/{int:year}/{kind}", response={200: InclusionOut, **ERRORS},
            summary="Record one of a division's four inclusions for a year (the division's own staff)")
def put_inclusion(request, division_code: str, year: int, kind: str, payload: InclusionIn):
    """Until the level above confirms it (409 after); a change awaits confirmation again."""
    _reader(request)
    return inclusion_out(services.record(request.user, division_code, year, kind, request=request, **payload.dict()))


def _record(request, inclusion_id: int) -> Inclusion:
    _reader(request)
    found = scoping.scoped(request.user, Inclusion.objects.all()).filter(pk=lookup_id(inclusion_id)).first()
    if found is None:
        raise Http404
    return found


@router.post("/inclusions/{int:inclusion_id}/evidence", response={200: InclusionOut, **ERRORS, 413: ErrorOut,
                                                                  415: ErrorOut},
             summary="Attach the document to a record: multipart/form-data, field evidence (the division's staff)")
def attach_evidence(request, inclusion_id: int, evidence: File[UploadedFile] = None):
    """A PDF, photo, Excel or Word file of at most 20 MB (415 or 413 otherwise), until confirmed (409)."""
    return inclusion_out(services.attach_evidence(request.user, _record(request, inclusion_id), evidence,
                                                  request=request))


class InclusionDecisionIn(Schema):
    confirm: bool
    reason: str = Field("", max_length=4000, description="Required when returning")


@router.post("/inclusions/{int:inclusion_id}/decision", response={200: InclusionOut, **ERRORS},
             summary="Confirm a record, or return it with the reason (the staff of the level above)")
def decide(request, inclusion_id: int, payload: InclusionDecisionIn):
    return inclusion_out(services.decide(request.user, _record(request, inclusion_id), confirm=payload.confirm,
                                         reason=payload.reason, request=request))


@imports.api_import(router, "/inclusions/import", imports.import_schema("Inclusions"), ERRORS, PlanningError,
                    permissions.can_import_inclusions,
                    summary="Import inclusion records from .xlsx or .csv (a dry run unless dry_run=false)")
def import_inclusions(request, file, dry_run):
    return io_inclusions.import_inclusions(request.user, file, dry_run=dry_run, request=request)
