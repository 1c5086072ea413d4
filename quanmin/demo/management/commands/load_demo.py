"""Build the demo city, Liaocheng (聊城市, 3715): real divisions, an account for every role, and
believable data for every capability. Each capability adds its step to STEPS."""

import random

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from quanmin.accounts.models import User
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import booking as booking_demo
from quanmin.demo import facilities as facilities_demo
from quanmin.demo import maintenance as maintenance_demo
from quanmin.demo import physique as physique_demo
from quanmin.regions import codes
from quanmin.regions.models import Region

CITY_CODE = "371500000000"


def _steps():
    """(label, callable(city, rng)) for every capability, in dependency order."""
    return [
        ("facilities register", facilities_demo.load),
        ("online booking", booking_demo.load),
        ("physique monitoring", physique_demo.load),
        ("equipment and reports", maintenance_demo.load),
    ]


class Command(BaseCommand):
    help = "Load the demo city (Liaocheng) with accounts for every role and data for every capability."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing if the database already has users")
        parser.add_argument("--seed", type=int, default=3715)

    def handle(self, *args, if_empty=False, seed=3715, **options):
        if if_empty and User.objects.exists():
            self.stdout.write("Demo data already loaded.")
            self._print_accounts()
            return
        call_command("load_regions", codes.prefix_at(CITY_CODE, "city"), stdout=self.stdout)
        city = Region.objects.get(code=CITY_CODE)
        rng = random.Random(seed)
        # The demo's own messages (answers, escalations) land in the in-app inbox only: printing
        # hundreds of them would bury the account list below.
        quiet = [b for b in settings.NOTIFY_BACKENDS if not b.endswith("ConsoleBackend")]
        with override_settings(NOTIFY_BACKENDS=quiet), transaction.atomic():
            accounts_demo.load(city, rng)
            for label, step in _steps():
                self.stdout.write(f"… {label}")
                step(city, rng)
        self._print_accounts()

    def _print_accounts(self):
        self.stdout.write(f"\nDemo accounts (mobile number, password {accounts_demo.DEMO_PASSWORD}):")
        for phone, label in accounts_demo.describe() + booking_demo.describe() + maintenance_demo.describe():
            self.stdout.write(f"  {phone}  {label}")
        self.stdout.write("Open http://127.0.0.1:8000 and sign in with one of them.\n")
