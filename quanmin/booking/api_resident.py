"""The residents' booking API under /api/v1/booking: availability (public), holds, confirmation,
cancellation, my bookings with their .ics, the waitlist, the simulated payment call-back, certificates.

Endpoints only parse, find the person's own objects (someone else's booking answers 404, like a
missing one) and call quanmin.booking.services. POST /holds is idempotent under a client key
(`Idempotency-Key` header or `client_key` field): a retry answers the booking the first call made.
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from quanmin.accounts.api_auth import PUBLIC
from quanmin.core.api import ArrayPaging, Day, Limit, Offset
from quanmin.facilities.models import Site

from . import ics, selectors, services, services_resident
from .errors import invalid
from .models import Booking, Certificate, WaitlistEntry

router = Router(tags=["booking"])

MAX_KEY = 64


# -- schemas ----------------------------------------------------------------------------------
class SlotOut(Schema):
    id: int
    start: datetime.datetime
    end: datetime.datetime
    capacity: int
    free: int
    price: Decimal = Field(description="What this person pays for one place (the base price if anonymous)")
    base_price: Decimal
    price_basis: str
    benefit: bool
    blocked: bool
    block_reason: str
    bookable: bool
    full: bool


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    max_companions: int
    cancel_hours: int
    in_window: bool
    slots: list[SlotOut]


class AvailabilityOut(Schema):
    site_id: int
    site_name: str
    date: datetime.date
    first_day: datetime.date
    last_day: datetime.date
    priced_for_me: bool
    units: list[UnitOut]


class AvailabilityQuery(Schema):
    date: Day | None = None


class CompanionIn(Schema):
    name: str = Field(..., min_length=1, max_length=40)
    minor: bool = False


class HoldIn(Schema):
    slot_id: int
    companions: list[CompanionIn] = Field(default_factory=list, max_length=20)
    client_key: str = Field("", max_length=MAX_KEY)


class CancelIn(Schema):
    reason: str = Field("", max_length=200)


class WaitlistIn(Schema):
    slot_id: int


class PaymentOut(Schema):
    provider: str
    status: str
    amount: Decimal
    refunded: Decimal
    reference: str | None = Field(None, description="Only while a simulated online payment waits")


class BookingOut(Schema):
    id: int
    code: str
    status: str
    status_label: str
    channel: str
    site_id: int
    site_name: str
    unit_id: int
    unit_name: str
    slot_id: int
    start: datetime.datetime
    end: datetime.datetime
    places: int
    companions: list[dict]
    price: Decimal
    price_basis: str
    hold_expires_at: datetime.datetime | None
    free_cancellation_until: datetime.datetime
    cancel_reason: str
    cancelled_by_venue: bool
    payment: PaymentOut | None
    ics_url: str


class WaitlistOut(Schema):
    id: int
    slot_id: int
    status: str
    places: int
    offer_booking_id: int | None


class CertificateOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    valid_until: datetime.date | None
    note: str
    created_at: datetime.datetime


# -- helpers ----------------------------------------------------------------------------------
def booking_out(b: Booking) -> dict:
    slot, unit = b.slot, b.slot.unit
    payment = getattr(b, "payment", None)
    return {
        "id": b.pk, "code": b.code, "status": b.status, "status_label": str(b.get_status_display()),
        "channel": b.channel, "site_id": unit.site_id, "site_name": unit.site.name, "unit_id": unit.pk,
        "unit_name": unit.name, "slot_id": slot.pk, "start": slot.start, "end": slot.end, "places": b.places,
        "companions": [{"name": str(c.get("name", "")), "minor": bool(c.get("minor"))} for c in b.companions or []],
        "price": b.price, "price_basis": b.price_basis, "hold_expires_at": b.hold_expires_at,
        "free_cancellation_until": services.free_cancellation_until(b),
        "cancel_reason": b.cancel_reason, "cancelled_by_venue": b.cancelled_by_venue,
        "payment": None if payment is None else {
            "provider": payment.provider, "status": payment.status, "amount": payment.amount,
            "refunded": payment.refunded,
            "reference": payment.reference if payment.status == "pending" and payment.provider == "simulated" else None},
        "ics_url": f"/api/v1/booking/bookings/{b.pk}.ics",
    }


def my_booking(request, booking_id: int) -> Booking:
    # Someone else's booking answers 404, exactly like one that does not exist.
    return get_object_or_404(Booking.objects.select_related("slot__unit__site", "payment"),
                             pk=booking_id, user=request.user)


def client_key(request, body_key: str) -> str:
    key = (request.headers.get("Idempotency-Key") or body_key or "").strip()
    if len(key) > MAX_KEY:
        raise invalid(_("The client key is at most 64 characters."), "client_key", status=422)
    return key


# -- endpoints --------------------------------------------------------------------------------
@router.get("/sites/{site_id}/availability", response=AvailabilityOut, auth=PUBLIC,
            summary="A site's bookable units and slots on a day, priced for the signed-in person")
def availability(request, site_id: int, query: Query[AvailabilityQuery]):
    site = get_object_or_404(Site, pk=site_id)
    today = timezone.localdate()
    day = query.date or today
    rows = selectors.site_availability(site, day, request.user)
    window = max((r["unit"].window_days for r in rows), default=0)
    return {
        "site_id": site.pk, "site_name": site.name, "date": day, "first_day": today,
        "last_day": today + datetime.timedelta(days=window), "priced_for_me": request.user.is_authenticated,
        "units": [{
            "id": r["unit"].pk, "name": r["unit"].name, "kind": r["unit"].kind,
            "max_companions": r["unit"].max_companions, "cancel_hours": r["unit"].cancel_hours,
            "in_window": r["in_window"],
            "slots": [{
                "id": s["slot"].pk, "start": s["slot"].start, "end": s["slot"].end, "capacity": s["slot"].capacity,
                "free": s["free"], "price": s["price"], "base_price": s["slot"].price, "price_basis": s["basis"],
                "benefit": s["slot"].benefit, "blocked": s["slot"].blocked, "block_reason": s["slot"].block_reason,
                "bookable": s["bookable"], "full": s["full"]} for s in r["slots"]],
        } for r in rows],
    }


@router.post("/holds", response={201: BookingOut},
             summary="Hold a place while confirming (idempotent under Idempotency-Key or client_key)")
def create_hold(request, payload: HoldIn):
    key = client_key(request, payload.client_key)
    companions = [{"name": c.name.strip(), "minor": c.minor} for c in payload.companions]
    booking = services.hold(request.user, payload.slot_id, companions=companions, client_key=key)
    # The booking is the caller's own and holds its slot, unit and site: no second read.
    return Status(201, booking_out(booking))


@router.post("/bookings/{int:booking_id}/confirm", response=BookingOut,
             summary="Confirm my held booking (an online payment keeps it held until paid)")
def confirm_booking(request, booking_id: int):
    booking = services.confirm(my_booking(request, booking_id))
    return booking_out(my_booking(request, booking.pk))


@router.post("/bookings/{int:booking_id}/cancel", response=BookingOut, summary="Cancel my booking")
def cancel_booking(request, booking_id: int, payload: CancelIn | None = None):
    reason = payload.reason if payload else ""
    booking = services.cancel(my_booking(request, booking_id), by=request.user, reason=reason)
    return booking_out(my_booking(request, booking.pk))


class BookingPage(Schema):
    items: list[BookingOut]
    count: int


@router.get("/bookings", response=BookingPage, summary="My bookings, newest time first (upcoming: soonest first)")
def list_bookings(request, when: Literal["all", "upcoming", "past"] = "all",
                  limit: int = Limit(20), offset: int = Offset()):
    qs = Booking.objects.filter(user=request.user).select_related("slot__unit__site", "payment")
    upcoming = {"status__in": [Booking.Status.HELD, Booking.Status.CONFIRMED], "slot__end__gte": timezone.now()}
    if when == "upcoming":
        qs = qs.filter(**upcoming).order_by("slot__start", "pk")
    elif when == "past":
        qs = qs.exclude(**upcoming).order_by("-slot__start", "-pk")
    else:
        qs = qs.order_by("-slot__start", "-pk")
    return {"items": [booking_out(b) for b in qs[offset:offset + limit]], "count": qs.count()}


@router.get("/bookings/{int:booking_id}", response=BookingOut, summary="One of my bookings")
def get_booking(request, booking_id: int):
    return booking_out(my_booking(request, booking_id))


@router.get("/bookings/{int:booking_id}.ics", summary="One of my bookings as an iCalendar file")
def booking_calendar(request, booking_id: int):
    return calendar_response(my_booking(request, booking_id))


def calendar_response(booking: Booking) -> HttpResponse:
    unit = booking.slot.unit
    body = ics.booking_ics(
        booking, summary=f"{unit.name} · {unit.site.name}",
        description=_("Check-in code %(code)s. Show the QR code or tell the code at the entrance.") % {"code": booking.code})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.code}.ics"'
    return response


@router.post("/waitlist", response={201: WaitlistOut}, summary="Join the waitlist of a fully booked time")
def join_waitlist(request, payload: WaitlistIn):
    entry = services_resident.join_waitlist_checked(request.user, payload.slot_id)
    return Status(201, waitlist_out(entry))


def waitlist_out(e: WaitlistEntry) -> dict:
    return {"id": e.pk, "slot_id": e.slot_id, "status": e.status, "places": e.places, "offer_booking_id": e.offer_id}


@router.post("/payments/{reference}/complete", response=BookingOut,
             summary="Simulated online provider's call-back for my own payment (development and tests only)")
def complete_payment(request, reference: str):
    booking = services_resident.complete_simulated_payment(request.user, reference)
    return booking_out(my_booking(request, booking.pk))


@router.get("/certificates", response=list[CertificateOut], summary="My eligibility certificates and their checks")
@paginate(ArrayPaging)
def list_certificates(request):
    return [certificate_out(c) for c in Certificate.objects.filter(user=request.user).order_by("-created_at")[:50]]


@router.post("/certificates", response={201: CertificateOut},
             summary="Upload a photo of an eligibility certificate (JPEG, PNG or WebP, at most 5 MB)")
def upload_certificate(request, kind: Form[str], image: File[UploadedFile]):
    certificate = services_resident.add_certificate(request.user, kind=kind, image=image, request=request)
    return Status(201, certificate_out(certificate))


def certificate_out(c: Certificate) -> dict:
    return {"id": c.pk, "kind": c.kind, "kind_label": str(c.get_kind_display()), "status": c.status,
            "status_label": str(c.get_status_display()), "valid_until": c.valid_until, "note": c.note,
            "created_at": c.created_at}
