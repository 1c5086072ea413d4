"""Facilities register at scale: nearby search, city roll-up and Excel import.

For SQLite and (when a server answers on 127.0.0.1:5432) PostgreSQL, each in a fresh database:
- the demo city (Liaocheng, ~15,000 facilities): city roll-up time (goal under 200 ms);
- 1,000,000 generated facilities over a province-sized area: nearby-search p50/p95 through
  selectors.nearby (goal p95 under 30 ms) and the city roll-up (goal under 3 s);
- import speed in rows/s for a generated 20,000-row .xlsx, read (core.tabular) and applied (goal
  over 20,000 rows/s), beside openpyxl's read rate of the same file in the same run (the machine is
  shared: the ratio says more than either figure), and beside the floor measured in the same run:
  calamine's bare read of the file plus a bare write of as many sites and facilities (core.bulk,
  nothing checked, the database's key checks included, rolled back): the rate no import could beat
  here, as it writes nothing before the file is read. Each phase in seconds and in this
  process's CPU seconds (rows per CPU second: how fast it would be with a core to itself, on
  SQLite) and in the main thread's CPU seconds (the writes run on a second thread beside the
  checking), with the machine's load average before and after the import beside them.
Prints one JSON line. The PostgreSQL database is new for the run, named after DATABASE_URL's when it
is set (quanmin_x → quanmin_x_<pid>), dropped after. --facilities 0 runs parts 1 and 2 only.

    .venv/bin/python bench/facilities.py [--facilities 1000000] [--db sqlite|postgres|both]
"""

import argparse
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import fresh_database, per_database, run_django

# Settings as deployed: with DEBUG on, Django's debug cursor renders every statement with all its
# parameters (each executemany batch of an import: about a fifth of the import's time on SQLite).
DEPLOYED = dict(QUANMIN_DEBUG="0", QUANMIN_SECRET_KEY="bench-" + "x" * 50, QUANMIN_FIELD_KEY="bench-field-key")

WORK = r"""
import io, json, os, random, statistics, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from openpyxl import Workbook, load_workbook

N = int(sys.argv[1])
call_command("migrate", verbosity=0)
from quanmin.facilities import figures, selectors, types
from quanmin.facilities.io_import import COLUMNS, import_rows, read_workbook
from quanmin.facilities.models import Facility, Site
from quanmin.regions import codes
from quanmin.regions.models import Region
from quanmin.accounts import services as acc

out = {}
rng = random.Random(1)

def timed(fn, repeat=1):
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter(); fn(); dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best

# 1. The demo city's real divisions and ~15,000 facilities.
call_command("load_regions", "3715", stdout=io.StringIO())
city = Region.objects.get(code="371500000000")
from quanmin.demo import facilities as demo
t0 = time.perf_counter(); demo.load(city, random.Random(3715)); out["demo_load_s"] = round(time.perf_counter() - t0, 2)
out["demo_facilities"] = Facility.objects.count()
figures.division_figures(city)  # warm caches and the connection
out["rollup_demo_city_ms"] = round(timed(lambda: figures.division_figures(city), 5) * 1000, 1)
out["compliance_demo_city_ms"] = round(timed(lambda: figures.compliance(city), 3) * 1000, 1)

# 2. Import: 20,000 new rows in the demo city, read from a real .xlsx and applied.
admin = acc.create_user(phone="13800009999", password=None, is_superuser=True, is_staff=True)
communities = list(Region.objects.filter(level="community").values_list("code", flat=True))
type_names = [t.name_zh for t in types.TYPES.values() if t.measure == "area"]
wb = Workbook(write_only=True); ws = wb.create_sheet()
ws.append([c.zh for c in COLUMNS])
for i in range(20000):
    row = {"external_id": f"BENCH{i:06d}", "name": f"压测场地{i}", "type": rng.choice(type_names),
           "site_name": f"压测场馆{i // 4}", "address": f"压测路{i // 4}号", "region": communities[(i // 4) % len(communities)],
           "lon": round(115.3 + (i // 4) % 997 / 997 * 1.2, 6), "lat": round(35.9 + (i // 4) % 991 / 991 * 1.0, 6),
           "owner_kind": "政府", "area_m2": rng.randint(40, 3000), "access": "免费", "status": "开放"}
    ws.append([row.get(c.key, "") for c in COLUMNS])
buf = io.BytesIO(); wb.save(buf); data = buf.getvalue()
t0 = time.perf_counter()
book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
out["openpyxl_read_rows_per_s"] = round(20000 / (time.perf_counter() - t0))  # the baseline of this run
# The floor's read: calamine's bare read of the same bytes (no bounds, no conversion).
import python_calamine
t0 = time.perf_counter()
python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
bare_read = time.perf_counter() - t0
from quanmin.facilities import services
del book, wb, ws  # the bench's own workbooks: no part of the import, nor for the collector to walk
import gc
gc.collect()
# The writes run on a second thread beside the checking (core.bulk.alongside); the time spent making
# their statements on this thread (services.import_part) is summed here.
part, finish, write_s = services.import_part, services.import_finish, []
def timed(fn):
    def run(*args, **kwargs):
        t = time.perf_counter()
        fn(*args, **kwargs)
        write_s.append(time.perf_counter() - t)
    return run
services.import_part, services.import_finish = timed(part), timed(finish)
load_before = os.getloadavg()[0]
t0, c0, m0 = time.perf_counter(), time.process_time(), time.thread_time()
rows = read_workbook(io.BytesIO(data))
t_read, c_read = time.perf_counter() - t0, time.process_time() - c0
t1 = time.perf_counter()
report = import_rows(rows, admin, dry_run=False)
t_all, c_all, m_all = time.perf_counter() - t0, time.process_time() - c0, time.thread_time() - m0
services.import_part, services.import_finish = part, finish
write = sum(write_s)
out["import_phases_s"] = {"read": round(t_read, 2), "check_and_write": round(t_all - t_read, 2),
                          "statements_made": round(write, 2)}
# This process's CPU (Python and SQLite; PostgreSQL's server works elsewhere): less bent by the load.
out["import_phases_cpu_s"] = {"read": round(c_read, 2), "check_and_write": round(c_all - c_read, 2)}
out["import_rows"] = 20000
# The machine's load (1-minute average) before and after the import: wall figures mean little past 2.
out["import_load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
out["import_rows_per_s"] = round(20000 / (time.perf_counter() - t1))  # validate and apply
out["import_with_reading_rows_per_s"] = round(20000 / t_all)  # reading the .xlsx included
out["import_with_reading_rows_per_cpu_s"] = round(20000 / c_all)
# The main thread's CPU only: the writes run on a second thread (and SQLite steps its statements on
# a third), so with a core free for them (and the server's work beside it on PostgreSQL) this bounds the wall time.
out["import_main_thread_cpu_s"] = round(m_all, 2)
out["import_with_reading_rows_per_main_thread_cpu_s"] = round(20000 / m_all)
out["import_read_s"] = round(t_read, 2)
out["read_rows_per_s"] = round(20000 / t_read)
out["read_vs_openpyxl"] = round(out["read_rows_per_s"] / out["openpyxl_read_rows_per_s"], 1)
out["import_vs_openpyxl_read"] = round(out["import_with_reading_rows_per_s"] / out["openpyxl_read_rows_per_s"], 2)
# The floor's write: the same 5,000 sites and 20,000 facilities written by core.bulk with nothing
# checked (rolled back), the database's key checks made at once so that they are counted.
from django.db import transaction
from quanmin.core import bulk
site_rows = [{"name": f"底线场馆{i}", "region_id": communities[i % len(communities)], "lon": 115.5, "lat": 36.2}
             for i in range(5000)]
class Rollback(Exception):
    pass
try:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        t0 = time.perf_counter()
        keys = bulk.reserve_keys(Site, 5000)
        bulk.insert_values(Site, ({"id": k, **r} for k, r in zip(keys, site_rows)), keyed=True)
        bulk.insert_values(Facility, ({"site_id": keys[i // 4], "type": "basketball", "name": f"底线{i}",
                                       "external_id": f"FLOOR{i:06d}", "area_m2": rng.randint(40, 3000),
                                       "region_id": site_rows[i // 4]["region_id"], "lon": 115.5, "lat": 36.2}
                                      for i in range(20000)))
        bare_write = time.perf_counter() - t0
        raise Rollback
except Rollback:
    pass
out["floor_write_s"] = round(bare_write, 2)
out["floor_rows_per_s"] = round(20000 / (bare_read + bare_write))  # no checks at all: what the import cannot beat
out["import_vs_floor"] = round(out["import_with_reading_rows_per_s"] / out["floor_rows_per_s"], 2)
out["import_counts"] = report.counts
t0 = time.perf_counter(); import_rows(read_workbook(io.BytesIO(data)), admin, dry_run=False)
out["reimport_unchanged_rows_per_s"] = round(20000 / (time.perf_counter() - t0))

if not N:
    print(json.dumps(out))
    sys.exit()

# 3. A million facilities over a province-sized area in one synthetic "city" 9901: 99 counties x
#    10 townships x 10 communities; 4 facilities per site.
big = Region.objects.create(code="990100000000", name="合成市", level="city", population=99_000_000)
regs, comms = [], []
for c in range(1, 100):
    cc = f"9901{c:02d}"
    regs.append(Region(code=codes.pad(cc), name=f"县{c}", level="county", parent_id=big.code, population=1_000_000))
    for t in range(1, 11):
        tc = f"{cc}{t:03d}"
        regs.append(Region(code=codes.pad(tc), name=f"乡{c}-{t}", level="township", parent_id=codes.pad(cc), population=100_000))
        for m in range(1, 11):
            regs.append(Region(code=f"{tc}{m:03d}", name=f"村{c}-{t}-{m}", level="community", parent_id=codes.pad(tc), population=10_000))
            comms.append(f"{tc}{m:03d}")
Region.objects.bulk_create([r for r in regs if r.level == "county"])
Region.objects.bulk_create([r for r in regs if r.level == "township"])
Region.objects.bulk_create([r for r in regs if r.level == "community"], batch_size=5000)
MIN_LON, MAX_LON, MIN_LAT, MAX_LAT = 114.8, 122.7, 34.4, 38.4
codes_list = list(types.TYPES)
t0 = time.perf_counter()
n_sites = N // 4
batch = 20000
for start in range(0, n_sites, batch):
    sites = []
    for i in range(start, min(start + batch, n_sites)):
        sites.append(Site(name=f"S{i}", lon=MIN_LON + rng.random() * (MAX_LON - MIN_LON),
                          lat=MIN_LAT + rng.random() * (MAX_LAT - MIN_LAT), region_id=comms[i % len(comms)]))
    Site.objects.bulk_create(sites, batch_size=5000)
first_site = Site.objects.filter(region__code__startswith="9901").order_by("pk").values_list("pk", flat=True).first()
site_rows = list(Site.objects.filter(pk__gte=first_site).values_list("pk", "lon", "lat", "region_id"))
for start in range(0, len(site_rows) * 4, batch):
    fac = []
    for j in range(start, min(start + batch, len(site_rows) * 4)):
        pk, lon, lat, region = site_rows[j // 4]
        fac.append(Facility(site_id=pk, type=codes_list[j % len(codes_list)], area_m2=100 + j % 900, lon=lon, lat=lat,
                            region_id=region, open=True))
    Facility.objects.bulk_create(fac, batch_size=5000)
out["generate_s"] = round(time.perf_counter() - t0, 1)
out["facilities_total"] = Facility.objects.count()
if connection.vendor == "postgresql":
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
else:
    with connection.cursor() as cur:
        cur.execute("ANALYZE")

qs = Facility.objects.filter(open=True)
lat_ms = []
points = [(MIN_LAT + 0.1 + rng.random() * (MAX_LAT - MIN_LAT - 0.2), MIN_LON + 0.1 + rng.random() * (MAX_LON - MIN_LON - 0.2))
          for _ in range(300)]
hits = []
for lat, lon in points[:20]:
    selectors.nearby(qs, lat, lon, 2000)  # warm
for lat, lon in points:
    t0 = time.perf_counter()
    found = selectors.nearby(qs, lat, lon, 2000, limit=50)
    lat_ms.append((time.perf_counter() - t0) * 1000)
    hits.append(len(found))
lat_ms.sort()
out["nearby_queries"] = len(lat_ms)
out["nearby_radius_m"] = 2000
out["nearby_mean_hits"] = round(statistics.fmean(hits), 1)
out["nearby_p50_ms"] = round(lat_ms[len(lat_ms) // 2], 2)
out["nearby_p95_ms"] = round(lat_ms[int(len(lat_ms) * 0.95)], 2)
figures.division_figures(big)
out["rollup_1m_city_ms"] = round(timed(lambda: figures.division_figures(big), 3) * 1000, 1)
print(json.dumps(out))
"""


def run(kind: str, n: int) -> dict:
    name = urlparse(os.environ.get("DATABASE_URL", "")).path.strip("/") or "quanmin_bench_fac"
    with fresh_database(kind, name, **DEPLOYED) as env:
        return run_django(env, WORK, str(n), check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    result = {"bench": "facilities", "goals": {"nearby_p95_ms": 30, "rollup_demo_city_ms": 200, "rollup_1m_city_ms": 3000,
                                               "import_with_reading_rows_per_s": 20000}}
    result.update(per_database(args.db, lambda kind: run(kind, args.facilities)))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
