"""Open data's periodic work, once: number the noted changes into the feeds (`changes.stamp`) and, once
a day, publish the open datasets again. `manage.py tick` runs it with the other apps' upkeep;
`manage.py opendata_tick --feeds-every 5` keeps the feeds within seconds of the registers.
"""

import json
import time

from django.core.management.base import BaseCommand

from quanmin.opendata import changes, datasets, triggers

STAMP_SECONDS = 120


class Command(BaseCommand):
    help = "Number the registers' changes into the open-data feeds; publish the datasets when a day old."

    def add_arguments(self, parser):
        parser.add_argument("--feeds-every", type=float, default=0,
                            help="keep stamping the feeds every this many seconds (a loop; 0: once)")
        parser.add_argument("--reseed", action="store_true",
                            help="note every row as changed (after a change of how items are built)")

    def handle(self, *args, feeds_every=0, reseed=False, **options):
        if triggers.installed() != set(triggers.WATCHED):
            triggers.install()  # a table rebuilt by a migration on SQLite lost its triggers
        if reseed:
            changes.reseed()
        # A first run numbers every published row: a big register takes several runs, each bounded so
        # that the other apps' upkeep in `manage.py tick` keeps its period.
        result = {"feeds": changes.stamp(max_seconds=STAMP_SECONDS)}
        result.update(self.daily())
        self.stdout.write(json.dumps(result, sort_keys=True))
        while feeds_every:
            time.sleep(feeds_every)
            stamped = changes.stamp()
            if stamped["notes"]:
                self.stdout.write(json.dumps({"feeds": stamped}))

    def daily(self) -> dict:
        if not datasets.due():
            return {}
        return {"datasets": datasets.publish()}
