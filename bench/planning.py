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

- the physique figures before and after their roll-up (quanmin.physique.tally), in the same run:
  the city's figures page (division_figures) and the counts behind the three physique indicators for
  every division of the city, read from the roll-up (median of 3) and computed the old way, every
  outcome decrypted (one call), with their ratio and a check that both give the same values.

Targets (issue 21): dashboard < 500 ms, snapshot < 30 s, import of 500 rows < 2 s.

With --province (PostgreSQL only, in a database of its own; not by default: minutes and a few GB):
the snapshot of every indicator for every division of a province-sized tree, the issue's < 10 min.
Two synthetic cities (9901, 9902) of 100 counties together × 100 townships × 10 communities (10,000
townships, 100,000 communities, 1,000 residents each: a province of 100 million, Shandong's order),
and every register an indicator reads (listed by running each indicator of the registry under
CaptureQueriesContext) filled at a believable province scale, all made by the server (INSERT …
SELECT over generate_series, as bench/people.py and bench/facilities.py do), then ANALYZE:

- 1,000,000 facilities on 250,000 sites (10 a community), one bookable unit per site (a unit on
  a quarter of the facilities); 1,000,000 equipment pieces (one per facility); a repair work order
  on one piece in five (200,000, 2 % still open) and a citizen's report on another (200,000);
  a fortnightly inspection plan per township, 26 rounds each (260,000, one in ten missed);
- 1,000,000 instructors (10 per 1,000 residents, 90 % active: above the plans' 2.5-3 per 1,000,
  an upper bound), 2,000,000 service logs over the year (two a month per instructor), two guidance
  stations per township, a post per community, 2,000 trainings of 50 enrolled;
- 1,000,000 residents with an account (1 % of the population: those who entered, earned points,
  claimed vouchers), each with one ciphertext of this run in every encrypted column;
- 1,000,000 physique test results of the year (1 % of residents tested a year, 30 % of them on the
  student standard) from a test station per township, ten sessions each, each result's outcome one
  of six ciphertexts made once; their figures' roll-up rebuilt from them (`physique_tally`, timed),
  and the physique figures before and after it, as for the demo city, for the first city;
- the year's events: county games in every county, three township events in every township,
  games in every other community (80,100 in all), five competitions each (400,500), 2,000,000
  confirmed entries (2 % of residents, as the seeds' participation targets ask); a promoted sport
  per township;
- 50,000 sports organisations (a federation in every county, in 8 townships of 10 and a community
  of 10; associations, clubs, fitness points and sports communities for the rest: 5 per 10,000
  residents), one in five graded;
- 5,000,000 points-ledger lines over the year (5 per account; one in five a redemption), a voucher
  campaign per city with 500,000 vouchers claimed, 60 % redeemed at a venue;
- a lottery fund for each city and county, ten funded projects per county with two sources and a
  line each;
- a closed regular-exerciser survey and a satisfaction survey per city, 100,000 answers each (2,000
  a county, the usual sample).

Bookings and their slots, event delegations, organisation members and survey questionnaires are
not made: no indicator reads them (the bookable-venue share reads the units only). Beside it, the
same-run baseline: one plain grouped count of facilities and of instructors per community (the
least any roll-up reads). The ten slowest indicators are listed (both cities' seconds added), the
indicators with no value anywhere in the tree, and the load average at the start and the end (the
machine is shared: on a loaded one, the figure is mostly waiting for a core).
--province-scale multiplies every count (0.01: two counties, to check the SQL in seconds).

    .venv/bin/python bench/planning.py [--db sqlite|postgres|both] [--province [--province-scale F]]
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import fresh_database, per_database, run_django

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
physique = physique_before_after("371500000000")

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
    "import_under_2s": import_s < 2, **physique,
}, ensure_ascii=False))
"""


# Prepended to both scripts: the physique figures before (every outcome decrypted) and after (the roll-up).
PHYSIQUE_TIMES = r"""
def physique_before_after(city_code):
    # The physique figures of a city (division_figures) and the counts behind its three indicators
    # for every division in it, read from the roll-up (quanmin.physique.tally: the median of 3 calls)
    # and computed the old way, every outcome decrypted (tally.decrypted_rows: one call), in this run;
    # the values are checked equal both ways.
    import datetime, statistics, time
    from quanmin.core.indicators import year_ending
    from quanmin.physique import figures, indicators, tally
    from quanmin.regions import subtrees
    from quanmin.regions.models import Region

    def timed(call, n=1):
        times, value = [], None
        for _ in range(n):
            start = time.perf_counter()
            value = call()
            times.append(time.perf_counter() - start)
        return statistics.median(times), value

    def old_counts(codes, as_of):  # physique.indicators._counts before the roll-up
        rows = tally.decrypted_rows(subtrees.covering_prefix(codes), 12, year_ending(as_of))
        return subtrees.sum_up(rows, codes, lambda code: figures.Counts(), key=lambda row: row["child"])

    def plain(counts):
        return {code: (c.tests, c.physique_known, c.physique_pass, c.physique_unknown, c.student_tests,
                       c.student_good) for code, c in counts.items()}

    city = Region.objects.get(code=city_code)
    codes = list(Region.objects.filter(code__within=city.prefix).values_list("code", flat=True))
    today = datetime.date.today()
    fig_after, new_fig = timed(lambda: figures.division_figures(city).as_dict(), 3)
    ind_after, new_ind = timed(lambda: indicators._counts(codes, today), 3)
    real = figures.result_rows
    figures.result_rows = tally.decrypted_rows
    try:
        fig_before, old_fig = timed(lambda: figures.division_figures(city).as_dict())
    finally:
        figures.result_rows = real
    ind_before, old_ind = timed(lambda: old_counts(codes, today))
    return {"physique_figures_decrypting_s": round(fig_before, 3), "physique_figures_rollup_s": round(fig_after, 3),
            "physique_figures_speedup": round(fig_before / fig_after, 1) if fig_after else None,
            "physique_indicator_divisions": len(codes),
            "physique_indicator_decrypting_s": round(ind_before, 3), "physique_indicator_rollup_s": round(ind_after, 3),
            "physique_indicator_speedup": round(ind_before / ind_after, 1) if ind_after else None,
            "physique_same_values": new_fig == old_fig and plain(new_ind) == plain(old_ind)}
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
from quanmin.planning.models import IndicatorSnapshot, SnapshotRun
from quanmin.planning.services import snapshots
from quanmin.regions.models import Region
from django.db.models import Sum
sys.path.insert(0, "bench")
from people import insert_select

# -- the other registers at a province's scale (see the module's docstring for the figures chosen)
import json as _json
from quanmin.accounts import crypto
from quanmin.accounts.models import User
from quanmin.booking.models import BookableUnit
from quanmin.events.models import Competition, Entry, Games, PromotedSport
from quanmin.facilities.models import Equipment
from quanmin.feedback.models import Report
from quanmin.funding.models import Amount, LotteryFund, Project
from quanmin.incentives.models import PointsEntry, Voucher, VoucherCampaign
from quanmin.maintenance.models import InspectionPlan, InspectionRound, WorkOrder
from quanmin.organizations.models import Grading, Organization
from quanmin.people.models import DutyLog, Enrollment, Post, Station, Training
from quanmin.physique import tally
from quanmin.physique.models import Participant, TestResult, TestSession, TestStation
from quanmin.surveys.models import Response, Survey


def scaled(name, full):
    return max(1, round(int(os.environ.get(f"QM_BENCH_PROVINCE_{name}", full)) * SCALE))


def ins(cur, model, exprs, source):
    # insert_select, with every timestamp the model stamps itself (auto_now, auto_now_add) set to now().
    for f in model._meta.concrete_fields:
        if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)) and f.column not in exprs:
            exprs[f.column] = "now()"
    return insert_select(cur, model, exprs, source)


def first_id(cur, model):
    cur.execute(f"SELECT MIN(id), COUNT(*) FROM {model._meta.db_table}")
    return cur.fetchone()


def choice(values, g):
    # SQL: one of `values` (strings) picked by the integer expression g.
    return "(ARRAY[" + ",".join(f"'{v}'" for v in values) + f"])[1 + ({g}) % {len(values)}]"


def sports_of(model):
    return [c[0] for c in model._meta.get_field("sport").choices]


def fill_registers(cur, n_comm, n_town, first_site, sites, instructors, first_instructor) -> dict:
    # Every other register an indicator reads, made by the server; {table: rows}.
    year = datetime.date.today().year
    cipher = crypto.encrypt("13800000000")  # any valid ciphertext: the figures never open these
    outcomes = [crypto.encrypt(_json.dumps(o)) for o in (
        {"passed": True, "rating": "pass"}, {"passed": True, "rating": "good"}, {"passed": True, "rating": "excellent"},
        {"passed": False, "rating": "fail"}, {"passed": True, "rating": "good"}, {"passed": None, "rating": ""})]
    comm = f"JOIN prov_comm c ON c.i = (g::bigint * 7919) % {n_comm}"
    town = f"JOIN prov_town t ON t.i = g % {n_town}"
    ago = "now() - ((g % 360) || ' days')::interval"
    out = {}
    # Residents with an account (entries, points, vouchers, inspectors): encrypted columns hold one ciphertext.
    n_users = scaled("USERS", 1_000_000)
    ins(cur, User, {"password": "'!'", "phone_hash": "'h' || g", "phone_enc": f"'{cipher}'", "real_name": "'省'",
                    "id_number_hash": "'i' || g", "id_number_enc": f"'{cipher}'", "birth_date": "DATE '1960-01-01' + (g % 20000)",
                    "sex": choice(("male", "female"), "g"), "home_region_id": "c.code", "date_joined": "now()"},
        f"generate_series(0, {n_users - 1}) g {comm}")
    fu, out["users"] = first_id(cur, User)
    user = f"{fu} + (g::bigint * 104729) % {n_users}"
    # Booking: one bookable unit on one facility of each site.
    out["bookable_units"] = ins(cur, BookableUnit, {"facility_id": "f.id", "site_id": "f.site_id", "region_id": "f.region_id",
                                                    "name": "'场地'", "created_at": "now()"},
                                "facilities_facility f WHERE f.id % 4 = 0")
    # Physique: a station per township, ten sessions each, a participant per result.
    ins(cur, TestStation, {"name": "'测试站'", "region_id": "t.code", "address": "''", "phone": "''"},
        f"generate_series(0, {n_town - 1}) g {town}")
    fst, n_st = first_id(cur, TestStation)
    ins(cur, TestSession, {"station_id": f"{fst} + g % {n_st}", "starts_at": ago, "ends_at": ago + " + interval '4 hours'",
                           "note": "''"}, f"generate_series(0, {n_st * 10 - 1}) g")
    fse, n_se = first_id(cur, TestSession)
    n_results = scaled("PHYSIQUE", 1_000_000)
    ins(cur, Participant, {"real_name": "'省'", "id_number_hash": "'q' || g", "id_number_enc": f"'{cipher}'",
                           "sex": choice(("male", "female"), "g"), "region_id": "c.code", "consent_version": "'1'",
                           "guardian_name": "''"}, f"generate_series(0, {n_results - 1}) g {comm}")
    fpa, _ = first_id(cur, Participant)
    out["physique_results"] = ins(cur, TestResult, {
        "participant_id": f"{fpa} + g", "session_id": f"{fse} + g % {n_se}", "region_id": "c.code",
        "standard": "CASE WHEN g % 10 < 3 THEN 'student-2014' ELSE 'physique-2023' END",
        "sex": choice(("male", "female"), "g"), "grade": "''", "age_group": "'20-24'", "health_enc": "''",
        "outcome_enc": choice(outcomes, "g / 7"), "tested_at": "now() - ((g % 365) || ' days')::interval"},
        f"generate_series(0, {n_results - 1}) g {comm}")
    # Events of the year: county games (10 competitions over five months), three township events,
    # a games in every other community; five competitions in the others, five entries each.
    counties_n = n_town // 100
    game_kinds = [("county", "games", counties_n, "k"), ("township", "event", n_town * 3, "t"),
                  ("community", "games", n_comm // 2, "c")]
    for level, kind, n, alias in game_kinds:
        table = {"k": "prov_county", "t": "prov_town", "c": "prov_comm"}[alias]
        ins(cur, Games, {"name": f"'{level}' || g", "kind": f"'{kind}'", "level": f"'{level}'", "region_id": f"{alias}.code",
                         "year": str(year), "organizer": "'体育局'", "operator": "''",
                         "co_organizers": "CASE WHEN g % 10 = 0 THEN '教育局' ELSE '' END", "contract": "''",
                         "association": "CASE WHEN g % 7 = 0 THEN '篮球协会' ELSE '' END",
                         "target_groups": choice(("", "", ",workers,", ",youth,", ",elderly,", ",women,"), "g"),
                         "brand": "g % 13 = 0", "brand_owner": "''", "description": "''", "status": "'published'",
                         "first_day": f"DATE '{year}-03-01' + (g % 30)", "last_day": f"DATE '{year}-03-01' + (g % 30) + (g % 90)",
                         "organizer_responsible": "''", "operator_responsible": "''", "authority_responsible": "''",
                         "published_at": "now()"},
            f"generate_series(0, {n - 1}) g JOIN {table} {alias} ON {alias}.i = g % (SELECT COUNT(*) FROM {table})")
    fg, n_games = first_id(cur, Games)
    sports = sports_of(Competition)
    per = 5
    start = f"(TIMESTAMPTZ '{year}-02-01 09:00+08' + ((g % {per}) * 30 || ' days')::interval)"
    ins(cur, Competition, {"games_id": f"{fg} + g / {per}", "sport": choice(sports, "g"), "name": "'比赛'",
                           "stage": choice(("", "", "primary", "junior"), "g / 3"), "rules": "''", "starts_at": start,
                           "ends_at": start + " + interval '6 hours'", "closes_at": start + " - interval '7 days'"},
        f"generate_series(0, {n_games * per - 1}) g")
    fc, n_comp = first_id(cur, Competition)
    n_entries = min(scaled("ENTRIES", 2_000_000), n_comp * per)
    out["event_entries"] = ins(cur, Entry, {
        "competition_id": "m.id", "games_id": "m.games_id", "user_id": "u.id", "team_name": "''", "status": "'confirmed'",
        "sex": "u.sex", "region_code": "u.home_region_id", "bib": "'B' || g", "created_at": "now()"},
        f"generate_series(0, {n_entries - 1}) g JOIN events_competition m ON m.id = {fc} + g::bigint * {n_comp} / {n_entries} "
        f"JOIN accounts_user u ON u.id = {user}")
    out["games"], out["competitions"] = n_games, n_comp
    out["promoted_sports"] = ins(cur, PromotedSport, {"region_id": "t.code", "year": str(year), "sport": choice(sports, "g"),
                                                       "note": "''", "created_at": "now()"},
                                 f"generate_series(0, {n_town - 1}) g {town}")
    # Sports organisations: a federation in every county, in 8 townships of 10 and one community of 10;
    # associations, clubs, fitness points and sports communities make up the rest; one in five graded.
    n_orgs = scaled("ORGANIZATIONS", 50_000)
    org = {"sector": "'general'", "review": "'approved'", "credit_code": "''", "address": "''", "sports": "''",
           "contact_name": "''", "contact_phone": "''", "meets": "'morning'", "schedule": "''", "description": "''",
           "officers": "'[]'", "member_count": "20 + g % 200"}
    for table, where in (("prov_county", "TRUE"), ("prov_town", "r.i % 10 < 8"), ("prov_comm", "r.i % 10 = 0")):
        ins(cur, Organization, {**org, "name": "'体育总会'", "kind": "'federation'", "status": "'registered'",
                                "region_id": "r.code"}, f"{table} r CROSS JOIN (SELECT 0 AS g) z WHERE {where}")
    _, n_fed = first_id(cur, Organization)
    rest = max(0, n_orgs - n_fed)
    ins(cur, Organization, {**org, "name": "'组织' || g", "kind": choice(("association", "group_association", "club",
                                                                         "club", "fitness_point", "fitness_point",
                                                                         "community_group"), "g"),
                            "status": "CASE WHEN g % 3 = 0 THEN 'filed' ELSE 'registered' END", "region_id": "c.code"},
        f"generate_series(0, {rest - 1}) g {comm}")
    out["organizations"] = n_fed + rest
    out["gradings"] = ins(cur, Grading, {"organization_id": "o.id", "grade": "1 + o.id % 5",
                                         "assessed_on": "CURRENT_DATE - 200", "valid_until": "CURRENT_DATE + 1600",
                                         "assessor": "'评估'", "note": "''"}, "organizations_organization o WHERE o.id % 5 = 0")
    # Equipment: a piece per facility; a work order on one in five, a report on one in five.
    out["equipment"] = ins(cur, Equipment, {
        "facility_id": "f.id", "kind": "'器材'", "maker": "''", "model": "''", "serial": "''", "install_date": "DATE '2018-01-01' + (f.id % 2000)::int",
        "design_life_years": "8", "tag": "'T' || f.id", "external_id": "''", "note": "''", "region_id": "f.region_id",
        "site_id": "f.site_id", "lon": "f.lon", "lat": "f.lat"}, "facilities_facility f")
    made = "(now() - ((e.id % 360) || ' days')::interval)"
    out["work_orders"] = ins(cur, WorkOrder, {
        "number": "'W' || e.id", "kind": "'repair'", "status": "CASE WHEN e.id % 50 = 0 THEN 'open' ELSE 'done' END",
        "source": choice(("inspection", "report", "staff"), "e.id"), "equipment_id": "e.id", "facility_id": "e.facility_id",
        "site_id": "e.site_id", "region_id": "e.region_id", "description": "''", "due_at": made + " + interval '3 days'",
        "created_at": made, "done_at": f"CASE WHEN e.id % 50 = 0 THEN NULL ELSE {made} + ((e.id % 5) || ' days')::interval END",
        "resolution": "''", "cancel_reason": "''"}, "facilities_equipment e WHERE e.id % 5 = 0")
    out["reports"] = ins(cur, Report, {
        "number": "'R' || e.id", "token": "'t' || e.id", "category": "'equipment'", "description": "''", "equipment_id": "e.id",
        "site_id": "e.site_id", "region_id": "e.region_id", "handler_region_id": "e.region_id", "phone_encrypted": f"'{cipher}'",
        "phone_masked": "'138****0000'", "status": "CASE WHEN e.id % 20 = 1 THEN 'received' ELSE 'closed' END",
        "created_at": made, "respond_by": made + " + interval '1 day'", "resolve_by": made + " + interval '7 days'",
        "resolved_at": made + " + interval '3 days'", "answer": "''", "rating": "1 + e.id % 5", "rating_comment": "''",
        "rated_at": made + " + interval '4 days'", "source": "'web'", "client_key": "''"}, "facilities_equipment e WHERE e.id % 5 = 1")
    ins(cur, InspectionPlan, {"name": "'巡检'", "kind": "'periodic'", "region_id": "t.code", "inspector_id": f"{fu} + g",
                              "every_days": "14", "starts_on": "CURRENT_DATE - 400", "focus": "''"},
        f"generate_series(0, {n_town - 1}) g {town}")
    out["inspection_rounds"] = ins(cur, InspectionRound, {
        "plan_id": "p.id", "kind": "'periodic'", "region_id": "p.region_id", "inspector_id": "p.inspector_id",
        "scheduled_for": "CURRENT_DATE - 14 * k", "due_on": "CURRENT_DATE - 14 * k + 2",
        "status": "CASE WHEN (p.id + k) % 10 = 0 THEN 'missed' ELSE 'done' END", "pieces": "100"},
        "maintenance_inspectionplan p CROSS JOIN generate_series(0, 25) k")
    # Instructors' registers: stations, posts, trainings and enrolments, service logs.
    out["stations"] = ins(cur, Station, {"name": "'指导站'", "region_id": "t.code", "sports": "''", "times": "''"},
                          f"generate_series(0, {2 * n_town - 1}) g {town}")
    out["posts"] = ins(cur, Post, {"kind": choice(("instructor", "sports_committee_member"), "g"),
                                   "instructor_id": f"{first_instructor} + g % {instructors}", "person_name": "'省'",
                                   "region_id": "c.code", "appointed_on": "CURRENT_DATE - 300", "note": "''"},
                       f"generate_series(0, {n_comm - 1}) g JOIN prov_comm c ON c.i = g")
    ins(cur, Training, {"title": "'培训'", "organiser": "'体育局'", "region_id": "t.code", "starts_on": "CURRENT_DATE - (g % 300)",
                        "ends_on": "CURRENT_DATE - (g % 300) + 2", "hours": "16"},
        f"generate_series(0, {max(1, n_town // 5) - 1}) g {town}")
    ftr, n_tr = first_id(cur, Training)
    out["enrollments"] = ins(cur, Enrollment, {"training_id": f"{ftr} + g / 50",
                                               "instructor_id": f"{first_instructor} + (g::bigint * 7919) % {instructors}",
                                               "attended_hours": "16", "passed": "g % 10 > 0", "result_on": "CURRENT_DATE - 30"},
                             f"generate_series(0, {n_tr * 50 - 1}) g")
    n_logs = scaled("DUTY_LOGS", 2_000_000)
    out["duty_logs"] = ins(cur, DutyLog, {
        "instructor_id": f"{first_instructor} + (g::bigint * 7919) % {instructors}", "region_id": "c.code",
        "started_at": ago, "ended_at": ago + " + interval '2 hours'", "hours": "2", "activity": "'指导'",
        "sport": choice(sports_of(DutyLog), "g"), "people_guided": "g % 30", "photo": "''", "status": "'confirmed'"},
        f"generate_series(0, {n_logs - 1}) g {comm}")
    # Points ledger: credits where the activity happened, one in five a redemption; vouchers of a campaign per city.
    n_points = scaled("POINTS", 5_000_000)
    out["points_entries"] = ins(cur, PointsEntry, {
        "user_id": user, "kind": "CASE WHEN g % 5 = 0 THEN 'redeem' ELSE 'credit' END",
        "points": "CASE WHEN g % 5 = 0 THEN -50 ELSE 10 END", "fact": choice(("check_in", "group_activity", "event_entry",
                                                                          "physique_test"), "g"),
        "source_key": "'s' || g", "region_code": "c.code", "day": "CURRENT_DATE - (g % 365)", "note": "''"},
        f"generate_series(0, {n_points - 1}) g {comm}")
    ins(cur, VoucherCampaign, {"region_id": "r.code", "name": "'消费券'", "budget": "10000000", "face_value": "20",
                               "total": "1000000", "claim_starts_at": "now() - interval '300 days'",
                               "claim_ends_at": "now() + interval '30 days'", "use_until": "now() + interval '60 days'",
                               "status": "'open'", "bands": "'[]'"}, "regions_region r WHERE r.code LIKE '99%%' AND r.level = 'city'")
    fca, _ = first_id(cur, VoucherCampaign)
    n_vouchers = min(scaled("VOUCHERS", 500_000), n_users)
    claimed = "(now() - ((g % 300) || ' days')::interval)"
    out["vouchers"] = ins(cur, Voucher, {
        "campaign_id": f"{fca} + g % 2", "user_id": f"{fu} + g", "person_key": "'p' || g", "nth": "1", "code": "'V' || g",
        "status": "CASE WHEN g % 5 < 3 THEN 'redeemed' ELSE 'claimed' END", "claimed_at": claimed,
        "expires_at": claimed + " + interval '30 days'", "device_key": "'d' || g", "address_key": "'a'",
        "redeemed_at": f"CASE WHEN g % 5 < 3 THEN {claimed} + interval '3 days' END",
        "site_id": f"CASE WHEN g % 5 < 3 THEN {first_site} + g % {sites} END",
        "spend": "CASE WHEN g % 5 < 3 THEN 100 + g % 200 END", "discount": "CASE WHEN g % 5 < 3 THEN 20 END"},
        f"generate_series(0, {n_vouchers - 1}) g")
    # Funding: a lottery fund for every city and county, ten projects a county with their sources and lines.
    out["lottery_funds"] = ins(cur, LotteryFund, {"region_id": "r.code", "year": str(year), "received": "1000000",
                                                  "fitness": "700000", "note": "''"},
                               "regions_region r WHERE r.code LIKE '99%%' AND r.level IN ('city', 'county')")
    ins(cur, Project, {"region_id": "k.code", "year": str(year), "title": "'项目' || g", "builds": "''"},
        f"generate_series(0, {counties_n * 10 - 1}) g JOIN prov_county k ON k.i = g % {counties_n}")
    out["funding_amounts"] = ins(cur, Amount, {"project_id": "p.id", "kind": "a.kind", "item": "a.item", "planned": "100000",
                                               "actual": "90000"},
                                 "funding_project p CROSS JOIN (VALUES ('source', 'central'), ('source', 'donation'), "
                                 "('line', 'equipment')) a(kind, item)")
    # Surveys: a closed regular-exerciser and satisfaction survey per city, 2,000 answers a county each.
    n_answers = scaled("SURVEY_ANSWERS", 100_000)
    half = n_comm // 2
    for city_i, city in enumerate(("9901", "9902")):
        for kind in ("regular_exercise", "satisfaction"):
            survey = Survey.objects.create(title="调查", kind=kind, region_id=f"{city}00000000", introduction="",
                                           opens_on=datetime.date.today() - datetime.timedelta(days=60),
                                           closes_on=datetime.date.today() - datetime.timedelta(days=30),
                                           status=Survey.Status.CLOSED, response_count=n_answers)
            ins(cur, Response, {"survey_id": str(survey.pk), "region_id": "c.code", "sex": choice(("male", "female"), "g"),
                                "age_band": choice(("under_20", "20_39", "40_59", "60_plus"), "g / 2"), "answers": "'{}'",
                                "regular": "g % 10 < 5" if kind == "regular_exercise" else "NULL",
                                "score": "(g % 5) * 25" if kind == "satisfaction" else "NULL",
                                "submitted_on": "CURRENT_DATE - 40"},
                f"generate_series(0, {n_answers - 1}) g JOIN prov_comm c ON c.i = {city_i * half} + (g::bigint * 7919) % {half}")
    out["survey_answers"] = 4 * n_answers
    return out


call_command("migrate", verbosity=0)
SCALE = float(os.environ.get("QM_BENCH_PROVINCE_SCALE", "1"))
COUNTIES = max(2, round(int(os.environ.get("QM_BENCH_PROVINCE_COUNTIES", "100")) * SCALE))
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
    for table, level in (("prov_town", "township"), ("prov_county", "county")):
        cur.execute(f"CREATE TEMP TABLE {table} AS SELECT (ROW_NUMBER() OVER (ORDER BY code)) - 1 AS i, code "
                    f"FROM regions_region WHERE code LIKE '99%%' AND level = '{level}'")
        cur.execute(f"CREATE UNIQUE INDEX ON {table} (i)")
    n = len(communities)
    sites = scaled("FACILITIES", 1_000_000) // 4
    insert_select(cur, Site, {"name": "'场地' || g", "lon": "115 + (g % 1000) / 1000.0", "lat": "36 + (g % 997) / 1000.0",
                              "region_id": "c.code", "created_at": "now()", "updated_at": "now()"},
                  f"generate_series(0, {sites - 1}) g JOIN prov_comm c ON c.i = g % {n}")
    cur.execute("SELECT MIN(id) FROM facilities_site")
    first = cur.fetchone()[0]
    INSTRUCTORS = scaled("INSTRUCTORS", 1_000_000)
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
    first_instructor, _ = first_id(cur, Instructor)
    rows = fill_registers(cur, n, len(townships), first, sites, INSTRUCTORS, first_instructor)
    # The physique results were inserted past the services: their figures' roll-up is rebuilt from them.
    t_tally = time.perf_counter()
    rows["physique_tally_keys"] = tally.rebuild()
    rows["physique_tally_rebuild_s"] = round(time.perf_counter() - t_tally, 1)
    cur.execute("ANALYZE")
out.update(generate_s=round(time.perf_counter() - t0, 1), scale=SCALE, counties=len(counties), townships=len(townships),
           communities=len(communities), facilities=Facility.objects.count(), instructors=Instructor.objects.count(), **rows)
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
           snapshot_slowest=[f"{key} {sec:.1f} s" for key, sec in SnapshotRun.objects.filter(
               as_of=today, scope__in=("9901", "9902")).values_list("indicator").annotate(s=Sum("seconds")).order_by("-s")[:10]],
           indicators_without_value=sorted(set(indicators.registry()) - set(IndicatorSnapshot.objects.filter(
               as_of=today, division_code__startswith="99", value__isnull=False).values_list("indicator", flat=True).distinct())),
           load_average_end=os.getloadavg()[0])
out.update(physique_before_after("990100000000"))
print(json.dumps(out, ensure_ascii=False))
"""


def run(kind: str, script: str = CHILD, **extra_env) -> dict:
    with fresh_database(kind, "quanmin_bench_planning", **extra_env) as env:
        return run_django(env, PHYSIQUE_TIMES + script, check=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--province", action="store_true",
                        help="only the province-scale snapshot (PostgreSQL; minutes and a few GB)")
    parser.add_argument("--province-scale", type=float, default=1.0,
                        help="with --province: every count times this (0.01 checks the SQL in seconds)")
    args = parser.parse_args()
    if args.province:
        scale = {"QM_BENCH_PROVINCE_SCALE": str(args.province_scale)}
        out = {"province": per_database("postgres", lambda kind: run(kind, PROVINCE, **scale))["postgres"]}
        print(json.dumps(out, ensure_ascii=False))
        return
    out = per_database(args.db, run)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
