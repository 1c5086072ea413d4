"""Changing a games after it was made (audit X1): its page and PATCH call update_games, a new parent
is checked as at creation, bad input changes nothing and says why in the person's language, and
another county's staff find nothing."""

from decimal import Decimal

from django.urls import reverse

from quanmin.accounts.models import AuditEntry
from quanmin.events import services
from quanmin.events.models import Games
from quanmin.regions.models import Region

from .conftest import make_games


def test_staff_edit_the_games_on_its_page(world, client_for):
    setup = make_games(world, publish=False)
    city_games = services.create_games(world.users["city"], {"name": "聊城市运动会", "organizer": "市体育局"},
                                       region=world.city)
    client = client_for("county")
    page = client.get(reverse("events:staff_games", args=[setup.games.pk])).content.decode()
    assert reverse("events:staff_edit", args=[setup.games.pk]) in page
    form = client.get(reverse("events:staff_edit", args=[setup.games.pk])).content.decode()
    assert "东昌府区第五届全民健身运动会" in form and "聊城市运动会 · 聊城市" in form
    response = client.post(reverse("events:staff_edit", args=[setup.games.pk]), {
        "name": "东昌府区第五届全民健身运动会（改期）", "kind": "games", "edition": 5, "year": 2027,
        "organizer": "东昌府区体育局", "operator": "聊城体育产业公司", "contract": "DCF-2027-01", "funding": "180000.50",
        "mode": "mixed", "target_groups": ["elderly", "women"], "parent": city_games.pk})
    assert response.status_code == 302
    games = Games.objects.get(pk=setup.games.pk)
    assert games.name.endswith("（改期）") and games.year == 2027 and games.funding == Decimal("180000.50")
    assert games.parent == city_games and games.mode == "mixed" and games.group_list == ["elderly", "women"]
    assert games.insurance  # the safety checklist is not on this form and stays
    logged = AuditEntry.objects.filter(action="update", target_id=str(games.pk)).latest("pk")
    assert {"name", "funding", "parent", "year"} <= set(logged.detail["fields"])
    assert "180000.50" in client.get(reverse("events:staff_games", args=[games.pk])).content.decode()


def test_bad_input_is_refused_translated_and_changes_nothing(world, client_for):
    setup = make_games(world, publish=False)
    client = client_for("county")
    before = Games.objects.filter(pk=setup.games.pk).values().get()
    page = client.post(reverse("events:staff_edit", args=[setup.games.pk]), {
        "name": "新名字", "kind": "games", "year": 2026, "organizer": "区体育局", "mode": "offline", "funding": "-5"},
        follow=True, headers={"Accept-Language": "zh-hans"})
    assert page.status_code == 200 and "经费" in page.content.decode()
    r = client.patch(f"/api/v1/events/staff/games/{setup.games.pk}", {"name": "  ", "funding": "10"},
                     content_type="application/json", headers={"Accept-Language": "zh-hans"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_input" and r.json()["message"] == "请填写名称。"
    r = client.patch(f"/api/v1/events/staff/games/{setup.games.pk}", {"risk": "low", "expected_attendance": 9000},
                     content_type="application/json")
    assert r.status_code == 200  # the safety fields are not part of this body: nothing changed
    assert Games.objects.filter(pk=setup.games.pk).values().get() == before


def test_patch_changes_fields_and_reparents_within_the_rules(world, client_for):
    setup = make_games(world, publish=False)
    city_games = services.create_games(world.users["city"], {"name": "聊城市运动会", "organizer": "市体育局"},
                                       region=world.city)
    other_city = Region.objects.create(code="371600000000", name="滨州市", level="city")
    foreign = services.create_games(world.users["superuser"], {"name": "滨州市运动会", "organizer": "市体育局"},
                                    region=other_city)
    client = client_for("county")
    url = f"/api/v1/events/staff/games/{setup.games.pk}"
    r = client.patch(url, {"funding": "5000", "parent": city_games.pk, "brand": True},
                     content_type="application/json")
    assert r.status_code == 200 and r.json()["parent"] == city_games.pk and Decimal(r.json()["funding"]) == 5000
    assert client.patch(url, {"parent": foreign.pk}, content_type="application/json").status_code == 404
    r = client.patch(url, {"parent": None}, content_type="application/json")
    assert r.status_code == 200 and r.json()["parent"] is None
    games = Games.objects.get(pk=setup.games.pk)
    assert games.brand and games.parent is None
    county_child = services.create_games(world.users["county"], {"name": "东昌府区运动会", "organizer": "区体育局"},
                                         region=world.county)
    r = client.patch(url, {"parent": county_child.pk}, content_type="application/json")  # same level: not a parent
    assert r.status_code == 400 and r.json()["code"] == "parent_level"
    assert Games.objects.get(pk=setup.games.pk).parent is None


def test_another_countys_staff_cannot_edit(world, client_for):
    setup = make_games(world, publish=False)
    other = client_for("other_county")
    assert other.get(reverse("events:staff_edit", args=[setup.games.pk])).status_code == 404
    assert other.post(reverse("events:staff_edit", args=[setup.games.pk]), {"name": "x"}).status_code == 404
    r = other.patch(f"/api/v1/events/staff/games/{setup.games.pk}", {"name": "别人的"}, content_type="application/json")
    assert r.status_code == 404
    assert client_for("supervisor").patch(f"/api/v1/events/staff/games/{setup.games.pk}", {"name": "督查"},
                                          content_type="application/json").status_code in (403, 404)
    assert Games.objects.get(pk=setup.games.pk).name == setup.games.name
