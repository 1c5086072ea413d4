"""Work done once by several nodes: a lease is a database row naming who holds a piece of work, until
when, and the last period it was taken for. Taking it is one conditional UPDATE, atomic on SQLite and
PostgreSQL alike (no Redis needed); a holder that dies keeps it only until it expires, and a holder that
is alive keeps it for as long as its work runs (`kept`)."""

import contextlib
import datetime
import threading

from django.db import IntegrityError, connection
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


def renew(name: str, holder: str, *, period: int, seconds: int, now=None) -> bool:
    """Still working on `period`: the lease runs `seconds` from now. False if it is not `holder`'s for
    that period any more (it expired and another node took a later one)."""
    now = now or timezone.now()
    return Lease.objects.filter(name=name, holder=holder, period=period).update(
        expires_at=now + datetime.timedelta(seconds=seconds)) == 1


@contextlib.contextmanager
def kept(name: str, holder: str, *, period: int, seconds: int):
    """Hold a lease taken for `period` while the block runs, however long: a thread renews it every third
    of `seconds`, so that a run longer than its lease (a slow machine) is not joined by another node's.
    A holder that dies stops renewing and keeps the lease at most `seconds` longer."""
    stop = threading.Event()

    def keep():
        try:
            while not stop.wait(seconds / 3):
                renew(name, holder, period=period, seconds=seconds)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=keep, name=f"lease-{name}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
