"""Points and vouchers under load. Prints one JSON line.

Flash claim, for SQLite and (when a server answers on 127.0.0.1:5432) PostgreSQL: the real server
(gunicorn, as bench/booking.py drives it) and 64 HTTP clients claiming from a campaign of 1,000
vouchers, one per real-name person; 1,500 persons each try twice, in a shuffled queue the clients
share. Then the database is counted: exactly 1,000 issued, 0 persons over the limit, `issued` equal
to the vouchers. Claims per second (every claim request answered, 201 or a refusal) as a ratio to the
same server's bare one-row insert (POST /api/v1/bench/insert, bench/booking.py's baseline) driven by
the same 64 clients (goal >= 0.5).

Crediting, in one process: 1,000,000 checked-in bookings over a year for 50,000 people credited by
points.credit (goal < 60 s); a second run credits 0, and so does a run that forgot its watermark and
reads every fact again; the ledger's sum equals every balance.

    .venv/bin/python bench/incentives.py [--clients 64] [--workers 4] [--facts 1000000] [--db sqlite|postgres|both]
"""

import argparse
import http.client
import json
import queue
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    NO_POSTGRES,
    SERVER_ENV,
    databases,
    drive,
    fresh_database,
    gunicorn,
    postgres_available,
    run_django,
    send,
)

SETUP = r"""
import datetime, json, sys
import django
django.setup()
from django.core.management import call_command
from django.utils import timezone
from quanmin.accounts import services as acc
from quanmin.accounts.models import User
from quanmin.demo.accounts import make_id_number
from quanmin.facilities import services as fs
from quanmin.incentives import vouchers
from quanmin.regions.models import Region

call_command("migrate", verbosity=0)
city = Region.objects.create(code="371500000000", name="聊城市", level="city", population=5952128)
county = Region.objects.create(code="371502000000", name="东昌府区", level="county", parent=city)
town = Region.objects.create(code="371502001000", name="古楼街道", level="township", parent=county)
comm = Region.objects.create(code="371502001001", name="东关社区", level="community", parent=town)
admin = acc.create_user(phone="13699999999", password=None, real_name="管理", is_superuser=True)
site = fs.create_site({"name": "市体育中心", "lon": 115.98, "lat": 36.45, "region": comm})
now = timezone.now()
campaign = vouchers.create_campaign(admin, city, {"name": "压测消费券", "budget": "30000", "face_value": "30",
    "threshold": "100", "total": 1000, "per_person": 1, "per_device": 100, "per_address": 10**6,
    "claim_starts_at": now - datetime.timedelta(minutes=1), "claim_ends_at": now + datetime.timedelta(days=1),
    "use_until": now + datetime.timedelta(days=30)})
vouchers.add_venue(admin, campaign, site)
vouchers.publish(admin, campaign)
tokens = []
for i in range(int(sys.argv[1])):
    u = acc.create_user(phone=f"1370{i:07d}", password=None, real_name=f"压测{i}",
                        id_number=make_id_number(comm.code, f"19{60 + i // 500}0101", i % 500, True), home_region=comm)
    tokens.append(acc.create_api_token(u, "bench")[1])
print(json.dumps({"campaign": campaign.pk, "tokens": tokens}))
"""

COUNT = r"""
import json, sys
import django
django.setup()
from django.db.models import Count
from quanmin.incentives.models import Voucher, VoucherCampaign
c = VoucherCampaign.objects.get(pk=int(sys.argv[1]))
per = Voucher.objects.filter(campaign=c).values("person_key").annotate(n=Count("pk"))
print(json.dumps({"issued": Voucher.objects.filter(campaign=c).count(), "campaign_issued_counter": c.issued,
                  "persons_over_limit": sum(1 for r in per if r["n"] > c.per_person)}))
"""

CREDIT = r"""
import datetime, json, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.utils import timezone
from quanmin.accounts.models import User
from quanmin.booking.models import BookableUnit, Booking, Slot
from quanmin.core import bulk
from quanmin.facilities import services as fs
from quanmin.incentives import points
from quanmin.incentives.models import PointsAccount, PointsEntry, Watermark
from quanmin.regions.models import Region

call_command("migrate", verbosity=0)
N, PEOPLE = int(sys.argv[1]), 50000
city = Region.objects.create(code="371500000000", name="聊城市", level="city")
county = Region.objects.create(code="371502000000", name="东昌府区", level="county", parent=city)
town = Region.objects.create(code="371502001000", name="古楼街道", level="township", parent=county)
comm = Region.objects.create(code="371502001001", name="东关社区", level="community", parent=town)
site = fs.create_site({"name": "市体育中心", "lon": 115.98, "lat": 36.45, "region": comm})
facility = fs.add_facility(site, {"type": "swimming_pool", "area_m2": 1250, "access": "paid"})
unit = BookableUnit.objects.create(facility=facility, site=site, region=comm, name="泳池", kind="session")
end = timezone.now() - datetime.timedelta(hours=1)
start = end - datetime.timedelta(days=365)
hours = int((end - start).total_seconds() // 3600)
slots = [Slot(unit=unit, start=start + datetime.timedelta(hours=h), end=start + datetime.timedelta(hours=h, minutes=50),
              capacity=10**6, taken=0) for h in range(hours)]
bulk.insert_rows(slots, ids=True)
now = timezone.now()
bulk.insert_values(User, [{"phone_hash": f"bench{i}", "phone_enc": "", "real_name": "x", "password": "!",
                           "date_joined": now, "home_region_id": comm.code} for i in range(PEOPLE)])
users = list(User.objects.order_by("pk").values_list("pk", flat=True))
points.save_rule(city, {"fact": "check_in", "points": 10, "daily_cap": 30, "yearly_cap": 3000,
                         "starts_on": start.date() - datetime.timedelta(days=1)})
per_slot = N // len(slots) + 1
rows, n = [], 0
for s in slots:
    for k in range(per_slot):
        if n >= N:
            break
        at = s.start + datetime.timedelta(seconds=k % 3000)
        rows.append({"slot_id": s.pk, "user_id": users[(n * 7919) % PEOPLE], "status": "checked_in", "channel": "online",
                     "code": f"{n:08X}", "price": 0, "checked_in_at": at, "confirmed_at": at, "created_at": at,
                     "companions": []})
        n += 1
    if len(rows) >= 50000:
        bulk.insert_values(Booking, rows)
        rows = []
bulk.insert_values(Booking, rows)
assert Booking.objects.count() == N
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum keeps them after a load

t0 = time.perf_counter()
first = points.credit(only=["check_in"])["check_in"]
seconds = time.perf_counter() - t0
t1 = time.perf_counter()
second = points.credit(only=["check_in"])["check_in"]
second_s = time.perf_counter() - t1
Watermark.objects.all().delete()
t2 = time.perf_counter()
reread = points.credit(only=["check_in"])["check_in"]
reread_s = time.perf_counter() - t2
sums = dict(PointsEntry.objects.values_list("user_id").annotate(s=Sum("points")).order_by())
balances = dict(PointsAccount.objects.values_list("user_id", "balance"))
mismatched = sum(1 for u in set(sums) | set(balances) if sums.get(u, 0) != balances.get(u, 0))
print(json.dumps({"facts": N, "people": PEOPLE, "credited": first["credited"], "points": first["points"],
                  "capped": PointsEntry.objects.filter(capped=True).count(), "seconds": round(seconds, 1),
                  "facts_per_second": round(N / seconds), "second_run_credited": second["credited"],
                  "second_run_s": round(second_s, 2), "reread_all_credited": reread["credited"],
                  "reread_all_s": round(reread_s, 1), "ledger_lines": PointsEntry.objects.count(),
                  "balances_not_equal_to_ledger": mismatched,
                  "ledger_sum": sum(sums.values()), "balance_sum": sum(balances.values())}))
"""


def flash(port, tokens, clients, campaign) -> dict:
    """Clients share a queue of (person) claims, each person twice, and send them back to back."""
    work = queue.Queue()
    order = [t for t in tokens for _ in range(2)]
    random.Random(22).shuffle(order)
    for t in order:
        work.put(t)
    statuses, lock, latencies = {}, threading.Lock(), []
    gate = threading.Barrier(clients)

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, codes = [], {}
        gate.wait()
        while True:
            try:
                token = work.get_nowait()
            except queue.Empty:
                break
            t0 = time.perf_counter()
            conn, key = send(conn, port, "POST", f"/api/v1/incentives/campaigns/{campaign}/claim", {}, token, 60)
            mine.append(time.perf_counter() - t0)
            codes[key] = codes.get(key, 0) + 1
        with lock:
            latencies.extend(mine)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000, 1) if latencies else None

    return {"requests": len(latencies), "seconds": round(elapsed, 2), "per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99), "statuses": statuses}


def claim_bench(kind, args) -> dict:
    with fresh_database(kind, "quanmin_bench_incentives", **SERVER_ENV) as env:
        data = run_django(env, SETUP, str(args.persons))
        with gunicorn(env, args.workers) as port:

            def bare(rng, i, n):
                return "POST", "/api/v1/bench/insert", {}

            drive(port, data["tokens"][:8], 2, bare)  # warm up workers and connections
            baseline = drive(port, data["tokens"][:args.clients], args.seconds, bare)
            claiming = flash(port, data["tokens"], args.clients, data["campaign"])
        counted = run_django(env, COUNT, str(data["campaign"]))
        return {"claiming": claiming, "bare_insert": baseline, **counted,
                "ratio_claims_to_bare": round(claiming["per_second"] / baseline["per_second"], 3)
                if baseline["per_second"] else None}


def credit_bench(kind, args) -> dict:
    with fresh_database(kind, "quanmin_bench_points", QUANMIN_FIELD_KEY="bench-field-key") as env:
        return run_django(env, CREDIT, str(args.facts))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--persons", type=int, default=1500, help="real-name persons claiming, each twice")
    parser.add_argument("--seconds", type=float, default=10, help="length of the bare-insert baseline")
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--skip", choices=["claim", "credit"], default=None)
    args = parser.parse_args()
    kinds = databases(args.db)
    result = {"bench": "incentives", "clients": args.clients, "workers": args.workers,
              "goal": "exactly 1000 issued, 0 over the per-person limit, claims >= 0.5 x bare insert; "
                      "1,000,000 facts credited < 60 s, a second run credits 0, ledger = balances"}
    for kind in kinds:
        if kind == "postgres" and not postgres_available():
            result["postgres"] = {"skipped": NO_POSTGRES}
            continue
        result[kind] = {}
        if args.skip != "claim":
            result[kind]["flash_claim"] = claim_bench(kind, args)
        if args.skip != "credit":
            result[kind]["crediting"] = credit_bench(kind, args)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
