"""The heritage app's errors: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class HeritageError(ServiceError):
    """A rule of the sports-tourism registers or of the heritage collections was broken."""
