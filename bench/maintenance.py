"""Equipment, maintenance and residents' reports at city scale (cities run tens of thousands of pieces).

In a throwaway database (a fresh SQLite file by default; the PostgreSQL database of DATABASE_URL
when it is set, which must be empty and is left filled; or fresh databases with --db):
1. Excel import of the equipment register (facilities.equipment_io): a real .xlsx of 20,000 pieces
   in the import template's columns, dry run and apply, rows/s.
2. Maintenance figures (maintenance.figures.division_figures) for the city and one county on a city
   of ~50,000 pieces, ~500 rounds, ~50,000 checks, ~1,000 work orders, ~500 reports: ms per call
   (median of 5) and queries per call.
3. The inspector's check (maintenance.inspections.record_check) on a round of a county-wide plan:
   ms per check (median, p95) over 200 checks, queries per check, the slowest query of a check.
4. Residents' reports (feedback.services.submit_report, deadlines in working days): reports/s over 500.
Prints figures as it goes and one JSON line at the end. No goals are asserted.

Sizes (environment): QM_BENCH_IMPORT_ROWS (20000), QM_BENCH_PIECES (50000), QM_BENCH_ROUNDS (500),
QM_BENCH_CHECKS (50000), QM_BENCH_ORDERS (1000), QM_BENCH_REPORTS (500), QM_BENCH_WALK (200),
QM_BENCH_SUBMIT (500).

    .venv/bin/python bench/maintenance.py [--db sqlite|postgres|both]
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import NO_POSTGRES, ROOT, databases, fresh_database, postgres_available, run_worker


def size(name: str, default: int) -> int:
    return int(os.environ.get(f"QM_BENCH_{name}", default))


def work() -> None:  # one straight script, read top to bottom
    import datetime
    import io
    import random
    import re
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
    from quanmin.accounts import services as acc
    from quanmin.accounts.models import Role
    from quanmin.facilities import equipment_io, equipment_types
    from quanmin.facilities.models import Equipment, Facility, Site
    from quanmin.feedback import routing
    from quanmin.feedback import services as feedback
    from quanmin.feedback.models import Report
    from quanmin.maintenance import checklists, figures, inspections
    from quanmin.maintenance.models import Check, InspectionPlan, InspectionRound, MaintenanceUnit, WorkOrder
    from quanmin.regions import codes
    from quanmin.regions.models import Region

    n_import, n_pieces = size("IMPORT_ROWS", 20000), size("PIECES", 50000)
    n_rounds, n_checks = size("ROUNDS", 500), size("CHECKS", 50000)
    n_orders, n_reports = size("ORDERS", 1000), size("REPORTS", 500)
    n_walk, n_submit = size("WALK", 200), size("SUBMIT", 500)
    out: dict = {"vendor": connection.vendor}
    rng = random.Random(3715)
    now = timezone.now()
    today = timezone.localdate()

    def say(text: str) -> None:
        print(text, flush=True)

    def pct(values, p):
        values = sorted(values)
        return values[min(len(values) - 1, int(p / 100 * len(values)))]

    say(f"database: {connection.vendor}")

    # ------------------------------------------------------------------ the city
    t0 = time.perf_counter()
    call_command("load_regions", "3715", stdout=io.StringIO())
    city = Region.objects.get(code="371500000000")
    counties = list(Region.objects.filter(parent=city).order_by("code"))
    communities = list(Region.objects.filter(level="community", code__startswith="3715")
                       .values_list("code", flat=True).order_by("code"))
    admin = acc.create_user(phone="13800009999", password=None, is_superuser=True, is_staff=True, real_name="管理员")
    staff = acc.create_user(phone="13800009998", password=None, real_name="市体育局")
    acc.grant_membership(staff, Role.CITY_STAFF, city)
    inspector = acc.create_user(phone="13800009997", password=None, real_name="巡检员")
    MaintenanceUnit.objects.create(name="市健身器材维修中心", region=city, contact="王", phone="06358888888")

    # One fitness path per site, ~8 pieces each; sites spread over the city's communities.
    per_facility = 8
    n_facilities = max(1, -(-n_pieces // per_facility))
    sites = [Site(name=f"压测健身点{i}", lon=115.3 + rng.random() * 1.2, lat=35.9 + rng.random(),
                  region_id=communities[i % len(communities)], owner_kind=Site.OwnerKind.COMMUNITY)
             for i in range(n_facilities)]
    Site.objects.bulk_create(sites, batch_size=2000)
    sites = list(Site.objects.filter(name__startswith="压测健身点").order_by("pk"))
    Facility.objects.bulk_create([Facility(site=s, type="fitness_path", name="健身路径", region_id=s.region_id,
                                           lon=s.lon, lat=s.lat, open=True, year_built=2015) for s in sites],
                                 batch_size=2000)
    facilities = list(Facility.objects.filter(type="fitness_path").order_by("pk").values_list("pk", "region_id"))
    out["setup_city_s"] = round(time.perf_counter() - t0, 1)
    say(f"city: {len(counties)} counties, {len(communities)} communities, {len(facilities)} facilities "
        f"({out['setup_city_s']} s)")

    # ------------------------------------------------------------------ 1. Excel import
    outdoor = [t for t in equipment_types.TYPES.values() if t.group != "smart"]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(equipment_io.SHEET)
    keys = [c.key for c in equipment_io.COLUMNS]
    ws.append(equipment_io.headers())
    for i in range(n_import):
        kind = outdoor[i % len(outdoor)]
        installed = datetime.date(2015 + i % 9, 1 + i % 12, 1 + i % 28)
        row = {"external_id": f"IMP-{i:06d}", "kind": kind.name_zh, "facility_id": facilities[i // per_facility][0],
               "maker": "舒华体育", "model": f"SH-G{5200 + i % 50}", "serial": f"{installed:%Y%m}{i:05d}",
               "install_date": installed.isoformat(), "design_life_years": kind.design_life_years,
               "status": "正常", "smart": "否"}
        ws.append([row.get(k, "") for k in keys])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    t0 = time.perf_counter()
    rows = equipment_io.read_workbook(io.BytesIO(data))
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    dry = equipment_io.import_rows(rows, admin, dry_run=True)
    t_dry = time.perf_counter() - t0
    t0 = time.perf_counter()
    applied = equipment_io.import_rows(equipment_io.read_workbook(io.BytesIO(data)), admin, dry_run=False)
    t_apply = time.perf_counter() - t0  # the .xlsx read again, included
    t0 = time.perf_counter()
    again = equipment_io.import_rows(equipment_io.read_workbook(io.BytesIO(data)), admin, dry_run=True)
    t_again = time.perf_counter() - t0
    out["import"] = {
        "rows": n_import, "xlsx_mb": round(len(data) / 1e6, 2), "read_s": round(t_read, 2),
        "read_rows_per_s": round(n_import / t_read), "dry_run_rows_per_s": round(n_import / t_dry),
        "apply_with_read_rows_per_s": round(n_import / t_apply), "applied": applied.applied,
        "counts": applied.counts, "dry_run_counts": dry.counts,
        "reimport_dry_run_rows_per_s": round(n_import / t_again), "reimport_counts": again.counts,
    }
    imp = out["import"]
    say(f"1. import {n_import} rows ({imp['xlsx_mb']} MB .xlsx): read {imp['read_s']} s "
        f"({imp['read_rows_per_s']} rows/s); dry run (rows read) {imp['dry_run_rows_per_s']} rows/s; "
        f"apply incl. reading {imp['apply_with_read_rows_per_s']} rows/s; counts {applied.counts}; "
        f"dry run of the same file again {imp['reimport_dry_run_rows_per_s']} rows/s ({again.counts})")

    # ------------------------------------------------------------------ 2. the rest of the register and history
    t0 = time.perf_counter()
    start = Equipment.objects.count()
    batch = []
    for i in range(start, n_pieces):
        pk, region = facilities[i // per_facility]
        kind = outdoor[i % len(outdoor)]
        f = Facility(pk=pk, region_id=region, site_id=0, lon=0, lat=0)
        piece = Equipment(kind=kind.code, tag=f"B{i:07d}", external_id=f"GEN-{i:06d}", maker="英吉多",
                          install_date=datetime.date(2012 + i % 12, 1 + i % 12, 1 + i % 28),
                          design_life_years=kind.design_life_years, facility_id=pk, region_id=region)
        batch.append((piece, f))
    site_of = dict(Facility.objects.values_list("pk", "site_id"))
    pos = {s.pk: (s.lon, s.lat) for s in sites}
    pieces = []
    for piece, f in batch:
        piece.site_id = site_of[f.pk]
        piece.lon, piece.lat = pos[piece.site_id]
        pieces.append(piece)
    Equipment.objects.bulk_create(pieces, batch_size=2000)
    by_county: dict[str, list[tuple[int, str]]] = {}
    for pk, region, kind in Equipment.objects.values_list("pk", "region_id", "kind").order_by("pk"):
        by_county.setdefault(codes.prefix_at(region, "county"), []).append((pk, kind))
    out["pieces"] = Equipment.objects.count()

    # Daily plans, one per county; past rounds (done or missed) with ~100 checks each.
    plans = []
    for c in counties:
        plans.append(InspectionPlan.objects.create(name=f"{c.name}日常巡检", kind="daily", region=c, inspector=inspector,
                                                   every_days=1, days_to_complete=1,
                                                   starts_on=today - datetime.timedelta(days=400)))
    rounds = []
    for i in range(n_rounds):
        plan = plans[i % len(plans)]
        day = today - datetime.timedelta(days=1 + i // len(plans))
        done = rng.random() < 0.9
        rounds.append(InspectionRound(plan=plan, kind=plan.kind, region_id=plan.region_id, inspector=inspector,
                                      scheduled_for=day, due_on=day, status="done" if done else "missed",
                                      pieces=len(by_county.get(codes.prefix_at(plan.region_id, "county"), [])),
                                      started_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(8))),
                                      finished_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(16)))
                                      if done else None))
    InspectionRound.objects.bulk_create(rounds, batch_size=1000)
    rounds = list(InspectionRound.objects.order_by("pk").values_list("pk", "region_id", "scheduled_for"))
    per_round = max(1, n_checks // max(1, len(rounds)))
    checks, defects = [], []
    for rid, region, day in rounds:
        pool = by_county.get(codes.prefix_at(region, "county")) or []
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        for pk, kind in rng.sample(pool, min(per_round, len(pool))):
            bad = rng.random() < 0.02
            checks.append(Check(round_id=rid, equipment_id=pk, result="defect" if bad else "ok", checked_at=at,
                                failed_items=[checklists.for_kind(kind)[0].code] if bad else [],
                                checked_by=inspector))
            if bad:
                defects.append((pk, region, at))
    Check.objects.bulk_create(checks, batch_size=2000)
    out["checks"] = Check.objects.count()

    # Work orders: the inspection defects first, then staff and report orders, over the last months.
    all_pieces = [(pk, c) for c, lst in by_county.items() for pk, _k in lst]
    orders = []
    statuses = ["open", "assigned", "in_progress", "done", "verified", "verified", "done", "cancelled"]
    for i in range(n_orders):
        if i < len(defects):
            pk, region, at = defects[i]
        else:
            pk, _c = rng.choice(all_pieces)
            region = None
            at = now - datetime.timedelta(days=rng.randint(0, 300), hours=rng.randint(0, 23))
        status = statuses[i % len(statuses)]
        orders.append(WorkOrder(number=f"WX{i:08d}", kind="repair", severity=rng.choice(["urgent", "high", "normal", "low"]),
                                status=status, source=rng.choice(["inspection", "report", "staff"]), equipment_id=pk,
                                region_id=region, description="压测工单", due_at=at + datetime.timedelta(days=3),
                                done_at=at + datetime.timedelta(hours=rng.randint(2, 120))
                                if status in ("done", "verified") else None))
        orders[-1]._at = at
    eq_region = dict(Equipment.objects.values_list("pk", "region_id"))
    for o in orders:
        o.region_id = o.region_id or eq_region[o.equipment_id]
    WorkOrder.objects.bulk_create(orders, batch_size=1000)
    for o in orders:  # created_at is auto_now_add: spread it over the months afterwards
        WorkOrder.objects.filter(number=o.number).update(created_at=o._at)

    reports = []
    for i in range(n_reports):
        pk, _c = rng.choice(all_pieces)
        region = eq_region[pk]
        at = now - datetime.timedelta(days=rng.randint(0, 300), hours=rng.randint(0, 23))
        status = rng.choice(["received", "responded", "resolved", "closed", "closed", "rejected"])
        rated = status == "closed" and rng.random() < 0.7
        reports.append(Report(number=f"TS{i:08d}", token=f"benchtoken{i:022d}", category="equipment",
                              description="器材损坏", equipment_id=pk, region_id=region, handler_region_id=codes.ancestor_at(region, "county"),
                              phone_masked="138****8000", status=status, created_at=at,
                              respond_by=at + datetime.timedelta(days=1), resolve_by=at + datetime.timedelta(days=7),
                              escalations=1 if rng.random() < 0.1 else 0, rating=rng.randint(2, 5) if rated else None,
                              rated_at=at + datetime.timedelta(days=5) if rated else None,
                              resolved_at=at + datetime.timedelta(days=3) if status in ("resolved", "closed") else None))
    Report.objects.bulk_create(reports, batch_size=1000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    out["generate_s"] = round(time.perf_counter() - t0, 1)
    out["rounds"], out["work_orders"], out["reports"] = (InspectionRound.objects.count(), WorkOrder.objects.count(),
                                                         Report.objects.count())
    say(f"generated: {out['pieces']} pieces, {out['rounds']} rounds, {out['checks']} checks, "
        f"{out['work_orders']} work orders, {out['reports']} reports ({out['generate_s']} s)")

    # ------------------------------------------------------------------ 2. figures
    county = max(counties, key=lambda c: len(by_county.get(codes.prefix_at(c.code, "county"), [])))
    out["figures"] = {}
    for label, region in (("city", city), ("county", county)):
        figures.division_figures(region)  # warm
        times = []
        for _i in range(5):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                result = figures.division_figures(region)
                times.append((time.perf_counter() - t0) * 1000)
        slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]))
        out["figures"][label] = {"region": region.code, "median_ms": round(statistics.median(times), 1),
                                 "queries": len(ctx.captured_queries), "children": len(result.children),
                                 "pieces": result.figures.pieces, "rounds_due": result.figures.rounds_due,
                                 "defects": result.figures.defects, "reports": result.figures.reports,
                                 "slowest_query_ms": round(float(slowest["time"]) * 1000, 1)}
        fig = out["figures"][label]
        say(f"2. figures {label} {region.code} ({region.name}, {fig['children']} divisions under it): "
            f"{fig['pieces']} pieces, {fig['rounds_due']} rounds due, {fig['defects']} defects, {fig['reports']} reports: "
            f"median {fig['median_ms']} ms of 5, {fig['queries']} queries, slowest query {fig['slowest_query_ms']} ms")

    # ------------------------------------------------------------------ 3. the inspector's check
    plan = InspectionPlan.objects.create(name="压测大计划", kind="periodic", region=county, inspector=inspector,
                                         every_days=7, days_to_complete=7, starts_on=today)
    big = InspectionRound.objects.create(plan=plan, kind=plan.kind, region=county, inspector=inspector,
                                         scheduled_for=today, due_on=today + datetime.timedelta(days=6),
                                         pieces=inspections.plan_pieces(plan).count())
    walk = list(inspections.plan_pieces(plan).order_by("pk")[:n_walk])
    t_ok, t_defect, n_queries, slow = [], [], [], []
    for i, piece in enumerate(walk):
        defect = i % 20 == 19
        kwargs = {"result": "defect", "failed_items": [checklists.for_kind(piece.kind)[0].code]} if defect \
            else {"result": "ok"}
        reset_queries()  # the debug log keeps 9,000 queries and warns past that
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            inspections.record_check(big, equipment=piece, actor=inspector, lon=piece.lon, lat=piece.lat, **kwargs)
            dt = (time.perf_counter() - t0) * 1000
        (t_defect if defect else t_ok).append(dt)
        n_queries.append(len(ctx.captured_queries))
        q = max(ctx.captured_queries, key=lambda q: float(q["time"]))
        slow.append((float(q["time"]), q["sql"]))
    every = t_ok + t_defect
    # The per-check reads on their own, against the same round.
    big.refresh_from_db()
    count_times, lookup_times = [], []
    for piece in walk[:20]:
        t0 = time.perf_counter()
        inspections.round_pieces(big).count()
        count_times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        inspections.round_pieces(big).filter(pk=piece.pk).first()
        lookup_times.append((time.perf_counter() - t0) * 1000)
    count_sql = str(inspections.round_pieces(big).values("pk").query)
    plan_count = inspections.round_pieces(big).order_by().values("pk").explain()
    plan_lookup = inspections.round_pieces(big).filter(pk=walk[0].pk).explain()
    slow_sqls: dict[str, list[float]] = {}
    for t, sql in slow:  # the same statement whatever the numbers in it
        slow_sqls.setdefault(re.sub(r"\b\d+\b", "?", sql)[:700], []).append(t * 1000)
    out["check"] = {
        "round_pieces": big.pieces, "checks": len(every), "defects": len(t_defect),
        "median_ms": round(statistics.median(every), 2), "p95_ms": round(pct(every, 95), 2),
        "ok_median_ms": round(statistics.median(t_ok), 2),
        "defect_median_ms": round(statistics.median(t_defect), 2) if t_defect else None,
        "queries_per_check_median": statistics.median(n_queries), "queries_per_check_max": max(n_queries),
        "round_pieces_count_ms_median": round(statistics.median(count_times), 2),
        "round_pieces_lookup_ms_median": round(statistics.median(lookup_times), 2),
        "slowest_query_of_a_check": {k: {"checks": len(v), "median_ms": round(statistics.median(v), 2)}
                                     for k, v in slow_sqls.items()},
    }
    ck = out["check"]
    say(f"3. record_check on a round of {ck['round_pieces']} pieces (plan for {county.code} {county.name}): "
        f"{ck['checks']} checks ({ck['defects']} defects): median {ck['median_ms']} ms, p95 {ck['p95_ms']} ms "
        f"(OK {ck['ok_median_ms']} ms, defect {ck['defect_median_ms']} ms); queries per check "
        f"{ck['queries_per_check_median']} (max {ck['queries_per_check_max']})")
    say(f"   round_pieces(round).count() alone: {ck['round_pieces_count_ms_median']} ms; "
        f"round_pieces(round).filter(pk=..).first() alone: {ck['round_pieces_lookup_ms_median']} ms")
    for k, v in sorted(ck["slowest_query_of_a_check"].items(), key=lambda kv: -kv[1]["checks"]):
        say(f"   slowest query in {v['checks']} of the checks (median {v['median_ms']} ms): {k}")
    say(f"   the round's pieces (round_pieces) as SQL: {count_sql}")
    say("   its plan (the count's shape, without ORDER BY):\n      " + plan_count.replace("\n", "\n      "))
    say("   the plan of round_pieces(round).filter(pk=..) (record_check's piece lookup):\n      "
        + plan_lookup.replace("\n", "\n      "))

    # ------------------------------------------------------------------ 4. residents' reports
    targets = rng.sample(list(Equipment.objects.exclude(status="removed").select_related("site")[:5000]), n_submit)
    reset_queries()
    deadline_times = []
    for piece in targets[:100]:
        t0 = time.perf_counter()
        routing.deadlines(piece.region_id, now)
        deadline_times.append((time.perf_counter() - t0) * 1000)
    t_submit, n_q, report_sql = 0.0, 0, {}
    for i, piece in enumerate(targets):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            feedback.submit_report(category="equipment", description=f"压测：器材损坏 {i}", phone="13800138000",
                                   equipment=piece)
            t_submit += time.perf_counter() - t0
        n_q += len(ctx.captured_queries)
        for q in ctx.captured_queries:
            key = re.sub(r"\b\d+\b", "?", q["sql"])[:90]
            report_sql[key] = report_sql.get(key, 0.0) + float(q["time"]) * 1000
    out["reports_submit"] = {"reports": n_submit, "per_s": round(n_submit / t_submit, 1),
                             "ms_per_report": round(t_submit / n_submit * 1000, 2),
                             "queries_per_report": round(n_q / n_submit, 1),
                             "deadlines_ms_median": round(statistics.median(deadline_times), 3),
                             "query_ms_per_report": round(sum(report_sql.values()) / n_submit, 2),
                             "top_queries_ms_per_report": {k: round(v / n_submit, 2) for k, v in sorted(
                                 report_sql.items(), key=lambda kv: -kv[1])[:4]}}
    rs = out["reports_submit"]
    say(f"4. submit_report: {n_submit} reports, {rs['per_s']} reports/s ({rs['ms_per_report']} ms each, "
        f"{rs['queries_per_report']} queries each, {rs['query_ms_per_report']} ms in them); "
        f"deadlines() alone {rs['deadlines_ms_median']} ms")
    for k, v in rs["top_queries_ms_per_report"].items():
        say(f"   {v} ms per report in: {k}")
    print(json.dumps(out, ensure_ascii=False, default=str), flush=True)


QUIET = {"DJANGO_SETTINGS_MODULE": "quanmin.settings", "QUANMIN_LOG_LEVEL": "ERROR",
         "QUANMIN_NOTIFY_BACKENDS": "quanmin.accounts.notify.InAppBackend"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default=None,
                        help="fresh database(s) of this kind; default: DATABASE_URL when set, else a fresh SQLite file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        work()
        return
    if args.db is None and os.environ.get("DATABASE_URL"):
        env = {**os.environ, **QUIET}
        sys.exit(run_worker(env, __file__))
    rc = 0
    for kind in databases(args.db):
        if kind == "postgres" and not postgres_available():
            print(f"postgres: skipped, {NO_POSTGRES}")
            continue
        with fresh_database(kind, "quanmin_bench_maint", QUANMIN_NOTIFY_BACKENDS=QUIET["QUANMIN_NOTIFY_BACKENDS"]) as env:
            rc = rc or run_worker(env, __file__)
    sys.exit(rc)


if __name__ == "__main__":
    main()
