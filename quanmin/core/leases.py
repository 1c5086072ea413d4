"""Work done once by several nodes: a lease is a database row naming who holds a piece of work, until
when, and the last period it was taken for. Taking it is one conditional UPDATE, atomic on SQLite and
PostgreSQL alike (no Redis needed); a holder that dies keeps it only until it expires."""

import datetime

from django.db import IntegrityError
from django.utils import timezone

from .models import Lease


def take(name: str, holder: str, *, period: int, seconds: int, now=None) -> bool:
    """Take `name` for `period` if nobody took that period (or a later one) and no holder's lease is
    still running; True for exactly one of the nodes that try at once."""
    now = now or timezone.now()
    try:
        Lease.objects.get_or_create(name=name, defaults={"expires_at": now})
    except IntegrityError:  # another node created it at the same instant
        pass
    return Lease.objects.filter(name=name, period__lt=period, expires_at__lte=now).update(
        holder=holder, period=period, expires_at=now + datetime.timedelta(seconds=seconds)) == 1


def release(name: str, holder: str, now=None) -> None:
    """Done before the lease expired: the next period may be taken as soon as it begins."""
    Lease.objects.filter(name=name, holder=holder).update(expires_at=now or timezone.now())
