"""The values a register's form, JSON body or spreadsheet cell give, cleaned the one way: a whole
number ("1,200", full-width "１２００", "1200人"), a piece of text (NFC, no NUL, bounded) and one of a
set of choices. Each raises the calling app's error type (a ServiceError) with the codes
`<field>_required`, `<field>_invalid`, `<field>_too_long` and `<field>_unknown`, the message naming
the field by its label. A date (2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日, or a cell's date)
within the bounds the caller gives."""

import datetime
import re
import unicodedata

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .errors import ServiceError

UNITS = ("人", "分钟", "件", "个", "户")  # a count typed with its unit


def whole_number(value, field: str, label: str, maximum: int, minimum: int = 0, *,
                 error: type[ServiceError] = ServiceError) -> int:
    if isinstance(value, bool):
        value = None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    label = capfirst(label)
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip().replace(",", "")
    for unit in UNITS:
        text = text.removesuffix(unit)
    text = text.strip()
    if not text:
        raise error(f"{field}_required", _("%(what)s is required.") % {"what": label}, field)
    if not text.isascii() or not text.lstrip("-").isdigit() or len(text) > 9:
        raise error(f"{field}_invalid", _("%(what)s must be a whole number.") % {"what": label}, field)
    found = int(text)
    if found < minimum:
        message = (_("%(what)s cannot be negative.") % {"what": label} if minimum == 0 else
                   _("%(what)s cannot be less than %(min)s.") % {"what": label, "min": minimum})
        raise error(f"{field}_invalid", message, field)
    if found > maximum:
        raise error(f"{field}_invalid", _("%(what)s cannot be more than %(max)s.") % {"what": label, "max": maximum},
                    field)
    return found


def plain_text(data: dict, field: str, limit: int, label: str, required: bool = False, *,
               error: type[ServiceError] = ServiceError) -> str:
    value = unicodedata.normalize("NFC", str(data.get(field) or "")).replace("\x00", "").strip()
    if required and not value:
        raise error(f"{field}_required", _("%(what)s is required.") % {"what": capfirst(label)}, field)
    if len(value) > limit:
        raise error(f"{field}_too_long", _("Write at most %(limit)s characters.") % {"limit": limit}, field)
    return value


DAY_FORMS = (r"(\d{4})-(\d{1,2})-(\d{1,2})", r"(\d{4})/(\d{1,2})/(\d{1,2})", r"(\d{4})\.(\d{1,2})\.(\d{1,2})",
             r"(\d{4})年(\d{1,2})月(\d{1,2})日?")


def day(value, field: str, label: str, required: bool = False, *, first: datetime.date, last: datetime.date,
        error: type[ServiceError] = ServiceError) -> datetime.date | None:
    """A date from a form, a JSON body or a cell, from `first` to `last`; None when empty and not
    required. `<field>_invalid` for one that cannot be read or lies outside the bounds."""
    label = capfirst(label)
    if isinstance(value, datetime.datetime):
        value = value.date()
    found = value if isinstance(value, datetime.date) else None
    text = unicodedata.normalize("NFKC", str(value or "")).strip() if found is None else ""
    if found is None and text:
        text = text.split(" ")[0].split("T")[0]
        for form in DAY_FORMS:
            match = re.fullmatch(form, text)
            if match:
                try:
                    found = datetime.date(*(int(g) for g in match.groups()))
                except ValueError:
                    found = None
                break
        if found is None:
            raise error(f"{field}_invalid", _("%(what)s: write a date as 2025-03-01.") % {"what": label}, field)
    if found is None:
        if required:
            raise error(f"{field}_required", _("%(what)s is required.") % {"what": label}, field)
        return None
    if not first <= found <= last:
        raise error(f"{field}_invalid", _("%(what)s must be a date from %(first)s to %(last)s.")
                    % {"what": label, "first": first.isoformat(), "last": last.isoformat()}, field)
    return found
