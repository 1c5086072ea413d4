"""Backups of the database and the private uploads, and their restore (issue 24): one .tar.gz holding
manifest.json, the database (SQLite: a copy made through SQLite's online backup API, consistent
while the platform serves; PostgreSQL: `pg_dump --format=custom`) and media/ (every upload: they
have no other copy). `manage.py backup` and `manage.py restore` call these."""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

FORMAT = 1


class BackupError(Exception):
    pass


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _pg_args() -> tuple[list[str], dict]:
    """Connection options for pg_dump / pg_restore, and the environment with the password (never on the
    command line, where `ps` shows it)."""
    db = connection.settings_dict
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432),
            "--username", db.get("USER") or "postgres", "--dbname", db["NAME"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-1000:]}")


def sqlite_copy(source: str, target: str) -> None:
    """Copy one SQLite database into another with the online backup API: pages copied under SQLite's own
    locking, so the copy is one consistent state even while other processes write."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True) if Path(source).exists() else None
    if src is None:
        raise BackupError(f"no database at {source}")
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()


def make(directory: Path) -> dict:
    """Write a backup into `directory`; answer what was written."""
    directory.mkdir(parents=True, exist_ok=True)
    made_at = datetime.datetime.now(datetime.UTC)
    name = directory / f"quanmin-{made_at:%Y%m%dT%H%M%SZ}.tar.gz"
    engine = _engine()
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=directory) as work:
        if engine == "sqlite":
            database = "database.sqlite3"
            sqlite_copy(str(connection.settings_dict["NAME"]), os.path.join(work, database))
        else:
            database = "database.dump"
            args, env = _pg_args()
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file",
                  os.path.join(work, database), *args], env)
        files = [p for p in media.rglob("*") if p.is_file()] if media.is_dir() else []
        manifest = {"format": FORMAT, "engine": engine, "made_at": made_at.isoformat(), "database": database,
                    "media_files": len(files)}
        Path(work, "manifest.json").write_text(json.dumps(manifest, indent=1))
        partial = name.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(os.path.join(work, "manifest.json"), "manifest.json")
            tar.add(os.path.join(work, database), database)
            for path in files:
                tar.add(path, f"media/{path.relative_to(media).as_posix()}")
        partial.rename(name)  # a backup that is there is whole
    return {"backup": str(name), "bytes": name.stat().st_size, **manifest}


def restore(archive: Path, *, force: bool = False) -> dict:
    """Restore `archive` into the configured database and MEDIA_ROOT. The database must be empty (a fresh
    one) unless `force`, which replaces what is there."""
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(work, filter="data")  # no absolute paths, no links out, no devices
        manifest = json.loads(Path(work, "manifest.json").read_text())
        engine = _engine()
        if manifest.get("format") != FORMAT or manifest.get("engine") != engine:
            raise BackupError(f"this backup is of a {manifest.get('engine')} database; this node uses {engine}")
        if connection.introspection.table_names() and not force:
            raise BackupError("the database is not empty: restore into a fresh one, or pass --force to replace it")
        database = os.path.join(work, manifest["database"])
        if engine == "sqlite":
            target = str(connection.settings_dict["NAME"])
            connection.close()
            for suffix in ("-wal", "-shm"):
                Path(target + suffix).unlink(missing_ok=True)
            sqlite_copy(database, target)
        else:
            connection.close()
            args, env = _pg_args()
            clean = ["--clean", "--if-exists"] if force else []
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *clean, *args, database], env)
        media = Path(settings.MEDIA_ROOT)
        restored = 0
        if Path(work, "media").is_dir():
            for path in Path(work, "media").rglob("*"):
                if path.is_file():
                    target_file = media / path.relative_to(Path(work, "media"))
                    target_file.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target_file)
                    restored += 1
    return {"restored": str(archive), "engine": engine, "made_at": manifest["made_at"], "media_files": restored}
