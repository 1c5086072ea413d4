"""The RPDE feeds: items from the registers, paging rules, deletions, the HTTP manners."""

import json

import pytest
from django.test import Client

from quanmin.booking import services as bs
from quanmin.opendata import changes, triggers
from quanmin.opendata.models import FeedItem, PendingChange

pytestmark = pytest.mark.django_db


def follow(client, feed, after=None, limit=500):
    """Every page of a feed from `after` to its end: (items in order, the pages' URLs)."""
    url = f"/opendata/feeds/{feed}" + (f"?afterChangeNumber={after}" if after is not None else "")
    seen, urls = [], []
    while True:
        response = client.get(url + ("&" if "?" in url else "?") + f"limit={limit}")
        assert response.status_code == 200, response.content
        page = json.loads(response.content)
        urls.append(url)
        if not page["items"]:
            assert page["next"].endswith(url)  # the last page repeats its own address
            return seen, urls
        seen.extend(page["items"])
        url = page["next"].removeprefix("http://testserver")


def test_triggers_are_installed():
    assert triggers.installed() == set(triggers.WATCHED)


def test_first_stamp_publishes_units_and_slots(world):
    changes.stamp()
    client = Client()
    uses, _ = follow(client, "facility-uses")
    assert {i["id"] for i in uses} == {str(world.unit.pk), str(world.other_unit.pk)}
    use = next(i for i in uses if i["id"] == str(world.unit.pk))["data"]
    assert use["@type"] == "FacilityUse"
    assert use["location"]["name"] == "东关社区文体广场"
    assert use["location"]["geo"]["latitude"] == pytest.approx(36.457)
    assert use["activity"][0]["prefLabel"] == "Basketball"
    assert use["facilityType"] == [{"@type": "Concept", "prefLabel": "Basketball Court",
                                    "@id": "https://openactive.io/facility-types#f4a323ed-d2d3-4bcd-be07-cd9cd0b25e5b",
                                    "inScheme": "https://openactive.io/facility-types"}]
    assert use["accessibilityInformation"] == "无障碍入口"
    slots, _ = follow(client, "slots")
    assert len(slots) == world.unit.slots.count() + world.other_unit.slots.count()
    booked = next(i for i in slots if i["id"] == str(world.slot.pk))["data"]
    assert booked["remainingUses"] == 0 and booked["maximumUses"] == 1
    numbers = [i["modified"] for i in slots]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_a_booking_cancelled_moves_the_slot_to_the_end(world):
    changes.stamp()
    client = Client()
    slots, _ = follow(client, "slots")
    last = slots[-1]["modified"]
    bs.cancel(world.booking, by=world.users["resident"])
    assert PendingChange.objects.filter(source="slot", object_id=world.slot.pk).exists()
    changes.stamp()
    after, _ = follow(client, "slots", after=last)
    assert [i["id"] for i in after] == [str(world.slot.pk)]
    assert after[0]["data"]["remainingUses"] == 1 and after[0]["modified"] > last


def test_a_deleted_slot_is_a_deleted_item(world):
    changes.stamp()
    free = world.unit.slots.exclude(pk=world.slot.pk).first()
    pk = free.pk
    free.delete()
    changes.stamp()
    item = FeedItem.objects.get(kind="slots", object_id=pk)
    assert item.deleted and item.data == ""
    slots, _ = follow(Client(), "slots", after=item.change_number - 1)
    assert slots == [{"state": "deleted", "kind": "FacilityUse/Slot", "id": str(pk), "modified": item.change_number}]


def test_unchanged_rows_get_no_new_number(world):
    changes.stamp()
    before = dict(FeedItem.objects.values_list("pk", "change_number"))
    world.site.save()  # touched, nothing the feed shows changed
    assert changes.stamp()["items"] == 0
    assert dict(FeedItem.objects.values_list("pk", "change_number")) == before


def test_bad_paging_input_is_a_clear_400():
    client = Client()
    for query in ("afterChangeNumber=abc", "afterChangeNumber=-1", "limit=0", "limit=501",
                  "afterChangeNumber=9999999999999999999", "afterTimestamp=1&afterId=2", "afterId=5"):
        response = client.get(f"/opendata/feeds/slots?{query}")
        assert response.status_code == 400, query
        assert response.json()["code"] == "invalid_input"
    assert client.get("/opendata/feeds/nonsense").status_code == 404
