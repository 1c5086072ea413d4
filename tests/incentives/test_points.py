"""The points ledger: rules, crediting facts since a watermark once each, caps, reversal, expiry,
spending; the ledger's sum is every balance."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Sum

from quanmin.booking.models import Booking
from quanmin.events import services_entries, services_results
from quanmin.incentives import points
from quanmin.incentives.errors import IncentiveError
from quanmin.incentives.models import PointsAccount, PointsEntry, PointsRule, Watermark
from tests.conftest import PASSWORD
from tests.events.conftest import make_games
from tests.people.conftest import active

from .conftest import check_in, later


def ledger_matches_balances():
    sums = dict(PointsEntry.objects.values_list("user_id").annotate(s=Sum("points")).order_by())
    accounts = dict(PointsAccount.objects.values_list("user_id", "balance"))
    return sums == {u: b for u, b in accounts.items() if b or u in sums}


def test_a_check_in_is_credited_once(world, rules):
    check_in(world, world.booking)
    first = points.credit(now=later(world))
    assert first["check_in"] == {"credited": 1, "reversed": 0, "points": 10}
    assert points.balance(world.users["resident"]) == 10
    again = points.credit(now=later(world))
    assert again["check_in"]["credited"] == 0
    # Even with the watermark forgotten, every fact is read again and none is credited twice.
    Watermark.objects.all().delete()
    assert points.credit(now=later(world))["check_in"]["credited"] == 0
    entry = PointsEntry.objects.get()
    assert entry.source_key == f"check_in:{world.booking.pk}" and entry.region_code == world.community.code
    assert entry.expires_on == datetime.date(entry.day.year + 1, 12, 31)
    assert ledger_matches_balances()


def test_daily_cap(world, rules):
    from quanmin.booking import services as bs
    resident = world.users["resident"]
    slots = list(world.unit.slots.filter(start__date=world.slot.start.date()).exclude(pk=world.slot.pk).order_by("start")[:1])
    extra = [bs.book(resident, s.pk) for s in slots]
    check_in(world, world.booking)
    for b in extra:
        check_in(world, b)
    PointsRule.objects.filter(fact="check_in").update(daily_cap=15)
    points.credit(now=later(world))
    # The earlier check-in earns in full, the later one what is left of the day's cap.
    bookings = sorted([world.booking, *extra], key=lambda b: b.slot.start)
    lines = [PointsEntry.objects.values_list("points", "capped").get(source_key=f"check_in:{b.pk}") for b in bookings]
    assert lines == [(10, False), (5, True)]
    assert points.balance(resident) == 15


def test_an_annulled_result_and_a_withdrawn_entry_are_reversed(world, rules):
    setup = make_games(world, capacity=5)
    resident = world.users["resident"]
    entry = services_entries.enter(resident, setup.sprint.pk)
    result = services_results.record_result(world.users["county"], setup.sprint, entry.bib, value="12.5")
    credited = points.credit(now=later(world))
    assert credited["event_entry"]["credited"] == 1 and credited["event_finish"]["credited"] == 1
    assert points.balance(resident) == 50
    services_results.record_result(world.users["county"], setup.sprint, entry.bib, status="dq", reason="抢跑")
    undone = points.credit(now=later(world))
    assert undone["event_finish"] == {"credited": 0, "reversed": 1, "points": -30}
    assert points.balance(resident) == 20
    assert points.credit(now=later(world))["event_finish"]["reversed"] == 0  # once
    assert PointsEntry.objects.filter(source_key=f"undo:finish:{result.pk}", points=-30).exists()
    assert ledger_matches_balances()


def test_a_check_in_taken_back_is_reversed(world, rules):
    check_in(world, world.booking)
    points.credit(now=later(world))
    # The venue corrects a wrong check-in (the booking is cancelled afterwards).
    Booking.objects.filter(pk=world.booking.pk).update(status="cancelled", cancelled_at=later(world) - datetime.timedelta(days=1))
    assert points.credit(now=later(world))["check_in"]["reversed"] == 1
    assert points.balance(world.users["resident"]) == 0


def test_no_rule_no_points(world):
    check_in(world, world.booking)
    assert points.credit(now=later(world))["check_in"]["credited"] == 0
    assert not PointsEntry.objects.exists()


@pytest.mark.parametrize("data, code", [
    ({"fact": "check_in", "points": 5, "daily_cap": -1}, "cap_negative"),
    ({"fact": "check_in", "points": 5, "yearly_cap": "1.5"}, "cap_negative"),
    ({"fact": "check_in", "points": 0}, "points_positive"),
    ({"fact": "check_in", "points": "abc"}, "points_positive"),
    ({"fact": "nonsense", "points": 5}, "fact_unknown"),
])
def test_bad_rules_write_nothing(world, data, code):
    with pytest.raises(IncentiveError) as exc:
        points.save_rule(world.city, data, by=world.users["superuser"])
    assert exc.value.code == code and exc.value.status == 400
    assert not PointsRule.objects.exists()


def test_a_rule_belongs_to_a_city(world):
    with pytest.raises(IncentiveError) as exc:
        points.save_rule(world.county, {"fact": "check_in", "points": 5})
    assert exc.value.code == "not_a_city"


def test_expiry_takes_the_oldest_points_less_what_was_spent(world, rules):
    check_in(world, world.booking)
    points.credit(now=later(world))
    resident = world.users["resident"]
    entry = PointsEntry.objects.get()
    from django.db import transaction
    with transaction.atomic():
        points.spend(resident, 4, key="spend:test")
    assert points.balance(resident) == 6
    assert points.expire(today=entry.expires_on) == 0  # still good on its last day
    assert points.expire(today=entry.expires_on + datetime.timedelta(days=1)) == 6
    assert points.expire(today=entry.expires_on + datetime.timedelta(days=1)) == 0
    assert points.balance(resident) == 0
    assert ledger_matches_balances()


def test_spending_beyond_the_balance_is_refused(world, rules):
    check_in(world, world.booking)
    points.credit(now=later(world))
    with pytest.raises(IncentiveError) as exc:
        points.spend(world.users["resident"], 11, key="spend:too-much")
    assert exc.value.code == "balance_short"
    assert points.balance(world.users["resident"]) == 10
    assert not PointsEntry.objects.filter(kind="redeem").exists()


def test_the_command_credits_and_expires(world, rules, capsys):
    check_in(world, world.booking)
    call_command("incentives_tick", now=later(world).isoformat())
    out = capsys.readouterr().out
    assert '"check_in": {"credited": 1' in out
    assert points.balance(world.users["resident"]) == 10


def test_caps_count_the_lines_of_earlier_runs(world, rules):
    """A day's cap counts what earlier runs credited that day; a year's cap too, across days."""
    from quanmin.booking import services as bs
    resident = world.users["resident"]
    PointsRule.objects.filter(fact="check_in").update(daily_cap=15, yearly_cap=20)
    # Later slots than the world's: each run reads check-ins after the one before (its watermark).
    slots = list(world.unit.slots.filter(start__gt=world.slot.start).order_by("start"))
    same_day = next(s for s in slots if s.start.date() == world.slot.start.date())
    next_day = next(s for s in slots if s.start.date() > world.slot.start.date())
    check_in(world, world.booking)
    points.credit(now=later(world))
    check_in(world, bs.book(resident, same_day.pk))
    points.credit(now=later(world))
    check_in(world, bs.book(resident, next_day.pk))
    points.credit(now=later(world))
    lines = list(PointsEntry.objects.order_by("day", "pk").values_list("points", "capped"))
    assert lines == [(10, False), (5, True), (5, True)]
    assert points.balance(resident) == 20
    assert ledger_matches_balances()


def test_a_rule_rewards_from_its_first_day_per_hour_and_a_deleted_test_is_taken_back(world, rules):
    from django.utils import timezone

    from quanmin.people.models import DutyLog
    from quanmin.web import personal_data
    from tests.matrix import physique as pm
    points.save_rule(world.city, {"fact": "volunteer_hour", "points": 100}, by=world.users["superuser"])
    start = timezone.now() - datetime.timedelta(days=2)
    instructor = active(world, world.community, 301, user=world.users["resident"])
    DutyLog.objects.create(instructor=instructor, region=world.community, started_at=start,
                           ended_at=start + datetime.timedelta(hours=2, minutes=18), hours="2.3", activity="太极拳教学",
                           volunteer=True, status=DutyLog.Status.CONFIRMED, confirmed_at=start + datetime.timedelta(hours=3))
    result = pm.result_of(world, "resident")
    credited = points.credit(now=later(world))
    assert credited["volunteer_hour"]["credited"] == 0  # served two days before the rule was set
    assert credited["physique_test"]["credited"] == 1
    # The city moves the rule's first day back a week: the service is read again and earns.
    points.save_rule(world.city, {"fact": "volunteer_hour", "points": 100,
                                  "starts_on": (start - datetime.timedelta(days=5)).date().isoformat()})
    credited = points.credit(now=later(world))
    assert credited["volunteer_hour"] == {"credited": 1, "reversed": 0, "points": 230}  # 2.3 h, never 229
    # The person erases their data: the test result goes, and so do the points it earned.
    personal_data.delete_own_data(world.users["resident"], password=PASSWORD)
    assert points.credit(now=later(world))["physique_test"] == {"credited": 0, "reversed": 1, "points": -50}
    assert PointsEntry.objects.filter(source_key=f"undo:test:{result.pk}").exists()
    assert points.credit(now=later(world))["physique_test"]["reversed"] == 0
    assert ledger_matches_balances()


def test_a_rule_with_a_bad_first_day_writes_nothing(world):
    with pytest.raises(IncentiveError) as exc:
        points.save_rule(world.city, {"fact": "check_in", "points": 5, "starts_on": "2026-02-30"})
    assert exc.value.code == "starts_on_invalid" and exc.value.field == "starts_on"
    assert not PointsRule.objects.exists()
