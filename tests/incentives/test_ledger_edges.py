"""The points ledger's and spending's rules at their edges (make mutants, issue 25): limits at the
exact value, one below and one above; each refusal with its code, status, field and Chinese message,
nothing written; what a rule, a spend, a refund and an expiry write, line by line; the city's rate
and share in whole fen, never more points than asked nor more than the city's share."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from quanmin.accounts.models import AuditEntry
from quanmin.events import services_entries as entries
from quanmin.events.models import Competition, EntryFee
from quanmin.incentives import points, spending
from quanmin.incentives.errors import IncentiveError
from quanmin.incentives.models import PointsAccount, PointsEntry, PointsRule, PointsSettings, Watermark
from quanmin.regions.models import Region

from .conftest import fee_games, give

BILLION = 10**9


def refused(call, code, status, field, message):
    before = (PointsRule.objects.count(), PointsEntry.objects.count(), PointsSettings.objects.count(),
              AuditEntry.objects.count(), list(PointsAccount.objects.order_by("pk").values_list("balance", "spent")))
    with pytest.raises(IncentiveError) as exc:
        call()
    e = exc.value
    assert (e.code, e.status, e.field, str(e.message)) == (code, status, field, message)
    assert (PointsRule.objects.count(), PointsEntry.objects.count(), PointsSettings.objects.count(),
            AuditEntry.objects.count(), list(PointsAccount.objects.order_by("pk").values_list("balance", "spent"))) == before


# --- rules ---------------------------------------------------------------------------------------

CAP = "上限须为不小于零的整数积分。"
POINTS = "积分须为大于零的整数。"


@pytest.mark.parametrize("change, code, field, message", [
    ({"daily_cap": BILLION + 1}, "cap_negative", "daily_cap", CAP),
    ({"yearly_cap": -1}, "cap_negative", "daily_cap", CAP),
    ({"yearly_cap": "2.5"}, "cap_negative", "daily_cap", CAP),
    ({"daily_cap": "many"}, "cap_negative", "daily_cap", CAP),
    ({"points": BILLION + 1}, "points_positive", "points", POINTS),
    ({"points": None}, "points_positive", "points", POINTS),
    ({"points": ""}, "points_positive", "points", POINTS),
    ({"points": "0"}, "points_positive", "points", POINTS),
    ({"fact": ""}, "fact_unknown", "fact", "请从列表中选择奖励的行为。"),
    ({"starts_on": "tomorrow"}, "starts_on_invalid", "starts_on", "请按 YYYY-MM-DD 填写起始日期。"),
])
def test_a_bad_rule_is_refused_with_its_reason(world, change, code, field, message):
    data = {"fact": "check_in", "points": 5, **change}
    refused(lambda: points.save_rule(world.city, data, by=world.users["superuser"]), code, 400, field, message)


def test_a_rule_of_a_county_is_refused(world):
    refused(lambda: points.save_rule(world.county, {"fact": "check_in", "points": 5}), "not_a_city", 400, "city",
            "积分规则由市级设定。")


@pytest.mark.parametrize("given, saved", [(None, None), ("", None), (0, 0), ("0", 0), (" 7 ", 7), ("7.0", 7),
                                          (BILLION, BILLION), (str(BILLION), BILLION)])
def test_caps_from_none_to_a_billion(world, given, saved):
    rule = points.save_rule(world.city, {"fact": "check_in", "points": BILLION, "daily_cap": given, "yearly_cap": given})
    rule = PointsRule.objects.get(pk=rule.pk)
    assert (rule.points, rule.daily_cap, rule.yearly_cap) == (BILLION, saved, saved)


@pytest.mark.parametrize("given, active", [(False, False), ("false", False), ("0", False), ("", False), ("off", False),
                                           (True, True), ("true", True), ("1", True), ("on", True), ("yes", True)])
def test_a_rule_is_switched_off_by_the_form_s_words_for_no(world, given, active):
    rule = points.save_rule(world.city, {"fact": "check_in", "points": 5, "active": given})
    assert PointsRule.objects.get(pk=rule.pk).active is active
    assert PointsRule.objects.get(pk=points.save_rule(world.city, {"fact": "event_entry", "points": 5}).pk).active is True


def test_a_rule_is_written_and_audited_as_given(world):
    su = world.users["superuser"]
    day = datetime.date(2026, 3, 1)
    rule = points.save_rule(world.city, {"fact": "check_in", "points": "12", "daily_cap": "30", "yearly_cap": "",
                                         "starts_on": " 2026-03-01 "}, by=su)
    rule = PointsRule.objects.get(pk=rule.pk)
    assert (rule.city_id, rule.fact, rule.points, rule.daily_cap, rule.yearly_cap, rule.starts_on, rule.active) == (
        world.city.code, "check_in", 12, 30, None, day, True)
    entry = AuditEntry.objects.get(action="points_rule")
    assert (entry.actor_id, entry.target_id) == (su.pk, str(rule.pk))
    assert entry.detail == {"fact": "check_in", "points": 12, "daily_cap": 30, "yearly_cap": None, "active": True,
                            "starts_on": "2026-03-01"}
    # The same city and fact again changes the one rule; a date given as a date is kept as it is.
    again = points.save_rule(world.city, {"fact": "check_in", "points": 3, "starts_on": day + datetime.timedelta(days=1)})
    assert again.pk == rule.pk and PointsRule.objects.get().starts_on == datetime.date(2026, 3, 2)


def test_a_rule_from_an_earlier_day_reads_its_facts_again_and_no_other(world):
    start = timezone.make_aware(datetime.datetime(2026, 3, 1))
    late, early = start + datetime.timedelta(days=30), start - datetime.timedelta(seconds=1)
    for key, at in (("check_in", late), ("group_activity", late), ("event_entry", late), ("physique_test", early)):
        Watermark.objects.create(key=key, at=at)
    points.save_rule(world.city, {"fact": "check_in", "points": 5, "starts_on": "2026-03-01"})
    points.save_rule(world.city, {"fact": "physique_test", "points": 5, "starts_on": "2026-03-01"})
    assert dict(Watermark.objects.values_list("key", "at")) == {
        "check_in": start,  # moved back to the rule's first day
        "group_activity": late,  # another fact (a booking too, but not a check-in)
        "event_entry": late,
        "physique_test": early,  # already before the first day: left where it is
    }


# --- spending and refunds ------------------------------------------------------------------------

@pytest.mark.parametrize("wanted, ok", [(9, True), (10, True), (11, False)])
def test_spending_up_to_the_whole_balance(world, wanted, ok):
    resident = world.users["resident"]
    give(resident, 10)
    if ok:
        with transaction.atomic():
            line = points.spend(resident, wanted, key="spend:booking:1", note="场" * 130)
        line = PointsEntry.objects.get(pk=line.pk)
        assert (line.user_id, line.kind, line.points, line.source_key, line.day, line.note) == (
            resident.pk, "redeem", -wanted, "spend:booking:1", timezone.localdate(), "场" * 120)
        account = PointsAccount.objects.get(user=resident)
        assert (account.balance, account.spent, account.earned) == (10 - wanted, wanted, 10)
    else:
        refused(lambda: points.spend(resident, wanted, key="spend:booking:1"), "balance_short", 409, "points",
                "您有 10 积分，不够。")


@pytest.mark.parametrize("wanted", [0, -1])
def test_spending_nothing_or_less_is_refused(world, wanted):
    give(world.users["resident"], 10)
    refused(lambda: points.spend(world.users["resident"], wanted, key="spend:x"), "points_positive", 400, "points", POINTS)


def test_a_key_is_spent_once(world):
    resident = world.users["resident"]
    give(resident, 10)
    points.spend(resident, 4, key="spend:booking:7")
    refused(lambda: points.spend(resident, 4, key="spend:booking:7"), "already_discounted", 409, None,
            "此预约已使用过优惠。")
    assert points.balance(resident) == 6


def test_a_refund_gives_back_what_was_spent_once(world):
    resident = world.users["resident"]
    assert points.balance(resident) == 0  # no account yet
    give(resident, 10)
    assert points.refund(resident.pk, key="spend:booking:7", refund_key="refund:booking:7") == 0  # nothing spent
    points.spend(resident, 4, key="spend:booking:7")
    assert points.refund(resident.pk, key="spend:booking:7", refund_key="refund:booking:7") == 4
    line = PointsEntry.objects.get(source_key="refund:booking:7")
    assert (line.user_id, line.kind, line.points, line.day) == (resident.pk, "refund", 4, timezone.localdate())
    account = PointsAccount.objects.get(user=resident)
    assert (account.balance, account.spent, account.earned) == (10, 0, 10)
    assert points.refund(resident.pk, key="spend:booking:7", refund_key="refund:booking:7") == 0
    assert points.balance(resident) == 10


def test_expiry_line_by_line_and_per_person(world):
    a, b, c = world.users["resident"], world.users["other_resident"], world.users["county"]
    last = timezone.localdate() - datetime.timedelta(days=1)
    old = {"kind": "credit", "fact": "check_in", "region_code": "", "day": last, "expires_on": last}
    for user, n in ((a, 10), (b, 10), (c, 6)):
        points._write([{**old, "user_id": user.pk, "points": n, "source_key": f"old:{user.pk}"}])
    give(a, 5)  # still good
    points.spend(a, 12, key="spend:a")  # the oldest first: all 10 old points and 2 new ones
    points.spend(b, 3, key="spend:b")
    today = timezone.localdate()
    assert points.expire(today=today) == 0 + 7 + 6
    lines = {line.user_id: line for line in PointsEntry.objects.filter(kind="expiry")}
    assert set(lines) == {b.pk, c.pk}  # a spent more than their old points: nothing of theirs expires
    assert (lines[b.pk].points, lines[b.pk].source_key, lines[b.pk].day) == (-7, f"expiry:{b.pk}:{today}", today)
    balances = {u: (x.balance, x.expired) for u, x in ((u, PointsAccount.objects.get(user_id=u)) for u in (a.pk, b.pk, c.pk))}
    assert balances == {a.pk: (3, 0), b.pk: (0, 7), c.pk: (0, 6)}
    assert points.expire(today=today) == 0
    assert points.expire(today=today + datetime.timedelta(days=1)) == 0  # what expired is counted once


def test_expiry_of_a_person_without_an_account_writes_nothing(world):
    last = timezone.localdate() - datetime.timedelta(days=1)
    PointsEntry.objects.create(user=world.users["resident"], kind="credit", points=5, fact="check_in",
                               source_key="orphan", day=last, expires_on=last)
    assert points.expire(today=timezone.localdate()) == 0
    assert not PointsEntry.objects.filter(kind="expiry").exists()


# --- the city's rate and share -------------------------------------------------------------------

def test_a_rate_in_yuan_per_point():
    assert spending.Rate(100, 50).yuan_per_point == Decimal("0.0100")
    assert spending.Rate(3, 50).yuan_per_point == Decimal("0.3333")
    assert spending.Rate(1, 50).custom is False


def test_rates_outside_a_city_and_per_city(world, settings):
    settings.INCENTIVES_POINTS_PER_YUAN, settings.INCENTIVES_POINTS_MAX_SHARE = 80, 40
    assert spending.rate_for(None) == spending.rate_for("") == spending.rate_for("abc") == spending.Rate(80, 40)
    other = Region.objects.create(code="371600000000", name="滨州市", level="city")
    spending.save_settings(world.city, {"points_per_yuan": 10, "max_share": 30})
    assert spending.rate_for(world.community.code) == spending.Rate(10, 30, True)
    assert spending.rate_for(world.city.code) == spending.Rate(10, 30, True)
    assert spending.rate_for("371602000000") == spending.Rate(80, 40)
    assert spending.rates_for([world.city, other]) == [(world.city, spending.Rate(10, 30, True)),
                                                      (other, spending.Rate(80, 40))]


@pytest.mark.parametrize("per_yuan, share, ok, field, message", [
    (1, 1, True, None, None), (100000, 100, True, None, None),
    (0, 50, False, "points_per_yuan", "请输入 1 到 100000 之间的整数。"),
    (100001, 50, False, "points_per_yuan", "请输入 1 到 100000 之间的整数。"),
    (10, 0, False, "max_share", "请输入 1 到 100 之间的整数。"),
    (10, 101, False, "max_share", "请输入 1 到 100 之间的整数。"),
    ("ten", 50, False, "points_per_yuan", "请输入整数。"),
])
def test_a_city_s_rate_and_share_within_their_limits(world, per_yuan, share, ok, field, message):
    city = world.users["city"]
    call = lambda: spending.save_settings(world.city, {"points_per_yuan": per_yuan, "max_share": share}, by=city)  # noqa: E731
    if ok:
        row = PointsSettings.objects.get(pk=call().pk)
        assert (row.city_id, row.points_per_yuan, row.max_share, row.updated_by_id) == (world.city.code, per_yuan, share, city.pk)
        entry = AuditEntry.objects.get(action="points_settings")
        assert (entry.actor_id, entry.region_code, entry.target_id) == (city.pk, world.city.code, str(row.pk))
        assert entry.detail == {"points_per_yuan": per_yuan, "max_share": share,
                                "before": {"points_per_yuan": 100, "max_share": 50}}
    else:
        refused(call, "invalid_input", 400, field, message)


@pytest.mark.parametrize("rate, price, most", [
    (spending.Rate(100, 50), Decimal("20"), 1000),
    (spending.Rate(3, 30), Decimal("10.01"), 9),  # 10.01 x 30 % x 3 = 9.009
    (spending.Rate(200, 50), Decimal("25.03"), 2503),  # 12.515 yuan
    (spending.Rate(1, 100), Decimal("0.99"), 0),
])
def test_the_most_points_a_city_lets_pay(rate, price, most):
    assert spending.most_points(rate, price) == most


@pytest.mark.parametrize("rate, price, wanted, taken, yuan", [
    (spending.Rate(100, 50), Decimal("20"), 1000, 1000, Decimal("10.00")),  # exactly the share
    (spending.Rate(100, 50), Decimal("20"), 999, 999, Decimal("9.99")),
    (spending.Rate(100, 50), Decimal("20"), "1", 1, Decimal("0.01")),
    # 10 points are 3.333 yuan: 3.33 yuan, which are worth 9.99 points: all 10 are taken (never 9).
    (spending.Rate(3, 100), Decimal("10"), 10, 10, Decimal("3.33")),
    (spending.Rate(3, 100), Decimal("10"), 9, 9, Decimal("3.00")),
    # 2,503 points are 12.515 yuan: whole fen down, 12.51 yuan for 2,502 points. Never more points than
    # asked, nor more yuan than the city's share (12.515).
    (spending.Rate(200, 50), Decimal("25.03"), 2503, 2502, Decimal("12.51")),
    (spending.Rate(300, 100), Decimal("1"), 2, None, None),  # less than a fen
])
def test_a_discount_in_whole_fen(rate, price, wanted, taken, yuan):
    if taken is None:
        with pytest.raises(IncentiveError) as exc:
            spending.discount(rate, price, wanted)
        assert (exc.value.code, exc.value.status) == ("points_positive", 400)
    else:
        assert spending.discount(rate, price, wanted) == (taken, yuan)


@pytest.mark.parametrize("wanted, code, status, message", [
    (1001, "points_share", 409, "积分最多抵扣预约价格的 50%。"),
    (0, "points_positive", 400, POINTS),
    (-5, "points_positive", 400, POINTS),
    ("abc", "points_positive", 400, POINTS),
    (None, "points_positive", 400, POINTS),
])
def test_a_discount_beyond_the_share_or_of_nothing(wanted, code, status, message):
    with pytest.raises(IncentiveError) as exc:
        spending.discount(spending.Rate(100, 50), Decimal("20"), wanted)
    assert (exc.value.code, exc.value.status, exc.value.field, str(exc.value.message)) == (code, status, "points", message)


def test_each_row_with_the_most_its_city_lets_pay(world):
    spending.save_settings(world.city, {"points_per_yuan": 10, "max_share": 20})
    rows = [SimpleNamespace(price=Decimal("50"), region=world.community.code),
            SimpleNamespace(price=Decimal("50"), region="371602000000"),
            SimpleNamespace(price=Decimal("99999999"), region="371602000000")]
    out = spending.with_most(rows, lambda r: r.price, lambda r: r.region)
    # 50 x 20 % x 10; 50 x 50 % x 100; a price so high the most is held at a billion points.
    assert [r.most_points for r in out] == [100, 2500, BILLION]


def test_open_entry_fees_until_the_competition_starts(world):
    ev = fee_games(world)
    person = ev.people[0]
    entry = entries.enter(person, ev.sprint.pk)
    starts = Competition.objects.get(pk=ev.sprint.pk).starts_at
    second = datetime.timedelta(seconds=1)
    assert [f.entry_id for f in spending.open_entry_fees(person, now=starts - second)] == [entry.pk]
    assert list(spending.open_entry_fees(person, now=starts)) == []
    assert list(spending.open_entry_fees(ev.people[1], now=starts - second)) == []
    EntryFee.objects.filter(entry=entry).update(amount=0)
    assert list(spending.open_entry_fees(person, now=starts - second)) == []


def test_points_on_a_fee_are_audited_and_a_failed_fee_returns_them(world):
    ev = fee_games(world)
    person = ev.people[0]
    entry = entries.enter(person, ev.sprint.pk)
    give(person, 3000)
    line = spending.points_for_entry(person, entry.pk, 1234)
    assert (line.points, line.source_key) == (-1234, f"spend:entry:{entry.pk}")
    audit = AuditEntry.objects.get(action="points_spend")
    assert (audit.actor_id, audit.target_id, audit.detail) == (person.pk, str(line.pk), {"entry": entry.pk, "yuan": "12.34"})
    refused(lambda: spending.points_for_entry(person, entry.pk + 999, 100), "not_found", 404, None,
            "没有这个活动、消费券、结算单或评选。")
    starts = Competition.objects.get(pk=ev.sprint.pk).starts_at
    # Discounted once: no more points on it (one second before its start, when it would still be open).
    assert list(spending.open_entry_fees(person, now=starts - datetime.timedelta(seconds=1))) == []
    EntryFee.objects.filter(entry=entry).update(status="failed")
    assert spending.undo_dropped_entry_fees() == 1
    assert points.balance(person) == 3000
    assert spending.undo_dropped_entry_fees() == 0


def test_each_crediting_run_is_counted_on_its_watermark(world):
    points.credit(only=["check_in"])
    points.credit(only=["check_in"])
    assert Watermark.objects.get(key="check_in").runs == 2


def test_points_on_a_booking_whose_hold_ran_out_change_nothing(world):
    from quanmin.booking import services as bs
    from quanmin.core.errors import ServiceError

    resident = world.users["resident"]
    give(resident, 1000)
    booking = bs.hold(resident, world.unit.slots.order_by("start")[40].pk)
    with pytest.raises(ServiceError) as exc, transaction.atomic():
        spending.points_for_booking(resident, booking.pk, 500, now=booking.hold_expires_at + datetime.timedelta(seconds=1))
    assert exc.value.code == "not_confirmable" and points.balance(resident) == 1000
