"""Run maintenance's periodic work once, for cron: `*/5 * * * * manage.py maintenance_tick`.

Makes inspection rounds ahead by each active plan's schedule and marks rounds not finished by their
due date as missed. Idempotent: a second run right after the first finds nothing to do.
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from quanmin.maintenance import inspections


class Command(BaseCommand):
    help = "Make inspection rounds ahead by schedule and mark past-due rounds missed, once."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="pretend it is this ISO date (for tests and catching up)")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today: use a date like 2026-05-01") from None
        self.stdout.write(json.dumps(inspections.tick(day), sort_keys=True))
