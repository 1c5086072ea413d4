"""Background tasks that are retried and recorded (issue 24), on any django-tasks backend (the database
queue, RQ). `@task()` from here instead of django_tasks': a run that raises is written down (a
TaskFailure row and a log line, with the request id that enqueued it) and enqueued again after a
back-off that doubles (backoff, 2×backoff, 4×backoff… seconds) until `retries` retries are spent;
the backend records each failed attempt as well. The workers must run deferred tasks: the database
worker does; RQ workers need --with-scheduler.

A task enqueued carries one keyword argument more, `_run` = {"attempt": n, "request_id": …}, taken
off before the function is called; called in place (`.call()`) a task neither retries nor records:
the caller sees the exception. Tasks are written to be run twice without harm (each upkeep finds
nothing left to do), so a retry after a failure half-way is safe."""

import dataclasses
import datetime
import functools
import logging
import traceback

from django.db import DatabaseError
from django.utils import timezone
from django_tasks.base import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, Task

from . import context
from .models import TaskFailure

RUN = "_run"
logger = logging.getLogger("quanmin.tasks")


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class RetryingTask(Task):
    retries: int = 3
    backoff: int = 30  # seconds before the first retry

    def enqueue(self, *args, **kwargs):
        kwargs.setdefault(RUN, {"attempt": 1, "request_id": context.request_id()})
        return Task.enqueue(self, *args, **kwargs)

    def delay(self, attempt: int) -> int:
        """Seconds to wait after failed attempt `attempt` (1, 2, …) before the next one."""
        return self.backoff * 2 ** (attempt - 1)


def task(*, retries: int = 3, backoff: int = 30, queue_name: str = DEFAULT_TASK_QUEUE_NAME,
         backend: str = DEFAULT_TASK_BACKEND_ALIAS):
    def decorate(func):
        made = []

        @functools.wraps(func)
        def run(*args, **kwargs):
            meta = kwargs.pop(RUN, None)
            if meta is None:
                return func(*args, **kwargs)
            token = context.bind(meta.get("request_id") or context.new_id())
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                failed(made[0], meta, args, kwargs, exc)
                raise
            finally:
                context.unbind(token)

        made.append(RetryingTask(func=run, retries=retries, backoff=backoff, queue_name=queue_name, backend=backend))
        return made[0]

    return decorate


def failed(task: RetryingTask, meta: dict, args: tuple, kwargs: dict, exc: Exception) -> None:
    attempt = int(meta.get("attempt", 1))
    now = timezone.now()
    delay = task.delay(attempt)
    retry_at = now + datetime.timedelta(seconds=delay) if attempt <= task.retries else None
    error = f"{type(exc).__module__}.{type(exc).__qualname__}: {exc}"[:500]
    logger.error("task failed", extra={"task": task.module_path, "attempt": attempt, "error": error,
                                       "retry_at": retry_at.isoformat() if retry_at else None})
    try:
        TaskFailure.objects.create(task=task.module_path, args=[*args, kwargs] if kwargs else list(args),
                                   attempt=attempt, error=error, traceback=traceback.format_exc()[-4000:],
                                   request_id=context.request_id(), failed_at=now, retry_at=retry_at)
    except DatabaseError:  # the database is what failed: the log line and the backend's record remain
        logger.exception("task failure not recorded", extra={"task": task.module_path})
    if retry_at:
        again = task.using(run_after=retry_at) if delay else task
        again.enqueue(*args, **kwargs, **{RUN: {"attempt": attempt + 1, "request_id": context.request_id()}})
