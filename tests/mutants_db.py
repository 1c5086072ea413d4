"""A pytest plugin for `make mutants` (tests/mutants.py): every test session starts from one migrated
copy of the test database instead of migrating its own.

mutmut runs the covering tests of each mutant in a process forked from its own, one pytest session
each; without this every session migrated a fresh SQLite test database (tens of seconds of CPU, far
more than most mutants' tests), and all of them used the same file name (the settings, and so the
pid in the name, were read once, before the fork), so two sessions at once could drop each other's
database. Here the first session snapshots its database right after migrating it (before any test
writes to it), and each later session starts from its own copy of that snapshot (named by its own
pid, removed at its end): the same database a normal run starts from, at the cost of a file copy.

Each failed test of a mutant's session (the one that killed it: sessions stop at the first) is
written as a line of `failures.jsonl` beside the snapshot, with the mutant and the error, so that a
kill can be told from a broken session (tests/mutants.py counts the kills by error).

Off unless QUANMIN_MUTANTS_DB names the snapshot's path (tests/mutants.py sets it); only the SQLite
test database is handled.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.testdb import remove_sqlite

ENV = "QUANMIN_MUTANTS_DB"
FAILURES = "failures.jsonl"
def pytest_configure(config):
    snapshot = os.environ.get(ENV)
    if not snapshot:
        return
    from django.conf import settings

    settings_dict = settings.DATABASES["default"]
    if not settings_dict["ENGINE"].endswith("sqlite3"):
        return
    snapshot = Path(snapshot)
    mine = Path(f"{snapshot}.{os.getpid()}")
    remove_sqlite(mine)
    if snapshot.exists():
        shutil.copyfile(snapshot, mine)
        _skip_migrate()
    # An existing file is kept (Django then only checks that every migration is applied); the
    # first session's file does not exist yet, and is migrated as in a normal run.
    settings_dict["TEST"]["NAME"] = str(mine)
    config.option.reuse_db = True
    config.option.create_db = False
    config.stash[_mine] = mine
    config.stash[_snapshot] = snapshot
    global _failures
    _failures = snapshot.parent / FAILURES


def _skip_migrate() -> None:
    """A session that starts from the snapshot uses it as it is. Django's keepdb still runs `migrate`
    (to find nothing to do): it loads every migration module and builds the project's state, which
    took more than half of a mutant's time (5.6 of 8.9 seconds of a one-test session's setup). The
    snapshot is this run's own migrated database, made from the same tree a moment before."""
    from django.conf import settings
    from django.db.backends.sqlite3.creation import DatabaseCreation

    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        name = self._get_test_db_name()
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        self.connection.ensure_connection()
        return name

    DatabaseCreation.create_test_db = create_test_db


_failures: Path | None = None
_mine = pytest.StashKey[Path]()
_snapshot = pytest.StashKey[Path]()


@pytest.fixture(scope="session", autouse=True)
def _mutants_db_snapshot(request):
    """The first session's migrated database, before any test ran, becomes the snapshot."""
    mine, snapshot = request.config.stash.get(_mine, None), request.config.stash.get(_snapshot, None)
    if mine is None or snapshot.exists():
        return
    request.getfixturevalue("django_db_setup")
    from django.db import connections

    connections.close_all()  # a closed SQLite connection leaves everything in the main file
    partial = Path(f"{snapshot}.partial")
    shutil.copyfile(mine, partial)
    partial.replace(snapshot)


def _record_failure(report) -> None:
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if not report.failed or _failures is None or "__mutmut_" not in mutant:
        return
    crash = getattr(report.longrepr, "reprcrash", None)
    error = crash.message if crash is not None else (str(report.longrepr).strip().splitlines() or [""])[-1]
    line = json.dumps({"mutant": mutant, "test": report.nodeid, "when": report.when, "error": error[:300]},
                      ensure_ascii=False)
    # One write of one short line to a file opened for appending: the lines of sessions at once don't mix.
    fd = os.open(_failures, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


def pytest_runtest_logreport(report):
    _record_failure(report)


def pytest_collectreport(report):
    _record_failure(report)


def pytest_unconfigure(config):
    mine = config.stash.get(_mine, None)
    if mine is None:
        return
    from django.db import connections

    # Closed before the fork that follows: a child must not inherit an open SQLite connection.
    connections.close_all()
    remove_sqlite(mine)
