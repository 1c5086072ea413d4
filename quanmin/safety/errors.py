"""The safety app's errors: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class SafetyError(ServiceError):
    """A rule of the venues' safety register, of a safety check or of a hazard's rectification was broken."""
