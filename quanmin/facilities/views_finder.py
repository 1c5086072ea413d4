"""The residents' finder (a map and a list with filters) and the public site page.

Public pages: no sign-in, no personal data. Queries go through selectors (filter_sites, nearby);
this module only parses the request, shapes what the map needs and renders.
Coordinates are stored in WGS-84. When the tile server draws GCJ-02 (basemap.crs()), every
point sent to the map is shifted, and a point picked on the map is shifted back before searching.
"""

import datetime
import hashlib
import math

from django import forms
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Avg, Count, F, Max, Min, Prefetch, prefetch_related_objects
from django.db.models.functions import Floor
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quanmin.core.uploads import file_response
from quanmin.regions import codes, streets
from quanmin.regions.models import Region

from . import basemap, geo, navigate, opening, selectors, types
from .models import Facility, OpeningException, OpeningRule, Site, SitePhoto

PAGE_SIZE = 20
RADII = [500, 1000, 2000, 5000]
DEFAULT_RADIUS = 2000
MAX_POINTS = 800  # more than this in view: the map gets grid clusters instead of points
UNBUILT = [Site.Status.PLANNED, Site.Status.BUILDING]
OUTLINE_TTL = 600
GROUP_LABELS = {
    "stadium": gettext_lazy("Stadiums"), "hall": gettext_lazy("Sports halls"), "football": gettext_lazy("Football"),
    "ball": gettext_lazy("Ball games"), "multi": gettext_lazy("Multi-sport courts"),
    "water": gettext_lazy("Swimming"), "fitness": gettext_lazy("Fitness"), "square": gettext_lazy("Squares"),
    "park": gettext_lazy("Sports parks"), "trail": gettext_lazy("Trails and paths"),
    "ice": gettext_lazy("Ice and snow"), "other": gettext_lazy("Other"),
}
# chinese_calendar names its holidays in English; these are the names residents read.
HOLIDAY_NAMES = {
    "New Year's Day": gettext_lazy("New Year's Day"), "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"), "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"), "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": gettext_lazy("Victory Day (70th anniversary)"),
}


def _now() -> datetime.datetime:
    return timezone.localtime()


# -- the filters ------------------------------------------------------------------------------
def sport_groups() -> list[tuple]:
    """(group code, label, [(type code, label)]) in the order of the type table."""
    groups: dict[str, list] = {}
    for t in types.TYPES.values():
        groups.setdefault(t.group, []).append((t.code, t.label))
    return [(g, GROUP_LABELS.get(g, g), members) for g, members in groups.items()]


def region_options() -> list[tuple[str, str, str]]:
    """(code, name, level): every county, each followed by its townships."""
    rows = Region.objects.filter(level__in=[Region.Level.COUNTY, Region.Level.TOWNSHIP]).order_by("code")
    return list(rows.values_list("code", "name", "level"))


class FinderForm(forms.Form):
    q = forms.CharField(required=False, max_length=60)
    sport = forms.CharField(required=False, max_length=40)
    open_now = forms.BooleanField(required=False)
    free = forms.BooleanField(required=False)
    accessible = forms.BooleanField(required=False)
    region = forms.CharField(required=False, max_length=12)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180)
    src = forms.ChoiceField(required=False, choices=[("", ""), ("me", "me"), ("map", "map")])
    radius = forms.TypedChoiceField(required=False, coerce=int, choices=[(r, r) for r in RADII],
                                    empty_value=DEFAULT_RADIUS)

    def clean_sport(self):
        value = self.cleaned_data["sport"].strip()
        groups = {t.group for t in types.TYPES.values()}
        if (value.startswith("g:") and value[2:] in groups) or value in types.TYPES:
            return value
        return ""

    def clean_region(self):
        value = self.cleaned_data["region"].strip()
        # A city or below: a province is not a place to look in.
        return codes.normalise(value) if codes.is_prefix(value) and len(value) > codes.PREFIX_LENGTH["province"] else ""


def read_filters(data) -> tuple[FinderForm, selectors.Filters, tuple[float, float] | None, int]:
    """The form, the selector filters, the WGS-84 origin (lat, lon) if any, and the radius in metres."""
    form = FinderForm(data)
    form.is_valid()  # invalid fields are simply left out of cleaned_data: a bad parameter never 500s
    cd = form.cleaned_data
    sport = cd.get("sport", "")
    f = selectors.Filters(
        types=[sport] if sport and not sport.startswith("g:") else [],
        group=sport[2:] if sport.startswith("g:") else "",
        open_at=_now() if cd.get("open_now") else None,
        free_or_low_fee=bool(cd.get("free")), accessible=bool(cd.get("accessible")),
        region=cd.get("region", ""), q=cd.get("q", "").strip(),
    )
    origin = None
    lat, lon = cd.get("lat"), cd.get("lon")
    if lat is not None and lon is not None:
        if cd.get("src") == "map":
            lon, lat = from_map(lon, lat)
        if geo.in_china(lon, lat):
            origin = (lat, lon)
    return form, f, origin, cd.get("radius") or DEFAULT_RADIUS


# -- coordinates for the map (basemap.py: which tiles, in which datum) -----------------------
to_map = basemap.to_map
from_map = basemap.from_map
map_settings = basemap.settings_for_page


# -- the list ---------------------------------------------------------------------------------
def distance_label(metres: float | None) -> str:
    if metres is None:
        return ""
    if metres < 1000:
        return _("%(n)s m") % {"n": int(round(metres, -1))}
    return _("%(n)s km") % {"n": f"{metres / 1000:.1f}".removesuffix(".0")}


def township_names(sites: list[Site]) -> dict[str, str]:
    """Each site's township name by the site's division code, in one query."""
    wanted = {s.region_id: codes.ancestor_at(s.region_id, "township") for s in sites}
    names = dict(Region.objects.filter(code__in=set(wanted.values())).values_list("code", "name"))
    return {code: names.get(town, "") for code, town in wanted.items()}


def list_items(sites: list[Site], distances: dict, now: datetime.datetime) -> list[dict]:
    """A card per site with what tells it from its namesakes: township, address and distance."""
    prefetch_related_objects(
        sites, "facilities", "opening_rules",
        Prefetch("opening_exceptions", queryset=OpeningException.objects.filter(date=now.date())))
    townships = township_names(sites)
    items = []
    for site in sites:
        rules, facilities = list(site.opening_rules.all()), list(site.facilities.all())
        labels = list(dict.fromkeys(f.type_label for f in facilities))
        items.append({
            "site": site, "distance": distance_label(distances.get(site.pk)), "types": labels[:4],
            "township": townships.get(site.region_id, ""),
            "address": site.address if site.address and site.address != site.name else "",
            "more_types": max(0, len(labels) - 4),
            "open_now": opening.is_open(site, now, rules, list(site.opening_exceptions.all())),
            "free": any(f.access in selectors.FREE_ACCESS for f in facilities)
            or any(r.kind == OpeningRule.Kind.BENEFIT for r in rules),
            "accessible": site.accessible,
        })
    return items


def finder(request):
    form, f, origin, radius = read_filters(request.GET)
    now = _now()
    qs = selectors.filter_sites(Site.objects.all(), f)
    distances = {}
    if origin:
        hits = selectors.nearby(qs, origin[0], origin[1], radius)
        page = Paginator(hits, PAGE_SIZE).get_page(request.GET.get("page"))
        sites = [s for s, _d in page.object_list]
        distances = {s.pk: d for s, d in page.object_list}
    else:
        # No position: by division (county, township, community codes) then name, so that places
        # of one township stand together and namesakes of different villages apart.
        page = Paginator(qs.order_by("region_id", "name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
        sites = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form, "page": page, "items": list_items(sites, distances, now), "origin": origin,
        "radius": radius, "radii": [(r, distance_label(r)) for r in RADII],
        "radius_label": distance_label(radius), "query": query.urlencode(), "sport_groups": sport_groups(),
        "regions": region_options(), "region": f.region, "map": map_settings(), "src": form.cleaned_data.get("src", ""),
        "origin_map": to_map(*origin) if origin else None,
    }
    partial = request.headers.get("HX-Request") and request.headers.get("HX-Target") == "finder-results"
    response = render(request, "facilities/finder/_results.html" if partial else "facilities/finder/finder.html",
                      context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# -- the map's data ---------------------------------------------------------------------------
def _bbox(raw: str) -> tuple[float, float, float, float] | None:
    """'min_lon,min_lat,max_lon,max_lat' in map coordinates → WGS-84 (min_lat, max_lat, min_lon, max_lon)."""
    try:
        w, s, e, n = (float(v) for v in raw.split(","))
    except (ValueError, AttributeError):
        return None
    if not (w < e and s < n):
        return None
    (w, s), (e, n) = from_map(w, s), from_map(e, n)
    pad = 0.01  # the GCJ shift is not uniform; a little margin keeps edge points
    return s - pad, n + pad, w - pad, e + pad


def finder_map(request):
    """Points (or grid clusters when there are many), the search circle and division outlines."""
    _form, f, origin, radius = read_filters(request.GET)
    qs = selectors.filter_sites(Site.objects.all(), f)
    level = "township" if request.GET.get("level") == "township" or len(f.region) >= codes.PREFIX_LENGTH["township"] else "county"
    out = {"crs": map_settings()["crs"], "outlines": outlines(level, f.region), "points": [], "clusters": []}
    if origin:
        hits = selectors.nearby(qs, origin[0], origin[1], radius, limit=MAX_POINTS)
        out["points"] = [[s.pk, *to_map(s.lat, s.lon), s.name] for s, _d in hits]
        out.update(origin=to_map(*origin), radius=radius, total=len(hits))
        return JsonResponse(out)
    box = _bbox(request.GET.get("bbox", ""))
    if box:
        qs = qs.filter(lat__gte=box[0], lat__lte=box[1], lon__gte=box[2], lon__lte=box[3])
    qs = qs.order_by()
    total = qs.count()
    out["total"] = total
    if total <= MAX_POINTS:
        out["points"] = [[pk, *to_map(lat, lon), name] for pk, lat, lon, name in qs.values_list("pk", "lat", "lon", "name")]
        return JsonResponse(out)
    if box:
        span = max(box[3] - box[2], box[1] - box[0])
    else:
        ext = qs.aggregate(a=Min("lon"), b=Max("lon"), c=Min("lat"), d=Max("lat"))
        span = max(ext["b"] - ext["a"], ext["d"] - ext["c"], 0.01)
    try:
        grid = min(40, max(4, int(request.GET.get("grid", 16))))
    except ValueError:
        grid = 16
    cell = span / grid
    cells = (qs.annotate(cx=Floor(F("lon") / cell), cy=Floor(F("lat") / cell)).values("cx", "cy")
             .annotate(n=Count("pk"), lat=Avg("lat"), lon=Avg("lon")))
    out["clusters"] = [[*to_map(c["lat"], c["lon"]), c["n"]] for c in cells]
    return JsonResponse(out)


STREETS_MAX_SPAN = 0.08  # degrees (~8 km): beyond, the offline map asks to zoom in before drawing streets
STREETS_MAX = 4000


def streets_map(request):
    """The loaded streets crossing the view (offline maps draw them, named): [name, kind, [[lat, lon], …]]."""
    box = _bbox(request.GET.get("bbox", ""))
    if box is None or max(box[1] - box[0], box[3] - box[2]) > STREETS_MAX_SPAN:
        return JsonResponse({"streets": [], "zoom_in": True})
    rows = streets.in_box(*box, limit=STREETS_MAX)
    return JsonResponse({"streets": [[name, kind, [to_map(lat, lon) for lon, lat in line]] for name, kind, line in rows]})


def convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain over (x, y) pairs; counter-clockwise, no repeated end point."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _sketch(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """An approximate outline: the hull of the division's sites, each corner pushed out along its ray
    from the centre (8%, at least ~400 m) so that the outermost sites sit inside the line; the
    pushed polygon contains the hull. We hold no boundary polygons."""
    hull = convex_hull(points)
    if len(hull) < 3:  # one or two sites: a small box around them
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        d = 0.004
        hull = [(min(xs) - d, min(ys) - d), (max(xs) + d, min(ys) - d), (max(xs) + d, max(ys) + d),
                (min(xs) - d, max(ys) + d)]
    cx = sum(p[0] for p in hull) / len(hull)
    cy = sum(p[1] for p in hull) / len(hull)
    ring = []
    for x, y in hull:
        dist = math.hypot(x - cx, y - cy) or 1e-9
        k = 1 + max(0.08, 0.004 / dist)
        ring.append((cx + (x - cx) * k, cy + (y - cy) * k))
    return ring


def outlines(level: str, region: str = "") -> list[dict]:
    """Sketched outlines of the counties (or townships) under `region`, in map coordinates; cached
    and recomputed when a site is added, moved or removed."""
    level = "township" if level == "township" else "county"
    prefix = ""
    if region:
        prefix = codes.prefix(codes.normalise(region))
        if len(prefix) > codes.PREFIX_LENGTH[level]:  # a township or community asked for: draw its own township
            prefix = codes.prefix_at(prefix, level)
    sites = Site.objects.exclude(status__in=UNBUILT)
    if prefix:
        sites = sites.filter(region__code__within=prefix)
    version = sites.aggregate(n=Count("pk"), t=Max("updated_at"))
    stamp = f"{level}:{prefix}:{basemap.crs()}:{version['n']}:{version['t']}"
    key = "finder:outlines:" + hashlib.sha1(stamp.encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    groups: dict[str, list] = {}
    for code, lat, lon in sites.values_list("region_id", "lat", "lon").iterator(chunk_size=5000):
        groups.setdefault(codes.prefix_at(code, level), []).append((lon, lat))
    names = dict(Region.objects.filter(code__in=[codes.pad(p) for p in groups]).values_list("code", "name"))
    result = []
    for p, pts in sorted(groups.items()):
        ring = _sketch(pts)
        result.append({"code": codes.pad(p), "name": names.get(codes.pad(p), p),
                       "ring": [to_map(lat, lon) for lon, lat in ring]})
    cache.set(key, result, OUTLINE_TTL)
    return result


# -- the site page ----------------------------------------------------------------------------
def day_label(kind: opening.DayKind) -> str:
    if kind.kind == "holiday":
        name = HOLIDAY_NAMES.get(kind.holiday_name or "", kind.holiday_name or "")
        return _("Public holiday: %(name)s") % {"name": name}
    if kind.kind == "makeup":
        return _("Make-up working day")
    if kind.kind == "rest":
        return _("Rest day")
    return _("Working day")


def _week_start(raw: str | None, today: datetime.date) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(raw or "")
    except ValueError:
        return today
    return day if abs((day - today).days) <= 3 * 366 else today  # calendars beyond are not published


def _measure(f: Facility) -> str:
    if f.length_km is not None:
        return _("%(n)s km") % {"n": f"{f.length_km.normalize():f}"}
    if f.area_m2 is not None:
        return _("%(n)s m²") % {"n": f"{f.area_m2.normalize():f}"}
    return "—"


def site_page(request, pk: int):
    """A site as residents see it; planned sites and those under construction are not shown (404)."""
    site = get_object_or_404(Site.objects.select_related("region").exclude(status__in=UNBUILT), pk=pk)
    now = _now()
    today = now.date()
    start = _week_start(request.GET.get("from"), today)
    days = []
    for day in opening.week_table(site, start):
        days.append({
            **day, "label": day_label(day["kind"]), "today": day["date"] == today,
            "hours": [i for i in day["intervals"] if i.kind != OpeningRule.Kind.BENEFIT],
            "benefit": [i for i in day["intervals"] if i.kind == OpeningRule.Kind.BENEFIT],
        })
    facilities = [{"f": f, "measure": _measure(f)} for f in site.facilities.all()]
    township = codes.ancestor_at(site.region_id, "township")
    site_map = {**map_settings(), "point": to_map(site.lat, site.lon), "name": site.name,
                "outlines": outlines("township", township)}
    trail = [*site.region.ancestors(), site.region]
    return render(request, "facilities/finder/site.html", {
        "site": site, "days": days, "has_benefit": any(d["benefit"] for d in days),
        "facilities": facilities, "open_now": opening.is_open(site, now),
        "trail": trail, "site_map": site_map,
        "nav_links": navigate.links(site), "full_address": navigate.full_address(site, trail),
        "prev_week": start - datetime.timedelta(days=7), "next_week": start + datetime.timedelta(days=7),
        "this_week": start == today,
    })


def site_photo(request, pk: int, photo_id: int):
    """A site's photo, shown to residents on the site's page: public for the sites that page shows
    (built ones), 404 otherwise; never a /media/ address."""
    photo = get_object_or_404(SitePhoto.objects.exclude(site__status__in=UNBUILT), pk=photo_id, site_id=pk)
    return file_response(photo.image, cache="public, max-age=86400")
