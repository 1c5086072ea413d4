"""The opening evaluation's errors: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class OpeningError(ServiceError):
    """A rule of a venue-opening evaluation round, of an evaluation or of a rectification was broken."""
