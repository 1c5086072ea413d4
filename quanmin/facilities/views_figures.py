"""Staff pages for the figures per division and the compliance lists, with an Excel download.

Division readers only (staff of any level, supervisors, evaluators), scoped: a county admin sees
their county and everything under it; any other division answers 404.
"""

import datetime

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core import excel
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import figures, permissions

# Longer compliance lists are cut on the page (a city has thousands of villages); the Excel has all.
PAGE_LIST_LIMIT = 200


def scoped_region(user, code: str) -> Region:
    try:
        code = codes.normalise(code)
    except ValueError:
        raise Http404 from None
    return scoping.get_scoped_or_404(user, Region.objects.all(), code=code)


def parse_since(request, region: Region) -> tuple[datetime.date | None, str]:
    """The "since" filter: absent = the start of the city's plan period; empty = none."""
    if "since" not in request.GET:
        return figures.default_since(region.code), ""
    raw = request.GET.get("since", "").strip()
    if not raw:
        return None, ""
    try:
        return datetime.date.fromisoformat(raw), ""
    except ValueError:
        return None, _("Enter a date such as 2021-01-01.")


@role_required(permissions.can_read)
def index(request):
    tops = list(scoping.top_regions(request.user))
    if len(tops) == 1:
        return redirect("facilities:figures_region", code=tops[0].code)
    return render(request, "facilities/figures/index.html", {"regions": tops})


def _chart_data(div: figures.DivisionFigures) -> dict:
    per_capita = next((t for t in div.targets if t.indicator == "area_per_capita"), None)
    return {
        "types": [{"label": t.label, "count": t.count, "area": round(t.area_m2)} for t in div.figures.types_sorted()],
        "children": [{"name": c.name, "value": None if c.area_per_capita is None else round(c.area_per_capita, 2)}
                     for c in div.children],
        "target": per_capita.value if per_capita else None,
        "labels": {"count": _("Facilities"), "area": _("Area (m²)"), "perCapita": _("m² per resident"),
                   "target": _("Target")},
    }


@role_required(permissions.can_read)
def region_figures(request, code: str):
    user = request.user
    region = scoped_region(user, code)
    since, since_error = parse_since(request, region)
    div, comp = figures.overview(region, since)
    lists = []
    for level, gaps in comp.lists():
        if level in comp.checked:
            lists.append({"level": level, "title": LIST_TITLES[level], "gaps": gaps[:PAGE_LIST_LIMIT],
                          "total": len(gaps), "checked": comp.checked[level], "cut": len(gaps) > PAGE_LIST_LIMIT})
    return render(request, "facilities/figures/region.html", {
        "region": region, "div": div, "f": div.figures, "lists": lists,
        "since": since, "since_raw": request.GET.get("since", since.isoformat() if since else ""),
        "since_error": since_error,
        "trail": [r for r in region.ancestors() if scoping.can_read_region(user, r.code)],
        "chart_data": _chart_data(div), "limit": PAGE_LIST_LIMIT,
        "export_query": request.GET.urlencode(),
    })


# --- Excel ----------------------------------------------------------------------------------------

LIST_TITLES = {
    "county": gettext_lazy("Counties missing part of the \"three ones\""),
    "township": gettext_lazy("Townships missing part of the \"two ones\""),
    "community": gettext_lazy("Communities and villages without a multi-sport court or square"),
}


def _num(value, digits=2):
    return None if value is None else round(value, digits)


def sheets(div: figures.DivisionFigures, comp: figures.Compliance) -> list:
    """Figures (the division, then each child), by type, and the compliance lists, as sheets."""
    out = []
    header = [_("Division code"), _("Division"), _("Level"), _("Resident population"), _("Population estimated"),
              _("Facilities"), _("Area (m²)"), _("m² per resident"), _("Trail km"), _("Trail km per 10,000 residents"),
              _("Smart equipment"), _("Built in %(year)s or later") % {"year": div.since.year} if div.since else _("New")]
    levels = dict(Region.Level.choices)

    def row(f: figures.Figures, name=None):
        return [f.code, name or f.name, str(levels.get(f.level, f.level)), f.population,
                _("yes") if f.population_estimated else _("no"), f.count, _num(f.area_m2),
                _num(f.area_per_capita, 3), _num(f.trail_km, 3), _num(f.trail_km_per_10k, 3), f.smart, f.new]

    rows = [row(div.figures)] + [row(c) for c in div.children]
    if div.direct:
        rows.append(row(div.direct, _("Registered at %(name)s itself") % {"name": div.figures.name}))
    out.append((_("Figures"), header, rows))
    out.append((_("By type"), [_("Type code"), _("Type"), _("Facilities"), _("Area (m²)"), _("Length (km)")],
           [[t.type, t.label, t.count, _num(t.area_m2), _num(t.length_km, 3)] for t in div.figures.types_sorted()]))
    if div.targets:
        out.append((_("Targets"), [_("Indicator"), _("Target"), _("By"), _("Now"), _("Per cent reached"), _("Plan"),
                                  _("Source")],
               [[str(t.label), t.value, t.year, _num(t.actual, 3), t.share, t.plan, t.source] for t in div.targets]))
    gap_header = [_("Division code"), _("Division"), _("Parent"), _("Resident population"),
                  _("Population estimated"), _("Missing")]
    sheet_names = {"county": _("Counties missing three ones"), "township": _("Townships missing two ones"),
                   "community": _("Communities without a square")}
    for level, gaps in comp.lists():
        if level in comp.checked:
            out.append((sheet_names[level], gap_header,
                        [[g.code, g.name, g.parent_name, g.population, _("yes") if g.population_estimated else _("no"),
                          "、".join(g.missing_labels)] for g in gaps]))
    return out


@role_required(permissions.can_read)
def region_export(request, code: str):
    region = scoped_region(request.user, code)
    since, _error = parse_since(request, region)
    div, comp = figures.overview(region, since)
    return excel.xlsx_response(f"figures-{codes.prefix(region.code)}-{timezone.localdate():%Y%m%d}.xlsx",
                               sheets(div, comp))
