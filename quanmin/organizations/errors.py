"""The organisations register's errors: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class OrganizationError(ServiceError):
    """A rule of the organisations register, its gradings, memberships or contracts was broken."""
