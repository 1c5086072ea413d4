"""Pages of fitness provision for special populations: the staff's institutions register (list,
form, fittings), programme activities, figures per division and the register in and out of Excel;
and the residents' phone page of places suitable for older people, small children or disabled
people near them. Views parse, check, call, render."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core import imports
from quanmin.core.errors import ServiceError
from quanmin.facilities import geo
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import figures, io, permissions, selectors, services
from .errors import InclusiveError
from .models import ALLOWED, MEASURES, FittingKind, Group, Kind, Programme

reader = role_required(permissions.can_read)
writer = role_required(permissions.can_write)
INSTITUTION_FIELDS = ("region", "name", "kind", "ethnic_group", "address", "site", "note")
FITTING_FIELDS = ("kind", "pieces", "fitted_on", "facility", "note")
ACTIVITY_FIELDS = ("region", "group", "programme", "title", "held_on", "participants", "institution", "note")
MEASURE_LABELS = {"elderly": gettext_lazy("Elderly-care institutions with equipment for older people"),
                  "rehab": gettext_lazy("Rehab and elderly centres with rehab fitness equipment"),
                  "preschool": gettext_lazy("Pre-school places with gross-motor equipment"),
                  "ethnic": gettext_lazy("Ethnic villages with fitness facilities")}


def _divisions(user) -> list[Region]:
    """The divisions an institution may be placed in: the user's write scope down to communities."""
    found = Region.objects.none()
    for top in scoping.top_regions(user, write=True):
        found = found | Region.objects.filter(code__within=codes.prefix(top.code))
    return list(found.order_by("code")[:2000])


def _status(exc: ServiceError) -> int:
    return exc.status if exc.status in (400, 409) else 400


def _page(request, qs, size: int = 50):
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(qs, size).get_page(request.GET.get("page")), query.urlencode()


@reader
def institution_list(request):
    params = request.GET
    page, query = _page(request, selectors.institutions_for(request.user, params))
    return render(request, "inclusive/list.html", {
        "page": page, "params": params, "query": query, "kinds": Kind.choices,
        "regions": selectors.rollup_regions(selectors.top_region(request.user)),
        "can_write": permissions.can_write(request.user)})


def _institution_form(request, institution=None, fitting=None):
    status = 200
    if request.method == "POST" and request.resolver_match.url_name != "fitting_new":
        data = {k: request.POST.get(k, "") for k in INSTITUTION_FIELDS}
        data["active"] = request.POST.get("active") == "1" if institution else True
        try:
            saved = services.save_institution(request.user, data, institution, request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = _status(exc)
        else:
            messages.success(request, _("Institution saved."))
            return redirect("inclusive:institution", pk=saved.pk)
    elif institution is not None:
        data = {k: getattr(institution, k) for k in INSTITUTION_FIELDS if k not in ("region", "site")}
        data |= {"region": institution.region_id, "site": institution.site_id or "", "active": institution.active}
    else:
        data = {"active": True}
    can_write = institution is None or permissions.can_write_region(request.user, institution.region_id)
    return render(request, "inclusive/institution.html", {
        "institution": institution, "data": data, "kinds": Kind.choices, "regions": _divisions(request.user),
        "fittings": list(selectors.fittings_of(institution)) if institution else [],
        "fitting_kinds": [(k.value, k.label) for k in FittingKind if institution and k in ALLOWED[institution.kind]],
        "fitting": fitting or {"pieces": 1, "fitted_on": timezone.localdate().isoformat()},
        "can_write": can_write}, status=status)


@writer
def institution_new(request):
    return _institution_form(request)


@reader
def institution_detail(request, pk):
    institution = selectors.institution_or_404(request.user, pk, write=request.method == "POST")
    return _institution_form(request, institution)


@require_POST
@writer
def fitting_new(request, pk):
    institution = selectors.institution_or_404(request.user, pk, write=True)
    data = {k: request.POST.get(k, "") for k in FITTING_FIELDS}
    try:
        services.record_fitting(request.user, institution, data, request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
        response = _institution_form(request, institution, fitting=data)
        response.status_code = _status(exc)
        return response
    messages.success(request, _("Fitting recorded."))
    return redirect("inclusive:institution", pk=institution.pk)


@require_POST
@writer
def fitting_delete(request, pk):
    found = selectors.fitting_or_404(request.user, pk, write=True)
    institution = found.institution_id
    services.delete_fitting(request.user, found, request=request)
    messages.success(request, _("Fitting removed."))
    return redirect("inclusive:institution", pk=institution)


@reader
def activity_list(request):
    """The activities of my divisions, filtered; the form to record one (writers) posts here."""
    status, data = 200, {"held_on": timezone.localdate().isoformat()}
    if request.method == "POST":
        if not permissions.can_write(request.user):
            raise PermissionDenied
        data = {k: request.POST.get(k, "") for k in ACTIVITY_FIELDS}
        try:
            services.record_activity(request.user, data, request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = _status(exc)
        else:
            messages.success(request, _("Activity recorded."))
            return redirect("inclusive:activities")
    params = request.GET
    page, query = _page(request, selectors.activities_for(request.user, params))
    return render(request, "inclusive/activities.html", {
        "page": page, "params": params, "query": query, "groups": Group.choices, "programmes": Programme.choices,
        "regions": selectors.rollup_regions(selectors.top_region(request.user)), "divisions": _divisions(request.user),
        "data": data, "can_write": permissions.can_write(request.user)}, status=status)


@require_POST
@writer
def activity_delete(request, pk):
    services.delete_activity(request.user, selectors.activity_or_404(request.user, pk, write=True), request=request)
    messages.success(request, _("Activity removed."))
    return redirect("inclusive:activities")


@reader
def figures_page(request):
    rows = figures.rollup(selectors.top_region(request.user), timezone.localdate())
    return render(request, "inclusive/figures.html", {
        "rows": rows, "measures": [(m, MEASURE_LABELS[m]) for m in MEASURES], "groups": Group.choices})


@require_http_methods(["GET", "POST"])
@writer
def import_page(request):
    return imports.import_page(request, "inclusive/import.html", lambda file, dry_run: io.import_institutions(
        request.user, file, dry_run=dry_run, request=request), InclusiveError)


@reader
def export(request):
    return io.xlsx_response(selectors.institutions_for(request.user, request.GET),
                            selectors.fittings_for(request.user))


# -- residents ---------------------------------------------------------------------------------
RADII = (1000, 3000, 5000, 10000)
GROUP_CHOICES = [(g.value, g.label) for g in selectors.RESIDENT_GROUPS]


class NearForm(forms.Form):
    group = forms.ChoiceField(choices=GROUP_CHOICES, required=False)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180)
    radius = forms.TypedChoiceField(choices=[(r, r) for r in RADII], coerce=int, required=False)
    region = forms.CharField(required=False, max_length=12)


def _distance(metres) -> str:
    if metres is None:
        return ""
    if metres < 1000:
        return _("%(n)s m") % {"n": int(round(metres, -1))}
    return _("%(n)s km") % {"n": f"{metres / 1000:.1f}".removesuffix(".0")}


def near(request):
    """Places fitted for older people, small children or disabled people: nearest first when the
    phone gives its position (or a point is picked), else by division. Public."""
    form = NearForm(request.GET)
    form.is_valid()  # a bad parameter is left out, never a 500
    cd = form.cleaned_data
    group = cd.get("group") or Group.ELDERLY
    lat, lon = cd.get("lat"), cd.get("lon")
    origin = (lat, lon) if lat is not None and lon is not None and geo.in_china(lon, lat) else None
    radius = cd.get("radius") or 5000
    region = cd.get("region") or ""
    sites, distances = selectors.near(group, origin, radius, region if region.isdigit() else "")
    page, query = _page(request, sites, 20)
    found = list(page.object_list)
    suits = selectors.what_suits(found, group)
    items = [{"site": s, "distance": _distance(distances.get(s.pk)), "suits": suits.get(s.pk, [])} for s in found]
    return render(request, "inclusive/near.html", {
        "group": group, "groups": GROUP_CHOICES, "items": items, "page": page, "query": query, "origin": origin,
        "radius": radius, "radii": [(r, _distance(r)) for r in RADII]})
