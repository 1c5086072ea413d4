"""Planning's errors: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class PlanningError(ServiceError):
    """A rule of the plans register, its targets or its task tables was broken."""
