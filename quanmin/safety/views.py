"""Staff pages of venue safety: the register of public venues with their gaps, a venue's record,
the checks (a checker records one on a phone at the venue), the hazards and their rectification,
the register in and out of Excel; and the operator's page of their venues' open hazards. Views
parse, check, call, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core import imports
from quanmin.core.errors import ServiceError
from quanmin.core.uploads import file_response
from quanmin.regions.selectors import with_children

from . import figures, io, permissions, selectors, services
from .errors import SafetyError
from .models import CheckKind, Hazard

reader = role_required(permissions.can_read)
writer = role_required(permissions.can_write)
backoffice = role_required(scoping.is_backoffice)
BLANK_HAZARD_ROWS = 3


def _page(request, qs, per=50):
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(qs, per).get_page(request.GET.get("page")), query.urlencode()


def _error_status(exc: ServiceError) -> int:
    return exc.status if exc.status in (400, 409, 413) else 400


@reader
def register(request):
    page, query = _page(request, selectors.venues_for(request.user, request.GET))
    today = timezone.localdate()
    rows = [(s, figures.gaps_of(selectors.record_of(s), today)) for s in page]
    return render(request, "safety/register.html", {
        "page": page, "rows": rows, "query": query, "params": request.GET, "gaps": figures.GAPS.items(),
        "regions": with_children(selectors.top_region(request.user)), "can_write": permissions.can_write(request.user)})


@require_http_methods(["GET", "POST"])
@reader
def venue(request, pk):
    site = selectors.venue_or_404(request.user, pk, write=request.method == "POST")
    record, status = selectors.record_of(site), 200
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in services.RECORD_FIELDS}
        try:
            services.save_record(request.user, site, data, request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = _error_status(exc)
        else:
            messages.success(request, _("Safety record saved."))
            return redirect("safety:venue", pk=site.pk)
    else:
        data = {k: getattr(record, k) if record else "" for k in services.RECORD_FIELDS}
    return render(request, "safety/venue.html", {
        "site": site, "record": record, "data": data, "gaps": figures.gaps_of(record, timezone.localdate()),
        "checks": selectors.checks_for(request.user, {"site": str(site.pk)})[:20],
        "can_write": permissions.can_write_region(request.user, site.region_id)}, status=status)


@reader
def checks(request):
    page, query = _page(request, selectors.checks_for(request.user, request.GET))
    return render(request, "safety/checks.html", {"page": page, "query": query})


def _hazard_rows(post) -> list[dict]:
    return [{"description": post.get(f"description_{i}", ""), "level": post.get(f"level_{i}", ""),
             "deadline": post.get(f"deadline_{i}", "")} for i in range(BLANK_HAZARD_ROWS)]


@require_http_methods(["GET", "POST"])
@writer
def check_new(request, pk):
    site = selectors.venue_or_404(request.user, pk, write=True)
    status = 200
    if request.method == "POST":
        try:
            check = services.record_check(request.user, site, {k: request.POST.get(k, "") for k in
                                                                ("kind", "checked_on", "note")},
                                          _hazard_rows(request.POST), request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = _error_status(exc)
        else:
            messages.success(request, _("Safety check recorded."))
            return redirect("safety:check", pk=check.pk)
    return render(request, "safety/check_new.html", {
        "site": site, "kinds": CheckKind.choices, "levels": Hazard.Level.choices, "data": request.POST,
        "rows": range(BLANK_HAZARD_ROWS), "today": timezone.localdate()}, status=status)


@require_http_methods(["GET", "POST"])
@backoffice
def check(request, pk):
    found = selectors.check_or_404(request.user, pk, write=request.method == "POST")
    status = 200
    if request.method == "POST":
        try:
            services.add_hazard(request.user, found, {k: request.POST.get(k, "") for k in
                                                      ("description", "level", "deadline")}, request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = _error_status(exc)
        else:
            messages.success(request, _("Hazard added."))
            return redirect("safety:check", pk=found.pk)
    return render(request, "safety/check.html", {
        "check": found, "hazards": found.hazards.all(), "levels": Hazard.Level.choices,
        "can_write": permissions.can_write_region(request.user, found.site.region_id),
        "can_rectify": permissions.can_rectify(request.user, found.site), "today": timezone.localdate()},
        status=status)


@reader
def hazards(request):
    page, query = _page(request, selectors.hazards_for(request.user, request.GET))
    return render(request, "safety/hazards.html", {
        "page": page, "query": query, "params": request.GET, "statuses": Hazard.Status.choices,
        "levels": Hazard.Level.choices, "today": timezone.localdate()})


@require_POST
@backoffice
def hazard_rectify(request, pk):
    hazard = selectors.hazard_or_404(request.user, pk, write=True)
    try:
        services.rectify(request.user, hazard, {"rectify_note": request.POST.get("note", "")},
                         photo=request.FILES.get("photo"), request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Reported rectified: the sports staff will confirm it."))
    if request.POST.get("back") == "mine":
        return redirect("safety:my_hazards")
    return redirect("safety:check", pk=hazard.safety_check_id)


@require_POST
@writer
def hazard_confirm(request, pk):
    hazard = selectors.hazard_or_404(request.user, pk, write=True)
    try:
        services.confirm(request.user, hazard, {"accepted": request.POST.get("accepted", ""),
                                                "note": request.POST.get("note", "")}, request=request)
    except SafetyError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("safety:check", pk=hazard.safety_check_id)


@backoffice
def hazard_photo(request, pk):
    """The photo the venue took when it reported the hazard rectified, for whoever may see the hazard."""
    hazard = selectors.hazard_or_404(request.user, pk)
    return file_response(hazard.photo)


@backoffice
def my_hazards(request):
    return render(request, "safety/my_hazards.html", {
        "hazards": selectors.open_hazards_of_my_venues(request.user)[:200], "today": timezone.localdate()})


@require_http_methods(["GET", "POST"])
@writer
def import_page(request):
    return imports.import_page(request, "safety/import.html", lambda file, dry_run: io.import_records(
        request.user, file, dry_run=dry_run, request=request), SafetyError)


@reader
def export(request):
    return io.xlsx_response(selectors.venues_for(request.user, request.GET))
