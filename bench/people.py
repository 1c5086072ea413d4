"""Benchmark the instructor register (issue 18) on the demo city, Liaocheng.

In a throwaway database (a fresh SQLite file by default; the PostgreSQL database of DATABASE_URL
when it is set, which must be empty and is left filled; or fresh databases with --db):
1. The demo city's sites and the people demo (about 20,000 instructors, ~400 stations with bookable
   sessions, a year of service logs and training): seconds to load.
2. The density, coverage and guidance-rate indicators for the whole city tree (1 city, its counties,
   townships and communities) in one call each: ms (median of 5) and queries, which do not grow
   with the number of divisions; and all nine indicators together.
3. Register import from a real .xlsx of QM_BENCH_IMPORT_ROWS (20,000) new people, reading included,
   applied in one transaction: rows/s (the issue asks for more than 5,000).
   With the openpyxl read of the same file as the baseline (a ratio: the machine is shared), the
   time and this process's CPU time of each phase (read, check, write), the floor (calamine's bare
   read of the file plus the write phase: no checks at all) and the cost of encrypting and hashing
   the rows' ID numbers and phones. --import-only skips parts 1 and 2 (no people demo).
4. With --province, on PostgreSQL only: the same indicators for a whole province's tree
   (Shandong's cities, loaded with load_regions) over QM_BENCH_PROVINCE_INSTRUCTORS (1,000,000)
   instructors and QM_BENCH_PROVINCE_LOGS (10,000,000) service logs made by the server itself
   (INSERT ... SELECT over generate_series; no encryption: the figures read no personal data),
   measured at 1M, 3M and the full count of logs (the scaling); QM_BENCH_PROVINCE_BUDGET_S
   (1800) stops adding logs, and the largest size reached is the one printed. Takes a long
   time and a few GB: not by default. Each figure beside baselines of the same run (the machine
   is shared): the divisions read plainly and the logs and instructors counted (plain_reads_s),
   and the guidance rate's count as it was read from the logs before instructors kept their last
   service (guided_from_logs_s); and beside the CPU it took, this process's and the database
   server's (wall time on a loaded machine is mostly waiting for a core).
   --province-only measures the province an earlier run left in DATABASE_URL (or makes it there),
   without the demo and the import.
Prints figures as it goes and one JSON line at the end. No goals are asserted.

    .venv/bin/python bench/people.py [--db sqlite|postgres|both] [--import-only] [--province | --province-only]
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import NO_POSTGRES, ROOT, databases, fresh_database, postgres_available, run_worker

# Settings as deployed (DEBUG off: Django's debug cursor renders every statement of an import), and
# the demo's messages kept in the in-app inbox.
QUIET = {"DJANGO_SETTINGS_MODULE": "quanmin.settings", "QUANMIN_LOG_LEVEL": "ERROR",
         "QUANMIN_NOTIFY_BACKENDS": "quanmin.accounts.notify.InAppBackend", "QUANMIN_DEBUG": "0",
         "QUANMIN_SECRET_KEY": "bench-" + "x" * 50, "QUANMIN_FIELD_KEY": "bench-field-key"}


def size(name: str, default: int) -> int:
    return int(os.environ.get(f"QM_BENCH_{name}", default))


def work() -> None:  # one straight script, read top to bottom
    import io
    import random
    import statistics
    import time

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from openpyxl import Workbook

    call_command("migrate", verbosity=0)
    import python_calamine

    from quanmin.accounts import crypto
    from quanmin.accounts.idnumber import check_character
    from quanmin.accounts.models import Role
    from quanmin.core import indicators
    from quanmin.demo import accounts as accounts_demo
    from quanmin.demo import facilities as facilities_demo
    from quanmin.demo import people as people_demo
    from quanmin.people import io_import, io_sheet
    from quanmin.people.models import DutyLog, Instructor
    from quanmin.regions.codes import prefix_at
    from quanmin.regions.models import Region

    out: dict = {"bench": "people", "vendor": connection.vendor, "cpus": os.cpu_count(),
                 "load_average": [round(x, 2) for x in os.getloadavg()]}
    today = timezone.localdate()

    def say(text: str) -> None:
        print(text, flush=True)

    if os.environ.get("QM_BENCH_PROVINCE") == "only":
        out["province"] = province(say, ["instructors_per_10000", "community_instructor_share", "guidance_rate"],
                                   today)
        print(json.dumps(out, ensure_ascii=False))
        return
    call_command("load_regions", "3715", verbosity=0)
    city = Region.objects.get(code="371500000000")
    rng = random.Random(3715)
    accounts_demo.load(city, rng)
    facilities_demo.load(city, rng)
    keys = ["instructors_per_10000", "instructors_per_1000", "community_instructor_share", "guidance_rate"]
    if not os.environ.get("QM_BENCH_IMPORT_ONLY"):
        start = time.perf_counter()
        made = people_demo.load(city, rng, instructors=size("INSTRUCTORS", 20000), stations=size("STATIONS", 400))
        out["demo_load_s"] = round(time.perf_counter() - start, 2)
        out.update(instructors=Instructor.objects.count(), logs=DutyLog.objects.count(), stations=made["stations"])
        say(f"demo: {out['instructors']} instructors, {out['logs']} logs, {made['stations']} stations "
            f"in {out['demo_load_s']} s")

        codes = list(Region.objects.filter(code__within=city.prefix).values_list("code", flat=True))
        out["divisions"] = len(codes)
        every = [k for k, i in indicators.registry().items() if i.function.__module__ == "quanmin.people.indicators"]
        for key in [*keys, "all"]:
            wanted = every if key == "all" else [key]
            times, counted = [], 0
            for _n in range(5):
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    t = time.perf_counter()
                    indicators.compute_many(wanted, codes, today)
                    times.append((time.perf_counter() - t) * 1000)
                counted = len(captured)
            out[f"{key}_ms"] = round(statistics.median(times), 1)
            out[f"{key}_queries"] = counted
            say(f"{key}: {out[f'{key}_ms']} ms, {counted} queries")
        city_values = indicators.compute_many(every, [city.code], today)
        out["city"] = {k: (None if v[city.code] is None else float(v[city.code])) for k, v in city_values.items()}

        # A county's whole subtree, to show the query count does not follow the number of divisions.
        county = Region.objects.filter(parent=city).order_by("code").first()
        small = list(Region.objects.filter(code__within=county.prefix).values_list("code", flat=True))
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            indicators.compute_many(keys, small, today)
        out["county_tree_divisions"], out["county_tree_queries"] = len(small), len(captured)

    n = size("IMPORT_ROWS", 20000)
    communities = list(Region.objects.filter(code__within=city.prefix, level="community").values_list("code", flat=True))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("社会体育指导员")
    ws.append(["姓名", "身份证号", "手机号", "区划代码", "等级", "证书编号", "批准日期", "指导项目", "所属组织", "状态", "骨干"])
    people = []  # (ID number, phone) of each row
    for i in range(n):
        code = communities[i % len(communities)]
        # Born 2004-2008 (the demo's people are older): no ID number of the demo comes again.
        first = f"{prefix_at(code, 'county')}{2004 + (i // 336) % 5}{1 + (i // 28) % 12:02d}{1 + i % 28:02d}9{(i // 1680) % 99:02d}"
        people.append((first + check_character(first), f"137{i:08d}"))
        ws.append([f"导入{i}", *people[-1], code, "三级", f"IMP{i:06d}",
                   "2024-05-01", "太极拳、健步走", "测试协会", "在册", "否"])
    data = io.BytesIO()
    wb.save(data)
    staff = accounts_demo.account("13800000001", "孙建国", region=city)
    assert staff.memberships.filter(role=Role.CITY_STAFF).exists()
    # Baselines in the same run (the machine is shared, absolute times are noise): openpyxl's own
    # read of the same file (as bench/facilities.py), and the shared reader alone. Then the phases:
    # read (the shared reader), check (a dry run less its read), write (the import less the dry run).
    from openpyxl import load_workbook

    raw = data.getvalue()
    t = time.perf_counter()
    book = load_workbook(io.BytesIO(raw), read_only=True)
    for _row in book.worksheets[0].iter_rows(values_only=True):
        pass
    openpyxl_s = time.perf_counter() - t
    out["openpyxl_read_rows_per_s"] = round(n / openpyxl_s)
    t, c = time.perf_counter(), time.process_time()
    python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw)).get_sheet_by_index(0).to_python()
    bare_read_s, bare_read_cpu = time.perf_counter() - t, time.process_time() - c  # no bounds, no conversion
    t, c = time.perf_counter(), time.process_time()
    io_sheet.read(io.BytesIO(raw))
    read_s, read_cpu = time.perf_counter() - t, time.process_time() - c
    out["read_only_rows_per_s"] = round(n / read_s)
    t, c = time.perf_counter(), time.process_time()
    io_import.import_rows(io.BytesIO(raw), user=staff, dry_run=True)
    dry_s, dry_cpu = time.perf_counter() - t, time.process_time() - c
    before = Instructor.objects.count()
    t, c = time.perf_counter(), time.process_time()
    report = io_import.import_rows(io.BytesIO(raw), user=staff, dry_run=False)
    seconds, cpu = time.perf_counter() - t, time.process_time() - c
    out["import_rows"], out["import_s"] = n, round(seconds, 2)
    out["import_rows_per_s"] = round(n / seconds)
    # This process's CPU (Python and SQLite; PostgreSQL's server works elsewhere): less bent by the load.
    out["import_rows_per_cpu_s"] = round(n / cpu)
    out["import_vs_openpyxl_read"] = round(openpyxl_s / seconds, 3)
    out["import_vs_read_only"] = round(out["import_rows_per_s"] / out["read_only_rows_per_s"], 3)
    out["phases_s"] = {"read": round(read_s, 2), "check": round(dry_s - read_s, 2), "write": round(seconds - dry_s, 2)}
    out["phases_cpu_s"] = {"read": round(read_cpu, 2), "check": round(dry_cpu - read_cpu, 2), "write": round(cpu - dry_cpu, 2)}
    # The floor: the bare read and the write phase (core.bulk, nothing checked): no import of this
    # file goes faster here. And what encrypting and hashing each row's ID number and phone costs.
    out["floor_rows_per_s"] = round(n / (bare_read_s + seconds - dry_s))
    out["import_vs_floor"] = round(out["import_rows_per_s"] / out["floor_rows_per_s"], 2)
    out["floor_rows_per_cpu_s"] = round(n / (bare_read_cpu + cpu - dry_cpu))
    t = time.perf_counter()
    for number, phone in people:
        crypto.lookup_hash(number), crypto.encrypt(number), crypto.lookup_hash(phone), crypto.encrypt(phone)
    out["encryption_s"] = round(time.perf_counter() - t, 3)
    out["encryption_share"] = round(out["encryption_s"] / seconds, 3)
    out["import_applied"] = report.applied and Instructor.objects.count() - before == n
    if not report.applied:
        out["import_rejected"] = [(r.line, r.errors[:1]) for r in report.rejected[:3]]
    say(f"import: {n} rows in {out['import_s']} s ({out['import_rows_per_s']} rows/s)")
    if os.environ.get("QM_BENCH_PROVINCE"):
        out["province"] = province(say, keys, today)
    print(json.dumps(out, ensure_ascii=False))


def _literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def insert_select(cursor, model, exprs: dict, source: str) -> int:
    """INSERT INTO model's table (every column) SELECT exprs (SQL per column; the others take their
    field's default as a literal) FROM source: rows made by the server, not by Python."""
    from django.db import connection

    columns, values = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key and f.column not in exprs:
            continue
        columns.append(connection.ops.quote_name(f.column))
        values.append(exprs[f.column] if f.column in exprs else _literal(f.get_default()))
    cursor.execute(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source}")
    return cursor.rowcount


def province(say, keys: list, today) -> dict:
    """Indicators over a province's tree with a million instructors and ten million logs (PostgreSQL)."""
    import statistics
    import time

    from django.core.management import CommandError, call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from quanmin.core import indicators
    from quanmin.core.indicators import local_span, year_ending
    from quanmin.people.logs import note_last_services
    from quanmin.people.models import DutyLog, Instructor
    from quanmin.regions.models import Region

    if connection.vendor != "postgresql":
        return {"skipped": "the province figure is built on PostgreSQL (generate_series)"}
    N, M = size("PROVINCE_INSTRUCTORS", 1_000_000), size("PROVINCE_LOGS", 10_000_000)
    budget = float(size("PROVINCE_BUDGET_S", 1800))
    for city in range(1, 18):
        try:
            call_command("load_regions", f"37{city:02d}", verbosity=0)
        except CommandError:  # a code the data package does not have (3712 went in 2019)
            continue
    codes = list(Region.objects.filter(code__startswith="37").values_list("code", flat=True))
    out = {"divisions": len(codes)}
    start = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT MIN(id), MAX(id), COUNT(*) FROM people_instructor WHERE real_name = '省'")
        first_id, last_id, made = cur.fetchone()
        if made != N:  # an earlier run's whole province is kept (--province-only on the same database)
            cur.execute("DELETE FROM people_dutylog WHERE instructor_id IN "
                        "(SELECT id FROM people_instructor WHERE real_name = '省')")
            cur.execute("DELETE FROM people_instructor WHERE real_name = '省'")
            cur.execute("CREATE TEMP TABLE prov_comm AS SELECT (ROW_NUMBER() OVER (ORDER BY code)) - 1 AS i, code "
                        "FROM regions_region WHERE code LIKE '37%%' AND level = 'community'")
            cur.execute("SELECT COUNT(*) FROM prov_comm")
            n_comm = cur.fetchone()[0]
            cur.execute("CREATE UNIQUE INDEX ON prov_comm (i)")
            for lo in range(0, N, 250_000):
                hi = min(N, lo + 250_000) - 1
                insert_select(cur, Instructor, {
                    "real_name": "'省'", "id_number_hash": "'p' || g", "region_id": "c.code", "grade": "'third'",
                    "status": "CASE WHEN g % 10 = 0 THEN 'lapsed' ELSE 'active' END", "core": "g % 20 = 0",
                    "approved_on": "CURRENT_DATE", "created_at": "now()", "updated_at": "now()"},
                    f"generate_series({lo}, {hi}) g JOIN prov_comm c ON c.i = (g::bigint * 7919) % {n_comm}")
            cur.execute("SELECT MIN(id), MAX(id), COUNT(*) FROM people_instructor WHERE real_name = '省'")
            first_id, last_id, made = cur.fetchone()
            assert last_id - first_id + 1 == made == N, (first_id, last_id, made)
            cur.execute("ANALYZE people_instructor")
        cur.execute("SELECT COUNT(*) FROM people_dutylog l JOIN people_instructor i ON i.id = l.instructor_id "
                    "WHERE i.real_name = '省'")
        kept = cur.fetchone()[0]
    out["instructors"], out["instructors_write_s"] = N, round(time.perf_counter() - start, 1)
    say(f"province: {N} instructors in {out['instructors_write_s']} s, {len(codes)} divisions, {kept} logs kept")

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cur.fetchone()[0]}/stat")

    def server_cpu() -> float:
        """CPU seconds of this connection's server process so far (NaN when the server runs elsewhere)."""
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    def plainly() -> None:
        """The same-run baseline: what any answer must at least read, read plainly: the divisions with
        their populations (one row per division) and the logs and instructors counted (a scan each)."""
        list(Region.objects.filter(code__startswith="37").values_list("code", "name", "level", "parent_id",
                                                                       "population"))
        with connection.cursor() as cur:
            cur.execute("SELECT (SELECT COUNT(*) FROM people_dutylog), (SELECT COUNT(*) FROM people_instructor)")

    def from_the_logs() -> None:
        """The other same-run baseline: the guidance rate's count as it was before last_service_at, a
        semi-join of the active instructors with the window's confirmed logs, grouped by division."""
        start, end = local_span(*year_ending(today))
        with connection.cursor() as cur:
            cur.execute("SELECT i.region_id, COUNT(*) FROM people_instructor i WHERE i.kind = 'instructor' AND "
                        "i.status = 'active' AND EXISTS (SELECT 1 FROM people_dutylog l WHERE l.instructor_id = i.id "
                        "AND l.status = 'confirmed' AND l.started_at >= %s AND l.started_at < %s) GROUP BY 1",
                        [start, end])
            cur.fetchall()

    def measure(logs: int, written: bool) -> dict:
        found = {"logs": logs, "load_average_before": [round(x, 1) for x in os.getloadavg()]}
        t = time.perf_counter()
        if written:  # the logs went in by SQL, not through decide(): their instructors' last service
            note_last_services()
        # What autovacuum does after a bulk write (the index-only scans read the visibility map).
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE people_instructor")
        found["last_services_write_s"] = round(time.perf_counter() - t, 1)
        indicators.registry()  # the apps' modules imported before the clock starts
        base, logs_base, logs_cpu = [], [], []
        for key in keys:
            times, cpu, db_cpu, queries = [], [], [], 0
            for _n in range(3):
                t = time.perf_counter()
                plainly()
                base.append(time.perf_counter() - t)
                t, d = time.perf_counter(), server_cpu()
                from_the_logs()
                logs_base.append(time.perf_counter() - t)
                logs_cpu.append(server_cpu() - d)
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    t, c, d = time.perf_counter(), time.process_time(), server_cpu()
                    indicators.compute(key, codes, today)
                    times.append(time.perf_counter() - t)
                    cpu.append(time.process_time() - c)
                    db_cpu.append(server_cpu() - d)
                queries = len(captured)
            found[f"{key}_s"], found[f"{key}_queries"] = round(statistics.median(times), 2), queries
            # CPU beside the wall time, less bent by the load: this process's (Python's share) and the
            # database server's backend (its parallel workers, if any, not counted).
            found[f"{key}_python_cpu_s"] = round(statistics.median(cpu), 2)
            found[f"{key}_db_cpu_s"] = round(statistics.median(db_cpu), 2)
        found["plain_reads_s"] = round(statistics.median(base), 2)
        found["guided_from_logs_s"] = round(statistics.median(logs_base), 2)
        found["guided_from_logs_db_cpu_s"] = round(statistics.median(logs_cpu), 2)
        for key in keys:
            found[f"{key}_over_plain_reads"] = round(found[f"{key}_s"] / found["plain_reads_s"], 2)
            found[f"{key}_over_guided_from_logs"] = round(found[f"{key}_s"] / found["guided_from_logs_s"], 2)
        found["load_average"] = [round(x, 1) for x in os.getloadavg()]
        say(f"province at {logs} logs: {json.dumps(found)}")
        return found

    checkpoints, done = [], kept
    if done >= M:
        checkpoints.append(measure(done, written=False))  # kept: the migration or the run that wrote them set it
    logs_start = time.perf_counter()
    while done < M:
        hi = min(M, done + 1_000_000) - 1
        ago = f"make_interval(days => 1 + ((k / {N}) * 7) % 700, hours => k % 12)"
        with connection.cursor() as cur:
            # Log k: instructor k mod N, a week apart each round, at hours spread over the day; 1 in 10 pending.
            insert_select(cur, DutyLog, {
                "instructor_id": "i.id", "region_id": "i.region_id", "started_at": f"now() - {ago}",
                "ended_at": f"now() - {ago} + interval '1 hour'", "hours": "1", "activity": "'指导'",
                "people_guided": "10", "status": "CASE WHEN k % 10 = 0 THEN 'pending' ELSE 'confirmed' END",
                "created_at": f"now() - {ago}"},
                f"generate_series({done}, {hi}) k JOIN people_instructor i ON i.id = {first_id} + k % {N}")
            cur.execute("ANALYZE people_dutylog")
        done = hi + 1
        spent = time.perf_counter() - logs_start
        if done in (1_000_000, 3_000_000) or done >= M or spent > budget:
            checkpoints.append(measure(done, written=True))
        if spent > budget and done < M:
            out["stopped"] = f"the budget of {budget:.0f} s was spent at {done} logs"
            break
    out["logs"], out["logs_write_s"], out["checkpoints"] = done, round(time.perf_counter() - logs_start, 1), checkpoints
    return out

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default=None,
                        help="fresh database(s) of this kind; default: DATABASE_URL when set, else a fresh SQLite file")
    parser.add_argument("--province", action="store_true", help="also the province-scale figures (slow, GBs)")
    parser.add_argument("--province-only", action="store_true",
                        help="only the province figures, keeping the province an earlier run left in DATABASE_URL")
    parser.add_argument("--import-only", action="store_true",
                        help="only the register import (no people demo, no indicators): quicker")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.province or args.province_only:
        os.environ["QM_BENCH_PROVINCE"] = "only" if args.province_only else "1"
    if args.import_only:
        os.environ["QM_BENCH_IMPORT_ONLY"] = "1"
    if args.worker:
        work()
        return
    if args.db is None and os.environ.get("DATABASE_URL"):
        sys.exit(run_worker({**os.environ, **QUIET}, __file__))
    rc = 0
    for kind in databases(args.db):
        if kind == "postgres" and not postgres_available():
            print(f"postgres: skipped, {NO_POSTGRES}")
            continue
        extra = {k: v for k, v in QUIET.items() if k.startswith("QUANMIN_") and k != "QUANMIN_LOG_LEVEL"}
        with fresh_database(kind, "quanmin_bench_people", **extra) as env:
            rc = rc or run_worker(env, __file__)
    sys.exit(rc)


if __name__ == "__main__":
    main()
