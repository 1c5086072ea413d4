"""Livelihood projects (民生实事, D10): a plan's tasks its government counts among its livelihood
projects, with their progress and each year's assessment (考核), filtered by year and result; the
owners mark a task on its page and record the year's result with a note and evidence."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.core import excel
from quanmin.core.uploads import file_response

from . import permissions, selectors_livelihood
from .errors import PlanningError
from .models import Grade, LivelihoodAssessment, TaskItem
from .services import livelihood as services
from .views_plans import mark_and_say, plan_or_404, reader


def _year_result(request, plan) -> tuple[int, str, list[int]]:
    """The year asked for (the plan's, up to this one; this one by default) and the result filter."""
    today = timezone.localdate()
    years = list(range(plan.starts_on.year, min(plan.ends_on.year, today.year) + 1)) or [plan.starts_on.year]
    text = str(request.GET.get("year", ""))
    year = int(text) if text.isdigit() and int(text) in years else years[-1]
    result = str(request.GET.get("result", ""))
    if result not in (*Grade.values, selectors_livelihood.NOT_ASSESSED):
        result = ""
    return year, result, years


@reader
def livelihood(request, key: str):
    plan = plan_or_404(request.user, key)
    year, result, years = _year_result(request, plan)
    return render(request, "planning/livelihood.html", {
        "plan": plan, "year": year, "result": result, "years": years, "grades": Grade.choices,
        **selectors_livelihood.board(plan, year, result), "can_manage": permissions.can_manage(request.user, plan),
    })


@reader
def livelihood_export(request, key: str):
    plan = plan_or_404(request.user, key)
    year, result, _years = _year_result(request, plan)
    return excel.xlsx_response(f"livelihood-{plan.key}-{year}.xlsx", selectors_livelihood.sheets(plan, year, result))


def _task(request, key: str, pk: int) -> TaskItem:
    plan = plan_or_404(request.user, key)
    return get_object_or_404(TaskItem.objects.select_related("plan"), plan=plan, pk=pk)


@require_POST
@reader
def task_livelihood(request, key: str, pk: int):
    """Mark a task as a government livelihood project, or take the mark off."""
    task = _task(request, key, pk)
    return mark_and_say(request, lambda: services.mark(
        request.user, task, request.POST.get("livelihood") == "on", request=request).livelihood,
        _("Marked as a government livelihood project."), _("No longer marked as a livelihood project."),
        "planning:task", key=key, pk=pk)


@require_POST
@reader
def livelihood_assess(request, key: str, pk: int):
    task = _task(request, key, pk)
    year = request.POST.get("year", "")
    try:
        services.assess(request.user, task, year=year, result=request.POST.get("result", ""),
                        note=request.POST.get("note", ""), evidence=request.FILES.get("evidence"), request=request)
    except PlanningError as exc:
        messages.error(request, f"{task.number}: {exc.message}")
    else:
        messages.success(request, _("Assessment recorded."))
    response = redirect("planning:livelihood", key=key)
    if str(year).isdigit():
        response["Location"] += f"?year={year}"
    return response


@reader
def livelihood_evidence(request, key: str, pk: int):
    plan = plan_or_404(request.user, key)
    found = LivelihoodAssessment.objects.filter(task__plan=plan, pk=pk).first()
    if found is None or not found.evidence:
        raise Http404
    return file_response(found.evidence, cache="private, no-store")
