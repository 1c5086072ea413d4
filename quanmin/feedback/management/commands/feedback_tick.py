"""Run the reports' periodic work once, for cron: `*/5 * * * * manage.py feedback_tick`.

Passes every overdue report up to the division above (one level for a missed response, one more for a
missed resolution). Idempotent: a second run right after the first moves nothing.
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from quanmin.feedback import routing


class Command(BaseCommand):
    help = "Escalate overdue residents' reports to the division above, once."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="pretend it is this ISO date-time (for tests and catching up)")

    def handle(self, *args, now=None, **options):
        moment = None
        if now:
            try:
                moment = datetime.datetime.fromisoformat(now)
            except ValueError:
                raise CommandError("--now: use a date-time like 2026-05-01T09:00") from None
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        self.stdout.write(json.dumps({"escalated": routing.escalate_overdue(moment)}, sort_keys=True))
