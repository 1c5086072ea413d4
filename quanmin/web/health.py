"""Health for load balancers (issue 24): /healthz says the process answers, /readyz that this node can
serve: database reachable, migrations applied, Redis reachable when configured, and the task queue's
depth. Public, as load balancers ask without signing in; they say nothing about anyone."""

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database() -> dict:
    try:
        executor = MigrationExecutor(connection)
        pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
        queued = DBTaskResult.objects.filter(status="READY").count()
    except DatabaseError:
        return {"database": "down"}
    return {"database": "ok", "migrations": "ok" if not pending else "pending", "queued_tasks": queued}


def _redis() -> dict:
    if not settings.REDIS_URL:
        return {}
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
        client.ping()
        return {"redis": "ok", "queued_rq_tasks": client.llen("rq:queue:default")}
    except redis.RedisError:
        return {"redis": "down"}


def queue_depths() -> dict[str, int]:
    """Tasks waiting, by queue: the database queue's, and RQ's when configured (for /metrics)."""
    depths = {"database": DBTaskResult.objects.filter(status="READY").count()}
    if settings.REDIS_URL:
        try:
            depths["rq"] = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).llen("rq:queue:default")
        except redis.RedisError:
            pass
    return depths


@never_cache
@require_safe
def readyz(request):
    checks = {**_database(), **_redis()}
    ready = all(v == "ok" for k, v in checks.items() if k in ("database", "migrations", "redis"))
    return JsonResponse({"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503)
