"""Every app's periodic work, once or in a loop: `manage.py tick` for cron, `manage.py tick --every 300`
beside the server (`make run` starts it). Each app's own command stays usable on its own.

With --every, however many nodes run it, each period's work is done once: the periods are counted on
the clock (period k = seconds since the epoch // every), every node wakes at a period's start and the
one that takes the "tick" lease (quanmin.core.leases, a database row) does the work, keeping the lease
for as long as it runs (a slow run is never joined by a second); a node that dies holding it holds it
only until one period after its last renewal. A run that outlasts its period takes the period it
ran into as soon as it ends, so a slow run delays the next period's work instead of skipping it.
A period in which no node got to run (all asleep past it on a starved machine, or a run longer than
a whole further period) is left out: every app's upkeep catches up on everything due, so the next
run does its work."""

import json
import os
import socket
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from quanmin.core import leases

# booking: holds, no-shows, reminders, slots ahead; maintenance: rounds ahead, missed rounds;
# feedback: escalation of overdue reports; events: waiting-list offers that ran out lapse;
# opendata: the feeds' change numbers, the daily datasets.
# incentives: points credited from new facts (and reversed), points and vouchers expired.
# planning: the indicators' monthly snapshot at each month end.
COMMANDS = ["booking_tick", "maintenance_tick", "feedback_tick", "events_tick", "opendata_tick", "incentives_tick",
            "planning_tick"]
LEASE = "tick"


class Command(BaseCommand):
    help = ("Run every app's periodic work (booking, maintenance, feedback, events, opendata, incentives, planning) "
            "once, or every N seconds.")

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every this many seconds")

    def handle(self, *args, every=0, **options):
        if not every:
            return self.run_all()
        holder = f"{socket.gethostname()}:{os.getpid()}"
        while True:
            period = int(time.time() // every)
            if leases.take(LEASE, holder, period=period, seconds=every):
                self.log({"tick": {"period": period, "holder": holder, "started": time.time()}})
                with leases.kept(LEASE, holder, period=period, seconds=every):
                    self.run_all()
                # The end is read before the release: the next run starts after it, on any node.
                ended = time.time()
                leases.release(LEASE, holder)
                self.log({"tick_done": {"period": period, "holder": holder, "ended": ended}})
                if int(ended // every) > period:
                    # The run outlasted its period: the others woke while the lease still ran and
                    # went back to sleep, so the period it ran into is taken now, late, not missed.
                    continue
            time.sleep(every - time.time() % every)  # wake at the next period's start

    def log(self, line: dict) -> None:
        self.stdout.write(json.dumps(line))
        self.stdout.flush()

    def run_all(self):
        for name in COMMANDS:
            try:
                call_command(name, stdout=self.stdout)
            except Exception as exc:  # one app's failure must not stop the others' upkeep
                self.stderr.write(json.dumps({"command": name, "error": str(exc)}))
            self.stdout.write("\n")
