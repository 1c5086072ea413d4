"""64 residents join one capped group at once, as threads and as separate processes.

Exactly the cap are admitted, everyone else gets `group_full`, `member_count` equals the active
memberships, and no lock or deadlock error reaches anybody. The test runs on whichever database
runs the suite. A race test: it runs in both passes of .ci/run and must run in the PostgreSQL pass (DATABASE_URL=postgres://…), where the
row lock (select_for_update) is what serialises the joins; on SQLite the IMMEDIATE transactions do.
"""

import multiprocessing
import threading

import pytest
from django.db import connections

from quanmin.accounts import services as accounts
from quanmin.accounts.models import User
from quanmin.demo.accounts import make_id_number
from quanmin.organizations import credit, memberships, services
from quanmin.organizations.errors import OrganizationError
from quanmin.organizations.models import GroupMembership, Organization

CLIENTS = 64
CAP = 20
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.race]


def _people(world, n):
    return [accounts.create_user(phone=f"1350000{i:04d}", password=None, real_name=f"居民{i}",
                                 id_number=make_id_number(world.community.code, "19900101", 200 + i, True),
                                 home_region=world.community).pk for i in range(n)]


def _group(world):
    return services.register({"name": "东关社区夜跑群", "kind": "community_group", "status": "registered",
                              "credit_code": credit.make("2", "371502", 77), "region": world.community,
                              "join_policy": "open", "member_cap": CAP}, actor=world.users["superuser"])


def _attempt(user_id, org_id):
    """One resident's join; 'ok', an error code, or the unexpected exception's name."""
    try:
        memberships.join(User.objects.get(pk=user_id), org_id)
        return "ok"
    except OrganizationError as exc:
        return exc.code
    except Exception as exc:  # a lock or deadlock error would land here: the test fails on it
        return f"{type(exc).__name__}: {exc}"
    finally:
        connections.close_all()


def _run_threads(jobs):
    results = [None] * len(jobs)
    barrier = threading.Barrier(len(jobs))

    def run(i, args):
        barrier.wait()
        results[i] = _attempt(*args)

    threads = [threading.Thread(target=run, args=(i, args)) for i, args in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _run_processes(jobs):
    connections.close_all()  # children must not share the parent's connection
    with multiprocessing.get_context("fork").Pool(16) as pool:
        return pool.starmap(_attempt, jobs)


RUNNERS = {"threads": _run_threads, "processes": _run_processes}


@pytest.mark.parametrize("runner", RUNNERS)
def test_64_concurrent_joins_admit_exactly_the_cap(world, runner):
    group = _group(world)
    results = RUNNERS[runner]([(p, group.pk) for p in _people(world, CLIENTS)])
    assert sorted(set(results) - {"ok"}) == ["group_full"], results
    assert results.count("ok") == CAP
    group = Organization.objects.get(pk=group.pk)
    assert group.member_count == CAP == GroupMembership.objects.filter(organization=group, status="active").count()
