"""Backups that restore (issue 24): `manage.py backup` of the test world's database (SQLite's online
backup API, or pg_dump) and its private uploads, `manage.py restore` into a fresh database and media
folder by a node process of its own, which then finds the same counts and signs a resident in."""

import io
import json
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from quanmin.accounts.models import User
from quanmin.booking.models import Booking, Slot
from quanmin.facilities.models import Site
from quanmin.regions.models import Region
from tests.conftest import PASSWORD
from tests.nodes import node_env, run_python

pytestmark = pytest.mark.django_db(transaction=True)

MODELS = {"users": User, "regions": Region, "sites": Site, "slots": Slot, "bookings": Booking}
# In the restoring node: restore, count, sign in, then try restoring again onto what is now there.
CHECK = """
import json
from django.core.management import call_command, CommandError
from django.test import Client, override_settings
from django.urls import reverse
from quanmin.accounts.models import User
from quanmin.booking.models import Booking, Slot
from quanmin.facilities.models import Site
from quanmin.regions.models import Region
call_command("restore", ARCHIVE)
counts = {"users": User, "regions": Region, "sites": Site, "slots": Slot, "bookings": Booking}
counts = {k: m.objects.count() for k, m in counts.items()}
client = Client()
with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
    client.post(reverse("accounts:login"), {"phone": "13700000007", "password": %r})
try:
    call_command("restore", ARCHIVE)
except CommandError as exc:
    refused = str(exc)
print(json.dumps({"counts": counts, "signed_in": client.session.get("_auth_user_id"), "refused": refused}))
"""


@pytest.fixture
def fresh_database(tmp_path):
    """A database no one has used: a new SQLite file, or a new PostgreSQL database dropped after."""
    if connection.vendor == "sqlite":
        yield {"QUANMIN_SQLITE_PATH": str(tmp_path / "restored.sqlite3")}
        return
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = node_env()["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    yield {"DATABASE_URL": url}
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_restores_into_a_fresh_database_with_the_same_counts_and_a_working_sign_in(
        world, settings, tmp_path, fresh_database):
    upload = Path(settings.MEDIA_ROOT, "evidence", f"{uuid.uuid4().hex}.pdf")
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(b"%PDF-1.4 private evidence")
    before = {k: m.objects.count() for k, m in MODELS.items()}
    assert before["bookings"] >= 2 and before["users"] >= 9

    call_command("backup", "--to", str(tmp_path / "backups"), stdout=(out := io.StringIO()))
    made = json.loads(out.getvalue())
    assert made["engine"] == ("sqlite" if connection.vendor == "sqlite" else "postgresql")
    assert made["media_files"] >= 1 and Path(made["backup"]).exists()

    media = tmp_path / "restored-media"
    env = {**fresh_database, "QUANMIN_MEDIA_ROOT": str(media)}
    code = f"ARCHIVE = {made['backup']!r}\n" + CHECK % PASSWORD
    out = run_python(code, redis=False, extra=env).splitlines()
    restored, found = json.loads(out[0]), json.loads(out[-1])
    assert restored["media_files"] == made["media_files"]
    assert (media / upload.relative_to(settings.MEDIA_ROOT)).read_bytes() == upload.read_bytes()
    assert found["counts"] == before
    assert found["signed_in"] == str(world.users["resident"].pk)
    # A second restore onto what is now there is refused unless asked to replace it (--force).
    assert "not empty" in found["refused"]
