"""Supervision pages (督查): visits and their findings, rectification items with their follow-up and
Excel export, bulletins and their printable page. Supervisors write; division staff read what
selectors_supervision shows them and answer the items of their own divisions (permissions.py)."""


from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from quanmin.accounts import services as accounts
from quanmin.accounts.decorators import role_required
from quanmin.core import excel
from quanmin.core.errors import ServiceError
from quanmin.core.forms import DayField
from quanmin.core.uploads import file_response
from quanmin.regions import codes

from . import exports_supervision, permissions, selectors, selectors_supervision
from .errors import PlanningError
from .models import Bulletin, Department, Finding, Rectification, RectificationEntry, Visit
from .services import oversight, supervision
from .views_plans import act_and_say

reader = role_required(permissions.can_read_supervision)
DATE = forms.DateInput(attrs={"type": "date"})


def _errors(form) -> str:
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


def _supervisor_of(user, division_code: str) -> None:
    if not permissions.can_supervise(user, division_code):
        raise PermissionDenied


def _write_for_plan(request, form, plans, write, success: str, url_name: str):
    """A supervisor's form that writes something of one of `plans` (picked by key): the redirect to
    what was written, or None with the form's errors set (a non-supervisor's post: 403)."""
    if not plans:
        raise PermissionDenied
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    plan = next((p for p in plans if p.key == data.pop("plan")), None)
    try:
        if plan is None:
            raise PlanningError("supervision_choice", _("Pick one of the choices offered."), "plan")
        made = write(request.user, plan, request=request, **data)
    except PlanningError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        return None
    messages.success(request, success)
    return redirect(url_name, pk=made.pk)

class VisitForm(forms.Form):
    plan = forms.CharField(label=gettext_lazy("Plan"), max_length=40)
    division_code = forms.CharField(label=gettext_lazy("Division"), max_length=12)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    schedule = forms.ChoiceField(label=pgettext_lazy("supervision", "Schedule"), choices=Visit.Schedule.choices)
    coverage = forms.ChoiceField(label=gettext_lazy("Coverage"), choices=Visit.Coverage.choices)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Visit.Kind.choices)
    manner = forms.ChoiceField(label=gettext_lazy("Manner"), choices=Visit.Manner.choices)
    planned_on = DayField(label=gettext_lazy("Planned for"), widget=DATE)
    visited_on = DayField(label=gettext_lazy("Carried out on"), widget=DATE, required=False,
                          help_text=gettext_lazy("Fill in for a visit recorded afterwards."))
    team = forms.CharField(label=pgettext_lazy("supervision", "Team"), max_length=200, required=False)
    joint_with = forms.MultipleChoiceField(label=gettext_lazy("Carried out jointly with"), required=False,
                                           choices=Visit.JointBody.choices, widget=forms.CheckboxSelectMultiple)
    followed = forms.ChoiceField(label=gettext_lazy("Target or task followed"), required=False,
                                 help_text=gettext_lazy("Tracking research: the piece of work it follows."))
    summary = forms.CharField(label=gettext_lazy("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["followed"].choices = [("", "—")] + [
            (plan.title, [(f"target:{t.pk}", f"{t.key} {t.name}") for t in plan.targets.all()]
             + [(f"task:{t.pk}", f"{t.number} {t.title[:40]}") for t in plan.tasks.all()])
            for plan in plans]

    def clean(self):
        """`followed` ("target:<id>" or "task:<id>") as the service's target_id and task_id."""
        data = super().clean()
        kind, _, pk = (data.pop("followed", "") or "").partition(":")
        data["target_id"] = pk if kind == "target" else None
        data["task_id"] = pk if kind == "task" else None
        return data


@reader
def visit_list(request):
    """The visits the user may see, and (supervisors) the form to plan or record one."""
    user = request.user
    plans = list(selectors.visible_plans(user).prefetch_related("targets", "tasks")) \
        if permissions.is_supervisor(user) else []
    form = VisitForm(request.POST or None, initial={"planned_on": timezone.localdate()}, plans=plans)
    if request.method == "POST":
        done = _write_for_plan(request, form, plans, supervision.plan_visit, _("Visit saved."), "planning:visit")
        if done:
            return done
    visits = selectors_supervision.visits_for(user)
    status = request.GET.get("status", "")
    if status in Visit.Status.values:
        visits = visits.filter(status=status)
    today = timezone.localdate()
    return render(request, "planning/supervision/visits.html", {
        "visits": visits[:200], "form": form, "plans": plans, "status": status, "statuses": Visit.Status.choices,
        "overdue": selectors_supervision.overdue(selectors_supervision.rectifications_for(user), today).count(),
        "can_manage_oversight": permissions.can_manage_oversight(user),
    })


def _visit(user, pk: int) -> Visit:
    visit = selectors_supervision.visits_for(user).filter(pk=pk).first()
    if visit is None:
        raise Http404
    return visit


@reader
def visit_detail(request, pk: int):
    visit = _visit(request.user, pk)
    can_supervise = permissions.can_supervise(request.user, visit.division_code)
    return render(request, "planning/supervision/visit.html", {
        "visit": visit, "findings": selectors_supervision.findings_for(request.user, visit),
        "chain": selectors_supervision.chain_of(request.user, visit),
        "can_supervise": can_supervise, "today": timezone.localdate(),
        "severities": [c for c in Finding.Severity.choices if c[0]], "kinds": Finding.Kind.choices,
        "targets": visit.plan.targets.all() if can_supervise else [],
        "tasks": visit.plan.tasks.all() if can_supervise else [],
        "departments": Department.objects.filter(division_code__within=codes.prefix(visit.division_code))
        if can_supervise else [],
    })


@reader
def tracking(request):
    """Tracking research (跟踪调研): each piece of work followed, with the chain of its visits."""
    return render(request, "planning/supervision/tracking.html", {
        "chains": selectors_supervision.tracking_chains(request.user)})


def _act_on_form(request, form, call, success, url_name: str, pk: int):
    """`call(cleaned data)` when the posted form is valid (else its errors as the message); back to `url_name`."""
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(url_name, pk=pk)
    return act_and_say(request, lambda: call(form.cleaned_data), success, url_name, pk=pk)


class RecordForm(forms.Form):
    visited_on = DayField(label=gettext_lazy("Carried out on"))
    summary = forms.CharField(label=gettext_lazy("Summary"), required=False)


@require_POST
@reader
def visit_record(request, pk: int):
    visit = _visit(request.user, pk)
    _supervisor_of(request.user, visit.division_code)
    return _act_on_form(request, RecordForm(request.POST), lambda data: supervision.record_visit(
        request.user, visit, request=request, **data), _("Visit recorded as carried out."), "planning:visit", visit.pk)


@require_POST
@reader
def visit_cancel(request, pk: int):
    visit = _visit(request.user, pk)
    _supervisor_of(request.user, visit.division_code)
    return act_and_say(request, lambda: supervision.cancel_visit(request.user, visit, reason=request.POST.get("reason", ""),
                                                                 request=request),
                       _("Visit cancelled."), "planning:visit", pk=visit.pk)


@require_POST
@reader
def finding_add(request, pk: int):
    visit = _visit(request.user, pk)
    _supervisor_of(request.user, visit.division_code)
    post = request.POST
    return act_and_say(request, lambda: supervision.add_finding(
        request.user, visit, division_code=post.get("division_code", ""), kind=post.get("kind", "problem"),
        severity=post.get("severity", ""), place=post.get("place", ""), text=post.get("text", ""),
        target_id=post.get("target") or None, task_id=post.get("task") or None, request=request),
        _("Finding recorded."), "planning:visit", pk=visit.pk)


class RectificationForm(forms.Form):
    requirement = forms.CharField(label=gettext_lazy("What to rectify"), max_length=4000)
    deadline = DayField(label=gettext_lazy("Deadline"))
    division_code = forms.CharField(label=gettext_lazy("Division"), max_length=12, required=False)
    department = forms.CharField(label=gettext_lazy("Responsible unit"), max_length=12, required=False)


@require_POST
@reader
def rectification_add(request, pk: int):
    finding = get_object_or_404(Finding, pk=pk)
    visit = _visit(request.user, finding.visit_id)
    _supervisor_of(request.user, visit.division_code)
    form = RectificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("planning:visit", pk=visit.pk)
    data = form.cleaned_data
    return act_and_say(request, lambda: supervision.add_rectification(
        request.user, finding, requirement=data["requirement"], deadline=data["deadline"],
        division_code=data["division_code"], department_id=data["department"] or None, request=request),
        _("Rectification item set."), "planning:visit", pk=visit.pk)


@reader
def rectification_list(request):
    """The rectification items of the user's divisions, the overdue ones first when asked."""
    today = timezone.localdate()
    items = selectors_supervision.rectifications_for(request.user)
    status = request.GET.get("status", "")
    if status == "overdue":
        items = selectors_supervision.overdue(items, today)
    elif status in Rectification.Status.values:
        items = items.filter(status=status)
    rows = selectors_supervision.rectification_rows(items.order_by("deadline", "pk")[:500], today)
    # Each row's link and short text made here, once a row, not by a tag and a filter (bench/supervision.py).
    link = reverse("planning:rectification", args=[0]).removesuffix("0/")
    for r in rows:
        text = r["requirement"]
        r["url"], r["short"] = f"{link}{r['id']}/", text if len(text) <= 60 else text[:59] + "…"
    return render(request, "planning/supervision/rectifications.html", {
        "items": rows,
        "status": status, "statuses": Rectification.Status.choices,
    })


@reader
def supervision_export(request):
    """The findings and rectification items the user sees, as an Excel workbook."""
    return excel.xlsx_response(f"supervision-{timezone.localdate():%Y%m%d}.xlsx",
                               exports_supervision.sheets(request.user, timezone.localdate()))


def _item(user, pk: int) -> Rectification:
    item = selectors_supervision.rectifications_for(user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


@reader
def rectification_detail(request, pk: int):
    item = _item(request.user, pk)
    return render(request, "planning/supervision/rectification.html", {
        "item": item, "finding": item.finding, "visit": item.finding.visit,
        "entries": item.entries.select_related("author"), "today": timezone.localdate(),
        "open": selectors_supervision.OPEN, "can_answer": permissions.can_answer(request.user, item),
        "can_verify": permissions.can_supervise(request.user, item.division_code),
    })


@require_POST
@reader
def rectification_respond(request, pk: int):
    item = _item(request.user, pk)
    if not permissions.can_answer(request.user, item):
        raise PermissionDenied
    return act_and_say(request, lambda: supervision.respond(request.user, item, text=request.POST.get("text", ""),
                                                            evidence=request.FILES.get("evidence"), request=request),
                       _("Rectification report sent."), "planning:rectification", pk=item.pk)


@require_POST
@reader
def rectification_verify(request, pk: int):
    item = _item(request.user, pk)
    _supervisor_of(request.user, item.division_code)
    return act_and_say(request, lambda: supervision.verify(request.user, item, close=request.POST.get("decision") == "closed",
                                                           text=request.POST.get("text", ""), request=request),
                       _("Verification saved."), "planning:rectification", pk=item.pk)


class ExtensionForm(forms.Form):
    deadline = DayField(label=gettext_lazy("New deadline"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=4000)


@require_POST
@reader
def rectification_extend(request, pk: int):
    item = _item(request.user, pk)
    _supervisor_of(request.user, item.division_code)
    return _act_on_form(request, ExtensionForm(request.POST), lambda data: supervision.extend_deadline(
        request.user, item, request=request, **data), _("Deadline extended."), "planning:rectification", item.pk)


@reader
def rectification_evidence(request, pk: int, entry_pk: int):
    """A rectification report's evidence file, for whoever may open the item (404 otherwise)."""
    item = _item(request.user, pk)
    entry = get_object_or_404(RectificationEntry, rectification=item, pk=entry_pk)
    return file_response(entry.evidence, cache="private, no-store")


class BulletinForm(forms.Form):
    plan = forms.CharField(label=gettext_lazy("Plan"), max_length=40)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    document_number = forms.CharField(label=gettext_lazy("Document number"), max_length=60, required=False)
    period_start = DayField(label=gettext_lazy("Visits from"), widget=DATE)
    period_end = DayField(label=gettext_lazy("Visits until"), widget=DATE)
    foreword = forms.CharField(label=gettext_lazy("Foreword"), widget=forms.Textarea(attrs={"rows": 3}),
                               required=False)
    public = forms.BooleanField(label=gettext_lazy("Public: anyone may read it once published"), required=False)


@reader
def bulletin_list(request):
    """The bulletins the user may read, and (supervisors) the form to write a draft."""
    user = request.user
    plans = [p for p in selectors.visible_plans(user) if permissions.can_supervise(user, p.division_code)]
    today = timezone.localdate()
    form = BulletinForm(request.POST or None, initial={"period_start": today.replace(month=1, day=1),
                                                      "period_end": today})
    if request.method == "POST":
        done = _write_for_plan(request, form, plans, supervision.write_bulletin,
                               _("Draft saved: check it, then publish it."), "planning:bulletin")
        if done:
            return done
    return render(request, "planning/supervision/bulletins.html", {
        "bulletins": selectors_supervision.bulletins_for(user)[:200], "form": form, "plans": plans,
    })


def bulletin_page(request, pk: int):
    """The printable bulletin: a draft for its supervisors, published for its readers, and for anyone
    when published as public (permissions.can_read_bulletin)."""
    bulletin = Bulletin.objects.select_related("plan", "published_by").filter(pk=pk).first()
    if bulletin is None or not permissions.can_read_bulletin(request.user, bulletin):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    today = timezone.localdate()
    return render(request, "planning/supervision/bulletin.html", {
        "bulletin": bulletin, "content": selectors_supervision.content_of(bulletin, today), "today": today,
        "can_publish": bulletin.status == Bulletin.Status.DRAFT
        and permissions.can_supervise(request.user, bulletin.division_code),
    })


@require_POST
@reader
def bulletin_publish(request, pk: int):
    bulletin = selectors_supervision.bulletins_for(request.user).filter(pk=pk).first()
    if bulletin is None:
        raise Http404
    _supervisor_of(request.user, bulletin.division_code)
    public = request.POST.get("public")
    return act_and_say(request, lambda: supervision.publish(request.user, bulletin, request=request,
                                                            public=None if public is None else public == "on"),
                       _("Bulletin published."), "planning:bulletin", pk=bulletin.pk)


manager = role_required(permissions.can_manage_oversight)


@require_http_methods(["GET", "POST"])
@manager
def oversight_people(request):
    """The people of the congress, CPPCC and supervision offices who read the supervision of the user's
    divisions, and the form to grant one the role by mobile number."""
    if request.method == "POST":
        try:
            person = accounts.active_user_by_phone(request.POST.get("phone", ""))
            made = oversight.grant(request.user, person, request.POST.get("division_code", ""), request=request)
        except ServiceError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("%(name)s now reads the supervision of %(division)s.") % {
                "name": person.display_name, "division": made.region.name})
        return redirect("planning:oversight")
    return render(request, "planning/supervision/oversight.html", {"people": oversight.people(request.user)[:500]})


@require_POST
@manager
def oversight_remove(request, pk: int):
    if oversight.revoke(request.user, pk, request=request):
        messages.success(request, _("The role was taken away."))
    return redirect("planning:oversight")
