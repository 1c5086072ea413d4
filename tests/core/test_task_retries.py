"""A task that fails is recorded and retried with back-off (issue 24), on the database queue (the
worker's own run_task, in this process) and on RQ (real workers, tests/test_nodes.py's way)."""

import datetime
import json
import uuid

import pytest
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from quanmin.core import context
from quanmin.core.models import TaskFailure
from tests.core import flaky
from tests.nodes import run_python, start_manage


def work_off() -> int:
    """Run every task ready now as the database worker does (its loop closes the test's connection)."""
    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
    runs = 0
    while (result := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        runs += 1
    return runs


@pytest.mark.django_db
def test_database_queue_retries_until_it_works_and_records_each_failure():
    token = context.bind("req-test-0001")
    try:
        first = flaky.flaky.enqueue("twice", 2)
    finally:
        context.unbind(token)
    assert work_off() == 3  # two failures, then the third attempt works
    results = list(DBTaskResult.objects.filter(task_path="tests.core.flaky.flaky").order_by("enqueued_at"))
    assert [r.status for r in results] == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert str(results[0].id) == first.id and results[-1].return_value == "twice"
    failures = list(TaskFailure.objects.order_by("attempt"))
    assert [(f.attempt, f.args, f.request_id) for f in failures] == [(1, ["twice", 2], "req-test-0001"),
                                                                     (2, ["twice", 2], "req-test-0001")]
    assert all(f.retry_at and "RuntimeError: twice: not yet" in f.error and "Traceback" in f.traceback
               for f in failures)


@pytest.mark.django_db
def test_retries_spent_gives_up_and_says_so():
    flaky.flaky.enqueue("never", 9)
    assert work_off() == 3  # the first run and its two retries
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3
    assert list(TaskFailure.objects.order_by("attempt").values_list("attempt", flat=True)) == [1, 2, 3]
    assert TaskFailure.objects.get(attempt=3).retry_at is None  # given up: nothing more queued
    assert not DBTaskResult.objects.filter(status="READY").exists()


@pytest.mark.django_db
def test_back_off_doubles_and_called_in_place_neither_retries_nor_records():
    flaky.later.enqueue("x")
    before = timezone.now()
    assert work_off() == 1  # the retry waits its back-off: not ready yet
    after = timezone.now()
    retry = DBTaskResult.objects.get(status="READY")
    # 60 s from the failure, which came between `before` and `after` (however slow the machine).
    assert before + datetime.timedelta(seconds=59) < retry.run_after <= after + datetime.timedelta(seconds=60)
    assert retry.task_result.kwargs["_run"]["attempt"] == 2
    assert [flaky.later.delay(n) for n in (1, 2, 3)] == [60, 120, 240]
    with pytest.raises(RuntimeError):
        flaky.later.call("y")
    assert TaskFailure.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_rq_workers_retry_and_record():
    key = f"rq-{uuid.uuid4().hex[:8]}"
    ids = json.loads(run_python("import json; from tests.core import flaky\n"
                                f"print(json.dumps([flaky.flaky.enqueue({key!r}, 1).id]))"))
    worker = start_manage("rqworker", "default", "--burst", "--with-scheduler", "--job-class", "django_tasks_rq.Job")
    _, err = worker.communicate(timeout=180)
    assert worker.returncode == 0, err
    assert list(TaskFailure.objects.filter(args__0=key).values_list("attempt", flat=True)) == [1]
    show = ("import json; from django_tasks import default_task_backend as b\n"
            f"print(json.dumps([b.get_result(i).status for i in {ids!r}]))")
    assert json.loads(run_python(show)) == ["FAILED"]
    # The retry ran on the worker too, and worked: a finished job of the queue with the same arguments.
    assert TaskFailure.objects.get(args__0=key).retry_at is not None
    finished = ("import json, django_rq; from rq.registry import FinishedJobRegistry\n"
                "q = django_rq.get_queue('default'); ids = FinishedJobRegistry(queue=q).get_job_ids()\n"
                "print(json.dumps([[j.args, j.kwargs['_run']['attempt'], j.return_value()] for j in q.job_class.fetch_many(ids, connection=q.connection) if j]))")
    runs = [run for run in json.loads(run_python(finished)) if run[0] == [key, 1]]
    assert runs == [[[key, 1], 2, key]]
