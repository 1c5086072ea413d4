"""Regions' error: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class RegionError(ServiceError):
    """A division's figures (population, area) were refused."""
