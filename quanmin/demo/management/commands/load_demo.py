"""Build the demo city, Liaocheng (聊城市, 3715): real divisions, an account for every role, and
believable data for every capability. Each capability adds its step to STEPS."""

import random

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import override_settings

from quanmin.accounts.models import User
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import analytics as analytics_demo
from quanmin.demo import booking as booking_demo
from quanmin.demo import brands as brands_demo
from quanmin.demo import evaluation as evaluation_demo
from quanmin.demo import events as events_demo
from quanmin.demo import facilities as facilities_demo
from quanmin.demo import funding as funding_demo
from quanmin.demo import heritage as heritage_demo
from quanmin.demo import incentives as incentives_demo
from quanmin.demo import inclusive as inclusive_demo
from quanmin.demo import instructor_associations as associations_demo
from quanmin.demo import livelihood as livelihood_demo
from quanmin.demo import maintenance as maintenance_demo
from quanmin.demo import online as online_demo
from quanmin.demo import opendata as opendata_demo
from quanmin.demo import opening as opening_demo
from quanmin.demo import organizations as organizations_demo
from quanmin.demo import outreach as outreach_demo
from quanmin.demo import people as people_demo
from quanmin.demo import physique as physique_demo
from quanmin.demo import planning as planning_demo
from quanmin.demo import planning_exchange, planning_returns, planning_titles, stadium_round
from quanmin.demo import record as record_demo
from quanmin.demo import residential as residential_demo
from quanmin.demo import residents as residents_demo
from quanmin.demo import safety as safety_demo
from quanmin.demo import sportmed as sportmed_demo
from quanmin.demo import surveys as surveys_demo
from quanmin.demo import youth as youth_demo
from quanmin.regions import codes
from quanmin.regions.models import Region

CITY_CODE = "371500000000"


def _steps():
    """(label, callable(city, rng)) for every capability, in dependency order."""
    return [
        ("facilities register", facilities_demo.load),
        ("online booking", booking_demo.load),
        ("physique monitoring", physique_demo.load),
        ("sport–medicine sites and referrals", sportmed_demo.load),
        ("equipment and reports", maintenance_demo.load),
        ("social sports instructors", people_demo.load),
        ("sports organisations", organizations_demo.load),
        ("instructors' associations", associations_demo.load),  # after both: their members are instructors
        ("games and events", events_demo.load),
        ("brand register", brands_demo.load),  # after the games and organisations: it links their rows
        ("surveys", surveys_demo.load),
        ("the fitness circle", analytics_demo.load),
        ("youth sports in schools", youth_demo.load),  # before the plans: their targets read it
        ("special populations", inclusive_demo.load),  # after the facilities: fittings name their grounds
        ("science-fitness outreach", outreach_demo.load),  # before the plans: T2-10 reads lectures_held
        ("online fitness services", online_demo.load),  # after the accounts: residents mark courses done
        ("new residential areas", residential_demo.load),  # before the plans: their targets read it
        ("venue safety", safety_demo.load),  # after booking: the stadium's operator has a hazard to report
        ("venue-opening evaluation", opening_demo.load),  # after booking and reports: its figures read them
        ("sports tourism and heritage", heritage_demo.load),  # after the facilities: stops name their sites
        ("plans, targets and task tables", planning_demo.load),
        ("county returns", planning_returns.load),
        ("plan evaluations", evaluation_demo.load),
        ("livelihood projects and core indicators", livelihood_demo.load),
        ("county titles", planning_titles.load),
        ("experience exchange", planning_exchange.load),
        ("open data", opendata_demo.load),
        # After the games and groups, before the points: her year is credited like everyone's.
        ("the demo resident's year of exercise", record_demo.load),
        ("sports points and vouchers", incentives_demo.load),
        ("funding and the sports-lottery fund", funding_demo.load),
        ("the stadium inspector's round", stadium_round.load),
        ("residents to try", residents_demo.load),
    ]


def statistics() -> None:
    """The planner's statistics of the rows just loaded, on PostgreSQL (autovacuum's ANALYZE comes
    later, and never inside this transaction). Without them every loaded table looks empty: the
    plans' snapshot, which reads every register, joined 27,000 entries to the year's games in a nested
    loop (participants_per_10000: 10.7 s of a 23.7-s snapshot; 0.06 s with statistics)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Load the demo city (Liaocheng) with accounts for every role and data for every capability."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing if the database already has users")
        parser.add_argument("--seed", type=int, default=3715)
        parser.add_argument("--url", default="http://127.0.0.1:8000",
                            help="where the server answers, for the closing line (make run passes HOST and PORT)")

    def handle(self, *args, if_empty=False, seed=3715, url="http://127.0.0.1:8000", **options):
        self.url = url
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
        # DEBUG (on under `make run`) logs every query with its parameters quoted into the SQL, a log
        # no one reads here: a tenth of the load's CPU time (the first five steps: 22.3 -> 19.9 s).
        with override_settings(NOTIFY_BACKENDS=quiet, DEBUG=False), transaction.atomic():
            accounts_demo.load(city, rng)
            for label, step in _steps():
                self.stdout.write(f"… {label}")
                if step is planning_demo.load:
                    statistics()
                step(city, rng)
            statistics()
        self._print_accounts()

    def _print_accounts(self):
        self.stdout.write(f"\nDemo accounts (mobile number, password {accounts_demo.DEMO_PASSWORD}):")
        listed = (accounts_demo.describe() + booking_demo.describe() + maintenance_demo.describe()
                  + people_demo.describe() + organizations_demo.describe() + events_demo.describe()
                  + planning_demo.describe() + evaluation_demo.describe() + incentives_demo.describe())
        for phone, label in merged(listed):
            self.stdout.write(f"  {phone}  {label}")
        self.stdout.write("\nResidents to try:")
        for phone, label in residents_demo.describe():
            self.stdout.write(f"  {phone}  {label}")
        self.stdout.write(f"Open {self.url} and sign in with one of them.\n")


def merged(listed: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One line per account: the roles each capability names ("name: role · where; …") joined, each
    once, in the order first named."""
    names, roles, order = {}, {}, []
    for phone, label in listed:
        name, _sep, said = label.partition(": ")
        if phone not in names:
            names[phone], roles[phone] = name, []
            order.append(phone)
        for role in (r.strip() for r in said.split(";")):
            if role and role not in roles[phone]:
                roles[phone].append(role)
    return [(phone, f"{names[phone]}: " + "; ".join(roles[phone])) for phone in order]
