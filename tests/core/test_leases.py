"""Work done once (issue 24): the upkeep's lease, taken by one node of several, passed on after expiry;
`manage.py tick --every N` started as several real processes runs the upkeep once per period, one run
at a time."""

import datetime
import itertools
import json
import time

import pytest
from django.utils import timezone

from quanmin.core import leases
from quanmin.core.models import Lease
from tests.nodes import start_manage

T0 = timezone.make_aware(datetime.datetime(2026, 12, 6, 10, 0))


@pytest.mark.django_db
def test_one_taker_per_period_and_a_dead_holder_passes_it_on():
    assert leases.take("job", "a", period=1, seconds=60, now=T0)
    assert not leases.take("job", "b", period=1, seconds=60, now=T0)  # the same period: taken
    # A later period while a's lease runs (a still working, or dead): not before it expires.
    assert not leases.take("job", "b", period=2, seconds=60, now=T0 + datetime.timedelta(seconds=59))
    assert leases.take("job", "b", period=2, seconds=60, now=T0 + datetime.timedelta(seconds=60))
    leases.release("job", "a", now=T0 + datetime.timedelta(seconds=61))  # not a's any more: no effect
    assert not leases.take("job", "c", period=3, seconds=60, now=T0 + datetime.timedelta(seconds=61))
    leases.release("job", "b", now=T0 + datetime.timedelta(seconds=61))
    assert leases.take("job", "c", period=3, seconds=60, now=T0 + datetime.timedelta(seconds=61))
    assert not leases.take("job", "a", period=2, seconds=60, now=T0 + datetime.timedelta(hours=1))  # a past period
    assert Lease.objects.get(name="job").holder == "c"


@pytest.mark.django_db
def test_a_holder_renews_only_its_own_period():
    assert leases.take("job", "a", period=1, seconds=60, now=T0)
    assert leases.renew("job", "a", period=1, seconds=60, now=T0 + datetime.timedelta(seconds=50))
    # Still a's at 61 s: a said at 50 s that it was working.
    assert not leases.take("job", "b", period=2, seconds=60, now=T0 + datetime.timedelta(seconds=61))
    assert leases.take("job", "b", period=2, seconds=60, now=T0 + datetime.timedelta(seconds=110))
    # a (stalled past its lease) cannot take it back by renewing.
    assert not leases.renew("job", "a", period=1, seconds=60, now=T0 + datetime.timedelta(seconds=111))
    assert not leases.renew("job", "b", period=1, seconds=60, now=T0 + datetime.timedelta(seconds=111))
    assert Lease.objects.get(name="job").holder == "b"


@pytest.mark.django_db(transaction=True)
def test_a_kept_lease_is_renewed_while_the_work_runs():
    assert leases.take("job", "a", period=1, seconds=3)
    taken = Lease.objects.get(name="job").expires_at
    with leases.kept("job", "a", period=1, seconds=3):
        deadline = time.monotonic() + 120
        while Lease.objects.get(name="job").expires_at == taken:  # renewed every second
            assert time.monotonic() < deadline, "the lease was not renewed"
            time.sleep(0.05)
    assert Lease.objects.get(name="job").holder == "a"


@pytest.mark.django_db(transaction=True)
def test_several_tick_processes_run_the_upkeep_once_per_period():
    every = 3
    nodes = [start_manage("tick", "--every", str(every), redis=False) for _ in range(3)]
    try:
        deadline = time.monotonic() + 240
        # Wait for four periods to have been taken after the first one seen.
        first, seen = None, set()
        while time.monotonic() < deadline:
            # A row with the model's default period (-1) is one a node has made but not yet taken.
            lease = Lease.objects.filter(name="tick", period__gte=0).first()
            if lease and first is None:
                first = lease.period
            if lease:
                seen.add(lease.period)
            if lease and lease.period >= first + 4:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the upkeep did not run for four periods")
    finally:
        for node in nodes:
            node.terminate()
    runs, done = {}, {}
    for node in nodes:
        out, _ = node.communicate(timeout=60)
        for line in out.splitlines():
            if line.startswith('{"tick"'):
                tick = json.loads(line)["tick"]
                assert tick["period"] not in runs  # no period twice
                runs[tick["period"]] = tick
            elif line.startswith('{"tick_done"'):
                tick = json.loads(line)["tick_done"]
                done[tick["period"]] = tick["ended"]
    # The upkeep ran period after period (which periods a starved machine lets the nodes wake for is
    # the clock's business, see tick.py), each by one node, and never two runs at once.
    # Every period seen taken was said by its node, except perhaps the last: the node that took it may
    # have been stopped between taking the lease and writing its line.
    periods = sorted(runs)
    assert periods[0] <= first and seen - {max(seen)} <= set(runs)
    spans = sorted((runs[p]["started"], done[p]) for p in periods if p in done)
    assert len(spans) >= len(periods) - 1  # only the last may have been stopped mid-run
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))
