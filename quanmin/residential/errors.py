"""The residential app's errors: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class ResidentialError(ServiceError):
    """A rule of the residential-project register or of the facility norm was broken."""
