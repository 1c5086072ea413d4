"""A session series goes with its owner: a station made inactive, a group activity deleted, a site
closed — the series and each of its sessions become `state: deleted` items, and a unit that carried a
station's or a group's sessions is never published again as the site's own."""

import pytest

from quanmin.facilities import services as fs
from quanmin.opendata import changes
from quanmin.opendata.models import FeedItem
from quanmin.people import stations

pytestmark = pytest.mark.django_db


def _published(feed, ids) -> set[int]:
    return set(FeedItem.objects.filter(kind=feed, object_id__in=ids, deleted=False).values_list("object_id", flat=True))


def _sessions(unit) -> list[int]:
    return list(unit.slots.values_list("pk", flat=True))


def test_an_inactive_station_and_a_deleted_activity_take_their_series_and_sessions_with_them(feeds_world):
    w = feeds_world
    station_unit, group_unit = w.station.unit, w.activity.unit
    changes.stamp()
    assert _published("session-series", [station_unit.pk, group_unit.pk]) == {station_unit.pk, group_unit.pk}
    station_sessions, group_sessions = _sessions(station_unit), _sessions(group_unit)
    assert station_sessions and group_sessions
    assert _published("scheduled-sessions", station_sessions + group_sessions) == set(station_sessions + group_sessions)

    stations.save_station({"name": w.station.name, "active": False}, by=w.users["superuser"], station=w.station)
    w.activity.delete()  # no service deletes one; a row deleted by hand is noted by the trigger all the same
    changes.stamp()
    assert _published("session-series", [station_unit.pk, group_unit.pk]) == set()
    assert FeedItem.objects.filter(kind="session-series", object_id=group_unit.pk, deleted=True).exists()
    assert _published("scheduled-sessions", station_sessions + group_sessions) == set()
    assert FeedItem.objects.filter(kind="scheduled-sessions", object_id__in=group_sessions, deleted=True).count() == len(group_sessions)

    # the site edited later: the group's old unit is not republished as the site's own sessions
    fs.update_site(w.site, {"description": "晨练的好去处"})
    changes.stamp()
    assert _published("session-series", [group_unit.pk]) == set()
    assert _published("scheduled-sessions", group_sessions) == set()
    # the station made active again comes back
    stations.save_station({"name": w.station.name, "active": True}, by=w.users["superuser"], station=w.station)
    changes.stamp()
    assert _published("session-series", [station_unit.pk]) == {station_unit.pk}
    assert _published("scheduled-sessions", station_sessions) == set(station_sessions)


def test_a_closed_site_takes_its_facility_uses_and_slots_with_it(world):
    changes.stamp()
    slots = _sessions(world.unit)
    assert _published("slots", slots) == set(slots) and _published("facility-uses", [world.unit.pk])
    fs.close_site(world.site)
    changes.stamp()
    assert _published("facility-uses", [world.unit.pk]) == set()
    assert _published("slots", slots) == set()
    assert FeedItem.objects.filter(kind="slots", object_id__in=slots, deleted=True).count() == len(slots)
