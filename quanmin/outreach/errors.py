"""The outreach app's errors: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class OutreachError(ServiceError):
    """A rule of the lectures, the publicity column, the "five into" activities or the workplaces was broken."""
