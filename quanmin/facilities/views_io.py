"""Staff pages: import the register from Excel or CSV (dry run, then apply) and export it.

An uploaded file waits for its "apply" in a private directory under an unguessable token that
is only valid in the uploader's session, and is checked against its SHA-256 before use: what is
applied is exactly the file whose dry run the user saw.
"""

import hashlib
import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import io_export, io_import, permissions, survey, types
from .errors import FacilityError

SESSION_KEY = "facility_imports"
KEEP_SECONDS = 6 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{40,64}$")
SHOWN_ROWS = 500  # rows of the report shown per table; the counts cover all


def _upload_dir() -> Path:
    # Several app machines need a shared directory here (QUANMIN_IMPORT_DIR); one machine uses /tmp.
    path = Path(getattr(settings, "QUANMIN_IMPORT_DIR", "") or Path(tempfile.gettempdir()) / "quanmin-imports")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _sweep(directory: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for old in directory.glob("*.upload"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass


def _keep(request, data: bytes, name: str) -> str:
    directory = _upload_dir()
    _sweep(directory)
    token = secrets.token_urlsafe(32)
    (directory / f"{token}.upload").write_bytes(data)
    stash = {k: v for k, v in request.session.get(SESSION_KEY, {}).items() if v["at"] > time.time() - KEEP_SECONDS}
    stash[token] = {"name": name[:200], "sha": hashlib.sha256(data).hexdigest(), "at": time.time()}
    request.session[SESSION_KEY] = stash
    return token


def _take(request, token: str) -> tuple[bytes, str] | None:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or not TOKEN.match(token):
        return None
    try:
        data = (_upload_dir() / f"{token}.upload").read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != entry["sha"]:
        return None
    return data, entry["name"]


def _forget(request, token: str) -> None:
    stash = request.session.get(SESSION_KEY, {})
    if stash.pop(token, None) is not None:
        request.session[SESSION_KEY] = stash
    if TOKEN.match(token):
        (_upload_dir() / f"{token}.upload").unlink(missing_ok=True)


def _context(request, **extra) -> dict:
    return {"type_choices": types.choices(), "query": request.GET.urlencode(), "params": request.GET,
            "max_mb": io_import.MAX_BYTES // (1024 * 1024), "shown": SHOWN_ROWS, **extra}


def _run(request, data: bytes, name: str, dry_run: bool):
    rows = io_import.read_workbook(data)
    return io_import.import_rows(rows, request.user, dry_run=dry_run, request=request)


@role_required(permissions.can_write)
def import_page(request):
    if request.method != "POST":
        return render(request, "facilities/io/import.html", _context(request))
    upload = request.FILES.get("file")
    dry_run = request.POST.get("mode") != "apply"
    try:
        if upload is None:
            raise FacilityError("file_required", _("Choose a file to upload."), "file")
        if upload.size > io_import.MAX_BYTES:
            raise io_import.too_big()
        data = upload.read()
        report = _run(request, data, upload.name, dry_run)
    except FacilityError as exc:
        return render(request, "facilities/io/import.html", _context(request, error=exc.message), status=400)
    token = _keep(request, data, upload.name) if dry_run and report.ok and report.changed else ""
    if report.applied:
        messages.success(request, _("The file was applied."))
    return render(request, "facilities/io/import.html",
                  _context(request, report=report, token=token, filename=upload.name))


@require_POST
@role_required(permissions.can_write)
def import_apply(request):
    token = request.POST.get("token", "")
    kept = _take(request, token)
    if kept is None:
        messages.error(request, _("The uploaded file has expired: upload it again."))
        return redirect("facilities:import")
    data, name = kept
    try:
        report = _run(request, data, name, dry_run=False)
    except FacilityError as exc:
        return render(request, "facilities/io/import.html", _context(request, error=exc.message), status=400)
    if report.applied:
        _forget(request, token)
        messages.success(request, _("The file was applied."))
    return render(request, "facilities/io/import.html", _context(request, report=report, filename=name),
                  status=200 if report.applied else 400)


@role_required(permissions.can_write)
def import_template(request):
    return io_export.template_response()


def _survey_region(request) -> Region:
    raw = str(request.GET.get("region", "") or "").strip()
    if not raw:
        region = scoping.top_regions(request.user).order_by("code").first()
    else:
        try:
            region = Region.objects.filter(code=codes.normalise(raw)).first()
        except ValueError:
            region = None
    if region is None or not scoping.can_read_region(request.user, region.code):
        raise Http404
    return region


@role_required(permissions.can_read)
def export(request):
    """?format=xlsx|csv|geojson: the staff member's scope, narrowed by the register list's filters;
    ?format=survey: the annual statistics survey table of one division (?region=, else the top of the scope)."""
    fmt = request.GET.get("format", "xlsx")
    if fmt == "survey":
        return survey.xlsx_response(_survey_region(request))
    if fmt == "geojson":
        return io_export.geojson_for(request.user, request.GET)
    qs = io_export.staff_facilities(request.user, request.GET)
    if fmt == "xlsx":
        return io_export.xlsx_response(qs)
    if fmt == "csv":
        return io_export.csv_response(qs)
    raise Http404
