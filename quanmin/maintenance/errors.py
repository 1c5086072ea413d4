"""The maintenance app's errors: each carries a stable code for the API and a translated message."""

from quanmin.core.errors import ServiceError


class MaintenanceError(ServiceError):
    """Work orders and maintenance units (work_order_state, unit_not_serving, reason_required...)."""


class InspectionError(ServiceError):
    """Inspection plans, rounds and checks (already_checked, equipment_not_in_round...)."""


class FilterError(ServiceError):
    """A list's filters that cannot be read (status_invalid, date_invalid...)."""


class FiguresError(ServiceError):
    """A figures period that cannot be read (date_invalid, period_too_long...)."""
