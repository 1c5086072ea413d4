"""Fifty residents enter a competition with 5 places at once, as threads and as processes, on
whichever database runs the suite: exactly the quota is admitted, everyone else gets quota_full,
and no lock or deadlock error reaches anybody. A race test: it runs in both passes of .ci/run, and
must run in the PostgreSQL one (DATABASE_URL=postgres://… pytest tests/events/test_races.py): SQLite serialises writers, PostgreSQL
is where the conditional UPDATE and the row lock of the delegation have to hold.
"""

import datetime

import pytest

from quanmin.events import services_entries as entries
from quanmin.events.errors import EventError
from quanmin.events.models import Competition, Entry
from tests import races

from .conftest import make_games, residents

CLIENTS = 50
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.race]


def _attempt(user_id, competition_id, delegation_id=None, leader_id=None, member_ids=()):
    from quanmin.accounts.models import User

    def call():
        if member_ids:
            entries.enter(User.objects.get(pk=user_id), competition_id, team_name=f"队{user_id}",
                          members=list(User.objects.filter(pk__in=member_ids)))
        elif leader_id:
            entries.enter(User.objects.get(pk=leader_id), competition_id, delegation_id=delegation_id,
                          athlete=User.objects.get(pk=user_id))
        else:
            entries.enter(User.objects.get(pk=user_id), competition_id, delegation_id=delegation_id)

    return races.outcome(call, EventError)


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_fifty_residents_five_places(world, runner):
    setup = make_games(world, capacity=5)
    people = [p.pk for p in residents(world, CLIENTS)]
    results = races.RUNNERS[runner](_attempt, [(p, setup.sprint.pk) for p in people])
    assert sorted(set(results)) == ["ok", "quota_full"], results
    assert results.count("ok") == 5
    setup.sprint.refresh_from_db()
    assert setup.sprint.taken == 5 == Entry.objects.filter(competition=setup.sprint).count()


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_a_delegation_quota_under_load(world, runner):
    setup = make_games(world)
    people = [p.pk for p in residents(world, CLIENTS)]
    results = races.RUNNERS[runner](_attempt, [(p, setup.delegated.pk, setup.township.pk, setup.leader.pk) for p in people])
    assert sorted(set(results)) == ["delegation_quota_full", "ok"], results
    assert results.count("ok") == 2
    assert Competition.objects.get(pk=setup.delegated.pk).taken == 2


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_one_person_in_many_teams_at_once(world, runner):
    """Twenty captains enter teams that all name the same member at once: one team gets them."""
    setup = make_games(world)
    setup.team.capacity = 40
    setup.team.save(update_fields=["capacity"])
    star, *captains = [p.pk for p in residents(world, 21)]
    results = races.RUNNERS[runner](_attempt, [(c, setup.team.pk, None, None, (star,)) for c in captains])
    assert sorted(set(results)) == ["in_another_team", "ok"], results
    assert results.count("ok") == 1
    assert Competition.objects.get(pk=setup.team.pk).taken == 1 == Entry.objects.filter(competition=setup.team).count()


def _pay_or_lapse(kind, arg):
    from quanmin.events import services_fees

    def call():
        if kind == "pay":
            services_fees.settle(arg)
        else:
            entries.expire_offers(now=datetime.datetime.fromisoformat(arg))

    return races.outcome(call, EventError)


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_payments_and_their_lapse_at_once(world, runner):
    """Ten online payments arrive while the tick lapses the same unpaid entries: each entry ends
    either confirmed with its fee paid, or lapsed with its fee refunded; places match."""
    from decimal import Decimal

    from quanmin.events.models import EntryFee, Games

    setup = make_games(world, capacity=10)
    Games.objects.filter(pk=setup.games.pk).update(payment_provider="simulated")
    Competition.objects.filter(pk=setup.sprint.pk).update(fee=Decimal("30"))
    made = [entries.enter(p, setup.sprint.pk) for p in residents(world, 10)]
    late = (max(e.pay_by for e in made) + datetime.timedelta(minutes=1)).isoformat()
    jobs = [("pay", EntryFee.objects.get(entry=e).reference) for e in made]
    jobs[5:5] = [("lapse", late), ("lapse", late)]
    results = races.RUNNERS[runner](_pay_or_lapse, jobs)
    assert set(results) <= {"ok", "payment_too_late"}, results
    confirmed = 0
    for entry in Entry.objects.filter(competition=setup.sprint).select_related("fee"):
        assert (entry.status, entry.fee.status) in {("confirmed", "paid"), ("lapsed", "refunded")}, entry.status
        confirmed += entry.status == "confirmed"
    assert results.count("payment_too_late") == 10 - confirmed
    assert Competition.objects.get(pk=setup.sprint.pk).taken == confirmed
