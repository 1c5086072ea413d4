import re

from django.utils.translation import gettext_lazy as _

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


class InvalidPhone(ValueError):
    code = "phone_invalid"
    message = _("Enter an 11-digit mainland mobile number.")


def normalise_phone(raw: str) -> str:
    """Strip spaces, dashes and a +86 prefix; the result is the 11-digit number (unchecked)."""
    value = re.sub(r"[\s\-()]", "", raw or "")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    return value


def parse_phone(raw: str) -> str:
    value = normalise_phone(raw)
    if not _MOBILE.match(value):
        raise InvalidPhone(value)
    return value
