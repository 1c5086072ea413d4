"""Doing a queued fitness-circle run: the background task calls :func:`execute_run`.

It sits below both the services (which queue a run through the task) and the task (which does it),
so neither has to import the other.
"""

from django.utils import timezone

from . import inputs
from .circle import analyse, coverage_layer
from .models import CircleRun

STAGES = ["prepare", "snap_facilities", "passes", "figures", "suggest"]


def execute_run(run_id: int) -> CircleRun:
    """Do the analysis of a queued run (the background task calls this)."""
    run = CircleRun.objects.select_related("region").get(pk=run_id)
    if run.status == CircleRun.Status.DONE:
        return run
    CircleRun.objects.filter(pk=run.pk).update(status=CircleRun.Status.RUNNING, stage="inputs", progress=5)

    def progress(stage: str):
        done = STAGES.index(stage) + 1 if stage in STAGES else 1
        CircleRun.objects.filter(pk=run.pk).update(stage=stage[:40], progress=min(95, 10 + done * 80 // len(STAGES)))

    try:
        region = run.region
        residents = inputs.residents(region)
        arrays = {}
        result = analyse(inputs.network(region), inputs.facilities(region), residents, minutes=run.minutes,
                         speed_kmh=run.speed_kmh, suggest_k=run.suggest_k, candidates=inputs.candidates(region),
                         progress=progress, arrays=arrays, parallel=False)
        layer = coverage_layer(residents, arrays["walk_m"], run.minutes, run.speed_kmh)
    except Exception as exc:  # the page must say the run failed and why, not hang
        CircleRun.objects.filter(pk=run.pk).update(status=CircleRun.Status.FAILED, error=str(exc)[:2000],
                                                   finished_at=timezone.now())
        raise
    CircleRun.objects.filter(pk=run.pk).update(status=CircleRun.Status.DONE, progress=100, stage="done", result=result,
                                               layer=layer, finished_at=timezone.now())
    run.refresh_from_db()
    return run
