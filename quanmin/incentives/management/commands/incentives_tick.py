"""Run the incentives' periodic work once, for cron: `*/10 * * * * manage.py incentives_tick`."""

import json

from django.core.management.base import BaseCommand

from quanmin.incentives import tasks


class Command(BaseCommand):
    help = "Credit points for new facts (and reverse undone ones), expire points and vouchers, once."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="pretend it is this ISO time (for tests and catching up)")

    def handle(self, *args, now=None, **options):
        self.stdout.write(json.dumps(tasks.tick.call(now)))
