"""Venue safety in the API (/api/v1/safety): division staff keep the public venues' safety records
(and move them in and out of Excel), record safety checks with the hazards found and confirm
rectifications; a venue's operator reads its checks and hazards and reports them rectified."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts import scoping
from quanmin.core import imports
from quanmin.core.api import MAX_ID, ArrayPaging, Day, ErrorOut, Paging
from quanmin.facilities.models import Site
from quanmin.regions.selectors import with_children

from . import figures, io, permissions, selectors, services
from .errors import SafetyError
from .models import Hazard, SafetyCheck

router = Router(tags=["safety"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class SafetyRecordIn(Schema):
    responsible_unit: str = Field("", max_length=120)
    responsible_person: str = Field("", max_length=60)
    safety_officer: str = Field("", max_length=60)
    emergency_plan_on: Day | None = None
    fire_check_on: Day | None = None
    insured_until: Day | None = None
    note: str = Field("", max_length=300)


class SafetyRecordOut(Schema):
    responsible_unit: str
    responsible_person: str
    safety_officer: str
    emergency_plan_on: datetime.date | None
    fire_check_on: datetime.date | None
    insured_until: datetime.date | None
    note: str
    updated_at: datetime.datetime


class SafetyVenueOut(Schema):
    site: int
    name: str
    region: str
    region_name: str
    record: SafetyRecordOut | None = Field(description="none yet: nothing is on record")
    gap_codes: list[str] = Field(description="what the record lacks today: record, responsible, officer, plan, "
                                             "fire, insurance (empty: complete)")
    gaps: list[str] = Field(description="the same in words")

    @staticmethod
    def resolve_site(obj: Site) -> int:
        return obj.pk

    @staticmethod
    def resolve_region(obj: Site) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Site) -> str:
        return obj.region.name

    @staticmethod
    def resolve_record(obj: Site):
        return selectors.record_of(obj)

    @staticmethod
    def resolve_gap_codes(obj: Site) -> list[str]:
        return figures.gap_codes(selectors.record_of(obj), timezone.localdate())

    @staticmethod
    def resolve_gaps(obj: Site) -> list[str]:
        return figures.gaps_of(selectors.record_of(obj), timezone.localdate())


class SafetyVenueFilters(Schema):
    q: str = Field("", max_length=60, description="Venue name contains.")
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$", description="A division: it and all below it.")
    gap: str = Field("", pattern=r"^(any|record|responsible|officer|plan|fire|insurance)?$",
                     description="Venues lacking this today (any: an incomplete record).")


@router.get("/venues", response={200: list[SafetyVenueOut], **ERRORS},
            summary="Public venues in my scope with their safety records and gaps (staff)")
@paginate(Paging)
def list_venues(request, filters: Query[SafetyVenueFilters]):
    _require(permissions.can_read(request.user))
    return selectors.venues_for(request.user, filters.dict())


@router.get("/venues/{int:site_id}", response={200: SafetyVenueOut, **ERRORS},
            summary="One public venue's safety record (staff)")
def get_venue(request, site_id: int):
    return selectors.venue_or_404(request.user, site_id)


@router.put("/venues/{int:site_id}", response={200: SafetyVenueOut, **ERRORS},
            summary="Set a venue's safety record (its division's staff)")
def put_venue(request, site_id: int, payload: SafetyRecordIn):
    _require(permissions.can_write(request.user))
    site = selectors.venue_or_404(request.user, site_id, write=True)
    services.save_record(request.user, site, payload.dict(), request=request)
    return selectors.venue_or_404(request.user, site_id)


@router.get("/venues/export.xlsx", response={200: None, **ERRORS},
            summary="The venues' safety register in my scope (.xlsx, re-importable)")
def export_xlsx(request, filters: Query[SafetyVenueFilters]):
    _require(permissions.can_read(request.user))
    return io.xlsx_response(selectors.venues_for(request.user, filters.dict()))


@imports.api_import(router, "/venues/import", imports.import_schema("Safety"), ERRORS, SafetyError, permissions.can_write,
                    summary="Import venues' safety records from .xlsx or .csv (a dry run unless dry_run=false)")
def import_file(request, file, dry_run):
    return io.import_records(request.user, file, dry_run=dry_run, request=request)


# --- checks and hazards ----------------------------------------------------------------------------

class SafetyHazardIn(Schema):
    description: str = Field(max_length=300)
    level: str = Field("general", pattern=r"^(general|major)$")
    deadline: Day | None = Field(None, description="from the check's day up to 180 days on; by default 7 days "
                                                    "for a major hazard, 30 for a general one")


class SafetyCheckIn(Schema):
    site: int = Field(ge=1, le=MAX_ID)
    kind: str = Field("routine", pattern=r"^(routine|special|unannounced)$")
    checked_on: Day | None = Field(None, description="today by default; within the last year")
    note: str = Field("", max_length=500)
    hazards: list[SafetyHazardIn] = Field(default_factory=list, max_length=services.MAX_HAZARDS)


class _AtVenueOut(Schema):
    """What a check and a hazard show of their venue: its id (`site`) and its name (`site_name`)."""

    resolve_site = staticmethod(lambda obj: obj.site_id)
    resolve_site_name = staticmethod(lambda obj: obj.site.name)


class SafetyHazardOut(_AtVenueOut):
    id: int
    check: int
    site: int
    site_name: str
    description: str
    level: str
    level_label: str
    deadline: datetime.date
    status: str
    status_label: str
    overdue: bool
    rectified_on: datetime.date | None
    rectify_note: str
    returned_note: str
    confirmed_at: datetime.datetime | None

    @staticmethod
    def resolve_check(obj: Hazard) -> int:
        return obj.safety_check_id

    @staticmethod
    def resolve_level_label(obj: Hazard) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_status_label(obj: Hazard) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_overdue(obj: Hazard) -> bool:
        return obj.status == Hazard.Status.OPEN and obj.deadline < timezone.localdate()


class SafetyCheckOut(_AtVenueOut):
    id: int
    site: int
    site_name: str
    kind: str
    kind_label: str
    checked_on: datetime.date
    note: str
    hazards: list[SafetyHazardOut]

    @staticmethod
    def resolve_kind_label(obj: SafetyCheck) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_hazards(obj: SafetyCheck) -> list:
        return list(obj.hazards.select_related("site"))


class SafetyCheckFilters(Schema):
    site: str = Field("", max_length=12, pattern=r"^[0-9]*$")
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$")


@router.get("/checks", response={200: list[SafetyCheckOut], **ERRORS},
            summary="Safety checks of the venues in my scope (staff; an operator: its venues')")
@paginate(Paging)
def list_checks(request, filters: Query[SafetyCheckFilters]):
    _require(scoping.is_backoffice(request.user))
    return selectors.checks_for(request.user, filters.dict()).prefetch_related("hazards__site")


@router.post("/checks", response={201: SafetyCheckOut, **ERRORS},
             summary="Record a safety check of a venue with the hazards found (its division's staff)")
def create_check(request, payload: SafetyCheckIn):
    _require(permissions.can_write(request.user))
    site = selectors.venue_or_404(request.user, payload.site, write=True)
    data = payload.dict()
    check = services.record_check(request.user, site, data, data["hazards"], request=request)
    return Status(201, selectors.check_or_404(request.user, check.pk))


@router.get("/checks/{int:check_id}", response={200: SafetyCheckOut, **ERRORS},
            summary="One safety check with its hazards")
def get_check(request, check_id: int):
    _require(scoping.is_backoffice(request.user))
    return selectors.check_or_404(request.user, check_id)


@router.post("/checks/{int:check_id}/hazards", response={201: SafetyHazardOut, **ERRORS},
             summary="Add a hazard to a safety check (its division's staff)")
def add_hazard(request, check_id: int, payload: SafetyHazardIn):
    _require(permissions.can_write(request.user))
    check = selectors.check_or_404(request.user, check_id, write=True)
    return Status(201, services.add_hazard(request.user, check, payload.dict(), request=request))


class SafetyHazardFilters(Schema):
    status: str = Field("", pattern=r"^(open|rectified|closed)?$")
    level: str = Field("", pattern=r"^(general|major)?$")
    overdue: str = Field("", pattern=r"^(1|0)?$", description="1: open past the deadline")
    site: str = Field("", max_length=12, pattern=r"^[0-9]*$")
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$")


@router.get("/hazards", response={200: list[SafetyHazardOut], **ERRORS},
            summary="Hazards of the venues in my scope (staff; an operator: its venues')")
@paginate(Paging)
def list_hazards(request, filters: Query[SafetyHazardFilters]):
    _require(scoping.is_backoffice(request.user))
    return selectors.hazards_for(request.user, filters.dict())


class SafetyRectifyIn(Schema):
    note: str = Field(max_length=300, description="what was done")


class SafetyConfirmIn(Schema):
    accepted: bool
    note: str = Field("", max_length=300, description="why it is sent back (required when not accepted)")


def _hazard_action(request, hazard_id: int, allowed: bool, act, data: dict):
    """A step of a hazard's rectification: the user `allowed` to take it, the hazard in their write
    scope (404 outside it), then `act(user, hazard, data, request=...)` (the service) answers it."""
    _require(allowed)
    hazard = selectors.hazard_or_404(request.user, hazard_id, write=True)
    return act(request.user, hazard, data, request=request)


@router.post("/hazards/{int:hazard_id}/rectify", response={200: SafetyHazardOut, **ERRORS},
             summary="Report a hazard rectified (the venue's operator, or the division's staff)")
def rectify_hazard(request, hazard_id: int, payload: SafetyRectifyIn):
    return _hazard_action(request, hazard_id, scoping.is_backoffice(request.user), services.rectify,
                          {"rectify_note": payload.note})


@router.post("/hazards/{int:hazard_id}/confirm", response={200: SafetyHazardOut, **ERRORS},
             summary="Confirm a reported rectification, or send it back (the division's staff)")
def confirm_hazard(request, hazard_id: int, payload: SafetyConfirmIn):
    return _hazard_action(request, hazard_id, permissions.can_write(request.user), services.confirm, payload.dict())


class SafetyFiguresOut(Schema):
    region: str
    region_name: str
    venues: int
    complete: int
    record_share: Decimal | None
    hazards_due: int = Field(description="hazards whose deadline fell in the year ending as_of")
    on_time: int
    on_time_share: Decimal | None


class SafetyFiguresQuery(Schema):
    as_of: Day | None = Field(None, description="The figures of this date (today by default).")


@router.get("/figures", response={200: list[SafetyFiguresOut], **ERRORS},
            summary="Safety records and hazards rectified on time: my top division, then each right below it")
@paginate(ArrayPaging)
def get_figures(request, query: Query[SafetyFiguresQuery]):
    _require(permissions.can_read(request.user))
    as_of = query.as_of or timezone.localdate()
    divisions = with_children(selectors.top_region(request.user))
    wanted = [r.code for r in divisions]
    venues, hazards = figures.venue_totals(wanted, as_of), figures.hazard_totals(wanted, as_of)
    return [{"region": r.code, "region_name": r.name, "venues": venues[r.code].venues,
             "complete": venues[r.code].complete, "record_share": venues[r.code].record_share,
             "hazards_due": hazards[r.code].hazards_due, "on_time": hazards[r.code].on_time,
             "on_time_share": hazards[r.code].on_time_share} for r in divisions]
