"""Staff pages of the equipment register (under /staff/equipment/): list, detail, create, edit,
status, Excel import and export (the printable QR tags are feedback's). Every query goes through the scoping helper."""

import hashlib
import secrets
import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core.api import MAX_ID
from quanmin.core.forms import DayField
from quanmin.core.qr import qr_svg

from . import equipment_io, equipment_services, equipment_types, permissions, views_io
from .errors import EquipmentError
from .models import Equipment, Facility

reader = role_required(permissions.can_read)
writer = role_required(permissions.can_write)
PER_PAGE = 50
SESSION_KEY = "equipment_imports"


# ---------------------------------------------------------------- forms


class EquipmentForm(forms.Form):
    facility = forms.IntegerField(label=_lazy("Facility (system ID)"), min_value=1, max_value=MAX_ID,
                                  widget=forms.NumberInput(attrs={"list": "facility-options"}),
                                  help_text=_lazy("The facility the piece stands on: pick from the list or type its ID."))
    kind = forms.ChoiceField(label=_lazy("Equipment type"), choices=())
    maker = forms.CharField(label=_lazy("Maker"), required=False, max_length=120)
    model = forms.CharField(label=_lazy("Model"), required=False, max_length=80)
    serial = forms.CharField(label=_lazy("Serial number"), required=False, max_length=60)
    install_date = DayField(label=_lazy("Install date"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    design_life_years = forms.IntegerField(
        label=_lazy("Design life (years)"), required=False, min_value=equipment_services.MIN_LIFE, max_value=equipment_services.MAX_LIFE,
        help_text=_lazy("Leave empty for the type's figure (8 years for outdoor equipment, after GB 19272)."))
    smart = forms.BooleanField(label=_lazy("Smart equipment"), required=False)
    external_id = forms.CharField(label=_lazy("Register number"), required=False, max_length=40)
    note = forms.CharField(label=_lazy("Note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = equipment_types.choices()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_lazy("New status"), choices=Equipment.Status.choices)
    reason = forms.CharField(label=_lazy("Reason"), required=False, max_length=200)


# ---------------------------------------------------------------- helpers


def _pieces(user, write=False):
    return scoping.scoped(user, Equipment.objects.select_related("facility", "site", "region"), write)


def _get_piece(request, pk, write=False) -> Equipment:
    return scoping.get_scoped_or_404(request.user, Equipment.objects.select_related("facility", "site", "region"),
                                     write=write, pk=pk)


def public_url(request, tag: str) -> str:
    """The address a tag's QR code holds: the public report page of the piece."""
    path = equipment_services.public_report_path(tag)
    base = getattr(settings, "QUANMIN_PUBLIC_URL", "")
    return base.rstrip("/") + path if base else request.build_absolute_uri(path)


def _facility_options(user):
    qs = scoping.scoped(user, Facility.objects.select_related("site"), write=True).order_by("site__name", "id")
    return qs[:300]


def _writable_facility(request, pk) -> Facility:
    facility = scoping.scoped(request.user, Facility.objects.select_related("site"), write=True).filter(pk=pk).first()
    if facility is None:
        raise EquipmentError("facility_unknown", _("Unknown facility, or outside the divisions you may change."),
                             "facility")
    return facility


def _form_error(form, exc: EquipmentError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


# ---------------------------------------------------------------- the register


@reader
def equipment_list(request):
    qs = equipment_io.filtered(request.user, request.GET).select_related("facility", "site", "region")
    page = Paginator(qs.order_by("region_id", "site__name", "facility_id", "id"), PER_PAGE).get_page(
        request.GET.get("page"))
    facility = None
    if str(request.GET.get("facility", "")).isdigit() and len(request.GET["facility"]) < 16:
        facility = scoping.scoped(request.user, Facility.objects.select_related("site")).filter(
            pk=request.GET["facility"]).first()
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "facilities/equipment/list.html", {
        "page": page, "kinds": equipment_types.choices(), "statuses": Equipment.Status.choices,
        "can_write": permissions.can_write(request.user), "query": query.urlencode(),
        "facility": facility, "today": timezone.localdate(),
    })


@writer
def equipment_new(request):
    initial = {}
    if str(request.GET.get("facility", "")).isdigit():
        initial["facility"] = request.GET["facility"][:15]
    form = EquipmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            data["facility"] = _writable_facility(request, data["facility"])
            piece = equipment_services.create_equipment(actor=request.user, request=request, **data)
        except EquipmentError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("facilities:equipment", pk=piece.pk)
    return render(request, "facilities/equipment/form.html",
                  {"form": form, "piece": None, "facility_options": _facility_options(request.user)},
                  status=400 if form.errors else 200)


@reader
def equipment_detail(request, pk):
    piece = _get_piece(request, pk)
    can_write = permissions.can_change_equipment(request.user, piece) and piece.status != Equipment.Status.REMOVED
    orders = piece.work_orders.order_by("-id")[:10] if hasattr(piece, "work_orders") else []
    checks = piece.checks.select_related("round").order_by("-id")[:10] if hasattr(piece, "checks") else []
    return render(request, "facilities/equipment/detail.html", {
        "piece": piece, "can_write": can_write, "status_form": StatusForm(initial={"status": piece.status}),
        "qr": qr_svg(public_url(request, piece.tag), label=piece.tag), "public_url": public_url(request, piece.tag),
        "orders": orders, "checks": checks, "today": timezone.localdate(),
        "past_life": bool(piece.replace_due and piece.replace_due <= timezone.localdate()),
    })


@writer
def equipment_edit(request, pk):
    piece = _get_piece(request, pk, write=True)
    if piece.status == Equipment.Status.REMOVED:
        messages.error(request, _("This piece has been removed from the register."))
        return redirect("facilities:equipment", pk=piece.pk)
    initial = {name: getattr(piece, name) for name in equipment_services.FIELDS if name != "facility"}
    initial["facility"] = piece.facility_id
    form = EquipmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data["design_life_years"] is None:
            data["design_life_years"] = equipment_types.TYPES[data["kind"]].design_life_years
        try:
            if data["facility"] != piece.facility_id:
                data["facility"] = _writable_facility(request, data["facility"])
            else:
                data["facility"] = piece.facility
            equipment_services.update_equipment(piece, data, actor=request.user, request=request)
        except EquipmentError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("facilities:equipment", pk=piece.pk)
    return render(request, "facilities/equipment/form.html",
                  {"form": form, "piece": piece, "facility_options": _facility_options(request.user)},
                  status=400 if form.errors else 200)


@writer
@require_POST
def equipment_status(request, pk):
    piece = _get_piece(request, pk, write=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        # A bad status, or a reason too long (or with a NUL): say which, in the reader's language.
        problem = _("Choose one of the listed values.") if "status" in form.errors else form.errors["reason"][0]
        messages.error(request, problem)
        return redirect("facilities:equipment", pk=piece.pk)
    try:
        equipment_services.set_status(piece, form.cleaned_data["status"], reason=form.cleaned_data["reason"],
                            actor=request.user, request=request)
    except EquipmentError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Status changed."))
    return redirect("facilities:equipment", pk=piece.pk)


# ---------------------------------------------------------------- Excel in and out


def _keep(request, data: bytes, name: str) -> str:
    directory = views_io._upload_dir()
    views_io._sweep(directory)
    token = secrets.token_urlsafe(32)
    (directory / f"{token}.upload").write_bytes(data)
    keep = views_io.KEEP_SECONDS
    stash = {k: v for k, v in request.session.get(SESSION_KEY, {}).items() if v["at"] > time.time() - keep}
    stash[token] = {"name": name[:200], "sha": hashlib.sha256(data).hexdigest(), "at": time.time()}
    request.session[SESSION_KEY] = stash
    return token


def _take(request, token: str):
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or not views_io.TOKEN.match(token):
        return None
    try:
        data = (views_io._upload_dir() / f"{token}.upload").read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != entry["sha"]:
        return None
    return data, entry["name"]


def _forget(request, token: str) -> None:
    stash = request.session.get(SESSION_KEY, {})
    if stash.pop(token, None) is not None:
        request.session[SESSION_KEY] = stash
    if views_io.TOKEN.match(token):
        (views_io._upload_dir() / f"{token}.upload").unlink(missing_ok=True)


def _io_context(request, **extra) -> dict:
    return {"max_mb": equipment_io.MAX_BYTES // (1024 * 1024), "shown": views_io.SHOWN_ROWS,
            "kinds": equipment_types.choices(), "statuses": Equipment.Status.choices, "params": request.GET, **extra}


def _run(request, data: bytes, dry_run: bool):
    rows = equipment_io.read_workbook(data)
    return equipment_io.import_rows(rows, request.user, dry_run=dry_run, request=request)


@writer
def import_page(request):
    if request.method != "POST":
        return render(request, "facilities/equipment/import.html", _io_context(request))
    upload = request.FILES.get("file")
    dry_run = request.POST.get("mode") != "apply"
    try:
        if upload is None:
            raise EquipmentError("file_required", _("Choose a file to upload."), "file")
        if upload.size > equipment_io.MAX_BYTES:
            raise equipment_io.too_big()
        data = upload.read()
        report = _run(request, data, dry_run)
    except EquipmentError as exc:
        return render(request, "facilities/equipment/import.html", _io_context(request, error=exc.message),
                      status=413 if exc.code == "file_too_large" else 400)
    token = _keep(request, data, upload.name) if dry_run and report.ok and report.changed else ""
    if report.applied:
        messages.success(request, _("The file was applied."))
    return render(request, "facilities/equipment/import.html",
                  _io_context(request, report=report, token=token, filename=upload.name),
                  status=200 if report.ok else 400)


@require_POST
@writer
def import_apply(request):
    token = request.POST.get("token", "")
    kept = _take(request, token)
    if kept is None:
        messages.error(request, _("The uploaded file has expired: upload it again."))
        return redirect("facilities:equipment_import")
    data, name = kept
    try:
        report = _run(request, data, dry_run=False)
    except EquipmentError as exc:
        return render(request, "facilities/equipment/import.html", _io_context(request, error=exc.message), status=400)
    if report.applied:
        _forget(request, token)
        messages.success(request, _("The file was applied."))
    return render(request, "facilities/equipment/import.html", _io_context(request, report=report, filename=name),
                  status=200 if report.applied else 400)


@writer
def import_template(request):
    return equipment_io.template_response()


@reader
def export(request):
    """The register list's filters, as .xlsx in the template's columns (re-importable)."""
    return equipment_io.xlsx_response(equipment_io.filtered(request.user, request.GET))
