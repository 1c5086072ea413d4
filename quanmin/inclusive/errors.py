"""The inclusive app's errors: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class InclusiveError(ServiceError):
    """A rule of the institutions register, a fitting or a programme activity was broken."""
