from django_tasks import task


@task()
def run_circle(run_id: int) -> int:
    from .services import execute_run

    return execute_run(run_id).pk
