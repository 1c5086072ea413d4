"""Public API manners: ETags and 304, cache lifetimes, CORS and its preflight, 429 with Retry-After."""

import pytest
from django.core.cache import cache
from django.test import Client

from quanmin.opendata import changes, datasets

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


def test_etag_answers_304_and_pages_are_cached_by_their_kind(world):
    changes.stamp()
    client = Client()
    first = client.get("/opendata/feeds/slots")
    assert first["Cache-Control"] == "public, max-age=3600" and first["ETag"]
    again = client.get("/opendata/feeds/slots", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    last = client.get(first.json()["next"].removeprefix("http://testserver"))
    while last.json()["items"]:
        last = client.get(last.json()["next"].removeprefix("http://testserver"))
    assert last["Cache-Control"] == "public, max-age=8"


def test_cors_on_feeds_and_datasets_and_the_preflight(world):
    changes.stamp()
    datasets.publish()
    client = Client()
    for url in ("/opendata/feeds/facility-uses", "/opendata/datasets/facilities.json", "/opendata/catalog.json"):
        response = client.get(url, HTTP_ORIGIN="https://maps.example.org")
        assert response["Access-Control-Allow-Origin"] == "*", url
    preflight = client.options("/opendata/feeds/slots", HTTP_ORIGIN="https://maps.example.org",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 204 and "GET" in preflight["Access-Control-Allow-Methods"]
    assert client.post("/opendata/feeds/slots").status_code == 405


def test_too_many_requests_from_one_address_get_429_with_retry_after(world, settings):
    settings.OPEN_DATA_RATE_LIMIT = 5
    client, other = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    answers = [client.get("/opendata/feeds/slots").status_code for _ in range(7)]
    assert answers[:5] == [200] * 5 and answers[5:] == [429, 429]
    refused = client.get("/opendata/feeds/slots")
    assert refused.json()["code"] == "rate_limited" and 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert other.get("/opendata/feeds/slots").status_code == 200  # per client
