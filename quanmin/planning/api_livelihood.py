"""Livelihood projects (民生实事, D10) in the API (under /api/v1/planning): a plan's marked tasks with
their progress and a year's assessment, filtered by result; the owners' mark on a task and their
assessment of a year (multipart, with the evidence file)."""

import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from quanmin.core.api import ArrayPaging, ErrorOut, lookup_id

from . import selectors_livelihood
from .api import ERRORS, _plan
from .services import livelihood as services

router = Router(tags=["planning"])


class AssessmentOut(Schema):
    id: int
    task_id: int
    year: int
    result: str = Field(..., description="excellent, good, pass or fail")
    result_label: str
    note: str
    recorded_at: datetime.datetime


class LivelihoodRowOut(Schema):
    task_id: int
    number: str
    title: str
    reporting_units: list[str]
    period_year: int | None = Field(..., description="The year of the progress shown: the year asked, else the "
                                                     "nearest period of the task.")
    status: str | None
    percent: int | None
    assessment: AssessmentOut | None


def assessment_out(a) -> dict:
    return {"id": a.pk, "task_id": a.task_id, "year": a.year, "result": a.result,
            "result_label": str(a.get_result_display()), "note": a.note, "recorded_at": a.recorded_at}


@router.get("/plans/{key}/livelihood", response={200: list[LivelihoodRowOut], **ERRORS},
            summary="A plan's livelihood projects with their progress and a year's assessment (staff)")
@paginate(ArrayPaging)
def livelihood(request, key: str, year: int = Query(None, ge=1900, le=2200, description="Default: this year."),
               result: str = Query("", description="excellent, good, pass, fail, or none (not assessed yet)")):
    plan = _plan(request, key)
    found = selectors_livelihood.board(plan, year or timezone.localdate().year, result)
    return [{"task_id": r.task.pk, "number": r.task.number, "title": r.task.title,
             "reporting_units": [d.name for d in r.leads], "period_year": r.period.year if r.period else None,
             "status": r.period.status if r.period else None, "percent": r.period.percent if r.period else None,
             "assessment": assessment_out(r.assessment) if r.assessment else None} for r in found["rows"]]


def _task(request, key: str, task_id: int):
    task = _plan(request, key).tasks.select_related("plan").filter(pk=lookup_id(task_id)).first()
    if task is None:
        raise Http404
    return task


class LivelihoodIn(Schema):
    livelihood: bool = Field(..., description="true: a government livelihood project (纳入政府民生实事).")


class LivelihoodMarkOut(Schema):
    task_id: int
    number: str
    livelihood: bool


@router.put("/plans/{key}/tasks/{int:task_id}/livelihood", response={200: LivelihoodMarkOut, **ERRORS},
            summary="Mark a task as a government livelihood project, or not (the plan's owners)")
def mark(request, key: str, task_id: int, payload: LivelihoodIn):
    task = services.mark(request.user, _task(request, key, task_id), payload.livelihood, request=request)
    return {"task_id": task.pk, "number": task.number, "livelihood": task.livelihood}


class AssessmentIn(Schema):
    year: int | None = Field(None, ge=1900, le=2200, description="A year of the plan, up to this one.")
    result: str = Field("", description="excellent, good, pass or fail")
    note: str = Field("", max_length=500)


@router.post("/plans/{key}/tasks/{int:task_id}/assessments", response={201: AssessmentOut, **ERRORS,
                                                                         413: ErrorOut, 415: ErrorOut},
             summary="Record a livelihood project's assessment of a year: multipart/form-data with the evidence "
                     "file; again for the same year replaces it (the plan's owners)")
def assess(request, key: str, task_id: int, payload: Form[AssessmentIn], evidence: File[UploadedFile] = None):
    found = services.assess(request.user, _task(request, key, task_id), year=payload.year, result=payload.result,
                            note=payload.note, evidence=evidence, request=request)
    return Status(201, assessment_out(found))
