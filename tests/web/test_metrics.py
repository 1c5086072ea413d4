"""Operations (issue 24): the request id (offered or made, answered in X-Request-ID, on the JSON log
lines); /metrics in Prometheus text for administrators and a scraper holding the token, nobody
else; its counts of requests by status and latency, queue depth, bookings per minute."""

import json
import logging
import re

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quanmin.core import metrics
from quanmin.core.logs import JsonFormatter
from quanmin.web.metrics import _last_minute
from tests.nodes import REDIS_URL

pytestmark = pytest.mark.django_db


def figure(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    assert match, f"{name} not in the metrics"
    return float(match.group(1))


def test_request_id_is_offered_or_made_and_on_every_log_line(client, caplog):
    caplog.handler.setFormatter(JsonFormatter())
    with caplog.at_level(logging.INFO, logger="quanmin.request"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-0123456789abcdef")
    assert response["X-Request-ID"] == "lb-0123456789abcdef"
    line = json.loads(caplog.text.strip().splitlines()[-1])
    assert line | {"time": None} == {"time": None, "level": "INFO", "logger": "quanmin.request", "message": "request",
                                     "request_id": "lb-0123456789abcdef", "method": "GET", "path": "/healthz",
                                     "status": 200, "ms": line["ms"]}
    # An id that could forge a log line is replaced by one of ours.
    made = client.get("/healthz", HTTP_X_REQUEST_ID='x"\n{"level": "forged"}')["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)


def test_metrics_only_for_administrators_and_the_token(client, client_for, settings):
    settings.METRICS_TOKEN = "scrape-token-1234567890"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong-token").status_code == 404
    assert client_for("resident").get("/metrics").status_code == 404
    assert client_for("city").get("/metrics").status_code == 404
    assert client_for("superuser").get("/metrics").status_code == 200
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-1234567890")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain; version=0.0.4")
    settings.METRICS_TOKEN = ""  # no token set: no bearer gets in
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize("redis", [False, True], ids=["process", "redis"])
def test_metrics_count_requests_latency_queue_and_bookings(client, client_for, settings, world, redis):
    settings.REDIS_URL = REDIS_URL if redis else ""
    admin = client_for("superuser")
    before = admin.get("/metrics").content.decode()
    client.get("/healthz")
    client.get("/no-such-page/")
    after = admin.get("/metrics").content.decode()
    # Counted where every process adds (Redis) or in this one: at least the requests made since.
    not_found = 'quanmin_http_requests_total{status="404"}'
    assert figure(after, not_found) >= (figure(before, not_found) if not_found in before else 0) + 1
    assert figure(after, "quanmin_http_request_duration_seconds_count") >= (
        figure(before, "quanmin_http_request_duration_seconds_count") + 3)
    assert figure(after, 'quanmin_http_request_duration_seconds_bucket{le="+Inf"}') == figure(
        after, "quanmin_http_request_duration_seconds_count")
    assert figure(after, "quanmin_bookings_last_minute") == 2  # the world's two bookings, just made
    assert figure(after, "quanmin_entries_last_minute") == 0
    assert figure(after, 'quanmin_task_queue_depth{queue="database"}') >= 0
    assert ('quanmin_task_queue_depth{queue="rq"}' in after) == redis


def test_histogram_buckets_are_cumulative():
    fields = metrics._fields(200, 0.3)
    assert [le for le in metrics.BUCKETS if f"latency:le:{le}" in fields] == [0.5, 1.0, 2.5, 5.0, 10.0]
    lines = metrics.prometheus({"requests:200": 2, "latency:count": 2, "latency:le:0.5": 1, "latency:le:1.0": 2,
                                "latency:sum_us": 900_000})
    assert 'quanmin_http_requests_total{status="200"} 2' in lines
    assert 'quanmin_http_request_duration_seconds_bucket{le="0.1"} 0' in lines
    assert "quanmin_http_request_duration_seconds_sum 0.9" in lines


@pytest.mark.parametrize("model", ["booking.Booking", "events.Entry"])
def test_the_last_minutes_rows_are_read_through_the_created_at_index(model):
    with CaptureQueriesContext(connection) as queries:
        assert _last_minute(apps.get_model(model), timezone.now()) == 0
    (query,) = queries.captured_queries
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
        else:
            # PostgreSQL's planner reads a small table whole whatever the indexes; with sequential
            # scans priced out it shows whether an index can serve the query at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + query["sql"])
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "_created" in plan and "SCAN " not in plan and "Seq Scan" not in plan, plan
