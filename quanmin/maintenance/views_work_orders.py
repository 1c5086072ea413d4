"""Work-order pages under /staff/maintenance/: the list with its filters, counts and Excel export, one
order with its timeline, photos and the actions the person's role and the order's state allow, new
orders, maintenance units and their staff, pieces past their design life, and the phone page of a
maintenance unit's staff ("my orders").

Division staff change their divisions' orders, supervisors read, a unit's staff work on the orders
assigned to their unit. Views parse, check permission, call services, render; anything outside one's
scope answers 404. Photos are served here, after the same check, never from /media/.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import audit, scoping
from quanmin.accounts.decorators import role_required
from quanmin.core import photos
from quanmin.core.errors import ServiceError
from quanmin.core.excel import xlsx_response
from quanmin.core.uploads import file_response
from quanmin.facilities.models import Equipment, Facility
from quanmin.feedback import views as feedback_views
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import errors, permissions, selectors, services
from . import units as unit_services
from .forms import (
    AssignForm,
    CancelForm,
    CompleteForm,
    EmptyForm,
    PhotoForm,
    ReplacementForm,
    ReportWorkOrderForm,
    UnitForm,
    UnitStaffForm,
    VerifyForm,
    WorkOrderForm,
)
from .models import Check, MaintenanceUnit, WorkOrder, WorkOrderPhoto

reader = role_required(permissions.can_read)
writer = role_required(lambda u: scoping.is_division_staff(u, write=True))
signed_in = role_required(lambda u: True)
division_reader = role_required(scoping.is_division_staff)

PAGE_SIZE = 30
EXPORT_LIMIT = 50_000
FACILITY_PICKER_LIMIT = 300
EQUIPMENT_FACILITY_TYPES = ("fitness_path", "smart_station", "fitness_square", "fitness_trail", "community_gym")


def _render(request, template: str, context: dict, status: int = 200):
    context.setdefault("division_staff", scoping.is_division_staff(request.user))
    return render(request, template, context, status=status)


# Service fields that a form names otherwise (a service takes one image, the forms several photos).
FORM_FIELDS = {"image": "photos"}


def _form_error(form, exc: ServiceError) -> None:
    field = FORM_FIELDS.get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, str(exc.message))


def _errors_text(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _next_url(request) -> str | None:
    nxt = request.POST.get("next") or request.GET.get("next")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return nxt
    return None


# --- the list, counts and export ------------------------------------------------------------------------

def _filters_or_error(request):
    try:
        return selectors.Filters.parse(request.GET), None
    except ServiceError as exc:
        return selectors.Filters(), exc


@reader
def work_orders(request):
    f, error = _filters_or_error(request)
    if error:
        return _list_error(request, error)
    now = timezone.now()
    scoped = selectors.work_orders_for(request.user)
    counts = selectors.counts_by_status(selectors.filter_work_orders(scoped, f, now, with_status=False), now)
    page = Paginator(selectors.list_for(request.user, f, now), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status_links = []
    for value, label in [("", _("All")), ("open", _("Open (all stages)")), *WorkOrder.Status.choices]:
        q = query.copy()
        q["status"] = value
        status_links.append({"value": value, "label": label, "query": q.urlencode(),
                             "count": counts["total"] if not value else counts.get(value)})
    return _render(request, "maintenance/work_orders/list.html", {
        "page": page, "f": f, "counts": counts, "status_links": status_links, "query": query.urlencode(),
        "kinds": WorkOrder.Kind.choices, "severities": WorkOrder.Severity.choices,
        "sources": WorkOrder.Source.choices,
        "units": unit_services.units_for(request.user).filter(active=True).order_by("name")[:200],
        "can_write": scoping.is_division_staff(request.user, write=True),
        "division_staff": scoping.is_division_staff(request.user),
        "unit_staff": permissions.is_unit_staff(request.user), "now": now,
    })


def _list_error(request, error):
    messages.error(request, f"{error.message}")
    return _render(request, "maintenance/work_orders/list.html", {
        "page": Paginator(WorkOrder.objects.none(), PAGE_SIZE).get_page(1), "f": selectors.Filters(),
        "counts": {}, "status_links": [], "query": "", "kinds": WorkOrder.Kind.choices,
        "severities": WorkOrder.Severity.choices, "sources": WorkOrder.Source.choices, "units": [],
        "error": error, "division_staff": scoping.is_division_staff(request.user),
    }, status=400)


def _yes(value: bool) -> str:
    return _("yes") if value else ""


def _dt(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@reader
def export(request):
    f, error = _filters_or_error(request)
    if error:
        return _list_error(request, error)
    now = timezone.now()
    qs = selectors.list_for(request.user, f, now)[:EXPORT_LIMIT]
    headers = [_("Number"), _("Status"), _("Kind"), _("Severity"), _("Source"), _("Division"), _("Site"),
               _("Facility"), _("Equipment tag"), _("Equipment type"), _("Maintenance unit"), _("Created"),
               _("Deadline"), _("Done"), _("Verified"), _("Overdue"), _("Late"), _("Description"),
               _("What was done")]

    def rows():
        for o in qs.iterator(chunk_size=2000):
            yield [o.number, o.get_status_display(), o.get_kind_display(), o.get_severity_display(),
                   o.get_source_display(), o.region.name, o.site.name if o.site else "",
                   str(o.facility) if o.facility else "", o.equipment.tag if o.equipment else "",
                   o.equipment.kind_label if o.equipment else "", o.unit.name if o.unit else "",
                   _dt(o.created_at), _dt(o.due_at), _dt(o.done_at), _dt(o.verified_at),
                   _yes(o.is_overdue), _yes(services.is_late(o, now)), o.description, o.resolution]

    audit.record("work_order.export", request=request, detail={"filters": request.GET.urlencode()[:500]})
    return xlsx_response(f"work-orders-{timezone.localdate():%Y%m%d}.xlsx", [(_("Work orders"), headers, rows())])


# --- one order -----------------------------------------------------------------------------------------

def _detail(request, order: WorkOrder, forms: dict | None = None, status: int = 200):
    actions = permissions.allowed_actions(request.user, order)
    units = list(unit_services.units_serving(order.region_id)) if "assign" in actions else []
    photos = list(order.photos.all())
    context = {
        "order": order, "actions": actions,
        "events": order.events.select_related("actor").order_by("at", "id"),
        "before": [p for p in photos if p.stage == WorkOrderPhoto.Stage.BEFORE],
        "after": [p for p in photos if p.stage == WorkOrderPhoto.Stage.AFTER],
        "overdue": services.is_overdue(order), "late": services.is_late(order),
        "assign_form": AssignForm(units=units, initial={"unit": order.unit_id}),
        "start_form": EmptyForm(), "complete_form": CompleteForm(), "verify_form": VerifyForm(), "cancel_form": CancelForm(),
        "photo_form": PhotoForm(initial={"stage": WorkOrderPhoto.Stage.AFTER if order.status != WorkOrder.Status.OPEN
                                         else WorkOrderPhoto.Stage.BEFORE}),
        "can_manage": permissions.can_manage(request.user, order),
    }
    context.update(forms or {})
    return _render(request, "maintenance/work_orders/detail.html", context, status=status)


@reader
def work_order(request, order_id):
    return _detail(request, selectors.get_work_order_or_404(request.user, order_id))


def _act(request, order_id, action: str, form_class, run, success: str, manage: bool, form_kwargs=None):
    """One action on one order: 404 outside scope, 403 without the right, 400 with the form's errors
    (or, from the phone page, a message and back), else done and back."""
    order = selectors.get_work_order_or_404(request.user, order_id)
    if not (permissions.can_manage if manage else permissions.can_work)(request.user, order):
        raise PermissionDenied
    form = form_class(request.POST, request.FILES, **(form_kwargs(order) if form_kwargs else {}))
    if form.is_valid():
        try:
            with transaction.atomic():
                message = run(order, form.cleaned_data) or success
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, message)
            return redirect(_next_url(request) or reverse("maintenance:work_order", args=[order.pk]))
    nxt = _next_url(request)
    if nxt:
        messages.error(request, _errors_text(form))
        return redirect(nxt)
    order.refresh_from_db()
    if action not in permissions.allowed_actions(request.user, order):
        # The page shows no form for this action now (a second press, a state moved on): the
        # errors would be lost with the form, so they go to the top of the page.
        messages.error(request, _errors_text(form))
    return _detail(request, order, {f"{action}_form": form}, status=400)


def _add_photos(order, files, stage, request):
    # Every photo is checked before any is kept: a bad one in a batch leaves no stray file behind
    # (the rows roll back with the transaction, files written to storage would not).
    for image in files:
        photos.check(image)
    for image in files:
        services.add_photo(order, image, stage, actor=request.user, request=request)


@require_POST
@reader
def assign(request, order_id):
    def run(order, data):
        unit = unit_services.units_serving(order.region_id).filter(pk=data["unit"]).first()
        if unit is None:
            raise errors.MaintenanceError("unit_not_serving", _("That maintenance unit does not serve this division."),
                                            "unit")
        services.assign(order, unit, actor=request.user, request=request)
        return _("Assigned to %(unit)s.") % {"unit": unit.name}

    return _act(request, order_id, "assign", AssignForm, run, "", manage=True,
                form_kwargs=lambda o: {"units": unit_services.units_serving(o.region_id)})


@require_POST
@reader
def start(request, order_id):
    def run(order, data):
        services.start(order, actor=request.user, request=request)

    return _act(request, order_id, "start", EmptyForm, run, _("Work started."), manage=False)


@require_POST
@reader
def complete(request, order_id):
    def run(order, data):
        _add_photos(order, data["photos"], WorkOrderPhoto.Stage.AFTER, request)
        services.complete(order, actor=request.user, resolution=data["resolution"], request=request)

    return _act(request, order_id, "complete", CompleteForm, run, _("Marked done: the division checks the work next."),
                manage=False)


@require_POST
@reader
def verify(request, order_id):
    def run(order, data):
        accepted = data["decision"] == "accept"
        services.verify(order, actor=request.user, accepted=accepted, note=data["note"], request=request)
        return _("Verified and closed.") if accepted else _("Refused: the order goes back to the unit.")

    return _act(request, order_id, "verify", VerifyForm, run, "", manage=True)


@require_POST
@reader
def cancel(request, order_id):
    def run(order, data):
        services.cancel(order, actor=request.user, reason=data["reason"], request=request)

    return _act(request, order_id, "cancel", CancelForm, run, _("Work order cancelled."), manage=True)


@require_POST
@reader
def upload_photos(request, order_id):
    def run(order, data):
        _add_photos(order, data["photos"], data["stage"], request)
        return _("Photos added: %(n)s.") % {"n": len(data["photos"])}

    return _act(request, order_id, "photo", PhotoForm, run, "", manage=False)


@reader
def photo(request, photo_id):
    """A work order's photo, for whoever may see the order (not public: never served from /media/)."""
    item = scoping.get_scoped_or_404(request.user, WorkOrderPhoto.objects.all(), pk=photo_id)
    return file_response(item.image)


def check_visible(user, check_qs):
    """Inspection checks whose photos this user may see: division staff of the round's area, the
    inspector of the round or of the check, and the staff of the unit working on the check's order."""
    if scoping.scoped(user, check_qs).exists():
        return True
    return check_qs.filter(Q(checked_by=user) | Q(round__inspector=user)
                           | Q(work_order__unit_id__in=permissions.unit_ids(user))).exists()


@signed_in
def check_photo(request, check_id):
    """An inspection check's photo, after the same kind of check (the URL name is maintenance:check_photo)."""
    qs = Check.objects.filter(pk=check_id)
    if not check_visible(request.user, qs):
        raise Http404
    return file_response(qs.get().photo)


# --- new orders ---------------------------------------------------------------------------------------------

def _facility_choices(user):
    qs = scoping.scoped(user, Facility.objects.select_related("site"), write=True).filter(
        Q(type__in=EQUIPMENT_FACILITY_TYPES) | Q(equipment__isnull=False)).distinct().order_by("site__name", "id")
    facilities = list(qs[:FACILITY_PICKER_LIMIT + 1])
    return None if len(facilities) > FACILITY_PICKER_LIMIT else facilities


def _writable_units(user):
    return unit_services.units_for(user, write=True).filter(active=True).order_by("region_id", "name")[:200]


@writer
def work_order_new(request):
    initial = {k: request.GET[k] for k in ("tag", "facility", "kind", "severity") if request.GET.get(k)}
    form = WorkOrderForm(request.POST or None, request.FILES or None, initial=initial,
                         facilities=_facility_choices(request.user), units=_writable_units(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                order = _create(request, data)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Work order %(number)s opened.") % {"number": order.number})
            return redirect("maintenance:work_order", order_id=order.pk)
    return _render(request, "maintenance/work_orders/new.html", {"form": form}, status=400 if form.errors else 200)


def _create(request, data):
    piece = facility = None
    if data.get("tag"):
        piece = scoping.scoped(request.user, Equipment.objects.filter(tag__iexact=data["tag"].strip()),
                               write=True).first()
        if piece is None or not scoping.can_write_region(request.user, piece.region_id):
            raise errors.MaintenanceError("equipment_not_found",
                                            _("No piece with this tag in the divisions you look after."), "tag")
    elif data.get("facility"):
        facility = scoping.scoped(request.user, Facility.objects.filter(pk=data["facility"]), write=True).first()
        if facility is None or not scoping.can_write_region(request.user, facility.region_id):
            raise errors.MaintenanceError("facility_not_found",
                                            _("No such facility in the divisions you look after."), "facility")
    unit = None
    if data.get("unit"):
        unit = MaintenanceUnit.objects.filter(pk=data["unit"]).first()
        if unit is None:
            raise errors.MaintenanceError("unit_not_serving", _("That maintenance unit does not serve this division."),
                                            "unit")
    order = services.create_work_order(actor=request.user, description=data["description"], kind=data["kind"],
                                       severity=data["severity"], equipment=piece, facility=facility, unit=unit,
                                       request=request)
    _add_photos(order, data.get("photos") or [], WorkOrderPhoto.Stage.BEFORE, request)
    return order


# --- the phone page of a unit's staff -----------------------------------------------------------------

MY_STATUSES = (WorkOrder.Status.ASSIGNED, WorkOrder.Status.IN_PROGRESS, WorkOrder.Status.DONE)


@reader
def my_orders(request):
    """Orders to work on: a unit's staff see their unit's; division staff those under way in their
    divisions. Most pressing first; done ones wait for the division's check."""
    now = timezone.now()
    qs = selectors.with_overdue(selectors.work_orders_for(request.user).filter(status__in=MY_STATUSES), now)
    if permissions.is_unit_staff(request.user):
        qs = qs.filter(unit_id__in=permissions.unit_ids(request.user))
    qs = qs.prefetch_related("photos").order_by("-is_overdue", "status", "due_at", "id")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    for order in page:
        order.actions = permissions.allowed_actions(request.user, order)
    return _render(request, "maintenance/work_orders/my_orders.html", {
        "page": page, "complete_form": CompleteForm(), "now": now,
        "units": MaintenanceUnit.objects.filter(pk__in=permissions.unit_ids(request.user)),
    })


# --- maintenance units --------------------------------------------------------------------------------------

def writable_regions(user, limit: int = 400):
    """Divisions the user may change, down to townships, for the unit form's picker."""
    out = []
    for top in scoping.top_regions(user, write=True).order_by("code")[:20]:
        out.append(top)
        if top.level in ("city", "county") or top.level not in ("township", "community"):
            out += list(Region.objects.filter(code__within=top.prefix, level__in=["county", "township"])
                        .exclude(code=top.code).order_by("code")[:limit])
    return out[:limit]


@reader
def units(request):
    qs = unit_services.units_with_open_counts(unit_services.units_for(request.user)).order_by("-active", "region_id", "name")
    show = request.GET.get("show", "")
    if show != "all":
        qs = qs.filter(active=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "maintenance/units/list.html", {
        "page": page, "show": show, "can_write": scoping.is_division_staff(request.user, write=True)})


@writer
def unit_new(request):
    regions = writable_regions(request.user)
    form = UnitForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            unit = unit_services.create_unit(actor=request.user, request=request, **form.cleaned_data)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Maintenance unit created: now add its staff."))
            return redirect("maintenance:unit", unit_id=unit.pk)
    return _render(request, "maintenance/units/form.html", {"form": form, "unit": None},
                  status=400 if form.errors else 200)


def _unit_or_404(request, unit_id, write=False) -> MaintenanceUnit:
    return scoping.get_scoped_or_404(request.user, MaintenanceUnit.objects.select_related("region"), write,
                                     pk=unit_id)


def _unit_page(request, unit, form=None, staff_form=None, status=200):
    can_write = scoping.can_write_region(request.user, unit.region_id)
    if form is None and can_write:
        form = UnitForm(regions=writable_regions(request.user),
                        initial={"name": unit.name, "region": unit.region_id, "contact": unit.contact,
                                 "phone": unit.phone})
    if can_write and unit.phone:
        audit.read_personal(request, unit, ["phone"], purpose="maintenance unit contact")
    now = timezone.now()
    open_orders = selectors.with_overdue(unit.work_orders.filter(status__in=services.OPEN_STATUSES)
                                         .select_related("region", "equipment", "site"), now).order_by("due_at")
    return _render(request, "maintenance/units/detail.html", {
        "unit": unit, "form": form, "staff_form": staff_form or UnitStaffForm(), "can_write": can_write,
        "staff": unit_services.unit_staff(unit), "open_orders": open_orders[:100],
        "open_count": open_orders.count(),
    }, status=status)


@reader
def unit(request, unit_id):
    obj = _unit_or_404(request, unit_id)
    if request.method == "POST":
        if not scoping.can_write_region(request.user, obj.region_id):
            raise PermissionDenied
        form = UnitForm(request.POST, regions=writable_regions(request.user))
        if form.is_valid():
            try:
                unit_services.update_unit(obj, form.cleaned_data, actor=request.user, request=request)
            except ServiceError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("maintenance:unit", unit_id=obj.pk)
        return _unit_page(request, obj, form=form, status=400)
    return _unit_page(request, obj)


@require_POST
@writer
def unit_active(request, unit_id):
    obj = _unit_or_404(request, unit_id, write=True)
    want = request.POST.get("active") == "1"
    try:
        if want:
            unit_services.update_unit(obj, {"active": True}, actor=request.user, request=request)
            messages.success(request, _("The unit is active again."))
        else:
            unit_services.deactivate_unit(obj, actor=request.user, request=request)
            messages.success(request, _("The unit gets no new work orders."))
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    return redirect("maintenance:unit", unit_id=obj.pk)


@require_POST
@writer
def unit_staff_add(request, unit_id):
    obj = _unit_or_404(request, unit_id, write=True)
    form = UnitStaffForm(request.POST)
    if form.is_valid():
        try:
            person = unit_services.find_user_by_phone(form.cleaned_data["phone"])
            unit_services.add_unit_staff(obj, person, actor=request.user, request=request)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("%(name)s now works for the unit.") % {"name": person.display_name})
            return redirect("maintenance:unit", unit_id=obj.pk)
    if not obj.active:  # the page has no staff form for an inactive unit: say it at the top
        messages.error(request, _errors_text(form))
    return _unit_page(request, obj, staff_form=form, status=400)


@require_POST
@writer
def unit_staff_remove(request, unit_id):
    obj = _unit_or_404(request, unit_id, write=True)
    try:
        user_id = int(request.POST.get("user", ""))
    except ValueError:
        user_id = 0
    try:
        removed = unit_services.remove_unit_staff(obj, user_id, actor=request.user, request=request)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        if removed:
            messages.success(request, _("Removed from the unit."))
        else:
            messages.error(request, _("That person does not work for the unit."))
    return redirect("maintenance:unit", unit_id=obj.pk)


# --- pieces past their design life ---------------------------------------------------------------------

@division_reader
def replacements(request):
    today = timezone.localdate()
    qs = selectors.due_for_replacement(request.user, today)
    region = request.GET.get("region", "").strip()
    if codes.is_prefix(region):
        qs = qs.filter(region__code__within=codes.prefix(codes.normalise(region)))
    if request.GET.get("without_order") == "1":
        qs = qs.filter(open_replace=False)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _render(request, "maintenance/work_orders/replacements.html", {
        "page": page, "today": today, "query": query.urlencode(),
        "can_write": scoping.is_division_staff(request.user, write=True),
        "form": ReplacementForm(units=_writable_units(request.user)),
    })


@require_POST
@writer
def replacements_open(request):
    form = ReplacementForm(request.POST, units=_writable_units(request.user))
    ids = []
    for raw in request.POST.getlist("pieces"):
        try:
            ids.append(int(raw))
        except ValueError:
            continue
    back = _next_url(request) or reverse("maintenance:replacements")
    if not form.is_valid():
        messages.error(request, _errors_text(form))
        return redirect(back)
    pieces = list(selectors.due_for_replacement(request.user).filter(pk__in=ids[:1000])) if ids else []
    pieces = [p for p in pieces if scoping.can_write_region(request.user, p.region_id)]
    if not pieces:
        messages.error(request, _("Choose at least one piece past its design life."))
        return redirect(back)
    unit_obj = None
    if form.cleaned_data["unit"]:
        unit_obj = MaintenanceUnit.objects.filter(pk=form.cleaned_data["unit"]).first()
    try:
        result = services.open_replacement_orders(pieces, actor=request.user, unit=unit_obj,
                                                  severity=form.cleaned_data["severity"], request=request)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Replacement orders opened: %(created)s; already open or removed: %(skipped)s.")
                         % {"created": len(result["created"]), "skipped": len(result["skipped"])})
    return redirect(back)


# --- residents' reports -------------------------------------------------------------------------------------------

@writer
@require_POST
def report_work_order(request, pk: int):
    """Send a resident's report for repair, from the report's staff page (feedback's): a refused
    request shows that page again with the form's errors."""
    report = feedback_views.staff_report_or_404(request, pk, write=True)
    serving = unit_services.units_serving(report.region_id)
    form = ReportWorkOrderForm(request.POST, units=serving)
    if not form.is_valid():
        return feedback_views.detail(request, report, forms={"work_order": form}, status=400)
    cd = form.cleaned_data
    unit = serving.filter(pk=cd["unit"]).first() if cd["unit"] else None
    try:
        order = services.open_for_report(report, actor=request.user, severity=cd["severity"], kind=cd["kind"],
                                         unit=unit, description=cd["description"], request=request)
    except ServiceError as exc:
        report.refresh_from_db()
        return feedback_views.detail(request, report, forms={"work_order": form}, error=exc, status=exc.status)
    messages.success(request, _("Work order %(number)s opened.") % {"number": order.number})
    return redirect("feedback:staff_report", pk=report.pk)
