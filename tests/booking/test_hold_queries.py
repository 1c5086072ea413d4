"""The hold endpoint is the hot path under load (bench/booking.py): its queries are bounded so that a
rule check added later shows up here rather than as a slower benchmark."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from quanmin.accounts import services as accounts


def _hold(client, slot_id, key, headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/booking/holds", {"slot_id": slot_id, "client_key": key},
                               content_type="application/json", **headers)
    return response, queries


def test_a_hold_over_a_token_runs_few_queries(world, court, client):
    user = world.users["other_resident"]
    token = accounts.create_api_token(user, "bench")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    slot = court.slots.order_by("start")[30]
    response, queries = _hold(client, slot.pk, "k1", headers)
    assert response.status_code == 201, response.content
    # Token, slot, person (strikes and certificates), their bookings, take the place, insert; the
    # token's last-use stamp and SQLite's savepoint pair may add up to three.
    assert len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]) <= 7

    # A retry under the same key answers the same booking and books nothing more.
    again, _queries = _hold(client, slot.pk, "k1", headers)
    assert again.json()["id"] == response.json()["id"]
