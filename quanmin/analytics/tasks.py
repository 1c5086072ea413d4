from django_tasks import task

from .runs import execute_run


@task()
def run_circle(run_id: int) -> int:
    return execute_run(run_id).pk
