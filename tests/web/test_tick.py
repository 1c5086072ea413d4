"""`manage.py tick` runs every app's periodic command, and one app's failure does not stop the rest."""

import io

import pytest
from django.core.management import call_command

from quanmin.web.management.commands import tick

pytestmark = pytest.mark.django_db


def test_every_periodic_command_exists_and_runs(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("tick", stdout=out, stderr=err)
    assert err.getvalue() == "", err.getvalue()
    # Each app's command ran (each prints one JSON line of what it did).
    assert out.getvalue().count("{") >= len(tick.COMMANDS)


def test_one_failing_command_does_not_stop_the_others(world, monkeypatch):
    ran = []
    real = tick.call_command

    def fake(name, **kwargs):
        ran.append(name)
        if name == tick.COMMANDS[0]:
            raise RuntimeError("disk full")
        return real(name, **kwargs)

    monkeypatch.setattr(tick, "call_command", fake)
    err = io.StringIO()
    call_command("tick", stdout=io.StringIO(), stderr=err)
    assert ran == tick.COMMANDS
    assert "disk full" in err.getvalue()
