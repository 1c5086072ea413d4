"""The youth app's errors: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class YouthError(ServiceError):
    """A rule of the school register or of a school's term return was broken."""
