"""The residents' side of booking beyond the core flow (services.py): joining a waitlist with the
rules checked, the simulated provider's call-back, certificate photos. What a resident reads (a
site's availability) is in selectors.py."""

import secrets

from django.conf import settings
from django.utils import timezone
from PIL import Image

from quanmin.accounts import audit

from . import payments
from .errors import fail
from .models import ACTIVE_STATUSES, Booking, Certificate, Payment, Slot, WaitlistEntry
from .services import complete_payment, join_waitlist, suspended_until

CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
CERTIFICATE_MAX_PIXELS = 50_000_000  # a 5 MB file can still decode to a huge bitmap
CERTIFICATE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


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
        raise fail("simulation_off")
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


def _image_format(image) -> str | None:
    """Pillow's own reading of the file (never the name or the browser's content type), decoded whole
    so that a truncated or corrupt file is caught; None when it is not a readable image."""
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
    if kind not in Certificate.Kind.values:
        raise fail("certificate_kind", status=400)
    if image is None or not getattr(image, "size", 0):
        raise fail("image_required", status=400)
    if image.size > CERTIFICATE_MAX_BYTES:
        raise fail("image_too_large", status=400)
    fmt = _image_format(image)
    if fmt == "too_large":
        raise fail("image_too_large:pixels", status=400)
    if fmt is None:
        raise fail("image_unreadable", status=400)
    if fmt not in CERTIFICATE_FORMATS:
        raise fail("image_type", status=400)
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
