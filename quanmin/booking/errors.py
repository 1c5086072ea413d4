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
}


def fail(code: str, status: int | None = None, **params) -> BookingError:
    message = MESSAGES[code]
    if params:
        message = message % params
    return BookingError(code, message, status=status or (404 if code == "not_found" else 409))
