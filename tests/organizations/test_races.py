"""64 residents join one capped group at once, as threads and as separate processes.

Exactly the cap are admitted, everyone else gets `group_full`, `member_count` equals the active
memberships, and no lock or deadlock error reaches anybody. The test runs on whichever database
runs the suite. A race test: it runs in both passes of .ci/run and must run in the PostgreSQL pass (DATABASE_URL=postgres://…), where the
row lock (select_for_update) is what serialises the joins; on SQLite the IMMEDIATE transactions do.
"""

import pytest

from quanmin.accounts import services as accounts
from quanmin.accounts.models import User
from quanmin.demo.accounts import make_id_number
from quanmin.organizations import credit, memberships, services
from quanmin.organizations.errors import OrganizationError
from quanmin.organizations.models import GroupMembership, Organization
from tests import races

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
    return races.outcome(lambda: memberships.join(User.objects.get(pk=user_id), org_id), OrganizationError)


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_64_concurrent_joins_admit_exactly_the_cap(world, runner):
    group = _group(world)
    results = races.RUNNERS[runner](_attempt, [(p, group.pk) for p in _people(world, CLIENTS)])
    assert sorted(set(results) - {"ok"}) == ["group_full"], results
    assert results.count("ok") == CAP
    group = Organization.objects.get(pk=group.pk)
    assert group.member_count == CAP == GroupMembership.objects.filter(organization=group, status="active").count()
