"""What the benchmarks share: a fresh database of either kind for one run and its environment, a Django
script run in it, the real server (gunicorn) and HTTP clients driving it."""

import contextlib
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def postgres_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return shutil.which("psql") is not None
    except OSError:
        return False


NO_POSTGRES = "no PostgreSQL server on 127.0.0.1:5432"


def databases(choice: str | None) -> list[str]:
    """The databases a bench's --db asks for ("sqlite", "postgres" or "both"; none means SQLite)."""
    return ["sqlite", "postgres"] if choice == "both" else [choice or "sqlite"]


def per_database(choice: str | None, measure) -> dict:
    """{database: measure(database)} for each database `choice` names; PostgreSQL is skipped, with
    the reason, when no server answers."""
    out = {}
    for kind in databases(choice):
        if kind == "postgres" and not postgres_available():
            out[kind] = {"skipped": NO_POSTGRES}
            continue
        out[kind] = measure(kind)
    return out


def _psql(*sql: str) -> None:
    args = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q"]
    for statement in sql:
        args += ["-c", statement]
    subprocess.run(args, check=True, capture_output=True)


@contextlib.contextmanager
def fresh_database(kind: str, name: str, **extra_env):
    """The environment of a process that uses a new, empty SQLite file or PostgreSQL database."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "QUANMIN_SQLITE_PATH")}
    env.update(DJANGO_SETTINGS_MODULE="quanmin.settings", QUANMIN_LOG_LEVEL="ERROR", **extra_env)
    tmp = tempfile.mkdtemp(prefix="quanmin-bench-")
    db = f"{name}_{os.getpid()}"
    if kind == "sqlite":
        env["QUANMIN_SQLITE_PATH"] = os.path.join(tmp, "bench.sqlite3")
    else:
        _psql(f"DROP DATABASE IF EXISTS {db}", f"CREATE DATABASE {db}")
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{db}"
    try:
        yield env
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if kind == "postgres":
            with contextlib.suppress(subprocess.CalledProcessError):
                _psql(f"DROP DATABASE IF EXISTS {db}")


SERVER_ENV = dict(QUANMIN_BENCH_ENDPOINTS="1", QUANMIN_DEBUG="0", QUANMIN_SECRET_KEY="bench-" + "x" * 50,
                  QUANMIN_FIELD_KEY="bench-field-key", QUANMIN_SSL_REDIRECT="0", QUANMIN_ALLOWED_HOSTS="127.0.0.1,localhost",
                  QUANMIN_NOTIFY_BACKENDS="quanmin.accounts.notify.InAppBackend")


ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_django(env, code, *args, check=True, timeout=None) -> dict:
    """Run a Django script (`python -c code args...`) from the repository's root in `env`; its last line of
    output, read as JSON. A script that fails raises (check) or answers {"error": its last lines of stderr}."""
    done = subprocess.run([PY, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        tail = done.stderr.strip().splitlines()[-3:]
        if check:
            raise RuntimeError("\n".join(tail))
        return {"error": tail}
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_worker(env, script: str) -> int:
    """Run `script --worker` from the repository's root in `env`, printing as it goes; its exit code."""
    return subprocess.run([PY, script, "--worker"], cwd=ROOT, env=env).returncode


def send(conn, port, method, path, body, token, timeout=30):
    """One JSON request on a kept-alive connection; (the connection to use next, "status[:code]").
    A broken connection counts as 599 and is replaced."""
    try:
        conn.request(method, path, body=json.dumps(body), headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        resp = conn.getresponse()
        data = resp.read()
        status = resp.status
    except (OSError, http.client.HTTPException):
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        status, data = 599, b"{}"
    key = str(status)
    if status >= 400 and data[:1] == b"{":
        key += ":" + json.loads(data).get("code", "")
    return conn, key


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
            conn, key = send(conn, port, method, path, body, token)
            mine.append(time.perf_counter() - t0)
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



@contextlib.contextmanager
def gunicorn(env, workers: int):
    """The real server (gunicorn, threaded workers) on a free port of 127.0.0.1 for the duration of the
    block, started with `env` (fresh_database's, with SERVER_ENV) and stopped after; yields the port
    once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "quanmin.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--worker-class", "gthread", "--threads", "4", "--log-level", "error", "--graceful-timeout", "5"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(port, server)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a worker stuck on a kept-alive connection
            server.kill()
            server.wait()
