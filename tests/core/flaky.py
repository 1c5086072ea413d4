"""A task for the retry tests (tests/core/test_task_retries.py): it fails until it has failed
`failures` times for `key` (counted in the failures recorded, so it works across processes)."""

from quanmin.core.models import TaskFailure
from quanmin.core.tasks import task


@task(retries=2, backoff=0)
def flaky(key: str, failures: int) -> str:
    if TaskFailure.objects.filter(task__endswith=".flaky", args__0=key).count() < failures:
        raise RuntimeError(f"{key}: not yet")
    return key


@task(retries=1, backoff=60)
def later(key: str) -> str:
    raise RuntimeError(f"{key}: never")
