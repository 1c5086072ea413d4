"""Task pages: a task with its periods, reports, comments and reviews; a department's own tasks;
the task-table import from Excel (dry run, then apply)."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError
from quanmin.core.uploads import file_response

from . import permissions
from .errors import PlanningError
from .models import Department, TaskEntry, TaskItem, TaskPeriod
from .services import authoring, imports, tasks
from .views_plans import owned_plan_or_403, plan_or_404, remove_and_say, saved_form

task_reader = role_required(permissions.can_see_tasks)
reader = role_required(permissions.can_read)


def task_or_404(user, key: str, number_pk: int) -> TaskItem:
    task = TaskItem.objects.select_related("plan").filter(plan__key=key, pk=number_pk).first()
    if task is None:
        raise Http404
    if permissions.can_read_plan(user, task.plan):
        return task
    mine = set(permissions.department_ids(user))
    if mine and task.units.filter(department_id__in=mine).exists():
        return task
    raise Http404


@task_reader
def task_detail(request, key: str, pk: int):
    task = task_or_404(request.user, key, pk)
    tasks.ensure_periods(task.plan)
    periods = list(task.periods.prefetch_related("entries__author", "entries__department"))
    mine = set(permissions.department_ids(request.user))
    reporting = set(tasks.reporting_units(task))
    units = list(task.units.select_related("department"))
    return render(request, "planning/task.html", {
        "task": task, "plan": task.plan, "periods": periods, "units": units, "today": timezone.localdate(),
        "can_report": bool(mine & reporting), "can_comment": bool(mine & {u.department_id for u in units})
        or permissions.can_manage(request.user, task.plan),
        "can_review": permissions.can_manage(request.user, task.plan),
    })


@task_reader
def entry_evidence(request, key: str, pk: int, entry_pk: int):
    """A task report's evidence file, for whoever may open the task's page (404 otherwise)."""
    task = task_or_404(request.user, key, pk)
    entry = get_object_or_404(TaskEntry, period__task=task, pk=entry_pk)
    return file_response(entry.evidence, cache="private, no-store")


def _period(request, key, pk, period_pk) -> TaskPeriod:
    task = task_or_404(request.user, key, pk)
    return get_object_or_404(TaskPeriod, task=task, pk=period_pk)


def _act(request, key, pk, call, success):
    try:
        call()
    except PlanningError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return redirect("planning:task", key=key, pk=pk)


@require_POST
@task_reader
def task_report(request, key: str, pk: int, period_pk: int):
    period = _period(request, key, pk, period_pk)
    return _act(request, key, pk, lambda: tasks.report(
        request.user, period, text=request.POST.get("text", ""), percent=request.POST.get("percent"),
        done=request.POST.get("done") == "on", evidence=request.FILES.get("evidence")), _("Report saved."))


@require_POST
@task_reader
def task_comment(request, key: str, pk: int, period_pk: int):
    period = _period(request, key, pk, period_pk)
    return _act(request, key, pk, lambda: tasks.comment(request.user, period, text=request.POST.get("text", "")),
                _("Comment saved."))


@require_POST
@task_reader
def task_review(request, key: str, pk: int, period_pk: int):
    period = _period(request, key, pk, period_pk)
    return _act(request, key, pk, lambda: tasks.review(request.user, period, decision=request.POST.get("decision", ""),
                                                       text=request.POST.get("text", "")), _("Review saved."))


@task_reader
def my_tasks(request):
    """The tasks of the user's departments, overdue first."""
    mine = permissions.department_ids(request.user)
    today = timezone.localdate()
    periods = (TaskPeriod.objects.filter(task__units__department_id__in=mine, year__lte=today.year)
               .select_related("task__plan").distinct().order_by("due_on", "task__order"))
    return render(request, "planning/my_tasks.html", {
        "periods": periods, "departments": Department.objects.filter(pk__in=mine), "today": today,
        "overdue": tasks.overdue_for(request.user, today).count(),
    })


@reader
def task_import(request, key: str):
    plan = plan_or_404(request.user, key)
    if not permissions.can_manage(request.user, plan):
        raise Http404
    report, error = None, None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a file to upload.")
        else:
            try:
                report = imports.import_tasks(request.user, plan, upload, dry_run=request.POST.get("apply") != "1")
            except ServiceError as exc:
                error = str(exc.message)
            else:
                if report.applied:
                    tasks.ensure_periods(plan)
                    messages.success(request, _("%(count)s tasks imported.") % {"count": len(report.changed)})
                    return redirect("planning:plan", key=plan.key)
    return render(request, "planning/task_import.html", {"plan": plan, "report": report, "error": error})


class TaskForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Task"), max_length=200)
    number = forms.CharField(label=gettext_lazy("Number"), max_length=20, required=False,
                             help_text=gettext_lazy("Left empty, the next number."))
    group = forms.CharField(label=gettext_lazy("Group"), max_length=120, required=False)
    subgroup = forms.CharField(label=gettext_lazy("Key task"), max_length=200, required=False)
    content = forms.CharField(label=gettext_lazy("Content"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    lead = forms.CharField(label=gettext_lazy("Lead units"), required=False, max_length=400,
                           help_text=gettext_lazy("Departments, separated by 、"))
    responsible = forms.CharField(label=gettext_lazy("Responsible units"), required=False, max_length=2000)
    cooperating = forms.CharField(label=gettext_lazy("Cooperating units"), required=False, max_length=2000)
    deadline_text = forms.CharField(label=gettext_lazy("Deadline"), max_length=60, required=False,
                                    help_text=gettext_lazy("As plans write it: 2025年底前, 每年, 持续实施; empty: the "
                                                           "plan's end."))
    priority = forms.IntegerField(label=gettext_lazy("Priority"), required=False, min_value=1, max_value=99,
                                  help_text=gettext_lazy("1 comes first; empty: none given."))


def _task_form_page(request, plan, task):
    if request.method == "POST":
        form = TaskForm(request.POST)
        saved = saved_form(request, form, lambda data: authoring.add_task(request.user, plan, data, request=request)
                           if task is None else authoring.update_task(request.user, task, data, request=request),
                           _("Task saved."))
        if saved is not None:
            return redirect("planning:task", key=plan.key, pk=saved.pk)
    elif task is None:
        form = TaskForm()
    else:
        units = list(task.units.select_related("department"))
        form = TaskForm(initial={**{name: getattr(task, name) for name in TaskForm.base_fields if hasattr(task, name)},
                                 **{field: "、".join(u.department.name for u in units if u.role == role)
                                    for field, role in authoring.UNIT_FIELDS}})
    return render(request, "planning/task_form.html", {
        "plan": plan, "task": task, "form": form,
        "departments": Department.objects.filter(division_code=plan.division_code).order_by("name")})


@reader
def task_new(request, key: str):
    """The plan's owners add a task."""
    return _task_form_page(request, owned_plan_or_403(request.user, key), None)


@reader
def task_edit(request, key: str, pk: int):
    """The plan's owners change a task: its words, units, deadline and priority."""
    plan = owned_plan_or_403(request.user, key)
    return _task_form_page(request, plan, get_object_or_404(TaskItem, plan=plan, pk=pk))


@require_POST
@reader
def task_remove(request, key: str, pk: int):
    """The plan's owners remove a task nothing refers to; else they are told what does."""
    plan = owned_plan_or_403(request.user, key)
    task = get_object_or_404(TaskItem, plan=plan, pk=pk)
    return remove_and_say(request, lambda: authoring.remove_task(request.user, task, request=request),
                          _("Task removed."), ("planning:plan", key), ("planning:task", key, pk))
