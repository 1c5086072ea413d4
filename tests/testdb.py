"""A pytest plugin: the workers of one xdist run (`make test` runs two) migrate one test database
between them instead of one each.

`migrate` from nothing costs about 30 s of CPU (Django re-renders model states after each operation;
the apps' squashed migrations, 0001_squashed_*, fold most operations into their CreateModel: it was
53 s), and .ci/run starts four workers at once on two cores, two per database. Here the first worker of a run to reach
create_test_db migrates its database as usual and leaves a copy (SQLite: a backup of the file;
PostgreSQL: a template database); each other worker of the run makes its own database from that
copy, which takes a second. The copy goes when the last worker has taken it.

The copy is this run's own migrated database, made from the same tree a moment before: a worker
starts from exactly the database it would have migrated itself. Every test that touches the
database checks it (a broken copy fails every one of them in that worker). Off outside xdist
workers, and for `make mutants` (tests/mutants_db.py keeps its own snapshot across sessions).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

SIDE_FILES = ("", "-wal", "-shm", "-journal")


def remove_sqlite(path: Path) -> None:
    """A SQLite database file and the files SQLite keeps beside it."""
    for suffix in SIDE_FILES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def pytest_configure(config):
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run or os.environ.get("QUANMIN_MUTANTS_DB"):
        return
    from django.db.backends.base.creation import BaseDatabaseCreation

    migrate_once = _migrate_once(BaseDatabaseCreation.create_test_db, run,
                                 int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
    BaseDatabaseCreation.create_test_db = migrate_once


def _migrate_once(create_test_db, run: str, workers: int):
    where = Path(tempfile.gettempdir()) / f"quanmin-testdb-{run}"

    def migrate_once(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        vendor = self.connection.vendor
        if vendor not in ("sqlite", "postgresql") or keepdb or self.connection.alias != "default":
            return create_test_db(self, verbosity, autoclobber, serialize, keepdb)
        copy, taken = Path(f"{where}.{vendor}"), Path(f"{where}.{vendor}.taken")
        with _locked(Path(f"{where}.lock")):
            if copy.exists():
                name = _from_copy(self, copy)
                if serialize:
                    self.connection._test_serialized_contents = self.serialize_db_to_string()
            else:
                name = create_test_db(self, verbosity, autoclobber, serialize, keepdb)
                _leave_copy(self, name, copy)
            with taken.open("a") as f:
                f.write("x")
            if len(taken.read_text()) >= workers:  # every worker has its database: the copy goes
                _drop_copy(self, copy)
                taken.unlink()
                Path(f"{where}.lock").unlink()  # held by this worker: the others are past it
        return name

    return migrate_once


@contextlib.contextmanager
def _locked(path: Path):
    with path.open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _template_name(copy: Path) -> str:
    return f"quanmin_testdb_{copy.name.split('-')[-1].split('.')[0]}"[:63]


def _leave_copy(creation, name: str, copy: Path) -> None:
    connection = creation.connection
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        partial = Path(f"{copy}.partial")
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target)  # a consistent copy, the WAL's pages included
        finally:
            target.close()
        partial.replace(copy)
        return
    connection.close()  # CREATE DATABASE … TEMPLATE needs nobody connected to the template
    quote = connection.ops.quote_name
    with creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(_template_name(copy))}")
        cursor.execute(f"CREATE DATABASE {quote(_template_name(copy))} WITH TEMPLATE {quote(name)}")
    copy.write_text(_template_name(copy))


def _from_copy(creation, copy: Path) -> str:
    """The worker's test database made from the run's copy; as create_test_db leaves it."""
    from django.conf import settings

    connection = creation.connection
    name = creation._get_test_db_name()
    connection.close()
    if connection.vendor == "sqlite":
        remove_sqlite(Path(name))
        shutil.copyfile(copy, name)
    else:
        quote = connection.ops.quote_name
        with creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            cursor.execute(f"CREATE DATABASE {quote(name)} WITH TEMPLATE {quote(copy.read_text())}")
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()
    return name


def _drop_copy(creation, copy: Path) -> None:
    if creation.connection.vendor == "postgresql":
        with creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {creation.connection.ops.quote_name(copy.read_text())}")
    copy.unlink()
