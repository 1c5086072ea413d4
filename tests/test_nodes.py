"""Settings for several nodes (issue 24): QUANMIN_REDIS_URL puts the cache in Redis and the tasks on RQ,
so that what one node caches or enqueues another sees and runs, once. Against the real Redis here,
with keys of their own and no flush: tests in other workers share that Redis database."""

import json
import uuid

import pytest

from .nodes import run_python, start_manage

pytestmark = pytest.mark.django_db(transaction=True)


SHOW = ("from django.conf import settings; from django_tasks import task_backends\n"
        "print(settings.CACHES['default']['BACKEND'], type(task_backends['default']).__name__)\n"
        "if 'django_rq' in settings.INSTALLED_APPS:\n"
        "    from django_rq.workers import get_worker_class; w = get_worker_class(); print(w.__module__, w.__name__)")


def test_redis_url_switches_cache_and_queue():
    # `manage.py rqworker` runs the worker that stops within a second (core/rq_worker.py): RQ's own sat up
    # to a minute before exiting, which each test here that starts workers waited out.
    assert run_python(SHOW).split() == ["django.core.cache.backends.redis.RedisCache", "RQBackend",
                                        "quanmin.core.rq_worker", "Worker"]
    # Without it: one process's memory and the database queue, the embedded default.
    assert run_python(SHOW, redis=False).split() == ["django.core.cache.backends.locmem.LocMemCache",
                                                     "DatabaseBackend"]


def test_cache_is_shared_between_nodes():
    key = f"test:{uuid.uuid4().hex}"
    run_python(f"from django.core.cache import cache; cache.set({key!r}, 'from node A', 60); cache.set({key!r}+'n', 0)")
    # Node B reads what A wrote; counting from both nodes adds up in one place.
    bump = f"from django.core.cache import cache; print(cache.get({key!r})); [cache.incr({key!r}+'n') for _ in range(5)]"
    assert run_python(bump).strip() == "from node A"
    run_python(bump)
    assert run_python(f"from django.core.cache import cache; print(cache.get({key!r}+'n'))").strip() == "10"


def test_tasks_enqueued_on_one_node_run_once_on_the_workers():
    enqueue = ("import json; from quanmin.booking import tasks\n"
               "print(json.dumps([tasks.expire_holds.enqueue().id for _ in range(6)]))")
    ids = json.loads(run_python(enqueue)) + json.loads(run_python(enqueue))
    workers = [start_manage("rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job") for _ in range(2)]
    for worker in workers:
        _, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err
    show = ("import json; from django_tasks import default_task_backend as b\n"
            f"print(json.dumps([[r.status, r.errors[0].traceback[-300:] if r.errors else r.return_value, len(r.worker_ids)] for r in map(b.get_result, {ids!r})]))")
    results = json.loads(run_python(show))
    assert results == [["SUCCESSFUL", 0, 1]] * 12
