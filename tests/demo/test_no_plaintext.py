"""Issue 15 ("Done when"): after `migrate` and `load_demo` into a fresh SQLite file, the file (and its
write-ahead log) holds no ID number, no phone of an account and no physique measurement, screening
answer or prescription in plain text: they are all encrypted with QUANMIN_FIELD_KEY.
The file starts as a copy of the (still empty) migrated test database: `migrate` there finds
nothing left to do, instead of building the same tables again."""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from quanmin.accounts import crypto
from tests.testdb import remove_sqlite

ROOT = Path(__file__).resolve().parents[2]
# Keys of the physique JSON that a plain measurement, score, screening or plan would carry.
HEALTH_KEYS = [b'"height_cm"', b'"weight_kg"', b'"vital_capacity_ml"', b'"sit_and_reach_cm"', b'"bmi"',
               b'"doctor_first"', b'"parq', b'"weak_components"', b'"measurements"', b'"obese"']


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory, django_db_setup, django_db_blocker):
    if connection.vendor != "sqlite":
        pytest.skip("the demo file is SQLite's: the SQLite pass of .ci/run scans it")
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.sqlite3"
    _migrated_copy(path, django_db_blocker)
    env = {**os.environ, "QUANMIN_SQLITE_PATH": str(path), "QUANMIN_MEDIA_ROOT": str(folder / "media")}
    env.pop("DATABASE_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, timeout=900)
    return path


def _migrated_copy(path: Path, blocker) -> None:
    """The test database as migrate left it, copied to `path` when it holds no rows yet (tests roll
    back or flush what they write): `migrate` then finds nothing to do, instead of spending half a
    minute of CPU building the same tables again. Otherwise the file is left out and `migrate` makes it."""
    with blocker.unblock():
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
    try:
        empty = target.execute("SELECT count(*) FROM accounts_user").fetchone()[0] == 0
    except sqlite3.OperationalError:  # not migrated
        empty = False
    target.close()
    if not empty:
        remove_sqlite(path)


@pytest.mark.django_db  # so that the test database exists to be copied, even when this test runs alone
def test_demo_database_file_holds_no_plaintext_personal_data(demo_file):
    con = sqlite3.connect(demo_file)
    phones = [crypto.decrypt(t) for (t,) in con.execute("SELECT phone_enc FROM accounts_user")]
    ids = [crypto.decrypt(t) for (t,) in con.execute("SELECT id_number_enc FROM accounts_user WHERE id_number_enc != ''")]
    ids += [crypto.decrypt(t) for (t,) in con.execute(
        "SELECT id_number_enc FROM physique_participant WHERE id_number_enc != ''")]
    results = con.execute("SELECT count(*) FROM physique_testresult").fetchone()[0]
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    assert len(phones) > 50 and len(ids) > 1000 and results > 1000  # the demo is there to be scanned
    data = demo_file.read_bytes()
    wal = Path(f"{demo_file}-wal")
    data += wal.read_bytes() if wal.exists() else b""
    # Every 11- and 18-character window of every run of digits, gathered in one pass, then the known
    # numbers looked up in it (a substring search per number reads the whole file tens of thousands of times).
    windows = set()
    for run in re.findall(rb"[0-9Xx]{11,}", data):
        for n in (11, 18):
            windows.update(run[k:k + n] for k in range(len(run) - n + 1))
    assert [i for i in ids if i.encode() in windows] == []
    assert [p for p in phones if p.encode() in windows] == []
    assert [k.decode() for k in HEALTH_KEYS if k in data] == []
