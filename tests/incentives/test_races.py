"""Races on both databases (run this file in the PostgreSQL pass too: DATABASE_URL=postgres://…):
the same facts credited by workers at once (one credit each, balances equal the ledger), a flash
claim (never over the total, never over the per-person limit), the same voucher redeemed twice at
once (one wins), points beyond the balance spent on two entry fees at once (one wins)."""

import datetime

import pytest
from django.db import connections
from django.db.models import Count, Sum
from django.utils import timezone

from quanmin.core.errors import ServiceError
from quanmin.incentives import points, spending, vouchers
from quanmin.incentives.models import PointsAccount, PointsEntry, Voucher, VoucherCampaign
from tests import races

from .conftest import check_in, fee_games, give, later, make_campaign, residents

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.race]


def _credit(now_iso):
    try:
        return points.credit(now=datetime.datetime.fromisoformat(now_iso))["check_in"]["credited"]
    except Exception as exc:  # a lock or deadlock error would land here: the test fails on it
        return f"{type(exc).__name__}: {exc}"
    finally:
        connections.close_all()


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_the_same_facts_from_several_workers_are_credited_once(world, rules, runner):
    from quanmin.booking import services as bs
    people = residents(world, 6)
    slots = list(world.unit.slots.order_by("start")[30:36])
    for person, slot in zip(people, slots):
        check_in(world, bs.book(person, slot.pk))
    check_in(world, world.booking)
    when = later(world).isoformat()
    run = races.RUNNERS[runner]
    results = run(_credit, [(when,)] * 4)
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 7
    assert PointsEntry.objects.count() == 7
    sums = dict(PointsEntry.objects.values_list("user_id").annotate(s=Sum("points")).order_by())
    assert sums == dict(PointsAccount.objects.values_list("user_id", "balance"))


def _user(pk):
    from quanmin.accounts.models import User
    return User.objects.get(pk=pk)


def _claim(user_id, campaign_id, device):
    return races.outcome(lambda: vouchers.claim(_user(user_id), campaign_id, device=device, address="10.0.0.1"),
                         ServiceError)


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_a_flash_claim_never_over_issues(world, runner):
    campaign = make_campaign(world, total=10, per_person=2, per_device=5)
    people = residents(world, 12)
    # Each person tries three times from their own phone: 36 claims for 10 vouchers, 2 a person.
    jobs = [(p.pk, campaign.pk, f"phone-{p.pk}") for p in people for _ in range(3)]
    run = races.RUNNERS[runner]
    results = run(_claim, jobs)
    assert set(results) <= {"ok", "sold_out", "person_limit"}, results
    assert results.count("ok") == 10
    campaign.refresh_from_db()
    assert campaign.issued == 10 == Voucher.objects.filter(campaign=campaign).count()
    assert max(Voucher.objects.values("person_key").annotate(n=Count("pk")).values_list("n", flat=True)) <= 2


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_one_person_many_claims_at_once_gets_one(world, runner):
    campaign = make_campaign(world, total=10, per_person=1, per_device=50)
    person = residents(world, 1)[0]
    run = races.RUNNERS[runner]
    results = run(_claim, [(person.pk, campaign.pk, f"phone-{i}") for i in range(8)])
    assert sorted(set(results)) == ["ok", "person_limit"], results
    assert results.count("ok") == 1
    assert VoucherCampaign.objects.get(pk=campaign.pk).issued == 1


def _redeem(operator_id, code, site_id):
    return races.outcome(lambda: vouchers.redeem_at_counter(_user(operator_id), code, site_id=site_id, spend="120"),
                         ServiceError)


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_the_same_voucher_redeemed_twice_at_once(world, operator, runner):
    campaign = make_campaign(world)
    voucher = vouchers.claim(world.users["resident"], campaign.pk, device="p1", now=timezone.now())
    run = races.RUNNERS[runner]
    results = run(_redeem, [(operator.pk, voucher.code, world.site.pk)] * 6)
    assert sorted(set(results)) == ["ok", "voucher_used"], results
    assert results.count("ok") == 1
    voucher.refresh_from_db()
    assert voucher.status == "redeemed" and voucher.discount == 30


def _points_on_entry(user_id, entry_id):
    return races.outcome(lambda: spending.points_for_entry(_user(user_id), entry_id, 1000), ServiceError)


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_points_beyond_the_balance_on_two_entry_fees_at_once(world, runner):
    from decimal import Decimal

    from quanmin.events import services_entries
    from quanmin.events.models import Competition, EntryFee

    ev = fee_games(world)
    Competition.objects.filter(pk=ev.team.pk).update(fee=Decimal("50"), format="individual", team_min=1, team_max=1)
    person = ev.people[0]
    both = [services_entries.enter(person, c.pk).pk for c in (ev.sprint, ev.team)]
    give(person, 1500)  # 1,000 points (10 yuan) on each fee: only one fits
    run = races.RUNNERS[runner]
    results = run(_points_on_entry, [(person.pk, pk) for pk in both])
    assert sorted(results) == ["balance_short", "ok"], results
    assert points.balance(person) == 500
    assert sorted(EntryFee.objects.filter(entry_id__in=both).values_list("amount", flat=True)) == [Decimal("40"), Decimal("50")]
    assert PointsEntry.objects.filter(user=person, kind="redeem").count() == 1
