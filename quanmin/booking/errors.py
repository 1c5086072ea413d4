"""Booking's error codes, each with its translated message: the one place a booking error is named.

Services raise ``fail(code)``; ``fail("code:variant")`` raises ``code`` with the variant's message
(one code, two limits: "image_too_large:pixels"). A check whose message depends on the field
raises ``invalid(message, field)`` (code ``invalid_input``). The codes are what the API answers
and what tests assert.
"""

from django.utils.translation import gettext_lazy as _

from quanmin.core.errors import ServiceError


class BookingError(ServiceError):
    status = 409


MESSAGES = {
    "slot_full": _("This time is fully booked."),
    "slot_blocked": _("This time is not open for booking."),
    "slot_past": _("This time has already started."),
    "outside_window": _("This time cannot be booked yet: bookings open %(days)s days ahead."),
    "too_many_companions": _("You can bring at most %(n)s companions."),
    "companions_not_allowed": _("This time is booked by one party as a whole: it takes no companions."),
    "companion_name": _("Give each companion's name."),
    "too_young": _("The minimum age here is %(n)s."),
    "guardian_required": _("Children under %(n)s book as a companion of an adult."),
    "suspended": _("Online booking is suspended until %(until)s after repeated no-shows."),
    "limit_open": _("You already have %(n)s open bookings, the most allowed."),
    "limit_day": _("You already have %(n)s bookings that day, the most allowed."),
    "not_found": _("No such booking."),
    "not_cancellable": _("This booking cannot be cancelled any more."),
    "not_confirmable": _("This booking is no longer held for you."),
    "check_in_closed": _("Check-in is open from 30 minutes before the start until the end."),
    "check_in_status": _("This booking is not confirmed: it cannot be checked in."),
    "not_full": _("There are free places: book one instead of joining the waitlist."),
    "already_waiting": _("You are already on the waitlist for this time."),
    "already_booked": _("You already have a booking for this time."),
    "payment_failed": _("The payment did not go through."),
    "reason_required": _("Give a reason."),
    "site_closed": _("This venue is closed for now: it takes no bookings."),
    "payment_provider_unknown": _("Unknown payment provider."),
    "real_name_required": _("Complete your real-name profile (name and ID number) before booking."),
    "simulation_off": _("Simulated payments are turned off on this server."),
    "template_overlap": _("This time overlaps another time of the same day."),
    "certificate_decided": _("This certificate has already been checked."),
    "certificate_kind": _("Choose the kind of certificate."),
    "image_required": _("Choose a photo of the certificate."),
    "image_too_large": _("The photo is too large: at most 5 MB."),
    "image_too_large:pixels": _("The photo is too large: at most 50 megapixels."),
    "image_unreadable": _("The photo cannot be read: it may be damaged or cut short."),
    "image_type": _("Upload a JPEG, PNG or WebP photo."),
    "more_out_than_in": _("By %(hour)s more people went out (%(out)s) than came in (%(in)s) that day without a "
                          "booking: check the counts."),
}

# The codes that name a field of the request, so that a form shows the message beside it.
FIELDS = {"companions_not_allowed": "companions", "companion_name": "companions", "template_overlap": "start",
          "certificate_kind": "kind", "image_required": "image", "image_too_large": "image",
          "image_unreadable": "image", "image_type": "image", "more_out_than_in": "count_out"}


def fail(key: str, status: int | None = None, **params) -> BookingError:
    message = MESSAGES[key]
    if params:
        message = message % params
    code = key.partition(":")[0]
    return BookingError(code, message, field=FIELDS.get(code),
                        status=status or (404 if code == "not_found" else 409))


def invalid(message, field: str | None = None, status: int = 400) -> BookingError:
    """Input a form or API body got wrong, with a message that names what to fix."""
    return BookingError("invalid_input", message, field=field, status=status)
