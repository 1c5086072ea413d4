"""/healthz and /readyz (issue 24): alive; ready when the database answers with every migration
applied and, on a node configured for it, Redis answers; the queue's depth; nothing personal."""

import pytest
from django_tasks_db.models import DBTaskResult

from quanmin.booking import tasks
from tests.nodes import REDIS_URL

pytestmark = pytest.mark.django_db


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert client.post("/healthz").status_code == 405


def test_readyz_reports_database_migrations_and_queue(client, settings):
    settings.REDIS_URL = ""
    tasks.expire_holds.enqueue()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok",
                               "queued_tasks": DBTaskResult.objects.filter(status="READY").count()}
    assert response.json()["queued_tasks"] >= 1


def test_readyz_checks_redis_when_configured(client, settings):
    settings.REDIS_URL = REDIS_URL
    body = client.get("/readyz").json()
    assert body["redis"] == "ok" and body["status"] == "ok" and isinstance(body["queued_rq_tasks"], int)
    settings.REDIS_URL = "redis://127.0.0.1:1/9"  # nothing listens there
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["redis"] == "down" and response.json()["status"] == "unavailable"
