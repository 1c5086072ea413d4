"""A booking as an iCalendar file (RFC 5545): one VEVENT, times in UTC, text escaped, lines folded."""

import datetime

from django.utils import timezone

from .models import Booking

STATUS = {  # iCalendar's STATUS for a VEVENT
    Booking.Status.HELD: "TENTATIVE",
    Booking.Status.CONFIRMED: "CONFIRMED",
    Booking.Status.CHECKED_IN: "CONFIRMED",
    Booking.Status.NO_SHOW: "CONFIRMED",
    Booking.Status.CANCELLED: "CANCELLED",
    Booking.Status.EXPIRED: "CANCELLED",
}


def escape_text(value: str) -> str:
    """TEXT values: backslash, semicolon and comma are escaped, newlines become \\n."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def utc(dt: datetime.datetime) -> str:
    return dt.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space; never inside a UTF-8 character."""
    out, current = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += b
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def booking_ics(booking: Booking, *, summary: str, description: str = "", now=None) -> str:
    slot = booking.slot
    site = slot.unit.site
    location = ", ".join(p for p in (site.name, site.address) if p)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Quanmin//Booking//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:booking-{booking.pk}-{booking.code}@quanmin",
        f"DTSTAMP:{utc(now or timezone.now())}",
        f"DTSTART:{utc(slot.start)}",
        f"DTEND:{utc(slot.end)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(location)}",
        f"STATUS:{STATUS.get(booking.status, 'CONFIRMED')}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if site.lat and site.lon:
        lines.append(f"GEO:{site.lat:.6f};{site.lon:.6f}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
