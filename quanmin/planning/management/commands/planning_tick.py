"""Planning's periodic work, once: the county returns' overdue warnings (each overdue return's staff
are told once), and the indicators' monthly snapshot at the month end (every indicator for every
division), which the dashboards read. `manage.py tick` runs it with the other apps' upkeep,
every few minutes; nearly every call finds the month end done (one query) and returns.

However many nodes run it, one computes: the one that takes the "planning_snapshot" lease
(quanmin.core.leases) for the current hour. A node that dies mid-run holds it until the hour ends;
the next one resumes, as `snapshot_indicators` does, where the run stopped."""

import json
import os
import socket
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from quanmin.core import leases
from quanmin.planning.services import returns, snapshots

LEASE = "planning_snapshot"
LEASE_SECONDS = 3600


class Command(BaseCommand):
    help = "Take the indicators' monthly snapshot when a month end is due and not yet taken."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the date to run as (YYYY-MM-DD; default today)")

    def handle(self, *args, today=None, **options):
        try:
            today = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"not a date: {today!r}") from None
        warned = returns.warn_overdue(today)
        if warned:
            self.stdout.write(json.dumps({"planning_returns_overdue_warned": warned}))
        due = snapshots.month_end_due(today)
        scopes = snapshots.top_scopes()
        if not scopes or snapshots.month_end_done(due, today, scopes):
            self.stdout.write(json.dumps({"planning_snapshot": {"as_of": due.isoformat(), "done": True}}))
            return
        holder = f"{socket.gethostname()}:{os.getpid()}"
        if not leases.take(LEASE, holder, period=int(time.time() // LEASE_SECONDS), seconds=LEASE_SECONDS):
            self.stdout.write(json.dumps({"planning_snapshot": {"as_of": due.isoformat(), "running": "elsewhere"}}))
            return
        try:
            found = snapshots.monthly(today)
        finally:
            leases.release(LEASE, holder)
        self.stdout.write(json.dumps({"planning_snapshot": {**found, "as_of": due.isoformat()}}, sort_keys=True))
