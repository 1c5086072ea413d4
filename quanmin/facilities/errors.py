"""The facilities register's errors: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class FacilityError(ServiceError):
    """A rule of the sites-and-facilities register (or of its import) was broken."""


class EquipmentError(ServiceError):
    """A rule of the equipment register (or of its import) was broken."""
