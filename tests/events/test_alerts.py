"""Event alerts (A11): residents opt in by sport and area; a newly published event reaches the
matching ones once, in-app, through the events tick; the page and the API."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from quanmin.accounts.models import Notification
from quanmin.events import services, services_alerts
from quanmin.events.errors import EventError
from quanmin.events.models import Alert, Notice

from .conftest import CHECKLIST, at


def draft(world, region, sport="running"):
    staff = world.users["superuser"]
    games = services.create_games(staff, {"name": f"{region.name}{sport}赛", "organizer": "体育局", **CHECKLIST},
                                  region=region)
    services.add_competition(staff, games, {"sport": sport, "name": "比赛", "capacity": 50, "starts_at": at(10),
                                            "ends_at": at(10, 12)})
    return games


def told(user, games_list):
    """The games of the list the person's in-app messages name."""
    subjects = list(Notification.objects.filter(user=user).values_list("subject", flat=True))
    return sorted(g.name for g in games_list for s in subjects if s.endswith(g.name))


def test_new_events_reach_matching_alerts_once(world):
    resident, other = world.users["resident"], world.users["other_resident"]
    services_alerts.add_alert(resident, sport="running", region_code=world.county.code)
    services_alerts.add_alert(resident, sport="", region_code=world.community.code)  # overlaps: still once
    services_alerts.add_alert(other, sport="swimming", region_code=world.other_county.code)
    city, township, elsewhere, swim = (draft(world, world.city), draft(world, world.township),
                                       draft(world, world.other_county), draft(world, world.county, "swimming"))
    for games in (city, township, elsewhere, swim):
        services.publish(world.users["superuser"], games)
    out = io.StringIO()
    call_command("events_tick", stdout=out)
    assert '"alerted": 3' in out.getvalue()
    # Running in the county: the city's games (it covers the county) and the township's (inside it); any sport
    # in the community: the county's swimming too (its division is above the community). Each once.
    everything = (city, township, elsewhere, swim)
    assert told(resident, everything) == sorted(g.name for g in (city, township, swim))
    assert told(other, everything) == []  # a swimming alert: no swimming in the other county
    call_command("events_tick", stdout=io.StringIO())
    assert len(told(resident, everything)) == 3 and Notice.objects.count() == 3


def test_alerts_are_for_what_is_published_after_them(world):
    games = draft(world, world.county)
    services.publish(world.users["superuser"], games)
    services_alerts.add_alert(world.users["resident"], sport="", region_code=world.county.code)
    assert services_alerts.push_due() == 0


def test_alert_input_is_checked(world):
    resident = world.users["resident"]
    with pytest.raises(EventError):
        services_alerts.add_alert(resident, sport="quidditch", region_code=world.county.code)
    with pytest.raises(EventError):  # not one of the areas offered to this person
        services_alerts.add_alert(resident, sport="", region_code=world.other_township.code)
    services_alerts.add_alert(resident, sport="", region_code=world.county.code)
    with pytest.raises(EventError):
        services_alerts.add_alert(resident, sport="", region_code=world.county.code)
    assert Alert.objects.count() == 1


def test_alerts_page_and_api(world, client):
    resident = world.users["resident"]
    client.force_login(resident)
    page = client.get(reverse("events:alerts")).content.decode()
    assert world.township.name in page and world.other_county.name in page
    client.post(reverse("events:alerts"), {"sport": "badminton", "region": world.township.code})
    alert = Alert.objects.get(user=resident)
    assert "羽毛球" in client.get(reverse("events:alerts")).content.decode()
    r = client.get("/api/v1/events/me/alerts").json()
    assert r == [{"id": alert.pk, "sport": "badminton", "region": world.township.code,
                  "region_name": world.township.name, "created_at": r[0]["created_at"]}]
    r = client.post("/api/v1/events/me/alerts", {"sport": "nope", "region": world.county.code},
                    content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "invalid_input"
    assert client.delete(f"/api/v1/events/me/alerts/{alert.pk}").status_code == 204
    assert client.delete(f"/api/v1/events/me/alerts/{alert.pk}").status_code == 404
    client.force_login(world.users["other_resident"])
    mine = client.post("/api/v1/events/me/alerts", {"region": world.other_county.code}, content_type="application/json")
    assert mine.status_code == 201
    client.force_login(resident)
    client.post(reverse("events:alert_delete", args=[mine.json()["id"]]))  # someone else's: untouched
    assert Alert.objects.filter(pk=mine.json()["id"]).exists()
