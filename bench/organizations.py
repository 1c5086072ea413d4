"""Sports organisations: every organisation indicator for the demo city's whole tree, the 64-join race,
and (with --scale N) the indicators over N organisations and their memberships.

In a fresh database (SQLite, and PostgreSQL when a server answers on 127.0.0.1:5432): the real
divisions of Liaocheng, the accounts, facilities and organisations demo steps (the last one timed:
what it adds to `make run`'s load), then every indicator of organizations/indicators.py for the
city, its counties, townships and communities in one compute_many call: the first call and the
median of 5 more, with their queries (one call builds the figures' tree once for all the
indicators: core.indicators.batch; nothing is kept between calls), against a baseline in the same
run (the machine is shared): the rows they are built from read plainly, without grouping or
summing (bare_reads_ms, and the ratio over_bare_reads), with this process's CPU time beside;
64 threads joining one open group capped at 20 at once (admitted must be 20); with --scale, N
organisations more (bulk) with --members M active members each (made by the database itself:
INSERT ... SELECT over a numbers CTE, not the ORM; 100,000 × 50 = 5,000,000 memberships), the same
indicators again, and one organisation's vitality index (normalised among its kind in its county,
so it reads every peer's figures) with its queries, against reading its peers' rows plainly.
Prints one JSON line, with the load average.

    .venv/bin/python bench/organizations.py [--db sqlite|postgres|both] [--scale 100000] [--members 50]
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import fresh_database, per_database, run_django

CHILD = r"""
import datetime, json, os, random, statistics, sys, threading, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from quanmin.accounts import services as acc
from quanmin.core import bulk, indicators
from quanmin.demo import accounts as accounts_demo, facilities as facilities_demo, organizations as demo
from quanmin.demo.accounts import make_id_number
from quanmin.organizations import credit, memberships, services
from quanmin.organizations.errors import OrganizationError
from quanmin.organizations.models import Organization
from quanmin.regions.models import Region

scale, per_org = int(sys.argv[1]), int(sys.argv[2])
call_command("migrate", verbosity=0)
call_command("load_regions", "3715", verbosity=0, stdout=open("/dev/null", "w"))
city = Region.objects.get(code="371500000000")
rng = random.Random(3715)
accounts_demo.load(city, rng)
facilities_demo.load(city, rng)
t0 = time.perf_counter()
out = demo.load(city, rng)
demo_s = time.perf_counter() - t0
KEYS = [k for k, i in indicators.registry().items() if i.function.__module__ == "quanmin.organizations.indicators"]
codes = list(Region.objects.filter(code__startswith="3715").values_list("code", flat=True))
today = datetime.date.today()


from quanmin.organizations.models import Grading


def bare_reads():  # the baseline: the rows the figures are built from, read plainly
    list(Region.objects.filter(code__startswith="3715").values_list("code", "name", "level", "parent_id"))
    list(Organization.objects.filter(active=True, review="approved").values_list("region_id", "kind", "status"))
    list(Grading.objects.values_list("organization_id", "grade", "assessed_on", "id"))


def timed(call, n=5):  # (median wall s, median CPU s of this process) of n calls
    wall, cpu = [], []
    for _ in range(n):
        w, c = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def run_all():
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        indicators.compute_many(KEYS, codes, today)
        first = (time.perf_counter() - start, len(ctx.captured_queries))
    with CaptureQueriesContext(connection) as ctx:
        values = indicators.compute_many(KEYS, codes, today)
    # Indicators and the baseline interleaved, so both meet the same load.
    (median, cpu), (base, base_cpu) = timed(lambda: indicators.compute_many(KEYS, codes, today)), timed(bare_reads)
    return median, len(ctx.captured_queries), values, first, {
        "cpu_ms": round(cpu * 1000, 1), "bare_reads_ms": round(base * 1000, 1),
        "bare_reads_cpu_ms": round(base_cpu * 1000, 1), "over_bare_reads": round(median / base, 2) if base else None}


median, queries, values, first, against = run_all()
result = {"load_average": [round(x, 2) for x in os.getloadavg()], "organizations": Organization.objects.count(), "groups": out["groups"], "memberships": out["members"],
          "divisions": len(codes), "indicators": len(KEYS), "demo_step_s": round(demo_s, 2),
          "all_indicators_city_tree_ms": round(median * 1000, 1), "queries": queries,
          "first_call_ms": round(first[0] * 1000, 1), "first_call_queries": first[1], **against,
          "city": {k: (None if values[k][city.code] is None else float(values[k][city.code])) for k in KEYS}}

# 64 residents join one open group capped at 20, at once.
comm = Region.objects.filter(code__startswith="3715", level="community").order_by("code").first()
group = services.register({"name": "压测社群", "kind": "community_group", "status": "filed", "region": comm,
                           "join_policy": "open", "member_cap": 20},
                          actor=acc.create_user(phone="13799999999", password=None, is_superuser=True))
people = [acc.create_user(phone=f"1379{i:07d}", password=None, real_name=f"压测{i}",
                          id_number=make_id_number(comm.code, "19900101", 300 + i, True), home_region=comm).pk
          for i in range(64)]
from quanmin.accounts.models import User
results, barrier = [None] * 64, threading.Barrier(64)

def attempt(i, pk):
    barrier.wait()
    try:
        memberships.join(User.objects.get(pk=pk), group.pk)
        results[i] = "ok"
    except OrganizationError as exc:
        results[i] = exc.code
    except Exception as exc:
        results[i] = type(exc).__name__
    finally:
        connections.close_all()

threads = [threading.Thread(target=attempt, args=(i, pk)) for i, pk in enumerate(people)]
[t.start() for t in threads]; [t.join() for t in threads]
group.refresh_from_db()
result["race_64_joins"] = {"cap": 20, "admitted": results.count("ok"), "group_full": results.count("group_full"),
                           "other_errors": 64 - results.count("ok") - results.count("group_full"),
                           "member_count": group.member_count}

if scale:
    regions = [c for c in codes if len(c) == 12 and not c.endswith("000")]
    rows = [{"name": f"规模组织{i}", "kind": "community_group", "status": "filed", "review": "approved",
             "region_id": regions[i % len(regions)], "sports": ",walking,", "officers": [], "join_policy": "open"}
            for i in range(scale)]
    t0 = time.perf_counter()
    for start in range(0, len(rows), 5000):
        bulk.insert_values(Organization, rows[start:start + 5000])
    insert_s = time.perf_counter() - t0
    from quanmin.organizations import vitality
    from quanmin.organizations.models import GroupMembership
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_users AS SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS i, id "
                    "FROM accounts_user")
        cur.execute("SELECT COUNT(*) FROM bench_users")
        n_users = cur.fetchone()[0]
        assert n_users > per_org, n_users
        cur.execute(
            "INSERT INTO organizations_groupmembership (organization_id, user_id, status, message, guardian_name, "
            "guardian_relation, requested_at, decided_at) "
            f"WITH RECURSIVE n(g) AS (SELECT 0 UNION ALL SELECT g + 1 FROM n WHERE g < {per_org - 1}) "
            "SELECT o.id, u.id, 'active', '', '', '', %s, %s FROM organizations_organization o CROSS JOIN n "
            f"JOIN bench_users u ON u.i = (o.id * 31 + n.g) %% {n_users} WHERE o.name LIKE %s",
            [timezone.now(), timezone.now(), "规模组织%"])
        cur.execute("UPDATE organizations_organization SET member_count = %s WHERE name LIKE %s", [per_org, "规模组织%"])
    members_s = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    median, queries, _values, first, against = run_all()
    sample = Organization.objects.filter(name__startswith="规模组织").order_by("id").first()
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        found = vitality.of(sample)
        vitality_s = time.perf_counter() - t0
    # Its baseline: the peers' rows read plainly (what any index among them must at least read).
    peers_s, _cpu = timed(lambda: list(vitality.peers(sample).values_list("pk", "member_count")))
    result["scale"] = {"organizations": Organization.objects.count(), "insert_s": round(insert_s, 1),
                       "memberships": GroupMembership.objects.count(), "memberships_insert_s": round(members_s, 1),
                       "all_indicators_city_tree_ms": round(median * 1000, 1), "queries": queries,
                       "first_call_ms": round(first[0] * 1000, 1), "first_call_queries": first[1], **against,
                       "vitality_one_org_ms": round(vitality_s * 1000, 1), "vitality_queries": len(ctx),
                       "vitality_peers": found["of"], "peers_read_ms": round(peers_s * 1000, 1),
                       "vitality_over_peers_read": round(vitality_s / peers_s, 2) if peers_s else None,
                       "load_average": [round(x, 2) for x in os.getloadavg()]}
print(json.dumps(result, ensure_ascii=False))
"""


def run(kind: str, scale: int, members: int) -> dict:
    with fresh_database(kind, "quanmin_bench_orgs") as env:
        return run_django(env, CHILD, str(scale), str(members), check=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--scale", type=int, default=0, help="organisations to add for the scale figure")
    parser.add_argument("--members", type=int, default=50, help="active members of each added organisation")
    args = parser.parse_args()
    out = per_database(args.db, lambda kind: run(kind, args.scale, args.members))
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
