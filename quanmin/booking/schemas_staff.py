"""Request and response shapes of the venue side's API (api_staff)."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from quanmin.core.api import Day, Moment

from .selectors import mask_name, who


class StaffSiteOut(Schema):
    id: int
    name: str
    region_code: str = Field(alias="region_id")
    status: str
    units: int


class Rules(Schema):
    name: str | None = Field(None, max_length=80)
    active: bool | None = None
    window_days: int | None = Field(None, ge=0, le=90)
    hold_minutes: int | None = Field(None, ge=1, le=60)
    cancel_hours: int | None = Field(None, ge=0, le=720)
    max_open_per_user: int | None = Field(None, ge=0, le=100)
    max_per_day: int | None = Field(None, ge=0, le=100)
    max_companions: int | None = Field(None, ge=0, le=50)
    min_age: int | None = Field(None, ge=0, le=120)
    guardian_under: int | None = Field(None, ge=0, le=18)
    free_for_seniors: bool | None = None
    free_for_disabled: bool | None = None
    student_discount_pct: int | None = Field(None, ge=0, le=100)
    minor_discount_pct: int | None = Field(None, ge=0, le=100)
    payment_provider: str | None = None


class StaffUnitIn(Rules):
    facility_id: int
    name: str = Field(..., min_length=1, max_length=80)
    kind: str = Field("slot", pattern="^(slot|session)$")


class StaffUnitOut(Schema):
    id: int
    site_id: int
    facility_id: int
    region_code: str = Field(alias="region_id")
    name: str
    kind: str
    active: bool
    window_days: int
    hold_minutes: int
    cancel_hours: int
    max_open_per_user: int
    max_per_day: int
    max_companions: int
    min_age: int
    guardian_under: int
    free_for_seniors: bool
    free_for_disabled: bool
    student_discount_pct: int
    minor_discount_pct: int
    payment_provider: str


class TemplateIn(Schema):
    weekday: int = Field(..., ge=0, le=7, description="0 Monday … 6 Sunday; 7 public holidays")
    start: datetime.time
    end: datetime.time
    capacity: int = Field(1, ge=1, le=10000)
    price: Decimal = Field(Decimal("0"), ge=0, le=100000, max_digits=8, decimal_places=2)
    benefit: bool = False


class TemplateOut(Schema):
    id: int
    weekday: int
    start: datetime.time
    end: datetime.time
    capacity: int
    price: Decimal
    benefit: bool


class TemplateResult(Schema):
    template: TemplateOut | None = None
    created: int
    removed: int


class RangeIn(Schema):
    start: Moment
    end: Moment
    reason: str = Field("", max_length=120)


class BlockResult(Schema):
    blocked: int
    kept: int


class BlockBookingIn(Schema):
    weekday: int = Field(..., ge=0, le=6)
    start: datetime.time
    first_day: Day
    last_day: Day
    label: str = Field(..., max_length=120)


class StaffBookingOut(Schema):
    id: int
    code: str
    slot_id: int
    unit: str
    start: datetime.datetime
    end: datetime.datetime
    name: str
    places: int
    status: str
    channel: str
    price: Decimal
    price_basis: str
    checked_in_at: datetime.datetime | None
    cancel_reason: str

    @staticmethod
    def resolve_unit(obj):
        return obj.slot.unit.name

    @staticmethod
    def resolve_start(obj):
        return obj.slot.start

    @staticmethod
    def resolve_end(obj):
        return obj.slot.end

    @staticmethod
    def resolve_name(obj):
        return who(obj)


class CellOut(Schema):
    slot_id: int
    start: datetime.datetime
    end: datetime.datetime
    capacity: int
    taken: int
    held: int
    booked: int
    arrived: int
    blocked: bool
    block_reason: str
    benefit: bool
    price: Decimal
    state: str
    bookings: list[StaffBookingOut]


class BookingRowOut(Schema):
    unit_id: int
    unit: str
    cells: list[CellOut]


class DayOut(Schema):
    date: datetime.date
    rows: list[BookingRowOut]
    counts: dict


class WalkInIn(Schema):
    places: int = Field(1, ge=1, le=500)
    name: str = Field("", max_length=120)


class BookingReasonIn(Schema):
    reason: str = Field("", max_length=200)


class CodeIn(Schema):
    code: str = Field(..., max_length=200, description="the 8-character code, or the QR's content")


class VisitRow(Schema):
    venue_id: int
    venue: str
    region_code: str
    date: datetime.date
    hour: int
    in_: int = Field(..., alias="in")
    out: int
    booked_in: int
    booked_out: int
    counted_in: int
    counted_out: int


class VisitCountIn(Schema):
    hour_start: Moment
    count_in: int = Field(..., ge=0, le=100000)
    count_out: int = Field(..., ge=0, le=100000)


class StaffCertificateOut(Schema):
    id: int
    kind: str
    status: str
    holder: str
    region_code: str | None = Field(None, alias="region_id")
    created_at: datetime.datetime
    valid_until: datetime.date | None
    note: str

    @staticmethod
    def resolve_holder(obj):
        return mask_name(obj.user.real_name) or obj.user.phone_masked


class CertificateVerifyIn(Schema):
    valid_until: Day


class BookingGroupOut(Schema):
    group: str
    label: str
    bookings: int


class BookingFiguresOut(Schema):
    code: str
    name: str
    level: str
    public_sites: int
    bookable_sites: int
    bookable_share: float | None
    places_offered: int
    places_taken: int
    utilisation: float | None
    no_shows: int
    arrivals: int
    no_show_rate: float | None
    benefit_slots: int
    benefit_hours: float
    benefit_people: int
    bookings: int
    groups: list[BookingGroupOut]



class BookingDivisionFiguresOut(BookingFiguresOut):
    first_day: datetime.date
    last_day: datetime.date
    children: list[BookingFiguresOut]
