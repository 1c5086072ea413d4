"""Run booking's periodic work once, for cron: `*/5 * * * * manage.py booking_tick`.

Idempotent: a second run right after the first finds nothing to do. With --enqueue the work goes to
the task queue (a django-tasks worker runs it) instead of running here.
"""

import json

from django.core.management.base import BaseCommand

from quanmin.booking import tasks


class Command(BaseCommand):
    help = "Expire run-out holds, mark no-shows, send reminders and make slots for the booking window, once."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="put the work on the task queue instead")
        parser.add_argument("--now", help="pretend it is this ISO time (for tests and catching up)")

    def handle(self, *args, enqueue=False, now=None, **options):
        if enqueue:
            result = tasks.tick.enqueue(now)
            self.stdout.write(json.dumps({"enqueued": str(result.id)}))
            return
        self.stdout.write(json.dumps(tasks.run_all(now), sort_keys=True))
