"""Residents' report pages (phone first) and the staff queue.

Residents: the page a QR tag opens (/r/e/<tag>/), the same for a site, a map to pick a place, the
report's own page by its secret link (status, timeline, answer, rating), and "my reports" when signed
in. Every one of them shows the hotline. Photos are checked one by one: a bad one is refused with a
clear message and the report is kept without it.

Staff: the queue of their divisions' reports (scoped; anything outside answers 404), one report with
its timeline and the answers its state allows, the phone read in full only on request (logged), and
the division's hotline and deadlines. Views parse, check, call services, render.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError
from quanmin.core.uploads import file_response
from quanmin.facilities import basemap
from quanmin.regions.models import Region

from . import permissions, routing, selectors, services
from .forms import AnswerForm, NoteForm, RatingForm, ReportForm, SettingsForm
from .models import FeedbackSettings, Report, ReportPhoto

S = Report.Status
PAGE_SIZE = 30

reader = role_required(permissions.is_handler)
writer = role_required(lambda u: permissions.is_handler(u, write=True))
settings_writer = role_required(lambda u: scoping.is_division_staff(u, write=True))


# --- shared -------------------------------------------------------------------------------------

def _from_map(lat: float, lon: float) -> tuple[float, float]:
    """A point picked on the map back to WGS-84 (lat, lon)."""
    lon, lat = basemap.from_map(lon, lat)
    return lat, lon


def _photo_messages(request, errors: list[dict]) -> None:
    for e in errors:
        messages.error(request, _("Photo %(name)s was not added: %(reason)s")
                       % {"name": e["name"] or "—", "reason": e["message"]})


# --- residents: reporting ------------------------------------------------------------------------

def _report_page(request, *, equipment=None, site=None, picking=False):
    region_code = (equipment.region_id if equipment else site.region_id if site else None)
    initial = {"category": Report.Category.EQUIPMENT if equipment else None, "client_key": secrets.token_urlsafe(16)}
    form = ReportForm(request.POST or None, initial=initial)
    error, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            cd = form.cleaned_data
            lat = lon = None
            chosen = site
            if picking:
                if cd.get("site"):
                    chosen = services.reportable_sites().filter(pk=cd["site"]).first()
                if chosen is None and cd.get("lat") is not None and cd.get("lon") is not None:
                    lat, lon = _from_map(cd["lat"], cd["lon"])
            try:
                report = services.submit_report(
                    category=cd["category"], description=cd["description"], phone=cd["phone"],
                    equipment=equipment, site=chosen, lat=lat, lon=lon, reporter=request.user, request=request,
                    client_key=cd["client_key"])
            except ServiceError as exc:
                error, status = exc, exc.status
                if exc.field in form.fields:
                    form.add_error(exc.field, str(exc.message))
            else:
                if not getattr(report, "retried", False):  # a resend: its photos came the first time
                    _photo_messages(request, services.add_photos(report, request.FILES.getlist("photos"),
                                                                 request=request))
                messages.success(request, _("Thank you: your report %(number)s has been received.")
                                 % {"number": report.number})
                return redirect("feedback:report", token=report.token)
        else:
            status = 400
    return render(request, "feedback/resident/report_form.html", {
        "form": form, "equipment": equipment, "site": site, "picking": picking, "error": error,
        "hotline": routing.hotline_for(region_code or _default_region()), "map": basemap.settings_for_page(),
        "rules": routing.rules_for(region_code or _default_region() or ""),
        "max_photos": services.PHOTOS_PER_REPORT}, status=status)


def _default_region() -> str | None:
    top = Region.objects.filter(parent__isnull=True).order_by("code").values_list("code", flat=True).first()
    return top


def report_equipment(request, tag: str):
    """What a resident's phone opens when it scans the QR tag on a piece of equipment."""
    try:
        piece = services.equipment_by_tag(tag)
    except ServiceError:
        return render(request, "feedback/resident/unknown_tag.html",
                      {"tag": tag[:16], "hotline": routing.hotline_for(_default_region())}, status=404)
    return _report_page(request, equipment=piece)


def report_site(request, site_pk: int):
    site = get_object_or_404(services.reportable_sites(), pk=site_pk)
    return _report_page(request, site=site)


def report_map(request):
    """Pick the place on the map (a site's marker or a point near it), then describe."""
    return _report_page(request, picking=True)


# --- residents: following -------------------------------------------------------------------------

def _by_token(token: str) -> Report:
    try:
        return services.by_token(token)
    except ServiceError:
        raise Http404 from None


def report_page(request, token: str):
    report = _by_token(token)
    events = report.events.filter(public=True).order_by("at", "id")
    return render(request, "feedback/resident/report.html", {
        "report": report, "events": events, "photos": report.photos.all(),
        "rating_form": RatingForm(), "can_rate": report.rating is None and report.status in (S.RESOLVED, S.REJECTED),
        "can_add_photos": report.status in services.OPEN_STATUSES
        and report.photos.count() < services.PHOTOS_PER_REPORT,
        "overdue": routing.is_overdue(report), "hotline": routing.hotline_for(report.region_id),
        "handled_by": routing.handled_by(report),
        "link": request.build_absolute_uri(reverse("feedback:report", args=[report.token]))})


@require_POST
def report_rate(request, token: str):
    report = _by_token(token)
    try:
        services.rate(report, rating=request.POST.get("rating"), comment=request.POST.get("comment", ""),
                      request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("feedback:report", token=report.token)


@require_POST
def report_photos_add(request, token: str):
    report = _by_token(token)
    files = request.FILES.getlist("photos")
    if not files:
        messages.error(request, _("Choose a photo."))
    else:
        errors = services.add_photos(report, files, request=request)
        _photo_messages(request, errors)
        if len(errors) < len(files):
            messages.success(request, _("Photos added."))
    return redirect("feedback:report", token=report.token)


def report_photo(request, token: str, photo_id: int):
    """A report's photo, for whoever holds the report's link."""
    report = _by_token(token)
    photo = get_object_or_404(ReportPhoto, pk=photo_id, report=report)
    return file_response(photo.image)


@login_required
def my_reports(request):
    reports = Report.objects.filter(reporter=request.user).select_related("equipment", "site")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/resident/mine.html", {
        "page": page, "hotline": routing.hotline_for(request.user.home_region_id or _default_region())})


# --- staff: the queue ----------------------------------------------------------------------------

FILTERS = selectors.TABS


@reader
def reports(request):
    now = timezone.now()
    which = request.GET.get("show", "open")
    which = which if which in FILTERS else "open"
    qs = selectors.queue(request.user, which, now).select_related("region", "handler_region", "equipment", "site")
    q = request.GET.get("q", "").strip()[:40]
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(description__icontains=q) | Q(site__name__icontains=q))
    category = request.GET.get("category", "")
    if category in Report.Category.values:
        qs = qs.filter(category=category)
    page = Paginator(qs.order_by("resolve_by", "pk") if which != "resolved" else qs, PAGE_SIZE) \
        .get_page(request.GET.get("page"))
    for r in page.object_list:
        r.overdue = routing.is_overdue(r, now)
    counts = {key: selectors.queue(request.user, key, now).count() for key in ("open", "overdue", "escalated")}
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "feedback/staff/list.html", {
        "page": page, "show": which, "counts": counts, "q": q, "category": category,
        "categories": Report.Category.choices, "query": query.urlencode(),
        "can_settings": scoping.is_division_staff(request.user, write=True)})


def staff_report_or_404(request, pk: int, write: bool = False) -> Report:
    """The report in the user's scope (write: one they may change), 404 otherwise."""
    return scoping.get_scoped_or_404(
        request.user, Report.objects.select_related("region", "handler_region", "equipment", "site", "work_order",
                                                    "reporter"), write=write, pk=pk)


def detail(request, report: Report, *, phone: str = "", forms: dict | None = None, error=None, status=200):
    """The staff page of one report. Its form to send the report for repair is drawn by maintenance's
    template tag (this app does not read maintenance units): `forms["work_order"]` is that form
    bound to a refused request, which maintenance's view hands back here."""
    forms = forms or {}
    return render(request, "feedback/staff/detail.html", {
        "report": report, "events": report.events.select_related("actor").order_by("at", "id"),
        "photos": report.photos.all(), "actions": permissions.allowed_actions(request.user, report),
        "can_handle": permissions.can_handle(request.user, report),
        "overdue": routing.is_overdue(report), "phone": phone, "error": error,
        "handled_by": routing.handled_by(report),
        "respond_form": forms.get("respond") or AnswerForm(),
        "resolve_form": forms.get("resolve") or AnswerForm(),
        "reject_form": forms.get("reject") or AnswerForm(),
        "note_form": forms.get("note") or NoteForm(),
        "work_order_form": forms.get("work_order"),
        "hotline": routing.hotline_for(report.region_id)}, status=status)


@reader
def staff_report(request, pk: int):
    return detail(request, staff_report_or_404(request, pk))


def _answer_action(request, pk: int, action: str):
    report = staff_report_or_404(request, pk, write=True)
    form = NoteForm(request.POST) if action == "note" else AnswerForm(request.POST)
    if not form.is_valid():
        return detail(request, report, forms={action: form}, status=400)
    text = form.cleaned_data["text"]
    try:
        if action == "respond":
            services.respond(report, actor=request.user, text=text, request=request)
        elif action == "resolve":
            services.resolve(report, actor=request.user, answer=text, request=request)
        elif action == "reject":
            services.reject(report, actor=request.user, reason=text, request=request)
        else:
            services.add_note(report, actor=request.user, text=text, public=form.cleaned_data["public"],
                              request=request)
    except ServiceError as exc:
        report.refresh_from_db()
        return detail(request, report, forms={action: form}, error=exc, status=exc.status)
    messages.success(request, _("Saved."))
    return redirect("feedback:staff_report", pk=report.pk)


@writer
@require_POST
def staff_respond(request, pk: int):
    return _answer_action(request, pk, "respond")


@writer
@require_POST
def staff_resolve(request, pk: int):
    return _answer_action(request, pk, "resolve")


@writer
@require_POST
def staff_reject(request, pk: int):
    return _answer_action(request, pk, "reject")


@writer
@require_POST
def staff_note(request, pk: int):
    return _answer_action(request, pk, "note")


@reader
@require_POST
def staff_phone(request, pk: int):
    """The whole phone number, to call the resident back; the read is logged."""
    report = staff_report_or_404(request, pk)
    if not permissions.can_handle(request.user, report):
        raise PermissionDenied
    return detail(request, report, phone=services.reveal_phone(report, request=request,
                                                                purpose=request.POST.get("purpose", "")[:100]))


@reader
def staff_photo(request, photo_id: int):
    photo = scoping.get_scoped_or_404(request.user, ReportPhoto.objects.select_related("report"), pk=photo_id)
    return file_response(photo.image)


# --- staff: settings --------------------------------------------------------------------------------

@settings_writer
def report_settings(request):
    """The hotline and deadlines of the divisions at the top of the user's scope."""
    regions = list(scoping.top_regions(request.user, write=True).order_by("code"))
    if not regions:
        raise PermissionDenied
    code = request.POST.get("region") or request.GET.get("region") or regions[0].code
    region = Region.objects.filter(pk=code).first()
    if region is None or not scoping.can_write_region(request.user, region.code):
        raise Http404
    rules = routing.rules_for(region.code)
    initial = {"hotline": rules.hotline, "response_working_days": rules.response_working_days,
               "resolution_working_days": rules.resolution_working_days}
    form = SettingsForm(request.POST or None, initial=initial)
    error, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_settings(region, actor=request.user, request=request, **form.cleaned_data)
            except ServiceError as exc:
                error, status = exc, exc.status
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{reverse('feedback:settings')}?region={region.code}")
        else:
            status = 400
    return render(request, "feedback/staff/settings.html", {
        "form": form, "region": region, "regions": regions, "error": error,
        "own": FeedbackSettings.objects.filter(region=region).exists()}, status=status)
