"""A games is cancelled (twice at once) while its entrants withdraw, pay and enter, as threads and as
processes, on whichever database runs the suite: every entry ends withdrawn, every fee whose money
came in is refunded exactly once and one never paid is not, no place stays taken, nobody enters the
cancelled games, and no lock or deadlock error reaches anybody. Run it on PostgreSQL too
(DATABASE_URL=postgres://… pytest tests/events/test_cancel_races.py)."""

from decimal import Decimal

import pytest

from quanmin.accounts.models import AuditEntry
from quanmin.events import services, services_entries, services_fees
from quanmin.events.errors import EventError
from quanmin.events.models import Competition, Entry, EntryFee, Games
from tests import races

from .conftest import make_games, residents

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.race]
FEE = Decimal("30")


def _act(kind, arg, user_id=None):
    from quanmin.accounts.models import User

    calls = {
        "cancel": lambda: services.cancel_games(User.objects.get(pk=user_id), Games.objects.get(pk=arg), "场馆停电"),
        "withdraw": lambda: services_entries.withdraw(User.objects.get(pk=user_id), Entry.objects.get(pk=arg)),
        "pay": lambda: services_fees.settle(arg),
        "enter": lambda: services_entries.enter(User.objects.get(pk=user_id), arg),
    }
    return races.outcome(calls[kind], EventError)


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_a_cancel_refunds_each_fee_once_under_load(world, runner):
    setup = make_games(world, capacity=40)
    Games.objects.filter(pk=setup.games.pk).update(payment_provider="simulated")
    Competition.objects.filter(pk=setup.sprint.pk).update(fee=FEE)
    people = residents(world, 20)
    made = [services_entries.enter(p, setup.sprint.pk) for p in people[:15]]
    for entry in made[:10]:
        services_fees.settle(EntryFee.objects.get(entry=entry).reference)  # paid before the cancel
    county = world.users["county"].pk
    jobs = [("cancel", setup.games.pk, county), ("cancel", setup.games.pk, county)]
    jobs += [("withdraw", e.pk, e.user_id) for e in made[:5]]  # paid, withdrawing at the same moment
    pays = {e.pk: EntryFee.objects.get(entry=e).reference for e in made[10:]}
    jobs += [("pay", ref, None) for ref in pays.values()]  # paying at the same moment
    jobs += [("enter", setup.sprint.pk, p.pk) for p in people[15:]]  # entering at the same moment
    results = races.RUNNERS[runner](_act, jobs)
    assert set(results) <= {"ok", "not_withdrawable", "payment_too_late", "not_published"}, results
    assert results[:2] == ["ok", "ok"]
    pay_results = dict(zip(pays, results[7:12], strict=True))
    assert Games.objects.get(pk=setup.games.pk).status == "cancelled"
    assert set(Entry.objects.filter(games=setup.games).values_list("status", flat=True)) == {"withdrawn"}
    assert Competition.objects.get(pk=setup.sprint.pk).taken == 0
    refunds = {}
    for logged in AuditEntry.objects.filter(action__in=("withdraw_entry", "cancel_entry")):
        if Decimal(logged.detail.get("refunded", "0")) > 0:
            refunds[int(logged.target_id)] = refunds.get(int(logged.target_id), 0) + 1
    for fee in EntryFee.objects.filter(entry__games=setup.games):
        came_in = fee.entry_id in {e.pk for e in made[:10]} or pay_results.get(fee.entry_id) in ("ok", "payment_too_late")
        times = refunds.get(fee.entry_id, 0) + (pay_results.get(fee.entry_id) == "payment_too_late")
        assert times == (1 if came_in else 0), (fee.entry_id, times, fee.status)
        assert (fee.status, fee.refunded) == (("refunded", FEE) if came_in else ("failed", 0)), fee.entry_id
