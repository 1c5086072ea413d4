"""Open data: RPDE feed pages, a 1,000,000-item feed followed to its end, and the concurrent-writes check.

In a fresh database (SQLite, and PostgreSQL when a server answers on 127.0.0.1:5432): a site with
courts and their slots, stamped into the feeds (stamp_s), and stamped again after every slot changed
(restamp_items_per_s, and restamp_over_build: that stamp against only building the same items, the
builders and their JSON without a write, in the same run); then N feed items (1,000,000 by default, written
straight into the items table, each a real slot item's JSON) and

- page_500_ms: the median time of a 500-item page through the feed view (the HTTP answer's body,
  ETag and headers), against the bare SELECT of the same 500 rows (baseline_select_ms) in the same run;
- follow_s: reading the whole feed page by page as a client does (parse each page's JSON, go to
  `next`) to the last page; with rss_growth_mb, how much the process grew while following (constant
  memory: a few MB, whatever N);
- race: 16 writer threads changing, adding, blocking and deleting slots in transactions that commit
  out of order while a stamper numbers the changes and a reader follows the slots feed; missed and
  repeated must be 0.

Prints one JSON line.

    .venv/bin/python bench/opendata.py [--db sqlite|postgres|both] [--items 1000000]
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import fresh_database, postgres_available, run_django

CHILD = r"""
import datetime, json, resource, statistics, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from quanmin.booking import schedule
from quanmin.booking import services as bs
from quanmin.booking.models import WeeklyTemplate
from quanmin.facilities import services as fs
from quanmin.opendata import changes, feeds, selfcheck, views
from quanmin.opendata.models import FeedItem
from quanmin.regions.models import Region

n_items = int(sys.argv[1])
call_command("migrate", verbosity=0)
city = Region.objects.create(code="371500000000", name="聊城市", level="city", population=6000000)
county = Region.objects.create(code="371502000000", name="东昌府区", level="county", parent=city, population=1200000)
site = fs.create_site({"name": "东昌府区全民健身中心", "address": "柳园路1号", "lon": 115.98, "lat": 36.45, "region": county})
for i in range(12):
    facility = fs.add_facility(site, {"type": "badminton", "area_m2": "160"})
    unit = bs.create_unit(facility, name=f"{i + 1}号场", payment_provider="on_site")
    WeeklyTemplate.objects.bulk_create([WeeklyTemplate(unit=unit, weekday=d, start=datetime.time(h),
                                                       end=datetime.time(h + 1), capacity=1, price=20)
                                        for d in range(8) for h in range(8, 21)])
    schedule.generate_slots(unit)
t0 = time.perf_counter()
stamped = changes.stamp()
stamp_s = time.perf_counter() - t0

# Every slot changes at once (a price rise): the stamper replaces each item, against the same-run
# baseline of only building those items (the builders and their JSON, no write).
from django.db.models import F
from quanmin.booking.models import Slot
from quanmin.opendata import items as item_builders
Slot.objects.update(price=F("price") + 1)
t0 = time.perf_counter()
restamped = changes.stamp()
restamp_s = time.perf_counter() - t0
slot_ids = list(Slot.objects.values_list("pk", flat=True))
t0 = time.perf_counter()
for at in range(0, len(slot_ids), changes.BATCH):
    for _kind, data in item_builders.slots(slot_ids[at:at + changes.BATCH]).values():
        json.dumps(data, ensure_ascii=False, separators=(",", ":"))
build_s = time.perf_counter() - t0

# The race first, on the small register.
race = selfcheck.run(writers=16, writes=40, hold=0.01)

# N items of a feed of their own, each a real slot item's JSON.
sample = FeedItem.objects.filter(kind="slots", deleted=False).values_list("data", flat=True).first()
t0 = time.perf_counter()
with connection.cursor() as cur:
    if connection.vendor == "postgresql":
        cur.execute("INSERT INTO opendata_feeditem (kind, rpde_kind, object_id, change_number, deleted, data, modified_at) "
                    "SELECT 'bench', 'Slot', g, 10000000 + g, false, %s, now() FROM generate_series(1, %s) g", [sample, n_items])
    else:
        cur.execute("WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < %s) "
                    "INSERT INTO opendata_feeditem (kind, rpde_kind, object_id, change_number, deleted, data, modified_at) "
                    "SELECT 'bench', 'Slot', i, 10000000 + i, 0, %s, CURRENT_TIMESTAMP FROM g", [n_items, sample])
load_s = time.perf_counter() - t0
from quanmin.opendata import items as items_module
items_module.FEEDS = items_module.FEEDS + ("bench",)
factory = RequestFactory()


def page(after):
    request = factory.get("/opendata/feeds/bench", {"afterChangeNumber": after} if after is not None else {})
    return views.feed(request, "bench")


def timed(fn, repeat=15):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


middle = 10000000 + n_items // 2
page_ms = timed(lambda: page(middle)) * 1000
baseline_ms = timed(lambda: list(FeedItem.objects.filter(kind="bench", change_number__gt=middle)
                                 .order_by("change_number").values_list("object_id", "rpde_kind", "change_number",
                                                                        "deleted", "data")[:500])) * 1000
body = page(middle)
assert body.status_code == 200 and len(json.loads(body.content)["items"]) == 500

rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
after, seen, pages, rss_start, rss_tenth = None, 0, 0, rss(), None
while True:
    doc = json.loads(page(after).content)
    pages += 1
    if not doc["items"]:
        break
    seen += len(doc["items"])
    after = doc["items"][-1]["modified"]
    if rss_tenth is None and seen >= n_items // 10:
        rss_tenth = rss()
follow_s = time.perf_counter() - t0
print(json.dumps({
    "db": connection.vendor, "slots_stamped": stamped["items"], "stamp_s": round(stamp_s, 2),
    "restamped": restamped["items"], "restamp_items_per_s": round(restamped["items"] / restamp_s),
    "restamp_over_build": round(restamp_s / build_s, 2),
    "page_500_ms": round(page_ms, 1), "baseline_select_ms": round(baseline_ms, 1),
    "page_over_select": round(page_ms / baseline_ms, 2) if baseline_ms else None,
    "items": n_items, "load_s": round(load_s, 1), "followed": seen, "pages": pages, "follow_s": round(follow_s, 1),
    "items_per_s": round(seen / follow_s), "rss_growth_mb": round(rss() - rss_start, 1),
    "rss_growth_after_first_tenth_mb": round(rss() - (rss_tenth or rss_start), 1),
    "race": {k: race[k] for k in ("writers", "writes", "items_read", "slots", "missed", "repeated", "seconds")},
    "race_errors": race["errors"][:3],
}))
"""


def run(kind: str, n_items: int) -> dict:
    with fresh_database(kind, "q_bench_opendata", QUANMIN_OPEN_DATA_RATE_LIMIT="100000000") as env:
        return {"db": kind, **run_django(env, CHILD, str(n_items), check=False, timeout=3600)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--items", type=int, default=1_000_000)
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in kinds and not postgres_available():
        kinds.remove("postgres")
    results = [run(kind, args.items) for kind in kinds]
    ok = all("error" not in r and r["race"]["missed"] == 0 and r["race"]["repeated"] == 0 and r["followed"] == args.items
             and r["page_500_ms"] < 100 and r["follow_s"] < 300 for r in results)
    print(json.dumps({"bench": "opendata", "ok": ok, "results": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
