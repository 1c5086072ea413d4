"""Plans: the demo city's plan dashboard, the snapshot of every indicator for every division, and a
500-row task-table import. Prints one JSON line.

In a fresh database (SQLite, and PostgreSQL when a server answers on 127.0.0.1:5432): the whole demo
city (`load_demo`: Liaocheng's real divisions and every capability's demo data, seed 000 among the
plans), then

- the dashboard of seed 000 (every target for the city and its counties, with the history, status,
  forecast, ranking and task board), reading the indicators' latest snapshot (the demo's, of
  today): the median of 5 calls of the selector and of 5 requests of the page, beside the median
  of 5 calls of the same selector computing every indicator live (the same-run baseline it
  replaces) and of 5 requests of the plans' list page (one query page under the same session,
  middleware and templates);
- one snapshot of every indicator of the registry for every division of the city (`again`, so it
  computes; the demo's backfill is not counted);
- a task table of 500 rows (序号 / 工作任务 merged / 主要内容 / 时间进度 / 责任单位 / 配合单位) read,
  checked and written, all or nothing, into a county's plan; the dry run beside it.

Targets (issue 21): dashboard < 500 ms, snapshot < 30 s, import of 500 rows < 2 s.

With --province (PostgreSQL only, in a database of its own; not by default: minutes and a few GB):
the snapshot of every indicator for every division of a province-sized tree, the issue's < 10 min.
Two synthetic cities (9901, 9902) of QM_BENCH_PROVINCE_COUNTIES (100) counties × 100 townships × 10 communities
(10,000 townships, 100,000 communities), 1,000,000 facilities on 250,000 sites and 1,000,000
instructors spread over the communities, made by the server (INSERT … SELECT over generate_series,
as bench/people.py and bench/facilities.py do), then ANALYZE; the other registers stay empty (their
indicators still run their queries over the whole tree). Beside it, the same-run baseline: one
plain grouped count of facilities and of instructors per community (the least any roll-up reads).
The slowest indicators are listed, and the load average at the start and the end (the machine is
shared: on a loaded one, the figure is mostly waiting for a core).

    .venv/bin/python bench/planning.py [--db sqlite|postgres|both] [--province]
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import fresh_database, postgres_available, run_django

CHILD = r"""
import datetime, io, json, statistics, time
import django
django.setup()
from django.core.management import call_command
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
import openpyxl
from quanmin.accounts.models import User
from quanmin.core import indicators
from quanmin.planning import selectors
from quanmin.planning.models import IndicatorSnapshot, Plan, SnapshotRun
from quanmin.planning.services import imports, snapshots
from quanmin.regions.models import Region

call_command("migrate", verbosity=0)
t0 = time.perf_counter()
call_command("load_demo", stdout=open("/dev/null", "w"))
demo_s = time.perf_counter() - t0
plan = Plan.objects.get(division_code="371500000000")
today = datetime.date.today()
city_staff = User.objects.filter(is_superuser=True).first()


def median_ms(call, n=5):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1)


connection.queries_log.clear()  # load_demo under DEBUG filled it to its bound: no new query would count
with CaptureQueriesContext(connection) as ctx:
    selectors.dashboard(plan, today)
    queries = len(ctx.captured_queries)
selector_ms = median_ms(lambda: selectors.dashboard(plan, today))
live_ms = median_ms(lambda: selectors.dashboard(plan, today, live=True))
freshness = selectors.dashboard(plan, today)["freshness"]
client = Client()
client.force_login(city_staff)
page = client.get(f"/staff/plans/{plan.key}/")
assert page.status_code == 200, page.status_code
page_ms = median_ms(lambda: client.get(f"/staff/plans/{plan.key}/"))
list_ms = median_ms(lambda: client.get("/staff/plans/"))

start = time.perf_counter()
counts = snapshots.take([today], scope="3715", again=True)
snapshot_s = time.perf_counter() - start
slowest = sorted(SnapshotRun.objects.filter(as_of=today, scope="3715").values_list("seconds", "indicator"), reverse=True)[:3]

county = Region.objects.get(name="东昌府区", level="county").code
target = Plan.objects.create(key="bench-import", title="东昌府区全民健身实施计划", division_code=county,
                             division_name="东昌府区", starts_on=datetime.date(2024, 1, 1),
                             ends_on=datetime.date(2028, 12, 31), convention="responsible_cooperating")
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["东昌府区全民健身实施计划工作任务清单"])
ws.append(["序号", "工作任务", "主要内容", "时间进度", "责任单位", "配合单位", "备注"])
deadlines = ["2025年前", "2026年底前", "每年", "持续实施", "2027年12月底前", "长期坚持"]
for i in range(1, 501):
    ws.append([i, f"第{(i - 1) // 25 + 1}组工作任务" if i % 25 == 1 else None, f"第{i}项任务：建设全民健身设施并组织活动。",
               deadlines[i % len(deadlines)], "区体育局、各街道办事处" if i % 2 else f"区体育局\n区{i % 12}局",
               "区财政局、区教育局，区卫健局", ""])
for g in range(20):
    ws.merge_cells(f"B{3 + 25 * g}:B{2 + 25 * (g + 1)}")
buf = io.BytesIO()
wb.save(buf)
data = buf.getvalue()
start = time.perf_counter()
dry = imports.import_tasks(city_staff, target, SimpleUploadedFile("tasks.xlsx", data))
dry_s = time.perf_counter() - start
start = time.perf_counter()
done = imports.import_tasks(city_staff, target, SimpleUploadedFile("tasks.xlsx", data), dry_run=False)
import_s = time.perf_counter() - start
assert done.applied and target.tasks.count() == 500, (done.counts, target.tasks.count())

print(json.dumps({
    "demo_s": round(demo_s, 1), "targets": plan.targets.count(), "tasks": plan.tasks.count(),
    "dashboard_selector_ms": selector_ms, "dashboard_live_selector_ms": live_ms,
    "dashboard_snapshot_vs_live": round(selector_ms / live_ms, 3) if live_ms else None,
    "dashboard_indicators_from_snapshot": freshness["from_snapshot"], "dashboard_indicators_live": freshness["live"],
    "dashboard_queries": queries, "dashboard_page_ms": page_ms,
    "plans_list_page_ms": list_ms, "dashboard_vs_list_page": round(page_ms / list_ms, 2) if list_ms else None,
    "dashboard_under_500ms": page_ms < 500,
    "snapshot_s": round(snapshot_s, 2), "snapshot_indicators": len(indicators.registry()),
    "snapshot_values": counts["values"], "snapshot_under_30s": snapshot_s < 30,
    "snapshot_slowest": [f"{key} {seconds:.2f} s" for seconds, key in slowest],
    "import_rows": 500, "import_dry_run_s": round(dry_s, 2), "import_s": round(import_s, 2),
    "import_under_2s": import_s < 2,
}, ensure_ascii=False))
"""


PROVINCE = r"""
import datetime, json, os, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from quanmin.core import indicators
from quanmin.facilities import types
from quanmin.facilities.models import Facility, Site
from quanmin.people.models import Instructor
from quanmin.planning.models import SnapshotRun
from quanmin.planning.services import snapshots
from quanmin.regions.models import Region
sys.path.insert(0, "bench")
from people import insert_select

call_command("migrate", verbosity=0)
COUNTIES = int(os.environ.get("QM_BENCH_PROVINCE_COUNTIES", "100"))
FACILITIES = int(os.environ.get("QM_BENCH_PROVINCE_FACILITIES", "1000000"))
INSTRUCTORS = int(os.environ.get("QM_BENCH_PROVINCE_INSTRUCTORS", "1000000"))
out = {"load_average_start": os.getloadavg()[0]}
t0 = time.perf_counter()
# Two cities of half the counties each (a city's county numbers run 01-99), with no province above
# them (the register has no province level): the monthly run's top scopes, as a province's cities.
for city in ("9901", "9902"):
    Region.objects.create(code=f"{city}00000000", name=f"合成市{city}", level="city", population=50_000_000)
counties, townships, communities = [], [], []
for c in range(COUNTIES):
    city = ("9901", "9902")[c % 2]
    cc = f"{city}{c // 2 + 1:02d}"
    counties.append(Region(code=f"{cc}000000", name=f"县{c}", level="county", parent_id=f"{city}00000000",
                           population=1_000_000))
    for t in range(1, 101):
        tc = f"{cc}{t:03d}"
        townships.append(Region(code=f"{tc}000", name=f"乡{c}-{t}", level="township", parent_id=f"{cc}000000",
                                population=10_000))
        communities += [Region(code=f"{tc}{m:03d}", name=f"村{c}-{t}-{m}", level="community", parent_id=f"{tc}000",
                               population=1_000) for m in range(1, 11)]
for level in (counties, townships, communities):
    Region.objects.bulk_create(level, batch_size=10000)
kinds = list(types.TYPES)
with connection.cursor() as cur:
    cur.execute("CREATE TEMP TABLE prov_comm AS SELECT (ROW_NUMBER() OVER (ORDER BY code)) - 1 AS i, code "
                "FROM regions_region WHERE code LIKE '99%%' AND level = 'community'")
    cur.execute("CREATE UNIQUE INDEX ON prov_comm (i)")
    n = len(communities)
    sites = FACILITIES // 4
    insert_select(cur, Site, {"name": "'场地' || g", "lon": "115 + (g % 1000) / 1000.0", "lat": "36 + (g % 997) / 1000.0",
                              "region_id": "c.code", "created_at": "now()", "updated_at": "now()"},
                  f"generate_series(0, {sites - 1}) g JOIN prov_comm c ON c.i = g % {n}")
    cur.execute("SELECT MIN(id) FROM facilities_site")
    first = cur.fetchone()[0]
    kind = "(ARRAY[" + ",".join(f"'{k}'" for k in kinds) + "])[1 + g % " + str(len(kinds)) + "]"
    insert_select(cur, Facility, {"site_id": f"{first} + g / 4", "type": kind, "region_id": "c.code",
                                  "area_m2": "100 + g % 900", "lon": "115 + (g % 1000) / 1000.0",
                                  "lat": "36 + (g % 997) / 1000.0", "created_at": "now()", "updated_at": "now()"},
                  f"generate_series(0, {sites * 4 - 1}) g JOIN prov_comm c ON c.i = (g / 4) % {n}")
    insert_select(cur, Instructor, {
        "real_name": "'省'", "id_number_hash": "'p' || g", "region_id": "c.code", "grade": "'third'",
        "status": "CASE WHEN g % 10 = 0 THEN 'lapsed' ELSE 'active' END", "core": "g % 20 = 0",
        "approved_on": "CURRENT_DATE", "created_at": "now()", "updated_at": "now()"},
        f"generate_series(0, {INSTRUCTORS - 1}) g JOIN prov_comm c ON c.i = (g::bigint * 7919) % {n}")
    cur.execute("ANALYZE")
out.update(generate_s=round(time.perf_counter() - t0, 1), counties=len(counties), townships=len(townships),
           communities=len(communities), facilities=Facility.objects.count(), instructors=Instructor.objects.count())
print(json.dumps(out), file=sys.stderr, flush=True)


def seconds(call):
    start = time.perf_counter()
    call()
    return round(time.perf_counter() - start, 3)


with connection.cursor() as cur:
    out["baseline_counts_s"] = seconds(lambda: [cur.execute(sql) or cur.fetchall() for sql in (
        "SELECT region_id, COUNT(*) FROM facilities_facility GROUP BY 1",
        "SELECT region_id, COUNT(*) FROM people_instructor GROUP BY 1")])
today = datetime.date.today()
counts = []
out["snapshot_s"] = seconds(lambda: [counts.append(snapshots.take([today], scope=scope, again=True))
                                     for scope in ("9901", "9902")])
out.update(snapshot_values=sum(c["values"] for c in counts), snapshot_indicators=len(indicators.registry()),
           snapshot_under_10min=out["snapshot_s"] < 600,
           snapshot_vs_baseline=round(out["snapshot_s"] / out["baseline_counts_s"], 1) if out["baseline_counts_s"] else None,
           snapshot_slowest=[f"{key} {sec:.1f} s" for sec, key in sorted(
               SnapshotRun.objects.filter(as_of=today, scope__in=("9901", "9902")).values_list("seconds", "indicator"), reverse=True)[:5]],
           load_average_end=os.getloadavg()[0])
print(json.dumps(out, ensure_ascii=False))
"""


def run(kind: str, script: str = CHILD) -> dict:
    with fresh_database(kind, "quanmin_bench_planning") as env:
        return run_django(env, script, check=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--province", action="store_true",
                        help="only the province-scale snapshot (PostgreSQL; minutes and a few GB)")
    args = parser.parse_args()
    if args.province:
        out = {"province": run("postgres", PROVINCE) if postgres_available()
               else {"skipped": "no PostgreSQL server on 127.0.0.1:5432"}}
        print(json.dumps(out, ensure_ascii=False))
        return
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    out = {}
    for kind in kinds:
        if kind == "postgres" and not postgres_available():
            out[kind] = {"skipped": "no PostgreSQL server on 127.0.0.1:5432"}
            continue
        out[kind] = run(kind)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
