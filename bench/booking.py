"""Booking under load: the real server (gunicorn, several workers) driven over HTTP by 64 clients.

For SQLite and, when a server answers on 127.0.0.1:5432, PostgreSQL: bookings per second and
latency (p50/p95/p99) of POST /api/v1/booking/holds against contested sessions; the same server's
throughput for a bare authenticated endpoint that inserts one row, and the ratio; then the number
of double bookings found in the database (must be 0). Then the same booking requests from one
client per worker, for a request's own latency without the queue that 64 clients form on a few
cores (their mean wait is at least clients / throughput, printed as queue_floor_mean_ms). Prints
one JSON line.

    .venv/bin/python bench/booking.py [--seconds 15] [--clients 64] [--workers 4] [--db sqlite|postgres|both]
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
from quanmin.accounts import services as acc
from quanmin.demo.accounts import make_id_number
from quanmin.booking import schedule, services as bs
from quanmin.booking.models import WeeklyTemplate
from quanmin.facilities import services as fs
from quanmin.regions.models import Region

call_command("migrate", verbosity=0)
city = Region.objects.create(code="371500000000", name="聊城市", level="city", population=5952128)
county = Region.objects.create(code="371502000000", name="东昌府区", level="county", parent=city)
town = Region.objects.create(code="371502001000", name="古楼街道", level="township", parent=county)
comm = Region.objects.create(code="371502001001", name="东关社区", level="community", parent=town)
site = fs.create_site({"name": "市体育中心", "lon": 115.98, "lat": 36.45, "region": comm})
facility = fs.add_facility(site, {"type": "swimming_pool", "area_m2": 1250, "access": "paid"})
unit = bs.create_unit(facility, name="泳池", kind="session", payment_provider="on_site", max_open_per_user=10000,
                      max_per_day=10000, window_days=15)
# Hourly sessions of 8 places, 06:00-22:00 every day: contested, so many requests meet slot_full.
WeeklyTemplate.objects.bulk_create([WeeklyTemplate(unit=unit, weekday=d, start=datetime.time(h), end=datetime.time(h + 1),
                                                   capacity=8, price=10) for d in range(8) for h in range(6, 22)])
schedule.generate_slots(unit)
from django.utils import timezone
slots = list(unit.slots.filter(start__gt=timezone.now()).values_list("pk", flat=True))
tokens = []
for i in range(int(sys.argv[1])):
    u = acc.create_user(phone=f"1370{i:07d}", password=None, real_name=f"压测{i}",
                        id_number=make_id_number(comm.code, "19900101", i, True), home_region=comm)
    tokens.append(acc.create_api_token(u, "bench")[1])
print(json.dumps({"slots": slots, "tokens": tokens}))
"""

COUNT = r"""
import json
import django
django.setup()
from django.db.models import Sum, Q
from quanmin.booking.models import Slot, Booking
over = 0
for s in Slot.objects.annotate(active=Sum("bookings__places", filter=Q(bookings__status__in=["held", "confirmed", "checked_in"]))):
    if (s.active or 0) > s.capacity or s.taken > s.capacity or (s.active or 0) != s.taken:
        over += 1
print(json.dumps({"double_bookings": over, "bookings": Booking.objects.filter(status__in=["held", "confirmed"]).count()}))
"""


def bench_database(kind, args) -> dict:
    with fresh_database(kind, "quanmin_bench", **SERVER_ENV) as env:
        data = run_django(env, SETUP, str(args.clients))
        with gunicorn(env, args.workers) as port:
            slots = data["slots"][:40]  # 40 sessions of 8 places: heavy contention, 320 places in all

            def book(rng, i, n):
                return "POST", "/api/v1/booking/holds", {"slot_id": rng.choice(slots), "client_key": f"c{i}-{n}"}

            def bare(rng, i, n):
                return "POST", "/api/v1/bench/insert", {}

            light_slots = data["slots"][40:80]  # untouched by the loaded run

            def book_light(rng, i, n):
                return "POST", "/api/v1/booking/holds", {"slot_id": rng.choice(light_slots), "client_key": f"l{i}-{n}"}

            drive(port, data["tokens"][:8], 2, bare)  # warm up workers and connections
            baseline = drive(port, data["tokens"], args.seconds, bare)
            booking = drive(port, data["tokens"], args.seconds, book)
            # The same requests from as many clients as there are workers: a request's own time,
            # without the queue that 64 clients on a few cores must form (mean wait = clients / rate).
            light = drive(port, data["tokens"][:args.workers], min(args.seconds, 5), book_light)
        counted = run_django(env, COUNT)
        ok = sum(v for k, v in booking["statuses"].items() if k.startswith("2"))
        return {"booking": booking, "bare_insert": baseline, "bookings_made": ok,
                "booking_light_load": {"clients": args.workers, **light},
                "queue_floor_mean_ms": round(args.clients / booking["per_second"] * 1000, 1) if booking["per_second"] else None,
                "ratio_booking_to_bare": round(booking["per_second"] / baseline["per_second"], 3) if baseline["per_second"] else None,
                **counted}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    result = {"bench": "booking", "clients": args.clients, "workers": args.workers, "seconds": args.seconds,
              "goal": "booking >= 0.5 x bare insert; p99 < 100 ms on PostgreSQL; 0 double bookings"}
    result.update(per_database(args.db, lambda kind: bench_database(kind, args)))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
