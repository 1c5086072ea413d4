"""Supervision (督查): a bulletin's content and the rectification items' list and Excel export at a
city's scale. Prints one JSON line.

In a fresh database (SQLite, and PostgreSQL when a server answers on 127.0.0.1:5432): Liaocheng's
real divisions (`load_regions 3715`), seed 000 as the city's plan, and a year of supervision — one
carried-out visit to every township (about 130), three problems each with a rectification item
(about 400 items, a third overdue, a third closed). Then, each the median of 5:

- the bulletin's content over the year (`selectors_supervision.bulletin_content`: the counties
  ranked by the plan's dashboard, with every finding and item counted), beside the plan's dashboard
  alone (`selectors.dashboard`, the same-run baseline it builds on): the ratio is what the findings
  add;
- the city staff's rectification list page and `GET /api/v1/planning/supervision/rectifications`
  (100 items), beside the plans' list page (one query page under the same session and middleware);
- the Excel export of every finding and item the city's staff see.

    .venv/bin/python bench/supervision.py [--db sqlite|postgres|both]
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import fresh_database, per_database, run_django

CHILD = r"""
import datetime, json, statistics, time
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from quanmin.accounts import services as accounts
from quanmin.accounts.models import Role, User
from quanmin.planning import selectors, selectors_supervision
from quanmin.planning.models import Bulletin, Rectification
from quanmin.planning.services import loading, supervision
from quanmin.regions.models import Region

call_command("migrate", verbosity=0)
call_command("load_regions", "3715", stdout=open("/dev/null", "w"))
city = Region.objects.get(code="371500000000")
plan = loading.load_file(next(p for p in loading.data_files() if p.name.startswith("000")))
boss = accounts.create_user(phone="13800000006", password="bench-password-1", real_name="督导",
                            id_number="")
accounts.grant_membership(boss, Role.SUPERVISOR, city)
staff = accounts.create_user(phone="13800000001", password="bench-password-1", real_name="市级",
                             id_number="")
accounts.grant_membership(staff, Role.CITY_STAFF, city)
today = datetime.date.today()
start = today - datetime.timedelta(days=365)
townships = list(Region.objects.filter(code__startswith="3715", level="township").order_by("code"))
t0 = time.perf_counter()
for i, township in enumerate(townships):
    day = start + datetime.timedelta(days=i % 300)
    visit = supervision.plan_visit(boss, plan, division_code=township.code, title="日常检查", schedule="regular",
                                   coverage="overall", kind="routine", manner="announced", planned_on=day,
                                   visited_on=day)
    for n in range(3):
        finding = supervision.add_finding(boss, visit, severity="minor", text=f"问题{n}")
        deadline = day + datetime.timedelta(days=30 if n == 0 else 400)
        item = supervision.add_rectification(boss, finding, requirement="整改", deadline=deadline)
        if n == 1:
            supervision.respond(staff, item, text="已整改")
            supervision.verify(boss, item, close=True)
setup_s = time.perf_counter() - t0
bulletin = supervision.write_bulletin(boss, plan, title="通报", period_start=start, period_end=today)


def median_ms(call, n=5):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        call()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 1)


dashboard_ms = median_ms(lambda: selectors.dashboard(plan, today))
content_ms = median_ms(lambda: selectors_supervision.bulletin_content(bulletin, today))
client = Client()
client.force_login(staff)
for url in ("/staff/supervision/rectifications/", "/api/v1/planning/supervision/rectifications", "/staff/plans/"):
    assert client.get(url).status_code == 200, url
list_page_ms = median_ms(lambda: client.get("/staff/supervision/rectifications/"))
api_ms = median_ms(lambda: client.get("/api/v1/planning/supervision/rectifications"))
plans_page_ms = median_ms(lambda: client.get("/staff/plans/"))
export_ms = median_ms(lambda: b"".join(client.get("/staff/supervision/rectifications/export.xlsx").streaming_content))
content = selectors_supervision.bulletin_content(bulletin, today)
print(json.dumps({
    "townships_visited": len(townships), "items": Rectification.objects.count(),
    "overdue": selectors_supervision.overdue(Rectification.objects.all(), today).count(),
    "setup_s": round(setup_s, 1), "ranked": len(content["ranking"]), "findings": len(content["findings"]),
    "dashboard_ms": dashboard_ms, "bulletin_content_ms": content_ms,
    "bulletin_vs_dashboard": round(content_ms / dashboard_ms, 2),
    "list_page_ms": list_page_ms, "api_100_ms": api_ms, "plans_page_ms": plans_page_ms,
    "list_vs_plans_page": round(list_page_ms / plans_page_ms, 2), "export_ms": export_ms,
    "bulletins": Bulletin.objects.count(),
}, ensure_ascii=False))
"""


def run(kind: str) -> dict:
    with fresh_database(kind, "quanmin_bench_supervision") as env:
        return run_django(env, CHILD, check=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()
    out = per_database(args.db, run)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
