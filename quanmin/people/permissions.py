"""Who may do what in the instructor register (the services check the finer rules: approval levels,
own records, station staff)."""

from quanmin.accounts import scoping
from quanmin.accounts.models import Role

from .models import Instructor


def can_read(user) -> bool:
    """Division staff of any level, supervisors and evaluators: the register and its figures."""
    return scoping.is_division_staff(user)


def can_write(user) -> bool:
    return scoping.is_division_staff(user, write=True)


def is_station_staff(user) -> bool:
    return Role.STATION_STAFF in scoping.roles(user)


def can_confirm_logs(user) -> bool:
    return can_write(user) or is_station_staff(user)


def own_instructor(user) -> Instructor | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Instructor.objects.filter(user=user).first()
