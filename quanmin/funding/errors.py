"""The funding app's errors: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class FundingError(ServiceError):
    """A rule of a project's funding or of the sports-lottery fund was broken."""
