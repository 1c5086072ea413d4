"""Planning pages: the fitness-circle analysis per division, and the non-sports land catalogue."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError
from quanmin.core.excel import xlsx_response
from quanmin.facilities import basemap
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import describe, permissions, services
from .circle import DEFAULT_MINUTES, DEFAULT_SPEED_KMH
from .errors import AnalysisError
from .forms import CandidateForm
from .models import CandidateSite, CircleRun

reader = role_required(permissions.can_read)
writer = role_required(permissions.can_write)


def _names(codes_):
    return dict(Region.objects.filter(code__in=list(codes_)).values_list("code", "name"))


@reader
def circle_home(request):
    top = scoping.top_regions(request.user).order_by("code").first()
    if top is None:
        raise Http404
    return redirect("analytics:circle", code=top.code)


@reader
def circle(request, code):
    region = scoping.get_scoped_or_404(request.user, Region.objects.all(), code=code)
    run = CircleRun.objects.filter(region=region).order_by("-created_at").first()
    latest_done = CircleRun.objects.filter(region=region, status=CircleRun.Status.DONE).order_by("-created_at").first()
    result = latest_done.result if latest_done else None
    context = {"region": region, "run": run, "done": latest_done, "result": result,
               "can_write": permissions.can_write(request.user), "map": basemap.settings_for_page(),
               "default_minutes": " ".join(str(int(m)) for m in DEFAULT_MINUTES), "default_speed": DEFAULT_SPEED_KMH}
    if result:
        rows = [d for d in result.get("divisions", []) if d["level"] in ("county", "township")
                and d["region_code"] != region.code and codes.contains(region.code, d["region_code"])]
        under = {k: v[:15] for k, v in result.get("underserved", {}).items()}
        names = _names({d["region_code"] for d in rows} | {u["region_code"] for v in under.values() for u in v})
        suggestions = result.get("suggestions") or {}
        context.update(rows=rows, underserved=under, names=names,
                       by_type=sorted(((describe.type_label(t), v["minutes"]) for t, v in result.get("by_type", {}).items()),
                                      key=lambda x: x[0]),
                       guarantee=describe.guarantee_label(suggestions) if suggestions else "",
                       suggested=[{**s, "place": describe.place(s["lat"], s["lon"])} for s in suggestions.get("sites", [])])
    if run is not None:
        context["stage"] = describe.stage_label(run.stage)
    if request.headers.get("HX-Request"):
        response = render(request, "analytics/_run_status.html", context)
        if run is not None and run.status == CircleRun.Status.DONE:
            # The poll of a running analysis: it has ended, so the page reloads with its result.
            response["HX-Refresh"] = "true"
        return response
    return render(request, "analytics/circle.html", context)


@writer
@require_POST
def circle_start(request, code):
    region = scoping.get_scoped_or_404(request.user, Region.objects.all(), code=code)
    try:
        minutes = request.POST.get("minutes", "").replace(",", " ").split()
        run, started = services.request_run(region, minutes=minutes, speed_kmh=request.POST.get("speed_kmh"),
                                            suggest_k=request.POST.get("suggest_k") or 0, user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Analysis started: this page updates when it is done.") if started
                         else _("Nothing changed since the last analysis: its result is shown."))
    return redirect("analytics:circle", code=region.code)


@reader
def circle_layer(request, code, run_id):
    region = scoping.get_scoped_or_404(request.user, Region.objects.all(), code=code)
    run = CircleRun.objects.filter(pk=run_id, region=region, status=CircleRun.Status.DONE).first()
    if run is None:
        raise Http404
    suggestions = [dict(s) for s in ((run.result or {}).get("suggestions") or {}).get("sites", [])]
    layer = run.layer or {"type": "FeatureCollection", "features": []}
    if basemap.crs() != "wgs84":  # drawn on GCJ-02 tiles: every point shifted as the tiles are
        layer = {**layer, "features": [
            {**f, "geometry": {**f["geometry"], "coordinates": basemap.to_map(*reversed(f["geometry"]["coordinates"][:2]))[::-1]}}
            for f in layer.get("features", [])]}
        for s in suggestions:
            s["lat"], s["lon"] = basemap.to_map(s["lat"], s["lon"])
    return JsonResponse({"residents": layer, "suggestions": suggestions})


def _candidates(request):
    qs = scoping.scoped(request.user, CandidateSite.objects.select_related("region"))
    status = request.GET.get("status", "")
    return qs.filter(status=status) if status in CandidateSite.Status.values else qs


@reader
def candidates(request):
    qs = _candidates(request)
    if request.GET.get("format") == "xlsx":
        headers = [_("Name"), _("Address"), _("Division"), _("Division code"), _("Longitude"), _("Latitude"),
                   _("Area (m²)"), _("Owner"), _("Kind of land"), _("Status"), _("Published"), _("Note")]
        rows = ((c.name, c.address, c.region.name, c.region_id, c.lon, c.lat, float(c.area_m2), c.owner,
                 c.get_land_kind_display(), c.get_status_display(), c.published, c.note) for c in qs.iterator())
        return xlsx_response("quanmin-candidate-sites.xlsx", [(_("Candidate sites"), headers, rows)])
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "analytics/candidates.html", {"page": page, "statuses": CandidateSite.Status.choices,
                                                          "can_write": permissions.can_write(request.user)})


@writer
def candidate_edit(request, pk=None):
    candidate = None
    if pk is not None:
        candidate = scoping.get_scoped_or_404(request.user, CandidateSite.objects.all(), write=True, pk=pk)
    form = CandidateForm(request.POST or None, instance=candidate,
                         initial={"region_code": candidate.region_id} if candidate else {})
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.CANDIDATE_FIELDS}
        data["region"] = form.cleaned_data["region_code"]
        try:
            region = services.clean_candidate({"region": data["region"]})["region"]
            if not scoping.can_write_region(request.user, region.code):
                raise AnalysisError("region_out_of_scope", _("This division is outside your scope."), "region_code")
            services.save_candidate(candidate, data, request=request)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("analytics:candidates")
    return render(request, "analytics/candidate_form.html", {"form": form, "candidate": candidate},
                  status=400 if form.errors else 200)


def public_catalogue(request):
    """The published catalogue of non-sports land that can take fitness facilities (public)."""
    qs = CandidateSite.objects.filter(published=True).exclude(status=CandidateSite.Status.WITHDRAWN).select_related("region")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "analytics/catalogue.html", {"page": page})
