"""Staff pages of the plans register: the list, a plan's dashboard (every target live with its
history, status and forecast; the counties ranked; the task board), a target's drill-down with
figures entered by hand, the Excel export, and creating a plan from scratch or from a template."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core import excel
from quanmin.core.forms import DayField
from quanmin.core.uploads import file_response
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import exports, permissions, selectors
from .errors import PlanningError
from .models import Phase, Plan, Target, TargetFigure
from .services import authoring
from .services import figures as figure_services

reader = role_required(permissions.can_read)
creator = role_required(permissions.can_create)


def plan_or_404(user, key: str) -> Plan:
    plan = Plan.objects.filter(key=key).first()
    if plan is None or not permissions.can_read_plan(user, plan):
        raise Http404
    return plan


@reader
def plan_list(request):
    plans = selectors.visible_plans(request.user).prefetch_related(None)
    return render(request, "planning/plans.html", {
        "plans": plans, "can_create": permissions.can_create(request.user),
    })


@reader
def plan_dashboard(request, key: str):
    plan = plan_or_404(request.user, key)
    live = request.GET.get("live") == "1"
    sort = "priority" if request.GET.get("tasks") == "priority" else "order"
    found = selectors.dashboard(plan, timezone.localdate(), live=live)
    return render(request, "planning/dashboard.html", {
        **found, "live": live, "task_sort": sort, "phases": selectors.phase_strip(plan, timezone.localdate()),
        "board": selectors.task_board(plan, timezone.localdate(), sort=sort),
        "can_manage": permissions.can_manage(request.user, plan),
    })


class FigureForm(forms.Form):
    division_code = forms.CharField(label=gettext_lazy("Division"), max_length=12, required=False)
    as_of = DayField(label=gettext_lazy("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.CharField(label=gettext_lazy("Value"), max_length=30)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)
    evidence = forms.FileField(label=gettext_lazy("Evidence"), required=False)


def _target(request, key: str, pk: int) -> Target:
    plan = plan_or_404(request.user, key)
    return get_object_or_404(Target.objects.select_related("plan"), plan=plan, pk=pk)


@reader
def target_detail(request, key: str, pk: int):
    target = _target(request, key, pk)
    plan = target.plan
    today = timezone.localdate()
    found = selectors.dashboard(plan, today)
    row = next(r for r in found["rows"] if r.target.pk == target.pk)
    figures = sorted(_visible_figures(request.user, target), key=lambda f: (f.as_of, f.entered_at), reverse=True)
    names = dict(Region.objects.filter(code__in={f.division_code for f in figures}).values_list("code", "name"))
    for f in figures:
        f.division_name = names.get(f.division_code, plan.division_name if f.division_code == plan.division_code else "")
    return render(request, "planning/target.html", {
        "plan": plan, "target": target, "row": row, "figures": figures,
        "form": FigureForm(initial={"as_of": today, "division_code": plan.division_code}),
        "can_enter": not row.source == "indicator" and scoping.is_division_staff(request.user, write=True),
        "can_manage": permissions.can_manage(request.user, plan), "today": today,
        "indicator_choices": authoring.indicator_choices(target),
    })


def _visible_figures(user, target: Target):
    """The target's figures this reader may see: those of a division they read, all for the plan's owners."""
    figures = TargetFigure.objects.filter(target=target).select_related("entered_by", "decided_by")
    if permissions.can_manage(user, target.plan):
        return list(figures)
    return [f for f in figures if scoping.can_read_region(user, f.division_code)]


@reader
def figure_evidence(request, key: str, pk: int, figure_pk: int):
    """A hand-entered figure's evidence file, for whoever may see the figure on the target's page (404 otherwise)."""
    target = _target(request, key, pk)
    figure = next((f for f in _visible_figures(request.user, target) if f.pk == figure_pk), None)
    if figure is None:
        raise Http404
    return file_response(figure.evidence, cache="private, no-store")


@require_POST
@reader
def figure_add(request, key: str, pk: int):
    target = _target(request, key, pk)
    form = FigureForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        data = form.cleaned_data
        try:
            figure_services.enter(request.user, target, division_code=data["division_code"], as_of=data["as_of"],
                                  value=data["value"], note=data["note"], evidence=data["evidence"])
        except PlanningError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Figure entered; it counts once someone else approves it."))
    return redirect("planning:target", key=key, pk=pk)


@require_POST
@reader
def target_core(request, key: str, pk: int):
    """Mark a target as a core indicator of economic and social development, or take the mark off."""
    target = _target(request, key, pk)
    return mark_and_say(request, lambda: authoring.mark_core_indicator(
        request.user, target, request.POST.get("core") == "on", request=request).core_indicator,
        _("Marked as a core indicator of economic and social development."),
        _("No longer marked as a core indicator."), "planning:target", key=key, pk=pk)


def act_and_say(request, call, success: str, *redirect_to, **kwargs):
    """Call the service; the message says it was done (`success`) or why not; back to the page."""
    try:
        call()
    except PlanningError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return redirect(*redirect_to, **kwargs)


def remove_and_say(request, remove, removed: str, done: tuple, back: tuple):
    """Remove through the service: on to `done` saying so, or back to the thing's page (`back`)
    told what still refers to it."""
    try:
        remove()
    except PlanningError as exc:
        messages.error(request, str(exc.message))
        return redirect(*back)
    messages.success(request, removed)
    return redirect(*done)


def mark_and_say(request, mark, marked: str, unmarked: str, *redirect_to, **kwargs):
    """Set or clear a mark through `mark()` (which answers the mark as it now stands), say what was
    done or why not, and go back to the page."""
    try:
        now = mark()
    except PlanningError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, marked if now else unmarked)
    return redirect(*redirect_to, **kwargs)


@require_POST
@reader
def figure_decide(request, key: str, pk: int, figure_pk: int):
    target = _target(request, key, pk)
    figure = get_object_or_404(TargetFigure, target=target, pk=figure_pk)
    try:
        figure_services.decide(request.user, figure, approve=request.POST.get("decision") == "approve",
                               note=request.POST.get("note", ""))
    except PlanningError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Decision saved."))
    return redirect("planning:target", key=key, pk=pk)


@reader
def plan_export(request, key: str):
    plan = plan_or_404(request.user, key)
    return excel.xlsx_response(f"plan-{plan.key}-{timezone.localdate():%Y%m%d}.xlsx",
                               exports.plan_sheets(plan, timezone.localdate()))


class PlanForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    division_code = forms.CharField(label=gettext_lazy("Division"), max_length=12)
    issuer = forms.CharField(label=gettext_lazy("Issued by"), max_length=100, required=False)
    document_number = forms.CharField(label=gettext_lazy("Document number"), max_length=60, required=False)
    starts_on = DayField(label=gettext_lazy("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = DayField(label=gettext_lazy("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    template = forms.CharField(label=gettext_lazy("Template"), max_length=40, required=False)


@creator
def plan_new(request):
    templates = selectors.visible_plans(request.user)
    divisions = list(scoping.top_regions(request.user, write=True))
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            template = templates.filter(key=data.pop("template")).first() if data.get("template") else None
            try:
                plan = authoring.create_plan(request.user, data, template=template)
            except PlanningError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                messages.success(request, _("Plan created."))
                return redirect("planning:plan", key=plan.key)
    else:
        today = timezone.localdate()
        form = PlanForm(initial={"division_code": divisions[0].code if divisions else "",
                                 "starts_on": datetime.date(today.year, 1, 1),
                                 "ends_on": datetime.date(today.year + 2, 12, 31),
                                 "template": request.GET.get("template", "")})
    return render(request, "planning/plan_new.html", {"form": form, "templates": templates, "divisions": divisions})


class PlanEditForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    issuer = forms.CharField(label=gettext_lazy("Issued by"), max_length=100, required=False)
    document_number = forms.CharField(label=gettext_lazy("Document number"), max_length=60, required=False)
    issued_on = DayField(label=gettext_lazy("Issued on"), required=False,
                         widget=forms.DateInput(attrs={"type": "date"}))
    starts_on = DayField(label=gettext_lazy("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = DayField(label=gettext_lazy("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))


@reader
def plan_edit(request, key: str):
    """The plan's owners change its title, issuer, document number and period."""
    plan = plan_or_404(request.user, key)
    if not permissions.can_manage(request.user, plan):
        raise PermissionDenied
    if request.method == "POST":
        form = PlanEditForm(request.POST)
        if form.is_valid():
            try:
                authoring.update_plan(request.user, plan, form.cleaned_data, request=request)
            except PlanningError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                messages.success(request, _("Plan saved."))
                return redirect("planning:plan", key=plan.key)
    else:
        form = PlanEditForm(initial={name: getattr(plan, name) for name in PlanEditForm.base_fields})
    phases = [(phase, PhaseForm(initial={name: getattr(phase, name) for name in PhaseForm.base_fields},
                                 auto_id=False))
              for phase in plan.phases.all()]
    return render(request, "planning/plan_edit.html", {"plan": plan, "form": form, "phases": phases,
                                                       "phase_form": PhaseForm(auto_id=False)})


@require_POST
@reader
def target_indicator(request, key: str, pk: int):
    """Bind a target to an indicator of the registry, or unbind it (figures are then entered by hand)."""
    target = _target(request, key, pk)
    try:
        authoring.bind_indicator(request.user, target, request.POST.get("indicator", ""), request=request)
    except PlanningError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Indicator bound.") if target.indicator else _("Indicator unbound: enter figures."))
    return redirect("planning:target", key=key, pk=pk)


def owned_plan_or_403(user, key: str) -> Plan:
    """A plan the user reads (404 otherwise) and owns (403 otherwise): the authoring pages'."""
    plan = plan_or_404(user, key)
    if not permissions.can_manage(user, plan):
        raise PermissionDenied
    return plan


class TargetForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    quote = forms.CharField(label=gettext_lazy("As the plan writes it"), max_length=200)
    key = forms.CharField(label=gettext_lazy("Key"), max_length=20, required=False,
                          help_text=gettext_lazy("Left empty, one is made (T01, T02…)."))
    comparator = forms.ChoiceField(label=gettext_lazy("Comparator"), choices=Target.Comparator.choices)
    value = forms.CharField(label=gettext_lazy("Value"), max_length=30, required=False,
                            help_text=gettext_lazy("Empty for “achieved” and “higher than last year”."))
    unit = forms.ChoiceField(label=gettext_lazy("Unit of measure"), choices=Target._meta.get_field("unit").choices)
    unit_text = forms.CharField(label=gettext_lazy("Unit as written"), max_length=40, required=False)
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False)
    deadline = DayField(label=gettext_lazy("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                        help_text=gettext_lazy("Left empty, the year's last day."))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Target.Kind.choices)
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=Target.Level.choices)
    each = forms.BooleanField(label=gettext_lazy("Every division at the level must meet it"), required=False)
    subject = forms.CharField(label=gettext_lazy("Applies to"), max_length=120, required=False)
    indicator = forms.ChoiceField(label=gettext_lazy("Indicator"), required=False,
                                  help_text=gettext_lazy("Its values then come from the registers; none: figures "
                                                         "are entered by hand."))
    order = forms.IntegerField(label=gettext_lazy("Order"), required=False, min_value=1, max_value=999)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("None: figures entered by hand"))] + [
            (found.key, f"{found.label}（{found.unit_label}）") for found in authoring.fitting_indicators(plan)]


def saved_form(request, form, save, success: str):
    """The posted form saved through `save(cleaned_data)` (a service call answering the object), or
    None with the service's refusal put on its field (the form shows it)."""
    if not form.is_valid():
        return None
    try:
        found = save(dict(form.cleaned_data))
    except PlanningError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        return None
    messages.success(request, success)
    return found


def _target_form_page(request, plan: Plan, target: Target | None):
    if request.method == "POST":
        form = TargetForm(request.POST, plan=plan)
        saved = saved_form(request, form, lambda data: authoring.add_target(request.user, plan, data, request=request)
                           if target is None else authoring.update_target(request.user, target, data, request=request),
                           _("Target saved."))
        if saved is not None:
            return redirect("planning:target", key=plan.key, pk=saved.pk)
    elif target is None:
        form = TargetForm(plan=plan, initial={"year": plan.ends_on.year, "level": codes.level(plan.division_code)})
    else:
        initial = {name: getattr(target, name) for name in TargetForm.base_fields}
        if target.value is not None:
            initial["value"] = format(target.value.normalize(), "f")
        form = TargetForm(plan=plan, initial=initial)
    return render(request, "planning/target_form.html", {"plan": plan, "target": target, "form": form})


@reader
def target_new(request, key: str):
    """The plan's owners add a target."""
    return _target_form_page(request, owned_plan_or_403(request.user, key), None)


@reader
def target_edit(request, key: str, pk: int):
    """The plan's owners change a target."""
    plan = owned_plan_or_403(request.user, key)
    return _target_form_page(request, plan, get_object_or_404(Target, plan=plan, pk=pk))


@require_POST
@reader
def target_remove(request, key: str, pk: int):
    """The plan's owners remove a target nothing refers to; else they are told what does."""
    plan = owned_plan_or_403(request.user, key)
    target = get_object_or_404(Target, plan=plan, pk=pk)
    return remove_and_say(request, lambda: authoring.remove_target(request.user, target, request=request),
                          _("Target removed."), ("planning:plan", key), ("planning:target", key, pk))


class PhaseForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=60)
    starts_on = DayField(label=gettext_lazy("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = DayField(label=gettext_lazy("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    quote = forms.CharField(label=gettext_lazy("As the plan writes it"), max_length=200, required=False)


def _phase_write(request, key: str, write, success: str):
    """Post a phase form through `write(plan, data)`; back to the plan's edit page, saying what was
    done or why not."""
    plan = owned_plan_or_403(request.user, key)
    form = PhaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        try:
            write(plan, form.cleaned_data)
        except PlanningError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, success)
    return redirect("planning:plan_edit", key=key)


@require_POST
@reader
def phase_add(request, key: str):
    return _phase_write(request, key, lambda plan, data: authoring.add_phase(request.user, plan, data, request=request),
                        _("Phase added."))


@require_POST
@reader
def phase_edit(request, key: str, pk: int):
    return _phase_write(request, key, lambda plan, data: authoring.update_phase(
        request.user, get_object_or_404(Phase, plan=plan, pk=pk), data, request=request), _("Phase saved."))


@require_POST
@reader
def phase_remove(request, key: str, pk: int):
    plan = owned_plan_or_403(request.user, key)
    authoring.remove_phase(request.user, get_object_or_404(Phase, plan=plan, pk=pk), request=request)
    messages.success(request, _("Phase removed."))
    return redirect("planning:plan_edit", key=key)
