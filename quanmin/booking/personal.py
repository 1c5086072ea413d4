"""A person's booking data: their part of the export (PIPL art. 45) and of the erasure (art. 47).

quanmin.web.personal_data calls these. `COVERS` names every reference to a person this app holds
and what the erasure does with it (tests/web/test_personal_data.py walks the models against it).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import Booking, Certificate, Strike, WaitlistEntry
from .services import cancel

# reference to the person: (where the export lists it, what the erasure does: delete | unlink | keep)
COVERS = {
    # Future bookings are cancelled (refund rules apply); the rest stay in the venue's accounts,
    # companions, reasons and keys blanked, the account behind them anonymous.
    "booking.Booking.user": ("bookings", "keep"),
    "booking.WaitlistEntry.user": ("waitlist", "delete"),
    "booking.Certificate.user": ("certificates", "delete"),  # with its photo
    "booking.Strike.user": ("no_show_strikes", "delete"),
}


def _iso(value):
    return value.isoformat() if value else None


def export_person(user) -> dict:
    bookings = (Booking.objects.filter(user=user).select_related("slot__unit__site", "payment")
                .order_by("created_at", "pk"))
    out = []
    for b in bookings:
        payment = getattr(b, "payment", None)
        out.append({
            "code": b.code, "venue": b.slot.unit.site.name, "unit": b.slot.unit.name,
            "start": _iso(b.slot.start), "end": _iso(b.slot.end), "status": b.status, "channel": b.channel,
            "places": b.places, "companions": b.companions, "price": str(b.price), "price_basis": b.price_basis,
            "booked_at": _iso(b.created_at), "confirmed_at": _iso(b.confirmed_at),
            "checked_in_at": _iso(b.checked_in_at), "cancelled_at": _iso(b.cancelled_at),
            "cancel_reason": b.cancel_reason,
            "payment": None if payment is None else {
                "provider": payment.provider, "amount": str(payment.amount), "refunded": str(payment.refunded),
                "status": payment.status, "reference": payment.reference},
        })
    return {
        "bookings": out,
        "waitlist": [
            {"venue": w.slot.unit.site.name, "unit": w.slot.unit.name, "start": _iso(w.slot.start),
             "places": w.places, "status": w.status, "joined_at": _iso(w.created_at)}
            for w in WaitlistEntry.objects.filter(user=user).select_related("slot__unit__site").order_by("created_at")
        ],
        "certificates": [
            {"kind": c.kind, "status": c.status, "valid_until": _iso(c.valid_until), "note": c.note,
             "photo": c.image.name, "submitted_at": _iso(c.created_at), "checked_at": _iso(c.checked_at)}
            for c in Certificate.objects.filter(user=user).order_by("created_at")
        ],
        "no_show_strikes": [
            {"booking": s.booking.code, "at": _iso(s.at), "forgiven": s.forgiven, "reason": s.forgiven_reason}
            for s in Strike.objects.filter(user=user).select_related("booking").order_by("at")
        ],
    }


def erase_person(user) -> None:
    now = timezone.now()
    with transaction.atomic():
        for booking in Booking.objects.filter(user=user, status__in=("held", "confirmed"), slot__start__gt=now):
            cancel(booking, by=user, reason="", now=now)
        Booking.objects.filter(user=user).update(companions=[], cancel_reason="", client_key="", block_label="")
        WaitlistEntry.objects.filter(user=user).delete()
        for certificate in Certificate.objects.filter(user=user):
            certificate.image.delete(save=False)
            certificate.delete()
        Strike.objects.filter(user=user).delete()

