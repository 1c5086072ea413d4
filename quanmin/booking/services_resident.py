"""The residents' side of booking beyond the core flow (split out of services.py, which re-exports it)."""


import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit

from . import payments, pricing
from .errors import BookingError, fail
from .models import ACTIVE_STATUSES, Booking, Payment, Slot, WaitlistEntry
from .services import _now, complete_payment, join_waitlist, suspended_until

# --- resident additions --------------------------------------------------------------------------
# What the residents' pages and API need beyond the core flow: availability as the resident sees it,
# joining a waitlist with the rules checked, the simulated provider's call-back, certificate photos.

CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
CERTIFICATE_MAX_PIXELS = 50_000_000  # a 5 MB file can still decode to a huge bitmap
CERTIFICATE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _day_bounds(day: datetime.date):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), tz)
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min), tz)
    return start, end


def site_availability(site, day: datetime.date, user=None, now=None) -> list[dict]:
    """A site's bookable units with their slots on one day: free places (run-out holds count as free,
    as the next hold releases them) and the price this person would be charged (base price if anonymous)."""
    from django.db.models import Sum

    now = _now(now)
    today = timezone.localtime(now).date()
    units = list(site.bookable_units.filter(active=True).order_by("name", "pk"))
    start, end = _day_bounds(day)
    slots = list(Slot.objects.filter(unit__in=units, start__gte=start, start__lt=end).order_by("start", "unit_id"))
    stale = dict(Booking.objects.filter(slot__in=slots, status=Booking.Status.HELD, hold_expires_at__lt=now)
                 .values("slot_id").annotate(n=Sum("places")).values_list("slot_id", "n"))
    signed_in = user is not None and user.is_authenticated
    groups = pricing.eligibility(user, day) if signed_in else set()  # the same groups pricing.quote uses
    by_unit = {u.pk: {"unit": u, "in_window": day <= today + datetime.timedelta(days=u.window_days), "slots": []}
               for u in units}
    for slot in slots:
        row = by_unit[slot.unit_id]
        slot.unit = row["unit"]
        free = 0 if slot.blocked else max(slot.capacity - slot.taken + stale.get(slot.pk, 0), 0)
        price, basis = pricing.place_price(slot.unit, slot, groups)  # no groups: the base price
        started = slot.start <= now
        row["slots"].append({
            "slot": slot, "free": free, "price": price, "basis": basis, "started": started,
            "bookable": not slot.blocked and not started and row["in_window"] and free > 0,
            "full": not slot.blocked and free == 0,
        })
    return list(by_unit.values())


def free_cancellation_until(booking: Booking) -> datetime.datetime:
    """The venue's deadline: cancelled before it, a paid booking is refunded in full (see refund_due)."""
    return booking.slot.start - datetime.timedelta(hours=booking.slot.unit.cancel_hours)


def join_waitlist_checked(user, slot_id: int) -> WaitlistEntry:
    """join_waitlist for a resident: the slot must be open and ahead, and the person not already booked there."""
    slot = Slot.objects.select_related("unit").filter(pk=slot_id, unit__active=True).first()
    if slot is None:
        raise fail("not_found")
    if slot.blocked:
        raise fail("slot_blocked")
    if slot.start <= timezone.now():
        raise fail("slot_past")
    until = suspended_until(user)
    if until:
        raise fail("suspended", status=403, until=timezone.localtime(until).strftime("%Y-%m-%d"))
    if Booking.objects.filter(user=user, slot=slot, status__in=ACTIVE_STATUSES).exists():
        raise fail("already_booked")
    entry = join_waitlist(user, slot.pk)
    audit.record("waitlist_join", actor=user, obj=slot)
    return entry


def simulated_payments_on() -> bool:
    """The simulated provider's call-back is accepted in development and tests only."""
    return bool(getattr(settings, "QUANMIN_SIMULATED_PAYMENTS", settings.DEBUG))


def complete_simulated_payment(user, reference: str, *, now=None) -> Booking:
    """Stand-in for an online provider's call-back, on the payer's own pending simulated payment.
    A real provider's call-back is verified by its signature instead, never by who is signed in."""

    if not simulated_payments_on():
        raise BookingError("simulation_off", _("Simulated payments are turned off on this server."), status=409)
    payment = (Payment.objects.select_related("booking").filter(
        reference=reference, provider=payments.SimulatedOnline.code, booking__user=user).first()
        if reference else None)
    if payment is None:
        raise fail("not_found")
    if payment.status == Payment.Status.PAID and payment.booking.status != Booking.Status.HELD:
        return payment.booking  # a retried call-back changes nothing
    booking = complete_payment(reference, now=now)
    audit.record("payment_simulated", actor=user, obj=booking, detail={"reference": reference})
    return booking


def _certificate_error(code: str, message):

    return BookingError(code, message, field="image" if code.startswith("image") else "kind", status=400)


def _image_format(image) -> str | None:
    """Pillow's own reading of the file (never the name or the browser's content type), decoded whole
    so that a truncated or corrupt file is caught; None when it is not a readable image."""
    from PIL import Image

    try:
        image.seek(0)
        with Image.open(image) as img:
            if img.width * img.height > CERTIFICATE_MAX_PIXELS:
                return "too_large"
            fmt = img.format
            img.load()
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, ValueError, DecompressionBombError)
        return None
    finally:
        image.seek(0)
    return fmt


def add_certificate(user, *, kind: str, image, request=None):
    """A photo of an eligibility certificate, waiting for staff to check it. A JPEG, PNG or WebP of at
    most 5 MB that decodes whole; anything else is refused with a clear code and nothing is saved."""
    import secrets

    from .models import Certificate

    if kind not in Certificate.Kind.values:
        raise _certificate_error("certificate_kind", _("Choose the kind of certificate."))
    if image is None or not getattr(image, "size", 0):
        raise _certificate_error("image_required", _("Choose a photo of the certificate."))
    if image.size > CERTIFICATE_MAX_BYTES:
        raise _certificate_error("image_too_large", _("The photo is too large: at most 5 MB."))
    fmt = _image_format(image)
    if fmt == "too_large":
        raise _certificate_error("image_too_large", _("The photo is too large: at most 50 megapixels."))
    if fmt is None:
        raise _certificate_error("image_unreadable", _("The photo cannot be read: it may be damaged or cut short."))
    if fmt not in CERTIFICATE_FORMATS:
        raise _certificate_error("image_type", _("Upload a JPEG, PNG or WebP photo."))
    certificate = Certificate(user=user, kind=kind, region_id=user.home_region_id)
    # A random name: the file is personal data and its name must not be guessable.
    certificate.image.save(f"{secrets.token_hex(16)}.{CERTIFICATE_FORMATS[fmt]}", image, save=False)
    try:
        certificate.save()
    except Exception:
        certificate.image.delete(save=False)
        raise
    audit.record("certificate_upload", request=request, actor=user, obj=certificate, detail={"kind": kind})
    return certificate
