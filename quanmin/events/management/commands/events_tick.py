"""Run the events' periodic work once, for cron: `*/10 * * * * manage.py events_tick` (offers that
ran out lapse; new events are pushed to the residents who asked)."""

import json

from django.core.management.base import BaseCommand

from quanmin.events import tasks


class Command(BaseCommand):
    help = ("Let waiting-list offers that ran out lapse and offer their places to the next in line, and tell "
            "residents of newly published events their alerts match, once.")

    def add_arguments(self, parser):
        parser.add_argument("--now", help="pretend it is this ISO time (for tests and catching up)")

    def handle(self, *args, now=None, **options):
        self.stdout.write(json.dumps({"lapsed": tasks.expire_offers.call(now), "alerted": tasks.push_alerts.call(now)}))
