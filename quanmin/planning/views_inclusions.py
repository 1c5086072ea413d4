"""The four inclusions' pages (四纳入, D11): the yearly overview of a division's children with the
year's supervision visits (一督查) and its Excel export, each division's page where its own staff
record the year's inclusions and the level above confirms or returns them, and the Excel import.
Who does what: permissions.py; every write: services/inclusions.py."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core import imports
from quanmin.core.forms import DayField
from quanmin.core.uploads import file_response
from quanmin.regions.models import Region

from . import io_inclusions, permissions, selectors_inclusions
from .errors import PlanningError
from .models import Inclusion
from .services import inclusions

reader = role_required(permissions.can_read)
importer = role_required(permissions.can_import_inclusions)


def _year(value) -> int:
    """The year asked for (this year when none or not one the register keeps)."""
    try:
        return inclusions.check_year(value)
    except PlanningError:
        return timezone.localdate().year


def _board(request) -> dict:
    """The overview of the division asked for (by default the top of the user's scope; 404 outside it)."""
    code = (request.GET.get("region") or "").strip()
    region = Region.objects.filter(code=code).first() if code.isdigit() else scoping.top_region(request.user)
    if region is None or not permissions.can_read_inclusions(request.user, region.code):
        raise Http404
    return selectors_inclusions.overview(region, _year(request.GET.get("year")))


@reader
def overview(request):
    return render(request, "planning/inclusions/overview.html", {
        "board": _board(request), "this_year": timezone.localdate().year, "first_year": inclusions.FIRST_YEAR,
        "can_import": permissions.can_import_inclusions(request.user)})


@reader
def overview_export(request):
    return io_inclusions.xlsx_response(_board(request))


class RecordForm(forms.Form):
    kind = forms.ChoiceField(choices=Inclusion.Kind.choices)
    included = forms.TypedChoiceField(label=gettext_lazy("Included"), coerce=lambda v: v == "yes",
                                      choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))])
    document = forms.CharField(label=gettext_lazy("Document or meeting"), max_length=200, required=False)
    dated = DayField(label=gettext_lazy("Date"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=4000, required=False)


def _division(user, code: str, year: int) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None or not permissions.can_read_inclusions(user, region.code):
        raise Http404
    try:
        inclusions.check_year(year)
    except PlanningError:
        raise Http404 from None
    return region


@require_http_methods(["GET", "POST"])
@reader
def division(request, code: str, year: int):
    """A division's four inclusions of the year; its own staff record one (POST), the level above
    confirms or returns them (decide)."""
    region = _division(request.user, code, year)
    can_record = permissions.can_record_inclusion(request.user, region.code)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        form = RecordForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        else:
            try:
                inclusions.record(request.user, region.code, year, evidence=request.FILES.get("evidence"),
                                  request=request, **form.cleaned_data)
            except PlanningError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Saved: it awaits confirmation by the level above."))
        return redirect("planning:inclusion_division", code=region.code, year=year)
    found = selectors_inclusions.records(region.code, year)
    cards = [{"kind": kind, "record": found.get(kind.value), "state": selectors_inclusions.state(found.get(kind.value))}
             for kind in selectors_inclusions.KINDS]
    return render(request, "planning/inclusions/division.html", {
        "region": region, "year": year, "cards": cards, "can_record": can_record,
        "can_confirm": permissions.can_confirm_inclusion(request.user, region.code),
        "parent": region.parent if region.parent_id and permissions.can_read_inclusions(
            request.user, region.parent_id) else None,
        "states": selectors_inclusions.STATES,
    })


def _record(user, pk: int) -> Inclusion:
    found = get_object_or_404(Inclusion, pk=pk)
    if not permissions.can_read_inclusions(user, found.division_code):
        raise Http404
    return found


@require_POST
@reader
def decide(request, pk: int):
    record = _record(request.user, pk)
    if not permissions.can_confirm_inclusion(request.user, record.division_code):
        raise PermissionDenied
    confirm = request.POST.get("decision") == "confirm"
    try:
        inclusions.decide(request.user, record, confirm=confirm, reason=request.POST.get("reason", ""),
                          request=request)
    except PlanningError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Confirmed.") if confirm else _("Returned to the division."))
    return redirect("planning:inclusion_division", code=record.division_code, year=record.year)


@reader
def evidence(request, pk: int):
    record = _record(request.user, pk)
    return file_response(record.evidence, cache="private, no-store")


@require_http_methods(["GET", "POST"])
@importer
def import_page(request):
    return imports.import_page(request, "planning/inclusions/import.html", lambda file, dry_run: (
        io_inclusions.import_inclusions(request.user, file, dry_run=dry_run, request=request)), PlanningError)
