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
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import fresh_database, postgres_available

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def run_django(env, code, *args) -> dict:
    out = subprocess.run([PY, "-c", code, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def drive(port, tokens, seconds, make_request):
    """Each client keeps one connection and sends requests back to back for `seconds`."""
    latencies, statuses, lock = [], {}, threading.Lock()
    deadline = time.perf_counter() + seconds
    start_gate = threading.Barrier(len(tokens))

    def client(i, token):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        rng = random.Random(i)
        mine, codes = [], {}
        start_gate.wait()
        n = 0
        while time.perf_counter() < deadline:
            method, path, body = make_request(rng, i, n)
            n += 1
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=json.dumps(body), headers={
                    "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
                resp = conn.getresponse()
                data = resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status, data = 599, b"{}"
            mine.append(time.perf_counter() - t0)
            key = str(status)
            if status >= 400 and data[:1] == b"{":
                key += ":" + json.loads(data).get("code", "")
            codes[key] = codes.get(key, 0) + 1
        with lock:
            latencies.extend(mine)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=client, args=(i, t)) for i, t in enumerate(tokens)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000, 2) if latencies else None

    return {"requests": len(latencies), "per_second": round(len(latencies) / elapsed, 1), "p50_ms": pct(50),
            "p95_ms": pct(95), "p99_ms": pct(99), "mean_ms": round(statistics.fmean(latencies) * 1000, 2) if latencies else None,
            "statuses": statuses}


def wait_for(port, proc, timeout=30):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited: " + proc.stderr.read().decode()[-2000:])
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def bench_database(kind, args) -> dict:
    settings_env = dict(QUANMIN_BENCH_ENDPOINTS="1", QUANMIN_DEBUG="0", QUANMIN_SECRET_KEY="bench-" + "x" * 50,
                        QUANMIN_FIELD_KEY="bench-field-key", QUANMIN_SSL_REDIRECT="0",
                        QUANMIN_ALLOWED_HOSTS="127.0.0.1,localhost",
                        QUANMIN_NOTIFY_BACKENDS="quanmin.accounts.notify.InAppBackend")
    with fresh_database(kind, "quanmin_bench", **settings_env) as env:
        data = run_django(env, SETUP, str(args.clients))
        port = free_port()
        server = subprocess.Popen(
            [str(Path(PY).parent / "gunicorn"), "quanmin.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
             "--worker-class", "gthread", "--threads", "4", "--log-level", "error", "--graceful-timeout", "5"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_for(port, server)
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
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a worker stuck on a kept-alive connection
                server.kill()
                server.wait()
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
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    result = {"bench": "booking", "clients": args.clients, "workers": args.workers, "seconds": args.seconds,
              "goal": "booking >= 0.5 x bare insert; p99 < 100 ms on PostgreSQL; 0 double bookings"}
    for kind in kinds:
        if kind == "postgres" and not postgres_available():
            result["postgres"] = "skipped: no PostgreSQL server on 127.0.0.1:5432"
            continue
        result[kind] = bench_database(kind, args)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
