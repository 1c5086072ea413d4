"""Every kind of item the feeds publish passes the OpenActive data model validator
(@openactive/data-model-validator from package.json, run by node, offline: loadRemoteJson false),
with no error ("failure"); the whole RPDE page is validated, so the page's shape is checked too."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from quanmin.opendata import changes, items, vocab

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).with_name("validate.js")


def activity_list() -> dict:
    """The OpenActive concepts as checked against the real list (data/openactive_checked.json): not our
    own mapping, so a concept the list has not fails the validator."""
    return vocab.checked_list()


def validate(pages: list[dict]) -> dict:
    node = shutil.which("node")
    assert node, "node is needed (make setup installs the validator with npm)"
    done = subprocess.run([node, str(SCRIPT)], input=json.dumps({"pages": pages, "activityList": activity_list()}).encode(),
                          capture_output=True, cwd=settings.BASE_DIR, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def pages_of(client, feed):
    out, url = [], f"/opendata/feeds/{feed}"
    while True:
        page = client.get(url).json()
        if not page["items"]:
            return out
        out.append(page)
        url = page["next"].removeprefix("http://testserver")


def test_the_validator_finds_errors_when_there_are_some():
    """A slot without its facility use, dates and offers, and an activity outside the list, fail."""
    broken = {"next": "https://example.org/feed?afterChangeNumber=1", "license": "https://creativecommons.org/licenses/by/4.0/",
              "items": [{"state": "updated", "kind": "Slot", "id": "1", "modified": 1,
                         "data": {"@context": "https://openactive.io/", "@type": "Slot", "@id": "https://example.org/s/1"}}]}
    assert {e["type"] for e in validate([broken])["errors"]} >= {"missing_required_field"}
    wrong = {"@type": "Concept", "@id": "https://openactive.io/activity-list#00000000-0000-0000-0000-000000000000",
             "prefLabel": "Curling on grass", "inScheme": "https://openactive.io/activity-list"}
    series = {"next": "https://example.org/f?afterChangeNumber=1", "license": "https://creativecommons.org/licenses/by/4.0/",
              "items": [{"state": "updated", "kind": "SessionSeries", "id": "1", "modified": 1, "data": {
                  "@context": "https://openactive.io/", "@type": "SessionSeries", "@id": "https://example.org/s/1",
                  "name": "x", "url": "https://example.org/s/1", "activity": [wrong],
                  "organizer": {"@type": "Organization", "name": "y"},
                  "location": {"@type": "Place", "name": "z", "geo": {"@type": "GeoCoordinates", "latitude": 36.4, "longitude": 116.0}},
                  "offers": [{"@type": "Offer", "@id": "https://example.org/s/1#/offers/1", "price": 0, "priceCurrency": "CNY"}]}}]}
    assert any(e["type"] == "activity_not_in_activity_list" for e in validate([series])["errors"])


def test_every_kind_of_item_passes_the_openactive_validator(feeds_world):
    changes.stamp()
    client = Client()
    pages, kinds = [], set()
    for feed in items.FEEDS:
        got = pages_of(client, feed)
        assert got, f"the {feed} feed is empty"
        pages.extend(got)
        kinds |= {i["kind"] for p in got for i in p["items"]}
    # a deleted item too
    feeds_world.unit.slots.exclude(pk=feeds_world.slot.pk).first().delete()
    changes.stamp()
    pages.append(client.get(f"/opendata/feeds/slots?afterChangeNumber={pages[-1]['items'][-1]['modified']}").json())
    assert {"FacilityUse", "FacilityUse/Slot", "SessionSeries", "ScheduledSession", "HeadlineEvent"} <= kinds
    result = validate(pages)
    assert result["items"] > 100
    summary = sorted({(e["type"], e["path"].split("].", 1)[-1] if "]." in e["path"] else e["path"], e["message"][:90]) for e in result["errors"]})
    assert result["errors"] == [], "\n".join(map(str, summary))
