"""Figures per division and compliance lists, under /api/v1/facilities/figures.

Who may read what:
- Figures of the city, its counties and its townships are public (open data): the plans publish
  them and hold the government to them, so anyone may call GET /{code} for those levels, signed
  in or not, in scope or not.
- Figures of a community or village, and the children of a township (which are communities), are
  for division staff whose scope holds the division (supervisors and evaluators included); anyone
  else gets 404 for a community code, and a township's answer without its children
  (`children_hidden` is true).
- Compliance lists (GET /{code}/compliance) are working lists for staff: division readers in
  scope only; outside scope, 404, the same as a missing division.
"""

import datetime

from django.http import Http404
from ninja import Router, Schema

from quanmin.accounts import scoping
from quanmin.accounts.api_auth import AUTH, PUBLIC
from quanmin.core.api import DayBound
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import figures, permissions

router = Router(tags=["facilities"])

PUBLIC_LEVELS = {Region.Level.CITY, Region.Level.COUNTY, Region.Level.TOWNSHIP}


class FigureTypeOut(Schema):
    type: str
    label: str
    measure: str
    count: int
    area_m2: float
    length_km: float


class FacilityFiguresOut(Schema):
    code: str
    name: str
    level: str
    population: int | None
    population_estimated: bool
    count: int
    area_m2: float
    trail_km: float
    area_per_capita: float | None
    trail_km_per_10k: float | None
    smart: int
    new: int | None


class TargetOut(Schema):
    indicator: str
    label: str
    value: float
    year: int
    actual: float | None
    met: bool | None
    share: float | None
    plan: str
    source: str


class FacilityDivisionFiguresOut(FacilityFiguresOut):
    since: datetime.date | None
    by_type: list[FigureTypeOut]
    children: list[FacilityFiguresOut]
    children_hidden: bool
    direct: FacilityFiguresOut | None
    targets: list[TargetOut]


class GapOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    parent_name: str
    population: int | None
    population_estimated: bool
    missing: list[str]
    missing_labels: list[str]


class ComplianceOut(Schema):
    code: str
    name: str
    checked: dict[str, int]
    counties: list[GapOut]
    townships: list[GapOut]
    communities: list[GapOut]


def _round(value, digits):
    return None if value is None else round(value, digits)


def _figures(f: figures.Figures) -> dict:
    return {
        "code": f.code, "name": f.name, "level": f.level, "population": f.population,
        "population_estimated": f.population_estimated, "count": f.count, "area_m2": round(f.area_m2, 2),
        "trail_km": round(f.trail_km, 3), "area_per_capita": _round(f.area_per_capita, 4),
        "trail_km_per_10k": _round(f.trail_km_per_10k, 4), "smart": f.smart, "new": f.new,
    }


def _gap(g: figures.Gap) -> dict:
    return {"code": g.code, "name": g.name, "level": g.level, "parent_code": g.parent_code,
            "parent_name": g.parent_name, "population": g.population,
            "population_estimated": g.population_estimated, "missing": g.missing,
            "missing_labels": g.missing_labels}


def _region(code: str) -> Region:
    try:
        return Region.objects.get(code=codes.normalise(code))
    except (ValueError, Region.DoesNotExist):
        raise Http404 from None


@router.get("/{code}", response=FacilityDivisionFiguresOut, auth=PUBLIC, summary="Figures of a division and its children")
def division_figures(request, code: str, since: DayBound | None = None):
    """Facilities by type, total area, area per capita, trail km per 10,000 residents, smart
    equipment and new facilities (year built on or after `since`'s year), for the division and
    each division directly under it, with the city's plan targets. Public down to townships."""
    region = _region(code)
    in_scope = permissions.can_read_figures(getattr(request, "user", None), region)
    if region.level not in PUBLIC_LEVELS and not in_scope:
        raise Http404
    div = figures.division_figures(region, since)
    hide = not in_scope and any(c.level not in PUBLIC_LEVELS for c in div.children)
    f = div.figures
    return {
        **_figures(f), "since": div.since,
        "by_type": [{"type": t.type, "label": t.label, "measure": t.measure, "count": t.count,
                     "area_m2": round(t.area_m2, 2), "length_km": round(t.length_km, 3)} for t in f.types_sorted()],
        "children": [] if hide else [_figures(c) for c in div.children],
        "children_hidden": hide,
        "direct": _figures(div.direct) if div.direct else None,
        "targets": [{"indicator": t.indicator, "label": str(t.label), "value": t.value, "year": t.year,
                     "actual": _round(t.actual, 4), "met": t.met, "share": t.share, "plan": t.plan,
                     "source": t.source} for t in div.targets],
    }


@router.get("/{code}/compliance", response=ComplianceOut, auth=AUTH, summary="Compliance lists of a division")
def division_compliance(request, code: str):
    """Counties missing part of the "三个一", townships missing part of the "两个一" and communities
    and villages without a multi-sport court or fitness square, in the division's subtree, each
    with its parent, population and what is missing. Division staff in scope only."""
    try:
        code = codes.normalise(code)
    except ValueError:
        raise Http404 from None
    region = scoping.get_scoped_or_404(request.user, Region.objects.all(), code=code)
    comp = figures.compliance(region)
    return {"code": region.code, "name": region.name, "checked": comp.checked,
            "counties": [_gap(g) for g in comp.counties], "townships": [_gap(g) for g in comp.townships],
            "communities": [_gap(g) for g in comp.communities]}
