"""The monthly snapshot from `manage.py tick`: taken once at the month end due, by the node holding
the lease, resumed after an interrupted run, and skipped (one query) once done."""

import io
import json
from datetime import date

from django.core.management import call_command

from quanmin.core import indicators, leases
from quanmin.core.models import Lease
from quanmin.planning.models import IndicatorSnapshot, SnapshotRun
from quanmin.planning.services import snapshots


def tick(today: str) -> dict:
    out = io.StringIO()
    call_command("planning_tick", today=today, stdout=out)
    return json.loads(out.getvalue())["planning_snapshot"]


def test_month_end_due():
    assert snapshots.month_end_due(date(2026, 11, 30)) == date(2026, 11, 30)
    assert snapshots.month_end_due(date(2026, 12, 6)) == date(2026, 11, 30)
    assert snapshots.month_end_due(date(2026, 1, 3)) == date(2025, 12, 31)


def test_monthly_snapshot_once_per_month_end(world, django_assert_max_num_queries):
    registry = indicators.registry()
    # Another node holds the lease: nothing is computed here.
    leases.take("planning_snapshot", "elsewhere:1", period=10**9, seconds=3600)
    assert tick("2026-11-30")["running"] == "elsewhere"
    assert not SnapshotRun.objects.exists()
    leases.release("planning_snapshot", "elsewhere:1")
    Lease.objects.filter(name="planning_snapshot").update(period=0)
    # An interrupted run: one indicator already recorded; the tick does the rest.
    snapshots.take([date(2026, 11, 30)], scope="3715", keys=["grounds"], today=date(2026, 11, 30))
    found = tick("2026-11-30")
    assert found["done"] and found["skipped"] == 1 and found["computed"] == len(registry) - 1
    assert IndicatorSnapshot.objects.filter(as_of=date(2026, 11, 30), division_code=world.city.code).count() == len(registry)
    with django_assert_max_num_queries(3):
        assert tick("2026-12-06") == {"as_of": "2026-11-30", "done": True}
