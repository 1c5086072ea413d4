"""Cancelling a games (audit X1): its open entries are withdrawn and their fees refunded in full,
its courts' slots freed, each entrant told once, the cancel audited; it leaves the public lists and
the figures, and its public page says it is cancelled. Nothing is changed on it afterwards."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from quanmin.accounts.models import AuditEntry, Notification
from quanmin.events import indicators, selectors, services, services_entries, services_fees
from quanmin.events.errors import EventError
from quanmin.events.models import Competition, Entry, EntryFee, Games

from .conftest import CHECKLIST, at, make_games, residents


@pytest.fixture(autouse=True)
def simulated(settings):
    settings.QUANMIN_SIMULATED_PAYMENTS = True


def _paid_games(world):
    setup = make_games(world, capacity=2)
    Games.objects.filter(pk=setup.games.pk).update(payment_provider="simulated")
    Competition.objects.filter(pk=setup.sprint.pk).update(fee=Decimal("30"))
    paid, pending, waiting = residents(world, 3)
    first = services_entries.enter(paid, setup.sprint.pk)
    services_fees.pay_simulated(paid, first)
    services_entries.enter(pending, setup.sprint.pk)
    services_entries.join_waitlist(waiting, setup.sprint.pk)
    captain, member = residents(world, 2, start=300)
    services_entries.enter(captain, setup.team.pk, team_name="东关队", members=[member])
    return setup, (paid, pending, waiting, captain, member)


def test_cancel_withdraws_refunds_frees_and_tells(world, client_for, client):
    setup, people = _paid_games(world)
    county = world.users["county"]
    booked = services.add_competition(county, setup.games, {
        "sport": "basketball", "name": "篮球表演赛", "capacity": 10, "starts_at": at(3, 9), "ends_at": at(3, 12)},
        unit_id=world.unit.pk)
    assert Competition.objects.get(pk=booked.pk).venue_blocked > 0
    staff = client_for("county")
    page = staff.get(reverse("events:staff_cancel", args=[setup.games.pk])).content.decode()
    assert 'name="reason"' in page
    refused = staff.post(reverse("events:staff_cancel", args=[setup.games.pk]), {"reason": "  "},
                         headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "请填写取消的原因" in refused
    assert Games.objects.get(pk=setup.games.pk).status == "published"
    assert Entry.objects.filter(games=setup.games, status="withdrawn").count() == 0
    response = staff.post(reverse("events:staff_cancel", args=[setup.games.pk]), {"reason": "暴雨红色预警"})
    assert response.status_code == 302
    games = Games.objects.get(pk=setup.games.pk)
    assert games.status == "cancelled" and games.cancel_reason == "暴雨红色预警" and games.cancelled_at
    assert set(Entry.objects.filter(games=games).values_list("status", flat=True)) == {"withdrawn"}
    assert [c.taken for c in games.competitions.all()] == [0, 0, 0, 0]
    fees = {f.entry.user_id: f for f in EntryFee.objects.filter(entry__games=games).select_related("entry")}
    paid, pending, waiting, captain, member = people
    assert fees[paid.pk].status == "refunded" and fees[paid.pk].refunded == Decimal("30")
    assert fees[pending.pk].status == "failed" and fees[pending.pk].refunded == 0
    assert world.unit.slots.filter(blocked=True, start__gte=booked.starts_at, start__lt=booked.ends_at).count() == 0
    assert Competition.objects.get(pk=booked.pk).venue_blocked == 0
    for person in people:
        notes = Notification.objects.filter(user=person, subject__contains=games.name)
        assert notes.count() == 1 and "暴雨红色预警" in notes.get().text
    cancel = AuditEntry.objects.get(action="cancel_games", target_id=str(games.pk))
    assert cancel.detail["withdrawn"] == 4 and Decimal(cancel.detail["refunded"]) == Decimal("30")
    # Out of the public lists and the figures; its page says so rather than 404.
    assert games not in selectors.upcoming(None, selectors.Filters.parse({}))
    assert indicators.mass_events([world.county.code], timezone.localdate())[world.county.code] in (0, None)
    public = client.get(reverse("events:games", args=[games.pk]), headers={"Accept-Language": "en"})
    assert public.status_code == 200 and "This event is cancelled: 暴雨红色预警" in public.content.decode()
    r = client.get(f"/api/v1/events/{games.pk}")
    assert r.status_code == 200 and r.json()["status"] == "cancelled" and r.json()["cancel_reason"] == "暴雨红色预警"
    # Cancelling again changes nothing and tells nobody twice.
    again = services.cancel_games(county, games, "再次")
    assert again["withdrawn"] == 0 and Notification.objects.filter(user=paid, subject__contains=games.name).count() == 1


def test_a_cancelled_games_changes_no_more(world):
    setup = make_games(world)
    county = world.users["county"]
    services.cancel_games(county, setup.games, "场馆改造")
    games = Games.objects.get(pk=setup.games.pk)
    attempts = [lambda: services.update_games(county, games, {"name": "复活"}),
                lambda: services.publish(county, games),
                lambda: services.add_competition(county, games, {"sport": "running", "name": "跑", "capacity": 5,
                                                                 "starts_at": at(9), "ends_at": at(9, 12)}),
                lambda: services.update_competition(county, setup.sprint, {"capacity": 50}),
                lambda: services_entries.enter(residents(world, 1)[0], setup.sprint.pk)]
    for attempt in attempts:
        with pytest.raises(EventError) as exc:
            attempt()
        assert exc.value.code in ("cancelled", "not_published")
    assert Games.objects.get(pk=games.pk).status == "cancelled" and games.competitions.count() == 3


def test_a_draft_cancels_too_and_the_api_names_the_reason(world, client_for):
    games = services.create_games(world.users["county"], {"name": "东昌府区草稿赛", "organizer": "区体育局",
                                                           **CHECKLIST}, region=world.county)
    client = client_for("county")
    url = f"/api/v1/events/staff/games/{games.pk}/cancel"
    r = client.post(url, {"reason": ""}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "cancel_reason" and r.json()["field"] == "reason"
    r = client.post(url, {"reason": "并入市运动会"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["games"]["status"] == "cancelled" and r.json()["withdrawn"] == 0


def test_another_countys_staff_cannot_cancel(world, client_for):
    setup = make_games(world)
    other = client_for("other_county")
    assert other.get(reverse("events:staff_cancel", args=[setup.games.pk])).status_code == 404
    assert other.post(reverse("events:staff_cancel", args=[setup.games.pk]), {"reason": "x"}).status_code == 404
    r = other.post(f"/api/v1/events/staff/games/{setup.games.pk}/cancel", {"reason": "x"},
                   content_type="application/json")
    assert r.status_code == 404
    r = client_for("supervisor").post(f"/api/v1/events/staff/games/{setup.games.pk}/cancel", {"reason": "x"},
                                      content_type="application/json")
    assert r.status_code in (403, 404)
    assert Games.objects.get(pk=setup.games.pk).status == "published"
