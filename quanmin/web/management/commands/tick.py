"""Every app's periodic work, once or in a loop: `manage.py tick` for cron, `manage.py tick --every 300`
beside the server (`make run` starts it). Each app's own command stays usable on its own."""

import json
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

# booking: holds, no-shows, reminders, slots ahead; maintenance: rounds ahead, missed rounds;
# feedback: escalation of overdue reports.
COMMANDS = ["booking_tick", "maintenance_tick", "feedback_tick"]


class Command(BaseCommand):
    help = "Run every app's periodic work (booking, maintenance, feedback) once, or every N seconds."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every this many seconds")

    def handle(self, *args, every=0, **options):
        while True:
            for name in COMMANDS:
                try:
                    call_command(name, stdout=self.stdout)
                except Exception as exc:  # one app's failure must not stop the others' upkeep
                    self.stderr.write(json.dumps({"command": name, "error": str(exc)}))
                self.stdout.write("\n")
            if not every:
                return
            time.sleep(every)
