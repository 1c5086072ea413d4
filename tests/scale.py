"""`make scale-test` (issue 24): several nodes on this machine, proven together. It starts a fresh
PostgreSQL database (the server at 127.0.0.1:5432), Redis (redis-server when none answers), two app
nodes (gunicorn on two ports), two RQ workers and two schedulers (`tick --every`), then runs:

- a booking storm and an entry storm spread over both nodes: 0 over capacity;
- a sign-in on node A used on node B; failed sign-ins alternating between the nodes lock the
  account after LOCK_AFTER failures in all (counted in the shared database, not per node);
- 100 tasks enqueued by both nodes' configuration, each run once by the two workers, one of which is
  killed (kill -9) half-way; the upkeep run once per period by the two schedulers;
- a second booking storm during which node B is killed (kill -9, its whole process group): its
  clients go on at node A with the same idempotency key, as a load balancer would resend them;
  every booking acknowledged is there, none twice.

It prints one JSON line of counts and stops everything it started (also when it fails)."""

import collections
import concurrent.futures
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
PY = sys.executable
DB = f"quanmin_scale_{os.getpid()}"
REDIS_URL = os.environ.get("QUANMIN_SCALE_REDIS_URL", "redis://127.0.0.1:6379/11")
EVERY = 3  # seconds per upkeep period
LOCK_AFTER = 6
RESIDENTS = 40
CAPACITY = 5
started: list[subprocess.Popen] = []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env() -> dict:
    out = {k: v for k, v in os.environ.items() if not k.startswith("QUANMIN_") and k != "DATABASE_URL"}
    out.update(DJANGO_SETTINGS_MODULE="quanmin.settings", PYTHONUNBUFFERED="1", QUANMIN_DEBUG="1",
               DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}", QUANMIN_REDIS_URL=REDIS_URL,
               QUANMIN_LOGIN_SLOW_AFTER="100", QUANMIN_LOGIN_LOCK_AFTER=str(LOCK_AFTER), QUANMIN_LOG_LEVEL="ERROR")
    return out


def start(*args: str, out=subprocess.DEVNULL) -> subprocess.Popen:
    # A process group of its own: kill -9 takes a node with its workers, and the end stops them all.
    proc = subprocess.Popen(list(args), cwd=BASE, env=env(), stdout=out, stderr=subprocess.DEVNULL,
                            start_new_session=True, text=True)
    started.append(proc)
    return proc


def python(code: str) -> str:
    done = subprocess.run([PY, "-c", "import django; django.setup()\n" + code], cwd=BASE, env=env(),
                          capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return done.stdout


def kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def call(port: int, method: str, path: str, body=None, headers=None) -> tuple[int, dict, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        data = json.dumps(body) if body is not None else None
        conn.request(method, path, data, {"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        raw = response.read()
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = {}
        return response.status, dict(response.getheaders()), payload
    finally:
        conn.close()


def answer(response) -> str:
    """A response as "201" or "409 slot_full": the status and the API's error code."""
    status, _, body = response
    return str(status) if status < 400 else f"{status} {body.get('code', '')}".strip()


def wait_for(check, what: str, seconds: float = 240):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (value := check()):
            return value
        time.sleep(0.2)
    raise SystemExit(f"scale-test: {what} did not happen within {seconds} s")


def ready(port: int) -> bool:
    try:
        return call(port, "GET", "/readyz")[0] == 200
    except OSError:
        return False


SETUP = """
import json
from django.core.management import call_command
from django.test.utils import override_settings
call_command("migrate", verbosity=0)
from tests import conftest
from tests.booking.test_races import _unit
from tests.events.conftest import make_games
from quanmin.accounts import services as accounts
from quanmin.demo.accounts import make_id_number
world = conftest.world.__wrapped__(None)  # the tests' small world, outside pytest
from django.utils import timezone
later = timezone.now() + timezone.timedelta(hours=2)
storm = _unit(world, %(capacity)d).slots.filter(start__gt=later).order_by("start").first()
big = _unit(world, %(residents)d).slots.filter(start__gt=later).order_by("start").first()
games = make_games(world, capacity=%(capacity)d)
# Residents with no password (no slow hashing): the storms use their API tokens.
people = [accounts.create_user(phone=f"1380000{100 + i:04d}", password=None, real_name=f"选手{i}",
                               id_number=make_id_number(world.community.code, "19900101", 100 + i, True),
                               home_region=world.community) for i in range(%(residents)d)]
print(json.dumps({"slot": storm.pk, "big_slot": big.pk, "competition": games.sprint.pk,
                  "tokens": [accounts.create_api_token(p, "scale")[1] for p in people],
                  "phone": "13700000007", "password": conftest.PASSWORD}))
"""

PROBE = """
import json
from tests import scale_probe
print(json.dumps([scale_probe.probe.enqueue(i).id for i in range(%d, %d)]))
"""


def storm(jobs):
    """Run jobs (port, fn) at once; answer their results in order."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(lambda job: job[1](job[0]), jobs))


def main() -> dict:
    began = time.monotonic()
    import redis

    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {DB}"], check=True,
                   capture_output=True)
    r = redis.Redis.from_url(REDIS_URL)
    try:
        r.ping()
    except redis.ConnectionError:
        start("redis-server", "--port", "6379", "--save", "", "--appendonly", "no")
        wait_for(lambda: _ping(r), "redis-server answering")
    r.flushdb()  # this run's own Redis database
    world = json.loads(python(SETUP % {"capacity": CAPACITY, "residents": RESIDENTS}).splitlines()[-1])
    ports = [free_port(), free_port()]
    nodes = [start(str(BASE / ".venv/bin/gunicorn"), "quanmin.wsgi:application", "--bind", f"127.0.0.1:{p}",
                   "--workers", "2", "--threads", "8", "--timeout", "120") for p in ports]
    workers = [start(PY, "manage.py", "rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.Job")
               for _ in range(2)]
    logs = [open(BASE / f".scale-tick-{i}.log", "w+") for i in range(2)]
    schedulers = [start(PY, "manage.py", "tick", "--every", str(EVERY), out=log) for log in logs]
    for port in ports:
        wait_for(lambda port=port: ready(port), f"node on {port} ready")
    result = {"nodes": 2, "workers": 2, "schedulers": 2}
    bearer = [{"Authorization": f"Bearer {t}"} for t in world["tokens"]]

    # Booking storm: every resident holds the same 5-place slot, half on each node.
    holds = storm([(ports[i % 2], lambda p, i=i: answer(call(p, "POST", "/api/v1/booking/holds",
                                                                    {"slot_id": world["slot"]}, bearer[i])))
                          for i in range(RESIDENTS)])
    result["booking_storm"] = {"requests": RESIDENTS, "capacity": CAPACITY, "held": holds.count("201"),
                               "answers": dict(collections.Counter(holds))}
    # Entry storm: every resident enters the same 5-place competition.
    entries = storm([(ports[i % 2], lambda p, i=i: answer(call(
        p, "POST", f"/api/v1/events/competitions/{world['competition']}/entries", {}, bearer[i])))
        for i in range(RESIDENTS)])
    result["entry_storm"] = {"requests": RESIDENTS, "capacity": CAPACITY, "entered": entries.count("201"),
                             "answers": dict(collections.Counter(entries))}
    counted = json.loads(python(
        "import json; from quanmin.booking.models import Booking; from quanmin.events.models import Entry\n"
        f"print(json.dumps([Booking.objects.filter(slot_id={world['slot']}, status__in=['held','confirmed']).count(),"
        f" Entry.objects.filter(competition_id={world['competition']}).count()]))"))
    result["doubles"] = max(0, counted[0] - CAPACITY) + max(0, counted[1] - CAPACITY)

    # Sign in on node A, use the session on node B.
    status, headers, _ = call(ports[0], "POST", "/api/v1/auth/login", {"phone": world["phone"], "password": world["password"]})
    cookie = "; ".join(c.split(";", 1)[0] for k, c in headers.items() if k.lower() == "set-cookie")
    me = call(ports[1], "GET", "/api/v1/me", headers={"Cookie": cookie})
    result["sign_in_across_nodes"] = status == 200 and me[0] == 200
    # Failed sign-ins alternating between the nodes: locked after LOCK_AFTER in all.
    wrong = [call(ports[i % 2], "POST", "/api/v1/auth/login", {"phone": world["phone"], "password": "wrong-password"})[0]
             for i in range(LOCK_AFTER)]
    locked = [call(ports[i], "POST", "/api/v1/auth/login", {"phone": world["phone"], "password": world["password"]})[0]
              for i in (0, 1)]
    result["throttle"] = {"failures_per_node": LOCK_AFTER // 2, "lock_after": LOCK_AFTER, "failed": wrong,
                          "right_password_after": locked, "locked_on_both": all(s == 429 for s in locked)}

    # 100 tasks enqueued by both nodes' configuration at once; worker A killed half-way.
    enqueuers = [subprocess.Popen([PY, "-c", "import django; django.setup()\n" + PROBE % (n, n + 50)], cwd=BASE,
                                  env=env(), stdout=subprocess.PIPE, text=True) for n in (0, 50)]
    ids = [i for e in enqueuers for i in json.loads(e.communicate(timeout=300)[0])]
    wait_for(lambda: r.hlen("scale:runs") >= 20, "20 tasks run")
    os.kill(workers[0].pid, signal.SIGKILL)  # the worker process itself, mid-run
    wait_for(lambda: r.hlen("scale:runs") >= 100, "every task run", 300)
    runs = {int(k): int(v) for k, v in r.hgetall("scale:runs").items()}
    result["tasks"] = {"enqueued": len(ids), "distinct": len(set(ids)), "ran": len(runs),
                       "duplicate_runs": sum(n - 1 for n in runs.values()), "worker_killed": True}

    # Second booking storm on a slot with a place for everyone; node B dies a third of the way in.
    acknowledged, retried = {}, 0

    def book(i: int):
        nonlocal retried
        key = f"scale-{i}-{uuid.uuid4().hex[:8]}"
        for port in (ports[i % 2], ports[0]):
            try:
                status, _, body = call(port, "POST", "/api/v1/booking/holds",
                                       {"slot_id": world["big_slot"], "client_key": key}, bearer[i])
            except OSError:
                retried += 1
                continue
            if status == 201:
                acknowledged[i] = body["id"]
            return status
        return None

    with concurrent.futures.ThreadPoolExecutor(max_workers=RESIDENTS) as pool:
        futures = [pool.submit(book, i) for i in range(RESIDENTS)]
        wait_for(lambda: len(acknowledged) >= RESIDENTS // 3 or all(f.done() for f in futures), "a third of the bookings")
        kill(nodes[1])
        [f.result() for f in futures]
    kept = json.loads(python(
        "import json; from quanmin.booking.models import Booking\n"
        f"print(json.dumps(list(Booking.objects.filter(slot_id={world['big_slot']}).values_list('id', 'user_id'))))"))
    kept_ids = {b for b, _ in kept}
    result["node_killed"] = {"acknowledged": len(acknowledged), "resent_to_a": retried, "in_database": len(kept),
                             "lost": sum(1 for b in acknowledged.values() if b not in kept_ids),
                             "doubles": len(kept) - len({u for _, u in kept})}

    # The upkeep: every run's period, from both schedulers' logs.
    for s in schedulers:
        s.terminate()
    ticks = []
    for s, log in zip(schedulers, logs):
        s.wait(timeout=60)
        log.seek(0)
        ticks += [json.loads(line)["tick"]["period"] for line in log if line.startswith('{"tick"')]
    result["upkeep"] = {"every_seconds": EVERY, "periods": len(set(ticks)), "runs": len(ticks),
                        "span": (max(ticks) - min(ticks) + 1) if ticks else 0}
    result["seconds"] = round(time.monotonic() - began)
    return result


def _ping(r) -> bool:
    try:
        return r.ping()
    except Exception:
        return False


def passed(result: dict) -> bool:
    return (result["booking_storm"]["held"] == CAPACITY and result["entry_storm"]["entered"] == CAPACITY
            and result["doubles"] == 0 and result["sign_in_across_nodes"] and result["throttle"]["locked_on_both"]
            and result["tasks"]["ran"] == 100 and result["tasks"]["duplicate_runs"] == 0
            and result["node_killed"]["lost"] == 0 and result["node_killed"]["doubles"] == 0
            and result["upkeep"]["runs"] == result["upkeep"]["periods"] > 0)


if __name__ == "__main__":
    try:
        outcome = main()
    finally:
        for proc in reversed(started):
            try:
                os.killpg(proc.pid, signal.SIGTERM)  # the group: a killed worker's work-horse too
            except ProcessLookupError:
                pass
        for proc in started:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                kill(proc)
        for i in range(2):
            Path(BASE / f".scale-tick-{i}.log").unlink(missing_ok=True)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)"],
                       capture_output=True)
    outcome["passed"] = passed(outcome)
    print(json.dumps(outcome))
    sys.exit(0 if outcome["passed"] else 1)
