"""Permission rows for the residents' booking pages and API.

Bookings belong to a person, not to a division: a booking page or endpoint answers its owner and
404 to everyone else, staff included (tests/booking/test_resident_api.py checks that). So each
signed-in role here is given a booking of its own, made on the fly in its own county's venue.
There are no CROSS_COUNTY rows: the venue pages are public, and bookings are not scoped by county.
"""

import datetime


def _unit(w, role):
    return w.other_unit if role == "other_county" else w.unit


def own_booking(w, role=None) -> int:
    """An open booking of the role's own person (the resident's world.booking for strangers: they get
    sent to sign in before anything is looked up)."""
    from django.utils import timezone

    from quanmin.booking import services
    from quanmin.booking.models import Booking

    if role in (None, "anonymous"):
        return w.booking.pk
    user = w.users[role]
    now = timezone.now()
    mine = Booking.objects.filter(user=user, status__in=["held", "confirmed"], slot__start__gt=now)
    if mine.exists():
        return mine.order_by("pk").first().pk
    busy_days = {timezone.localtime(s).date() for s in Booking.objects.filter(
        user=user, status__in=["held", "confirmed", "checked_in"]).values_list("slot__start", flat=True)}
    for slot in _unit(w, role).slots.filter(taken=0, start__gt=now + datetime.timedelta(hours=3)).order_by("start"):
        if timezone.localtime(slot.start).date() not in busy_days:
            return services.book(user, slot.pk).pk
    raise AssertionError("no free slot left for the matrix")


def booking_pk(w, role=None):
    return {"pk": own_booking(w, role)}


def booking_id(w, role=None):
    return {"booking_id": own_booking(w, role)}


def site_pk(w, role=None):
    return {"site_pk": (w.other_site if role == "other_county" else w.site).pk}


def site_id(w, role=None):
    return {"site_id": (w.other_site if role == "other_county" else w.site).pk}


def taken_slot(w, role=None):
    # A slot someone already booked: holding it answers slot_full (or already_booked for its owner).
    return {"slot_pk": (w.other_slot if role == "other_county" else w.slot).pk}


def taken_slot_body(w, role=None):
    return {"slot_id": (w.other_slot if role == "other_county" else w.slot).pk}


WEB = {
    "booking:site": ("public", site_pk, "get", None),
    "booking:slot": ("public", taken_slot, "get", None),
    "booking:hold": ("signed_in", taken_slot, "post", {"client_key": "matrix"}, 409),
    "booking:waitlist": ("signed_in", taken_slot, "post", {}),
    "booking:booking": ("signed_in", booking_pk, "get", None),
    "booking:confirm": ("signed_in", booking_pk, "post", {}),
    "booking:pay": ("signed_in", booking_pk, "get", None, {"status": 302, "post": ({}, 302)}),
    "booking:ics": ("signed_in", booking_pk, "get", None),
    "booking:cancel": ("signed_in", booking_pk, "post", {"reason": "matrix"}),
    "booking:mine": ("signed_in", None, "get", None),
    "booking:certificates": ("signed_in", None, "get", None, {"post": ({}, 400)}),
}

API = {
    "GET /api/v1/booking/sites/{site_id}/availability": ("public", site_id, None),
    "POST /api/v1/booking/holds": ("signed_in", None, taken_slot_body, 409),
    "POST /api/v1/booking/bookings/{booking_id}/confirm": ("signed_in", booking_id, None, 200),
    "GET /api/v1/booking/bookings": ("signed_in", None, None),
    "GET /api/v1/booking/bookings/{booking_id}": ("signed_in", booking_id, None),
    "GET /api/v1/booking/bookings/{booking_id}.ics": ("signed_in", booking_id, None),
    "POST /api/v1/booking/bookings/{booking_id}/cancel": ("signed_in", booking_id, {"reason": "matrix"}, 200),
    "POST /api/v1/booking/waitlist": ("signed_in", None, taken_slot_body, lambda role: 409 if role == "resident" else 201),
    # Simulated payments are off under pytest (DEBUG is False): signed-in callers get 409
    # simulation_off, strangers 401. tests/booking/test_resident_api.py turns them on.
    "POST /api/v1/booking/payments/{reference}/complete": ("signed_in", lambda w, role=None: {"reference": "SIM0"}, None, 409),
    "GET /api/v1/booking/certificates": ("signed_in", None, None),
    "POST /api/v1/booking/certificates": ("signed_in", None, {"kind": "senior"}, 422),
}
