"""Games and events under load: a registration surge over HTTP against the real server (gunicorn, as
bench/booking.py drives it), and the medal table and participation figures of a games with 50,000
entries.

For SQLite and, when a server answers on 127.0.0.1:5432, PostgreSQL: 64 clients enter competitions
with small quotas (POST /api/v1/events/competitions/{id}/entries); entries per second as a ratio to
the same server's bare one-row insert (goal >= 0.5), p50/p95/p99, the same requests from one client
per worker (a request's own latency), and the entries found over any quota in the database (must
be 0). Then, in one process, a games with 50,000 entries and its finals: medal table and
participation figures, median of 5 runs each (goal < 200 ms). Prints one JSON line.

    .venv/bin/python bench/events.py [--seconds 15] [--clients 64] [--workers 4] [--db sqlite|postgres|both]
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SERVER_ENV, drive, fresh_database, gunicorn, per_database, run_django

SETUP = r"""
import datetime, json, sys
import django
django.setup()
from django.core.management import call_command
from django.utils import timezone
from quanmin.accounts import services as acc
from quanmin.demo.accounts import make_id_number
from quanmin.events import services
from quanmin.regions.models import Region

call_command("migrate", verbosity=0)
city = Region.objects.create(code="371500000000", name="聊城市", level="city", population=5952128)
county = Region.objects.create(code="371502000000", name="东昌府区", level="county", parent=city)
town = Region.objects.create(code="371502001000", name="古楼街道", level="township", parent=county)
comm = Region.objects.create(code="371502001001", name="东关社区", level="community", parent=town)
admin = acc.create_user(phone="13699999999", password=None, real_name="管理", is_superuser=True)
games = services.create_games(admin, {"name": "压测运动会", "organizer": "体育局", "venue_capacity_checked": True,
    "medical_cover": True, "insurance": True, "emergency_plan": True, "organizer_responsible": "甲",
    "authority_responsible": "丙"}, region=city)
start = timezone.now() + datetime.timedelta(days=30)
ids = []
for i in range(int(sys.argv[2])):
    c = services.add_competition(admin, games, {"sport": "running", "name": f"项目{i}", "capacity": 8,
        "starts_at": start, "ends_at": start + datetime.timedelta(hours=2), "residents_only": False})
    ids.append(c.pk)
services.publish(admin, games)
tokens = []
for i in range(int(sys.argv[1])):
    u = acc.create_user(phone=f"1370{i:07d}", password=None, real_name=f"压测{i}",
                        id_number=make_id_number(comm.code, "19900101", i, True), home_region=comm)
    tokens.append(acc.create_api_token(u, "bench")[1])
print(json.dumps({"competitions": ids, "tokens": tokens}))
"""

COUNT = r"""
import json
import django
django.setup()
from django.db.models import Count, Q
from quanmin.events.models import Competition, Entry
over = 0
for c in Competition.objects.annotate(n=Count("entry_set", filter=Q(entry_set__status__in=["pending", "confirmed", "offered"]))):
    if c.n > c.capacity or c.taken != c.n:
        over += 1
print(json.dumps({"competitions_over_quota": over, "entries": Entry.objects.count()}))
"""

FIGURES = r"""
import datetime, json, random, statistics, sys, time
import django
django.setup()
from decimal import Decimal
from django.core.management import call_command
from django.utils import timezone
from quanmin.accounts import crypto
from quanmin.accounts.models import User
from quanmin.core import bulk
from quanmin.events import services_results
from quanmin.events.models import Competition, Delegation, Entry, Games, Result, new_code
from quanmin.regions.models import Region

call_command("migrate", verbosity=0)
N = int(sys.argv[1])
rng = random.Random(3715)
city = Region.objects.create(code="371500000000", name="聊城市", level="city")
counties = [Region.objects.create(code=f"3715{i:02d}000000", name=f"县{i}", level="county", parent=city) for i in range(2, 10)]
games = Games.objects.create(name="五万人运动会", level="city", region=city, year=2026, organizer="市政府", status="published")
start = timezone.now() - datetime.timedelta(days=10)
comps = [Competition(games=games, sport="athletics", name=f"项目{i}", capacity=N, starts_at=start,
                     ends_at=start + datetime.timedelta(hours=3), closes_at=start - datetime.timedelta(days=3)) for i in range(40)]
bulk.insert_rows(comps, ids=True)
dels = [Delegation(games=games, name=c.name + "代表团", kind="county", region_id=c.code) for c in counties]
bulk.insert_rows(dels, ids=True)
people = N // 4
users = [User(phone_hash=crypto.lookup_hash(f"135{i:08d}"), phone_enc="", real_name="x", birth_date=datetime.date(1950 + i % 60, 1, 1),
              sex="male" if i % 2 else "female", home_region_id=counties[i % 8].code, password="!", date_joined=timezone.now())
         for i in range(people)]
bulk.insert_rows(users, ids=True)
entries = []
for n in range(N):
    u = users[n % people]
    c = comps[(n // people * 7 + n) % len(comps)]
    entries.append(Entry(competition_id=c.pk, games_id=games.pk, user_id=u.pk, delegation_id=dels[n % 8].pk, status="confirmed",
                         sex=u.sex, birth_year=u.birth_date.year, region_code=u.home_region_id, bib=new_code()))
bulk.insert_rows(entries, ids=True)
results = []
for e in entries:
    results.append(Result(entry_id=e.pk, competition_id=e.competition_id, value=Decimal(rng.randint(1000, 9000)) / 100))
bulk.insert_rows(results)
for c in comps:
    services_results.rerank(c, "final")

def timed(fn):
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        fn(games)
        runs.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(runs), 1)

table = services_results.medal_table(games)
figures = services_results.participation(games)
print(json.dumps({"entries": N, "medal_table_ms": timed(services_results.medal_table),
                  "participation_ms": timed(services_results.participation),
                  "golds": sum(r.gold for r in table), "person_times": figures.person_times}))
"""


def surge(kind, args) -> dict:
    with fresh_database(kind, "quanmin_bench_events", **SERVER_ENV) as env:
        data = run_django(env, SETUP, str(args.clients), str(args.competitions))
        half = len(data["competitions"]) // 2
        loaded, light_ids = data["competitions"][:half], data["competitions"][half:]
        with gunicorn(env, args.workers) as port:
            def enter(rng, i, n):
                return "POST", f"/api/v1/events/competitions/{rng.choice(loaded)}/entries", {}

            def bare(rng, i, n):
                return "POST", "/api/v1/bench/insert", {}

            def enter_light(rng, i, n):
                return "POST", f"/api/v1/events/competitions/{rng.choice(light_ids)}/entries", {}

            drive(port, data["tokens"][:8], 2, bare)  # warm up workers and connections
            baseline = drive(port, data["tokens"], args.seconds, bare)
            entering = drive(port, data["tokens"], args.seconds, enter)
            light = drive(port, data["tokens"][:args.workers], min(args.seconds, 5), enter_light)
        counted = run_django(env, COUNT)
        made = sum(v for k, v in entering["statuses"].items() if k.startswith("2"))
        return {"entering": entering, "bare_insert": baseline, "entries_made": made,
                "entering_light_load": {"clients": args.workers, **light},
                "ratio_entries_to_bare": round(entering["per_second"] / baseline["per_second"], 3)
                if baseline["per_second"] else None, **counted}


def figures(kind, args) -> dict:
    with fresh_database(kind, "quanmin_bench_events_fig", QUANMIN_FIELD_KEY="bench-field-key") as env:
        return run_django(env, FIGURES, str(args.entries))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--competitions", type=int, default=200, help="competitions of 8 places, half of them loaded")
    parser.add_argument("--entries", type=int, default=50000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    result = {"bench": "events", "clients": args.clients, "workers": args.workers, "seconds": args.seconds,
              "goal": "entries >= 0.5 x bare insert; 0 over quota; medal table and participation < 200 ms"}
    result.update(per_database(args.db, lambda kind: {"surge": surge(kind, args), "figures_50000": figures(kind, args)}))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
