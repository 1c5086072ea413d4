"""Staff pages for guidance stations: the list, registering and changing a station, and its regular
guided sessions (made bookable through the booking app)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from quanmin.accounts import audit, scoping
from quanmin.accounts.decorators import role_required
from quanmin.core import imports
from quanmin.core.errors import ServiceError

from . import io_stations, permissions, selectors, stations
from .errors import PeopleError
from .forms import WEEKDAYS, SessionForm, StationForm
from .models import Sport, Station, sports_list

reader = role_required(permissions.can_read)
writer = role_required(permissions.can_write)


@reader
def station_list(request):
    qs = selectors.staff_stations(request.user, request.GET)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "people/staff/stations.html", {
        "page": page, "f": selectors.filters_from(request.GET), "sports": Sport.choices,
        "can_write": permissions.can_write(request.user)})


def _save(request, form, station=None):
    data = dict(form.cleaned_data)
    try:
        saved = stations.save_station(data, by=request.user, station=station, request=request)
        messages.success(request, _("Saved."))
        return redirect("people:station_staff", pk=saved.pk)
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    return None


@writer
def station_new(request):
    form = StationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _save(request, form)
        if done:
            return done
    return render(request, "people/staff/station_form.html", {"form": form})


@reader
def station_detail(request, pk: int):
    station = scoping.get_scoped_or_404(request.user, Station.objects.select_related("site", "region", "unit", "organization"),
                                      pk=pk)
    may_write = scoping.can_write_region(request.user, station.region_id)
    form = StationForm(request.POST or None, initial={
        "name": station.name, "kind": station.kind, "region": station.region_id, "site": station.site_id,
        "sports": sports_list(station.sports), "times": station.times,
        "instructors": ",".join(str(i) for i in station.instructors.values_list("id", flat=True)),
        "organization": station.organization_id})
    if request.method == "POST":
        if not may_write:
            return redirect("people:station_staff", pk=pk)
        if form.is_valid():
            done = _save(request, form, station)
            if done:
                return done
    templates = list(station.unit.templates.order_by("weekday", "start")) if station.unit_id else []
    days = dict(WEEKDAYS)
    return render(request, "people/staff/station.html", {
        "s": station, "form": form, "may_write": may_write, "session_form": SessionForm(),
        "templates": [(t, days.get(t.weekday, "")) for t in templates],
        "instructors": station.instructors.select_related("region")})


@writer
@require_POST
def session_add(request, pk: int):
    station = scoping.get_scoped_or_404(request.user, Station.objects.all(), write=True, pk=pk)
    form = SessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Some fields are not valid."))
        return redirect("people:station_staff", pk=pk)
    try:
        stations.add_session(station, by=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The session is bookable."))
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    return redirect("people:station_staff", pk=pk)


@require_http_methods(["GET", "POST"])
@writer
def station_import(request):
    return imports.import_page(request, "people/staff/stations_import.html", lambda file, dry_run: io_stations.import_stations(
        request.user, file, dry_run=dry_run, request=request), PeopleError)


@reader
def station_export(request):
    found = selectors.staff_stations(request.user, request.GET)
    audit.record("export", request=request, detail={"what": "people.station", "count": found.count()})
    return io_stations.xlsx_response(found)


@writer
def station_template(request):
    return io_stations.template_response()
