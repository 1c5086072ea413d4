"""The instructor register's errors: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class PeopleError(ServiceError):
    """A rule of the instructor register, its stations, service logs or training was broken."""
