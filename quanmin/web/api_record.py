"""The resident's exercise-and-health record over the API (quanmin.web.record): the summary by year,
the lines of the record page by page, and the Excel download. Signed-in people, their own record only;
every read is logged."""

import datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from quanmin.core.api import Paging
from quanmin.core.excel import xlsx_response

from . import record

router = Router(tags=["accounts"])


class HealthRecordTestOut(Schema):
    at: datetime.datetime
    title: str
    outcome: str
    change: str


class HealthRecordYearOut(Schema):
    year: int
    counts: dict[str, int] = Field(..., description="Lines of each kind that year (the kinds of `lines`)")
    hours: float = Field(..., description="Hours exercised at venues, guided sessions and group activities")
    points_earned: int
    medals: int
    service_hours: float = Field(..., description="Hours of confirmed service as a social sports instructor")
    latest_test: HealthRecordTestOut | None


class HealthRecordOut(Schema):
    consent: bool = Field(..., description="Whether the person consents to the processing of health data now")
    points_balance: int
    kinds: dict[str, str] = Field(..., description="Each kind of line and its name in the caller's language")
    years: list[HealthRecordYearOut]


class HealthRecordLineOut(Schema):
    kind: str
    kind_label: str
    at: datetime.datetime
    year: int
    title: str
    place: str
    outcome: str
    change: str = Field(..., description="Physique tests: the change of the total since the previous test")
    points: int | None
    minutes: int
    url: str


class HealthRecordFilter(Schema):
    year: int | None = Field(None, ge=1900, le=2100)
    kind: str | None = Field(None, pattern="^(" + "|".join(record.KINDS) + ")$")


@router.get("/me/record", response=HealthRecordOut,
            summary="My exercise and health record: the summary of each year (the read is logged)")
def my_record(request):
    found = record.build(request.user)
    record.log_read(request, "own health record")
    return {"consent": found.consent, "points_balance": found.balance,
            "kinds": {k: str(v) for k, v in record.KINDS.items()}, "years": [y.as_dict() for y in found.years]}


@router.get("/me/record/lines", response=list[HealthRecordLineOut],
            summary="The lines of my record, newest first, by year and kind (the read is logged)")
@paginate(Paging)
def my_record_lines(request, filters: Query[HealthRecordFilter]):
    found = record.build(request.user)
    record.log_read(request, "own health record")
    lines = found.of_year(filters.year)
    if filters.kind:
        lines = [line for line in lines if line.kind == filters.kind]
    return [line.as_dict() for line in lines]


@router.get("/me/record/export.xlsx", summary="My exercise and health record as Excel (the read is logged)")
def my_record_export(request):
    found = record.build(request.user)
    record.log_read(request, "own health record download")
    return xlsx_response(f"quanmin-health-record-{timezone.localdate().isoformat()}.xlsx", record.sheets(found))
