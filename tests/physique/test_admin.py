"""Stations and sessions are added in the admin through physique.services (checks and audit), and
are read-only there once made: no service changes or removes them (DESIGN rule 1)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from quanmin.accounts.models import AuditEntry
from quanmin.physique import services
from quanmin.physique.models import TestSession, TestStation
from tests.admin_forms import english, form_data


def test_a_station_is_added_through_the_service(world, client_for):
    client = english(client_for("county"))
    url = reverse("admin:physique_teststation_add")
    data = form_data(client.get(url), name="东关体测站", region=world.community.code, site=world.other_site.pk)
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "The site is not in the station&#x27;s division." in refused.content.decode()
    assert not TestStation.objects.exists()

    assert client.post(url, {**data, "site": world.site.pk}).status_code == 302
    station = TestStation.objects.get(name="东关体测站")
    assert AuditEntry.objects.filter(action="create", target_type="physique.teststation",
                                     target_id=str(station.pk)).exists()


def test_a_session_is_added_through_the_service(world, client_for):
    station = services.create_station(name="东关体测站", region=world.community, site=world.site)
    client = english(client_for("county"))
    url = reverse("admin:physique_testsession_add")
    start = timezone.localtime() + datetime.timedelta(days=3)
    data = form_data(client.get(url), station=station.pk, capacity="20", standard="physique-2003",
                     starts_at_0=start.date().isoformat(), starts_at_1="10:00:00",
                     ends_at_0=start.date().isoformat(), ends_at_1="09:00:00")
    refused = client.post(url, data)
    assert refused.status_code == 200 and "A session ends after it starts." in refused.content.decode()
    assert not TestSession.objects.exists()

    assert client.post(url, {**data, "ends_at_1": "12:00:00"}).status_code == 302
    session = TestSession.objects.get(station=station)
    assert AuditEntry.objects.filter(action="create", target_type="physique.testsession",
                                     target_id=str(session.pk)).exists()


def test_stations_are_read_only_once_made(world, client_for):
    station = services.create_station(name="东关体测站", region=world.community, site=world.site)
    client = client_for("county")
    change_url = reverse("admin:physique_teststation_change", args=[station.pk])
    assert client.get(change_url).status_code == 200
    assert client.post(change_url, {"name": "改名", "region": world.community.code}).status_code == 403
    assert client.post(reverse("admin:physique_teststation_delete", args=[station.pk]),
                       {"post": "yes"}).status_code == 403
    station.refresh_from_db()
    assert station.name == "东关体测站"
