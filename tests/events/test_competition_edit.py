"""Changing a competition (audit X1): places never below those taken, a new time or court moves its
block in booking, the games' span follows, bad input changes nothing, and another county's staff
find nothing."""

from django.urls import reverse

from quanmin.accounts.models import AuditEntry
from quanmin.events import services, services_entries
from quanmin.events.models import Competition, Games

from .conftest import at, make_games, residents


def _blocked(world, competition):
    return world.unit.slots.filter(blocked=True, start__gte=competition.starts_at, start__lt=competition.ends_at).count()


def test_capacity_is_never_below_the_places_taken(world, client_for):
    setup = make_games(world)
    for person in residents(world, 2):
        services_entries.enter(person, setup.sprint.pk)
    client = client_for("county")
    url = f"/api/v1/events/staff/competitions/{setup.sprint.pk}"
    r = client.patch(url, {"capacity": 1}, content_type="application/json", headers={"Accept-Language": "zh-hans"})
    assert r.status_code == 400 and r.json()["code"] == "capacity_below_taken" and r.json()["field"] == "capacity"
    assert r.json()["message"] != "There are already more entries than that."  # translated
    page = client.post(reverse("events:staff_competition_edit", args=[setup.sprint.pk]), {
        "sport": "athletics", "name": "男子100米", "format": "individual", "sex": "male", "capacity": 1,
        "entries": "open", "measure": "time", "starts_at": "2030-05-01T09:00", "ends_at": "2030-05-01T12:00"},
        follow=True, headers={"Accept-Language": "en"})
    assert "There are already more entries than that." in page.content.decode()
    sprint = Competition.objects.get(pk=setup.sprint.pk)
    assert sprint.capacity == 3 and sprint.taken == 2 and sprint.starts_at == setup.sprint.starts_at
    r = client.patch(url, {"capacity": 2, "name": "男子100米决赛"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["capacity"] == 2
    assert AuditEntry.objects.filter(action="update_competition", target_id=str(setup.games.pk)).exists()


def test_a_new_time_moves_the_venue_block_and_the_span(world, client_for):
    county = world.users["county"]
    games = services.create_games(county, {"name": "东昌府区篮球赛", "organizer": "区体育局"}, region=world.county)
    competition = services.add_competition(county, games, {
        "sport": "basketball", "name": "篮球", "capacity": 10, "starts_at": at(3, 9), "ends_at": at(3, 12)},
        unit_id=world.unit.pk)
    old = Competition.objects.get(pk=competition.pk)
    assert old.venue_blocked > 0 and _blocked(world, old) == old.venue_blocked
    client = client_for("county")
    page = client.get(reverse("events:staff_competition_edit", args=[competition.pk])).content.decode()
    assert 'value="篮球"' in page
    response = client.post(reverse("events:staff_competition_edit", args=[competition.pk]), {
        "sport": "basketball", "name": "篮球", "format": "individual", "sex": "any", "capacity": 10,
        "entries": "open", "measure": "time", "unit": world.unit.pk,
        "starts_at": at(5, 14).strftime("%Y-%m-%dT%H:%M"), "ends_at": at(5, 17).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    moved = Competition.objects.get(pk=competition.pk)
    assert moved.starts_at == at(5, 14) and moved.venue_blocked > 0
    assert _blocked(world, old) == 0 and _blocked(world, moved) == moved.venue_blocked
    games = Games.objects.get(pk=games.pk)
    assert games.first_day == at(5).date() == games.last_day
    # Off the court: its block goes and nothing new is blocked.
    r = client.patch(f"/api/v1/events/staff/competitions/{competition.pk}", {"site": world.unit.site_id},
                     content_type="application/json")
    assert r.status_code == 200 and r.json()["unit"] is None and r.json()["venue_blocked"] == 0
    assert _blocked(world, moved) == 0


def test_bad_input_changes_nothing(world, client_for):
    setup = make_games(world)
    client = client_for("county")
    before = Competition.objects.filter(pk=setup.sprint.pk).values().get()
    r = client.patch(f"/api/v1/events/staff/competitions/{setup.sprint.pk}",
                     {"name": "改名", "ends_at": setup.sprint.starts_at.isoformat()}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "ends_before_start"
    r = client.patch(f"/api/v1/events/staff/competitions/{setup.sprint.pk}", {"unit": 2**40},
                     content_type="application/json", headers={"Accept-Language": "zh-hans"})
    assert r.status_code == 400 and r.json()["field"] == "unit"
    assert Competition.objects.filter(pk=setup.sprint.pk).values().get() == before


def test_another_countys_staff_cannot_change_a_competition(world, client_for):
    setup = make_games(world)
    other = client_for("other_county")
    assert other.get(reverse("events:staff_competition_edit", args=[setup.sprint.pk])).status_code == 404
    r = other.patch(f"/api/v1/events/staff/competitions/{setup.sprint.pk}", {"capacity": 50},
                    content_type="application/json")
    assert r.status_code == 404 and Competition.objects.get(pk=setup.sprint.pk).capacity == 3
