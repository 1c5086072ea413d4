"""Several app nodes on this machine: each one a real process with the settings a node gets from its
environment, on the test database and the Redis that always runs here (127.0.0.1:6379, DB 9)."""

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection

# A Redis database of its own per test run (QUANMIN_TEST_REDIS_URL): two runs on one machine, as
# .ci/run's SQLite and PostgreSQL passes or a developer's run beside CI, keep apart.
REDIS_URL = os.environ.get("QUANMIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
PRELUDE = "import django; django.setup()\n"


def node_env(redis: bool = True) -> dict:
    """The environment of a node sharing this test's database (and Redis when `redis`)."""
    env = {k: v for k, v in os.environ.items() if k not in ("QUANMIN_REDIS_URL", "QUANMIN_TASKS_BACKEND")}
    env["DJANGO_SETTINGS_MODULE"] = "quanmin.settings"
    env["PYTHONUNBUFFERED"] = "1"  # what a node printed is there even when it is stopped
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env["QUANMIN_SQLITE_PATH"] = str(db["NAME"])
    else:
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        env["DATABASE_URL"] = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    if redis:
        env["QUANMIN_REDIS_URL"] = REDIS_URL
    return env


def run_python(code: str, redis: bool = True, extra: dict | None = None) -> str:
    """Run `code` in a fresh node process (Django set up; its environment with `extra` on top) and
    answer what it printed."""
    done = subprocess.run([sys.executable, "-c", PRELUDE + code], cwd=settings.BASE_DIR,
                          env={**node_env(redis), **(extra or {})},
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return done.stdout


def start_manage(*args: str, redis: bool = True) -> subprocess.Popen:
    """Start `manage.py <args>` as a node process; the caller waits for it or stops it."""
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=node_env(redis),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
