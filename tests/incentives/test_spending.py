"""Spending points: each city's rate and cap (set by its staff, audited, defaults without a row),
used on bookings and on event entry fees; an entry fee lowered by points through events' own
take_discount, its points back when the fee is given back; bad input changes nothing."""

from decimal import Decimal

import pytest

from quanmin.accounts.models import AuditEntry
from quanmin.booking import services as bs
from quanmin.core.errors import ServiceError
from quanmin.events import services_entries as entries
from quanmin.events import services_fees
from quanmin.events.models import EntryFee
from quanmin.incentives import points, spending
from quanmin.incentives.models import PointsSettings

from .conftest import fee_games, give


def _code(fn, *args, **kwargs):
    with pytest.raises(ServiceError) as exc:
        fn(*args, **kwargs)
    return exc.value.code


def test_a_city_without_settings_uses_the_defaults_and_its_staff_set_its_own(world, settings):
    settings.INCENTIVES_POINTS_PER_YUAN, settings.INCENTIVES_POINTS_MAX_SHARE = 100, 50
    assert spending.rate_for(world.community.code) == spending.Rate(100, 50)
    spending.save_settings(world.city, {"points_per_yuan": "10", "max_share": "30"}, by=world.users["city"])
    rate = spending.rate_for(world.community.code)
    assert (rate.points_per_yuan, rate.max_share, rate.custom) == (10, 30, True)
    entry = AuditEntry.objects.get(action="points_settings")
    assert entry.detail["before"] == {"points_per_yuan": 100, "max_share": 50} and entry.actor == world.users["city"]


@pytest.mark.parametrize("data", [{"points_per_yuan": "0", "max_share": "50"}, {"points_per_yuan": "10", "max_share": "101"},
                                  {"points_per_yuan": "1.5", "max_share": "50"}, {"points_per_yuan": "x", "max_share": "50"},
                                  {"points_per_yuan": "10"}])
def test_bad_settings_change_nothing(world, data):
    spending.save_settings(world.city, {"points_per_yuan": "20", "max_share": "40"})
    assert _code(spending.save_settings, world.city, data) == "invalid_input"
    assert _code(spending.save_settings, world.county, {"points_per_yuan": "1", "max_share": "1"}) == "not_a_city"
    assert list(PointsSettings.objects.values_list("points_per_yuan", "max_share")) == [(20, 40)]


def test_the_venues_city_sets_what_points_pay_of_a_booking(world):
    spending.save_settings(world.city, {"points_per_yuan": "1", "max_share": "40"})
    resident = world.users["resident"]
    give(resident, 100)
    booking = bs.hold(resident, world.unit.slots.order_by("start")[40].pk)  # 20 yuan: at most 8 yuan in points
    assert _code(spending.points_for_booking, resident, booking.pk, 9) == "points_share"
    spending.points_for_booking(resident, booking.pk, 8)
    booking.refresh_from_db()
    assert booking.price == Decimal("12") and points.balance(resident) == 92


def test_points_pay_part_of_an_entry_fee_on_site_and_come_back_on_withdrawal(world):
    ev = fee_games(world)
    person = ev.people[0]
    entry = entries.enter(person, ev.sprint.pk)
    give(person, 3000)  # the default: 100 points a yuan, at most half of 50 yuan
    assert _code(spending.points_for_entry, person, entry.pk, 2501) == "points_share"
    assert _code(spending.points_for_entry, ev.people[1], entry.pk, 100) == "not_found"
    spending.points_for_entry(person, entry.pk, 2000)
    fee = EntryFee.objects.get(entry=entry)
    assert (fee.amount, fee.discount, fee.discount_basis, fee.status) == (Decimal("30"), Decimal("20"), "points", "on_site")
    assert points.balance(person) == 1000
    assert _code(spending.points_for_entry, person, entry.pk, 100) == "already_discounted"
    assert spending.undo_dropped_entry_fees() == 0
    entries.withdraw(person, entry)
    assert spending.undo_dropped_entry_fees() == 1
    assert points.balance(person) == 3000
    assert spending.undo_dropped_entry_fees() == 0


def test_an_online_fee_is_paid_less_the_points(world, settings):
    settings.QUANMIN_SIMULATED_PAYMENTS = True
    ev = fee_games(world, provider="simulated")
    person = ev.people[0]
    entry = entries.enter(person, ev.sprint.pk)
    assert entry.status == "unpaid"
    give(person, 1000)
    spending.points_for_entry(person, entry.pk, 1000)
    fee = EntryFee.objects.get(entry=entry)
    assert fee.amount == Decimal("40") and fee.status == "pending"
    assert services_fees.pay_simulated(person, entry).status == "confirmed"
    fee.refresh_from_db()
    assert fee.status == "paid" and fee.amount == Decimal("40")
    assert _code(spending.points_for_entry, person, entry.pk, 100) == "already_discounted"


def test_points_beyond_the_balance_leave_the_fee_as_it_was(world):
    ev = fee_games(world)
    person = ev.people[0]
    entry = entries.enter(person, ev.sprint.pk)
    give(person, 500)
    assert _code(spending.points_for_entry, person, entry.pk, 600) == "balance_short"
    assert _code(spending.points_for_entry, person, entry.pk, "abc") == "points_positive"
    fee = EntryFee.objects.get(entry=entry)
    assert (fee.amount, fee.discount, fee.discount_basis) == (Decimal("50"), Decimal("0"), "")
    assert points.balance(person) == 500


def test_a_paid_fee_takes_no_points(world):
    ev = fee_games(world, provider="free")
    person = ev.people[0]
    entry = entries.enter(person, ev.sprint.pk)
    give(person, 5000)
    EntryFee.objects.filter(entry=entry).update(status="paid")
    assert _code(spending.points_for_entry, person, entry.pk, 100) == "fee_not_discountable"
    assert points.balance(person) == 5000


def _client(user):
    from django.test import Client
    c = Client()
    c.force_login(user)
    return c


def test_the_phone_page_offers_points_on_an_open_entry_fee_and_the_api_too(world):
    from django.urls import reverse

    ev = fee_games(world)
    person = ev.people[0]
    first = entries.enter(person, ev.sprint.pk)
    give(person, 4000)
    c = _client(person)
    page = c.get(reverse("incentives:mine")).content.decode()
    assert f'action="{reverse("incentives:use_points_entry", args=[first.pk])}"' in page and "最多 2500" in page
    done = c.post(reverse("incentives:use_points_entry", args=[first.pk]), {"points": "1500"}, follow=True)
    assert "积分已抵扣报名费" in done.content.decode()
    assert EntryFee.objects.get(entry=first).amount == Decimal("35")
    assert "已抵扣 ¥15.00" in c.get(reverse("events:mine")).content.decode()
    # The API: another person's entry is not found; over the city's share is a code; one's own works.
    url = f"/api/v1/incentives/entries/{first.pk}/points"
    assert _client(ev.people[1]).post(url, {"points": 100}, content_type="application/json").status_code == 404
    type(ev.team).objects.filter(pk=ev.team.pk).update(fee=Decimal("50"), format="individual", team_min=1, team_max=1)
    second = entries.enter(person, ev.team.pk)
    url = f"/api/v1/incentives/entries/{second.pk}/points"
    short = c.post(url, {"points": 2600}, content_type="application/json")
    assert short.status_code == 409 and short.json()["code"] == "points_share"
    ok = c.post(url, {"points": 2500}, content_type="application/json")
    assert ok.status_code == 200 and ok.json() == {"entry": second.pk, "amount": "25.00", "discount": "25.00",
                                                   "status": "on_site"}
    assert c.get("/api/v1/incentives/me/points").json()["balance"] == 0


def test_city_staff_set_the_rate_on_the_staff_page_and_the_api(world):
    from django.urls import reverse

    url = reverse("incentives:staff_points_settings")
    assert _client(world.users["county"]).post(url, {"city": world.city.code, "points_per_yuan": "10",
                                                     "max_share": "20"}).status_code == 404
    city = _client(world.users["city"])
    bad = city.post(url, {"city": world.city.code, "points_per_yuan": "10", "max_share": "120"}, follow=True)
    assert "1 到 100" in bad.content.decode() or "1 to 100" in bad.content.decode()
    assert not PointsSettings.objects.exists()
    city.post(url, {"city": world.city.code, "points_per_yuan": "10", "max_share": "20"})
    assert "平台默认值" not in city.get(reverse("incentives:staff")).content.decode()
    api = city.get("/api/v1/incentives/staff/points-settings").json()
    assert api == [{"city": world.city.code, "points_per_yuan": 10, "max_share": 20, "custom": True}]
    assert _client(world.users["resident"]).get("/api/v1/incentives/me/points").json()["points_per_yuan"] == 10
    saved = city.post("/api/v1/incentives/staff/points-settings", {"city": world.city.code, "points_per_yuan": 0,
                                                                  "max_share": 20}, content_type="application/json")
    assert saved.status_code == 400 and saved.json()["field"] == "points_per_yuan"
