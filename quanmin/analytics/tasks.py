from quanmin.core.tasks import task

from .runs import execute_run


# A failed analysis says why on its page (CircleRun.error) and is started again by hand: recorded,
# not retried.
@task(retries=0)
def run_circle(run_id: int) -> int:
    return execute_run(run_id).pk
