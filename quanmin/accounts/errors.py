"""Accounts' errors: a stable code for API clients and a translated message for people.

The phone and ID-number parsers raise plain ``ValueError`` subclasses; the two helpers below turn
them into :class:`AccountError` for the field the person typed them in. The user manager and the
services both use them, so they sit here, below both.
"""

from django.utils.translation import gettext_lazy as _

from quanmin.core.errors import ServiceError

from . import idnumber
from .phones import InvalidPhone, parse_phone


class AccountError(ServiceError):
    """A rule about accounts was broken."""


class Throttled(ServiceError):
    status = 429

    def __init__(self, code: str, seconds: int):
        message = (_("Too many failed sign-ins: this account is locked for %(minutes)d minutes.")
                   % {"minutes": max(1, seconds // 60)} if code == "login_locked" else
                   _("Too many failed sign-ins: wait %(seconds)d seconds and try again.") % {"seconds": seconds})
        super().__init__(code, message, detail={"retry_after": seconds})
        self.seconds = seconds


def phone_or_error(phone: str) -> str:
    try:
        return parse_phone(phone)
    except InvalidPhone as exc:
        raise AccountError(exc.code, exc.message, "phone") from None


def id_number_or_error(raw: str) -> idnumber.IdNumber:
    try:
        return idnumber.parse(raw)
    except idnumber.InvalidIdNumber as exc:
        raise AccountError(exc.code, exc.message, "id_number") from None


class CityAppError(ServiceError):
    """Signing in through the city's app failed: the provider, the answer or the session was not right."""
