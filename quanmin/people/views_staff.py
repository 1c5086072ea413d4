"""Staff pages of the instructor register: the list with filters, a person's record with its
history and the actions the viewer may take (review, approve, reject, promote, status, reveal),
entering an application, Excel in and out, the city's entry thresholds, and logs to confirm.

Views parse, check the role, call the services and render; the services hold every rule.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import audit, scoping
from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import io_import, io_sheet, logs, permissions, selectors, services
from .forms import (
    ApplyForm,
    ApproveForm,
    ImportForm,
    PromoteForm,
    ReasonForm,
    RevealForm,
    RuleForm,
    StatusForm,
)
from .models import Grade, Instructor, Sport

reader = role_required(permissions.can_read)
writer = role_required(permissions.can_write)
confirmer = role_required(permissions.can_confirm_logs)
city = role_required(scoping.is_city_staff)


def _error(request, exc: ServiceError) -> None:
    messages.error(request, str(exc.message))


@reader
def instructor_list(request):
    qs = selectors.staff_instructors(request.user, request.GET)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "people/staff/list.html", {
        "page": page, "f": selectors.filters_from(request.GET), "query": query.urlencode(),
        "grades": Grade.choices, "statuses": Instructor.Status.choices, "sports": Sport.choices,
        "kinds": Instructor.Kind.choices, "can_write": permissions.can_write(request.user)})


@reader
def instructor_detail(request, pk: int):
    instructor = scoping.get_scoped_or_404(request.user, Instructor.objects.select_related("region"), pk=pk)
    user = request.user
    may_write = scoping.can_write_region(user, instructor.region_id)
    return render(request, "people/staff/detail.html", {
        "i": instructor, "history": instructor.history.select_related("by").order_by("-on", "-id"),
        "stations": instructor.stations.all(), "may_write": may_write,
        "associations": selectors.associations_of(instructor),
        "may_approve": services.can_approve(user, instructor.grade, instructor.region_id),
        "approve_form": ApproveForm(), "promote_form": PromoteForm(), "reason_form": ReasonForm(),
        "status_form": StatusForm(), "reveal_form": RevealForm(),
        "logs": instructor.logs.select_related("station").order_by("-started_at")[:20],
        "record": selectors.record_of(instructor),
        "revealed": request.session.pop(f"people-reveal-{pk}", None)})


ACTIONS = {"review", "approve", "reject", "promote", "status", "reveal"}


@writer
@require_POST
def instructor_action(request, pk: int, action: str):
    instructor = scoping.get_scoped_or_404(request.user, Instructor.objects.all(), write=True, pk=pk)
    if action not in ACTIONS:
        return redirect("people:staff_detail", pk=pk)
    user, post = request.user, request.POST
    try:
        if action == "review":
            services.review(instructor, by=user, request=request)
        elif action in ("approve", "promote"):
            form = (ApproveForm if action == "approve" else PromoteForm)(post)
            if not form.is_valid():
                raise ServiceError("invalid", _("Some fields are not valid."))
            data = form.cleaned_data
            if action == "approve":
                services.approve(instructor, by=user, certificate_no=data["certificate_no"],
                                 approved_on=data["approved_on"], request=request)
            else:
                services.promote(instructor, grade=data["grade"], by=user, certificate_no=data["certificate_no"],
                                 approved_on=data["approved_on"], request=request)
        elif action == "reject":
            services.reject(instructor, by=user, reason=post.get("reason", ""), request=request)
        elif action == "status":
            services.set_status(instructor, post.get("status", ""), by=user, reason=post.get("reason", ""),
                                request=request)
        else:
            found = services.reveal(instructor, by=user, purpose=post.get("purpose", ""), request=request)
            request.session[f"people-reveal-{pk}"] = found
        if action != "reveal":
            messages.success(request, _("Saved."))
    except ServiceError as exc:
        _error(request, exc)
    return redirect("people:staff_detail", pk=pk)


@writer
def instructor_new(request):
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            instructor = services.apply(form.cleaned_data, by=request.user, request=request)
            messages.success(request, _("The application is registered; review it next."))
            return redirect("people:staff_detail", pk=instructor.pk)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    return render(request, "people/staff/new.html", {"form": form})


@reader
def export_xlsx(request):
    qs = selectors.staff_instructors(request.user, request.GET)
    audit.record("export", request=request, detail={"what": "people.instructor", "count": qs.count()})
    return io_sheet.export_response(qs)


@writer
def template_xlsx(request):
    return io_sheet.template_response()


@writer
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = io_import.import_rows(form.cleaned_data["file"], user=request.user,
                                           dry_run=not form.cleaned_data["apply"], request=request)
            if report.applied:
                messages.success(request, _("Imported: %(new)s new, %(updated)s updated.") % report.counts)
        except ServiceError as exc:
            form.add_error("file", str(exc.message))
    return render(request, "people/staff/import.html", {"form": form, "report": report,
                                                        "columns": io_sheet.COLUMNS})


@city
def rules_page(request):
    user = request.user
    cities = Region.objects.filter(level="city").order_by("code")
    if not scoping.is_superuser(user):
        cities = cities.filter(code__in=[codes.ancestor_at(codes.pad(p), "city")
                                         for p in scoping.division_prefixes(user, write=True)])
    cities = list(cities)
    place = next((c for c in cities if c.code == request.GET.get("city")), cities[0] if cities else None)
    form = RuleForm(request.POST or None)
    if request.method == "POST" and place is not None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.set_rule(place, data.pop("grade"), data, by=user, request=request)
            messages.success(request, _("Saved."))
            return redirect(f"{request.path}?city={place.code}")
        except ServiceError as exc:
            form.add_error(None, str(exc.message))
    rules = services.rules_for(place.code) if place else {}
    return render(request, "people/staff/rules.html", {
        "place": place, "cities": cities, "form": form,
        "rules": [(Grade(g).label, r) for g, r in rules.items()]})


@confirmer
def confirm_page(request):
    pending = logs.logs_to_confirm(request.user).select_related("instructor", "station", "site").order_by("started_at")
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    return render(request, "people/staff/confirm.html", {"page": page})


@confirmer
@require_POST
def confirm_log(request, pk: int):
    log = logs.logs_to_confirm(request.user).filter(pk=pk).first()
    if log is None:
        messages.error(request, _("This service is not waiting for your confirmation."))
        return redirect("people:confirm")
    try:
        logs.decide(log, confirm=request.POST.get("decision") != "reject", by=request.user, request=request)
        messages.success(request, _("Saved."))
    except ServiceError as exc:
        _error(request, exc)
    return redirect("people:confirm")


