"""What the benchmarks share: a fresh database of either kind for one run, and its environment."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile


def postgres_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return shutil.which("psql") is not None
    except OSError:
        return False


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
