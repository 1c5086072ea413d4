"""Analytics' error: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class AnalysisError(ServiceError):
    """An input of the fitness-circle analysis (a candidate site, a run's parameters, a division) is
    not acceptable. (Named for the analysis: "planning" is the plans app's word.)"""
