"""Analytics' error: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class PlanningError(ServiceError):
    """A planning input (a candidate site, a run's parameters, a division) is not acceptable."""
