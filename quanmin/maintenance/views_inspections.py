"""Inspection pages: plans (list, new, one, edit, stop or start) and rounds (list with missed ones
visible, one round's checks) for division staff under /staff/maintenance/inspections/; the
inspector's phone pages under /inspect/ (my rounds, walking one round piece by piece).

Views parse, check permission, call inspections.py, render. Plans and rounds outside one's scope
answer 404; a round is walked by its inspector only (404 for anyone else).
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.accounts.models import Membership, User
from quanmin.core.errors import ServiceError
from quanmin.core.forms import DayField
from quanmin.facilities.models import Equipment, Facility
from quanmin.regions.models import Region

from . import checklists, errors, inspections, permissions
from .models import Check, InspectionKind, InspectionPlan, InspectionRound, WorkOrder

reader = role_required(permissions.can_read_inspections)
writer = role_required(permissions.can_write_inspections)
backoffice = role_required(scoping.is_backoffice)
signed_in = role_required(lambda u: True)

PAGE_SIZE = 30
PICKER_LIMIT = 300
R = InspectionRound.Status


def _render(request, template: str, context: dict, status: int = 200):
    context.setdefault("division_staff", scoping.is_division_staff(request.user))
    return render(request, template, context, status=status)


# --- the plan form ------------------------------------------------------------------------------------------

REGION_PICKER_LIMIT = 1500
LEVELS = ["city", "county", "township", "community"]


def _region_choices(user) -> list[tuple[str, str]]:
    """The divisions the user may plan for: down to communities when they are not too many (a
    county), else down to townships (a city); any code in scope is still accepted when posted."""
    if scoping.is_superuser(user):
        qs = Region.objects.all()
    else:
        prefixes = scoping.division_prefixes(user, write=True)
        if not prefixes:
            return []
        q = Q()
        for p in prefixes:
            q |= Q(code__within=p)
        qs = Region.objects.filter(q)
    if qs.count() > REGION_PICKER_LIMIT:
        qs = qs.exclude(level="community")
    return [(r.code, f"{'　' * LEVELS.index(r.level)}{r.name}") for r in qs.order_by("code")[:REGION_PICKER_LIMIT]]


def _inspector_choices(user) -> list[tuple[int, str]]:
    members = Membership.objects.filter(role__in=inspections.INSPECTOR_ROLES)
    if not scoping.is_superuser(user):
        q = Q(pk__in=[])
        for p in scoping.division_prefixes(user, write=True):
            q |= Q(region__code__within=p)
        members = members.filter(q)
    people = User.objects.filter(is_active=True, pk__in=members.values("user_id")).order_by("real_name", "id")
    return [(u.pk, f"{u.real_name or _('(no name)')} · {u.phone_masked}") for u in people[:PICKER_LIMIT]]


def _facility_choices(user):
    qs = (scoping.scoped(user, Facility.objects.select_related("site"), write=True)
          .filter(equipment__isnull=False).distinct().order_by("site__name", "id"))
    facilities = list(qs[:PICKER_LIMIT + 1])
    if len(facilities) > PICKER_LIMIT:
        return None
    return [(f.pk, f"{f.site.name} · {f}") for f in facilities]


class PlanForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("name"), max_length=120)
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=InspectionKind.choices, initial=InspectionKind.DAILY)
    # The service checks the division (and the user's scope): a code not listed may still be posted.
    region = forms.CharField(label=gettext_lazy("area"), max_length=12, widget=forms.Select)
    inspector = forms.TypedChoiceField(label=gettext_lazy("inspector"), coerce=int,
                                       help_text=gettext_lazy("An equipment inspector, or division staff, of the area."))
    every_days = forms.IntegerField(label=gettext_lazy("every (days)"), min_value=1, max_value=inspections.MAX_EVERY_DAYS,
                                    initial=1, help_text=gettext_lazy("1: every day; 7: weekly; 30: monthly."))
    days_to_complete = forms.IntegerField(
        label=gettext_lazy("days to complete a round"), min_value=1, max_value=inspections.MAX_DAYS_TO_COMPLETE, initial=1,
        help_text=gettext_lazy("A round not finished this many days after its date is missed."))
    starts_on = DayField(label=gettext_lazy("starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = DayField(label=gettext_lazy("ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                       help_text=gettext_lazy("Empty: no end. A special inspection usually has one."))
    focus = forms.CharField(label=gettext_lazy("focus"), max_length=200, required=False,
                            help_text=gettext_lazy("For a special inspection: what to look for (flood damage, a recall)."))
    facilities = forms.TypedMultipleChoiceField(
        label=gettext_lazy("facilities"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every piece of equipment in the area."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].widget.choices = _region_choices(user)
        self.fields["inspector"].choices = [("", "—"), *_inspector_choices(user)]
        facilities = _facility_choices(user)
        if facilities is None:
            del self.fields["facilities"]
        else:
            self.fields["facilities"].choices = facilities


def _plan_data(form: PlanForm) -> dict:
    data = dict(form.cleaned_data)
    data["ends_on"] = data.get("ends_on")
    if "facilities" not in form.fields:
        data.pop("facilities", None)
    return data


def _form_error(form, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


# --- plans --------------------------------------------------------------------------------------------------

@reader
def plans(request):
    qs = inspections.plans_for(request.user)
    kind = request.GET.get("kind", "")
    if kind in InspectionKind.values:
        qs = qs.filter(kind=kind)
    show = request.GET.get("show", "")
    if show != "all":
        qs = qs.filter(active=True)
    since = timezone.localdate() - datetime.timedelta(days=30)
    qs = qs.annotate(
        missed_30=Count("rounds", filter=Q(rounds__status=R.MISSED, rounds__scheduled_for__gte=since)),
        done_30=Count("rounds", filter=Q(rounds__status=R.DONE, rounds__scheduled_for__gte=since)),
    ).order_by("region_id", "kind", "name")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "maintenance/inspections/plans.html", {
        "page": page, "kinds": InspectionKind.choices, "kind": kind, "show": show,
        "can_write": permissions.can_write_inspections(request.user)})


@writer
def plan_new(request):
    form = PlanForm(request.POST or None, user=request.user,
                    initial={"starts_on": timezone.localdate(), "kind": request.GET.get("kind") or "daily"})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                plan = inspections.create_plan(actor=request.user, data=_plan_data(form), request=request)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Inspection plan created; its rounds are scheduled."))
            return redirect("maintenance:inspection_plan", plan_id=plan.pk)
    return _render(request, "maintenance/inspections/plan_form.html", {"form": form, "plan": None},
                   status=400 if request.method == "POST" else 200)


def _plan_or_404(request, plan_id, write=False) -> InspectionPlan:
    return scoping.get_scoped_or_404(request.user, inspections.plans_for(request.user), write, pk=plan_id)


@reader
def plan(request, plan_id):
    p = _plan_or_404(request, plan_id)
    rounds = Paginator(p.rounds.order_by("-scheduled_for", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    by_status = dict(p.rounds.order_by().values_list("status").annotate(n=Count("pk")))
    counts = [(value, label, by_status.get(value, 0)) for value, label in R.choices]
    return _render(request, "maintenance/inspections/plan.html", {
        "plan": p, "rounds": rounds, "counts": counts, "facilities": p.facilities.select_related("site"),
        "pieces": inspections.plan_pieces(p).count(), "can_change": permissions.can_change_plan(request.user, p),
        "today": timezone.localdate()})


@writer
def plan_edit(request, plan_id):
    p = _plan_or_404(request, plan_id, write=True)
    initial = {k: getattr(p, k) for k in ("name", "kind", "every_days", "days_to_complete", "starts_on", "ends_on",
                                          "focus")}
    initial.update(region=p.region_id, inspector=p.inspector_id,
                   facilities=list(p.facilities.values_list("pk", flat=True)))
    form = PlanForm(request.POST or None, user=request.user, initial=initial)
    # The plan's own inspector stays choosable even if outside the picker's first page.
    if p.inspector_id not in dict(form.fields["inspector"].choices):
        form.fields["inspector"].choices.append((p.inspector_id, p.inspector.display_name))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                inspections.update_plan(p, _plan_data(form), actor=request.user, request=request)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Inspection plan saved."))
            return redirect("maintenance:inspection_plan", plan_id=p.pk)
    return _render(request, "maintenance/inspections/plan_form.html", {"form": form, "plan": p},
                   status=400 if request.method == "POST" else 200)


@require_POST
@writer
def plan_active(request, plan_id):
    p = _plan_or_404(request, plan_id, write=True)
    active = request.POST.get("active") == "1"
    try:
        with transaction.atomic():
            inspections.set_plan_active(p, active, actor=request.user, request=request)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The plan runs again.") if active else _("The plan is stopped."))
    return redirect("maintenance:inspection_plan", plan_id=p.pk)


# --- rounds -------------------------------------------------------------------------------------------------

def _date_param(request, key):
    value = (request.GET.get(key) or "").strip()
    if not value:
        return None, None
    try:
        return datetime.date.fromisoformat(value), None
    except ValueError:
        return None, _("Use a date like 2026-05-01.")


@reader
def rounds(request):
    qs = inspections.rounds_for(request.user)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    error = None
    if status and status not in R.values:
        error, status = _("Choose one of the listed values."), ""
    if kind in InspectionKind.values:
        qs = qs.filter(kind=kind)
    date_from, err_from = _date_param(request, "from")
    date_to, err_to = _date_param(request, "to")
    error = error or err_from or err_to
    if date_from:
        qs = qs.filter(scheduled_for__gte=date_from)
    if date_to:
        qs = qs.filter(scheduled_for__lte=date_to)
    today = timezone.localdate()
    if not (date_from or date_to):
        qs = qs.filter(scheduled_for__lte=today + datetime.timedelta(days=inspections.AHEAD_DAYS))
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    if status:
        qs = qs.filter(status=status)
    qs = qs.annotate(checked=Count("checks"), defects=Count("checks", filter=Q(checks__result=Check.Result.DEFECT)))
    page = Paginator(qs.order_by("-scheduled_for", "plan__name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status_links = []
    for value, label in [("", _("All")), *R.choices]:
        q = query.copy()
        q["status"] = value
        status_links.append({"value": value, "label": label, "query": q.urlencode(),
                             "count": sum(counts.values()) if not value else counts.get(value, 0)})
    if error:
        messages.error(request, error)
    return _render(request, "maintenance/inspections/rounds.html", {
        "page": page, "status": status, "kind": kind, "kinds": InspectionKind.choices, "status_links": status_links,
        "query": query.urlencode(), "date_from": date_from, "date_to": date_to, "today": today},
        status=400 if error else 200)


def _round_or_404(request, round_id) -> InspectionRound:
    try:
        return inspections.rounds_for(request.user).get(pk=int(round_id))
    except (InspectionRound.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@signed_in
def round_detail(request, round_id):
    """One round for staff of its area (and its inspector): each piece's check, defects and their orders."""
    r = _round_or_404(request, round_id)
    checks = {c.equipment_id: c for c in r.checks.select_related("checked_by")}
    orders = {o.inspection_check_id: o for o in WorkOrder.objects.filter(inspection_check__round=r)}
    pieces = list(inspections.round_pieces(r)) if r.status in inspections.OPEN_ROUND_STATUSES else list(
        Equipment.objects.filter(checks__round=r).select_related("facility", "site").order_by("site__name", "id"))
    rows = []
    for piece in pieces:
        check = checks.get(piece.pk)
        rows.append({"piece": piece, "check": check, "order": orders.get(check.pk) if check else None,
                     "items": [checklists.ITEMS[c].label for c in (check.failed_items if check else [])
                               if c in checklists.ITEMS]})
    return _render(request, "maintenance/inspections/round.html", {
        "round": r, "rows": rows, "progress": inspections.progress(r),
        "is_inspector": permissions.can_walk(request.user, r)})


# --- the inspector's phone pages -----------------------------------------------------------------------------

@backoffice
def my_rounds(request):
    today = timezone.localdate()
    mine = InspectionRound.objects.filter(inspector=request.user).select_related("plan", "region")
    return _render(request, "maintenance/inspections/my_rounds.html", {
        "now_rounds": [(r, inspections.progress(r)) for r in inspections.my_rounds(request.user, today)[:50]],
        "coming": mine.filter(status=R.SCHEDULED, scheduled_for__gt=today).order_by("scheduled_for", "id")[:10],
        "recent": mine.filter(status__in=[R.DONE, R.MISSED], scheduled_for__gte=today - datetime.timedelta(days=14))
        .order_by("-scheduled_for", "id")[:20],
        "today": today})


def _walk_round_or_404(request, round_id) -> InspectionRound:
    try:
        r = InspectionRound.objects.select_related("plan", "region").get(pk=int(round_id))
    except (InspectionRound.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not permissions.can_walk(request.user, r):
        raise Http404
    return r


def _cards(r: InspectionRound, error: dict | None = None) -> tuple[list[dict], int | None]:
    """A card per piece of the round, in walking order; and the first piece still to check."""
    checks = {c.equipment_id: c for c in r.checks.all()}
    orders = {o.inspection_check_id: o for o in WorkOrder.objects.filter(inspection_check__round=r)}
    cards, next_piece = [], None
    for piece in inspections.round_pieces(r):
        check = checks.get(piece.pk)
        if check is None and next_piece is None:
            next_piece = piece.pk
        cards.append({"piece": piece, "check": check, "locked": check is not None and (
            check.result == Check.Result.DEFECT or check.pk in orders),
            "order": orders.get(check.pk) if check is not None else None,
            "items": checklists.for_kind(piece.kind),
            "error": error if error and error.get("piece") == piece.pk else None})
    return cards, next_piece


def _walk_context(r: InspectionRound, error: dict | None = None) -> dict:
    cards, next_piece = _cards(r, error)
    # Still to check first (a card with an error stays there), the checked ones folded away below.
    todo = [c for c in cards if c["check"] is None or c["error"]]
    done = [c for c in cards if c["check"] is not None and not c["error"]]
    return {"round": r, "cards": cards, "todo": todo, "done": done, "progress": inspections.progress(r),
            "next_piece": next_piece,
            "open": r.status in inspections.OPEN_ROUND_STATUSES and r.scheduled_for <= timezone.localdate(),
            "severities": WorkOrder.Severity.choices, "error": error}


def _walk(request, r: InspectionRound, error: dict | None = None, status: int = 200):
    return _render(request, "maintenance/inspections/walk.html", _walk_context(r, error), status=status)


def _saved_card(request, r: InspectionRound, piece_id: int | None, error: dict | None = None):
    """The answer to a save made in place (htmx): the piece's card as it now stands, and the round's
    progress swapped in beside it. An error comes back with the card, status 200, so that it shows."""
    context = _walk_context(r, error)
    card = next((c for c in context["cards"] if c["piece"].pk == piece_id), None)
    if card is None:
        return HttpResponse(status=204)
    html = render_to_string("maintenance/inspections/_walk_card.html", {**context, "c": card}, request=request)
    html += render_to_string("maintenance/inspections/_walk_progress.html", {**context, "oob": True}, request=request)
    return HttpResponse(html)


@signed_in
def walk(request, round_id):
    return _walk(request, _walk_round_or_404(request, round_id))


@require_POST
@signed_in
def walk_check(request, round_id):
    """Record one piece of the round (a form per piece on the walk page)."""
    r = _walk_round_or_404(request, round_id)
    try:
        piece_id = int(request.POST.get("equipment", ""))
    except ValueError:
        piece_id = None
    try:
        if piece_id is None:
            raise errors.InspectionError("equipment_invalid", _("Choose a piece of this round."), "equipment")
        with transaction.atomic():
            check = inspections.record_check(
                r, equipment=piece_id, result=request.POST.get("result", ""), actor=request.user,
                failed_items=request.POST.getlist("failed_items"), note=request.POST.get("note", ""),
                photo=request.FILES.get("photo"), lon=request.POST.get("lon"), lat=request.POST.get("lat"),
                severity=request.POST.get("severity") or None, request=request)
    except ServiceError as exc:
        r.refresh_from_db()
        error = {"piece": piece_id, "message": str(exc.message), "code": exc.code}
        if request.headers.get("HX-Request"):
            return _saved_card(request, r, piece_id, error)
        return _walk(request, r, error=error, status=exc.status if exc.status in (400, 409, 413) else 400)
    if request.headers.get("HX-Request"):
        r.refresh_from_db()
        if r.status == R.DONE:
            messages.success(request, _("Round finished. Thank you."))
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("maintenance:my_rounds")
            return response
        return _saved_card(request, r, piece_id)
    order = WorkOrder.objects.filter(inspection_check=check).first()
    if order is not None:
        messages.warning(request, _("Defect recorded: work order %(number)s opened.") % {"number": order.number})
    else:
        messages.success(request, _("Recorded: OK."))
    r.refresh_from_db()
    if r.status == R.DONE:
        messages.success(request, _("Round finished. Thank you."))
        return redirect("maintenance:my_rounds")
    return redirect(reverse("maintenance:inspection_walk", args=[r.pk]) + "#next")
