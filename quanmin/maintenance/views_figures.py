"""Staff pages for the maintenance figures per division, with an Excel download.

Division readers only (staff of any level, supervisors, evaluators), scoped: a county's staff see
their county and everything under it; any other division answers 404. The period comes from
`start` and `end` (dates); a bad one is said next to the form and the default period is shown.
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core import excel
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import errors, figures

# The page lists the oldest pieces due for replacement; the replacement list and the Excel have all.
PAGE_REPLACEMENTS = 50


def parse_period(request) -> tuple[figures.Period, errors.FiguresError | None]:
    """The period asked for, or the default one with the error that refused the request's."""
    start, end = request.GET.get("start"), request.GET.get("end")
    try:
        return figures.parse_period(start, end), None
    except errors.FiguresError as exc:
        return figures.default_period(), exc


def _query(period: figures.Period) -> str:
    return f"start={period.start.isoformat()}&end={period.end.isoformat()}"


@role_required(scoping.is_division_staff)
def index(request):
    tops = list(scoping.top_regions(request.user))
    if len(tops) == 1:
        return redirect("maintenance:figures_region", code=tops[0].code)
    return render(request, "maintenance/figures/index.html", {"regions": tops})


def chart_data(div: figures.DivisionFigures, query: str) -> dict:
    """What the charts draw: the division month by month, and its children side by side."""
    months = [m.as_dict() for m in div.months]
    return {
        "months": [m["month"] for m in months],
        "completion": [m["completion"] for m in months],
        "defects": [m["defects"] for m in months],
        "mttr": [m["mttr_hours"] for m in months],
        "satisfaction": [m["satisfaction"] for m in months],
        "children": [
            {
                "name": c.name,
                "url": f"{reverse('maintenance:figures_region', args=[c.code])}?{query}",
                "ordersOverdue": c.orders_overdue,
                "reportsOverdue": c.reports_overdue,
                "completion": c.completion,
                "defectsPer100": c.defects_per_100,
            }
            for c in div.children
        ],
        "labels": {
            "completion": _("Inspection completion (%)"),
            "defects": _("Defects"),
            "mttr": _("Mean time to repair (hours)"),
            "satisfaction": _("Mean rating (1-5)"),
            "ordersOverdue": _("Overdue work orders"),
            "reportsOverdue": _("Overdue reports"),
        },
    }


@role_required(scoping.is_division_staff)
def region_figures(request, code: str):
    user = request.user
    region = figures.region_for(user, code)
    period, error = parse_period(request)
    div = figures.division_figures(region, period)
    replacements = figures.due_for_replacement(user, region, div.today)
    query = _query(period)
    shown = chosen_columns(request)
    columns = [(a, label) for a, label in figures.COLUMNS if a in shown]
    return render(
        request,
        "maintenance/figures/region.html",
        {
            "region": region,
            "div": div,
            "f": div.figures,
            "period": period,
            "error": error,
            "start_raw": request.GET.get("start", period.start.isoformat()) if error else period.start.isoformat(),
            "end_raw": request.GET.get("end", period.end.isoformat()) if error else period.end.isoformat(),
            "columns": columns,
            "all_columns": [(a, label, a in shown) for a, label in figures.COLUMNS],
            "rows": _table(div, columns),
            "query": query,
            "total": [getattr(div.figures, a) for a, _label in columns],
            "trail": [r for r in region.ancestors() if scoping.can_read_region(user, r.code)],
            "chart_data": chart_data(div, query),
            "replacements": replacements[:PAGE_REPLACEMENTS],
            "limit": PAGE_REPLACEMENTS,
            "replacements_url": f"{reverse('maintenance:replacements')}?region={codes.prefix(region.code)}",
        },
    )


# The columns shown until the reader chooses (21 at once squeezed a county's name to a character a line).
DEFAULT_COLUMNS = ("pieces", "completion", "defects", "repairs_done", "on_time", "orders_overdue", "reports",
                   "satisfaction")


def chosen_columns(request) -> set[str]:
    """The columns the reader ticked (?cols=…, repeated), else the default few; unknown names are ignored."""
    known = {a for a, _label in figures.COLUMNS}
    picked = {c for c in request.GET.getlist("cols") if c in known}
    return picked or set(DEFAULT_COLUMNS)


def _table(div: figures.DivisionFigures, columns) -> list[dict]:
    """The table's rows: each child (linked), then what lies at the division itself."""
    rows = [{"f": c, "values": [getattr(c, a) for a, _label in columns], "link": True} for c in div.children]
    if div.direct is not None:
        rows.append(
            {
                "f": div.direct,
                "values": [getattr(div.direct, a) for a, _label in columns],
                "link": False,
                "label": _("At %(name)s itself") % {"name": div.figures.name},
            }
        )
    return rows


# --- Excel ----------------------------------------------------------------------------------------


def sheets(div: figures.DivisionFigures, replacements) -> list:
    """The table (the division, each child, the division itself), the months, and the pieces due
    for replacement, as sheets."""
    levels = dict(Region.Level.choices)
    header = [_("Division code"), _("Division"), _("Level"), *[str(label) for _a, label in figures.COLUMNS]]

    def row(f: figures.Figures, name=None):
        return [
            f.code,
            name or f.name,
            str(levels.get(f.level, f.level)),
            *[getattr(f, a) for a, _l in figures.COLUMNS],
        ]

    rows = [row(div.figures)] + [row(c) for c in div.children]
    if div.direct is not None:
        rows.append(row(div.direct, _("At %(name)s itself") % {"name": div.figures.name}))
    month_header = [
        _("Month"),
        _("Rounds due"),
        _("Rounds done"),
        _("Inspection completion (%)"),
        _("Defects"),
        _("Repairs done"),
        _("Mean time to repair (hours)"),
        _("Reports received"),
        _("Ratings"),
        _("Mean rating (1-5)"),
    ]
    months = [
        [
            m.month.strftime("%Y-%m"),
            m.rounds_due,
            m.rounds_done,
            m.completion,
            m.defects,
            m.repairs_done,
            m.mttr_hours,
            m.reports,
            m.ratings,
            m.satisfaction,
        ]
        for m in div.months
    ]
    piece_header = [
        _("Tag"),
        _("Type"),
        _("Site"),
        _("Division code"),
        _("Install date"),
        _("Design life (years)"),
        _("Design life check"),
        _("Due for replacement since"),
        _("Status"),
        _("Replacement order open"),
    ]
    pieces = (
        [
            p.tag,
            p.kind_label,
            p.site.name,
            p.region_id,
            p.install_date,
            p.design_life_years,
            _("unverified") if p.design_life_unverified else "",
            p.replace_due,
            p.get_status_display(),
            _("yes") if p.open_replace else _("no"),
        ]
        for p in replacements.iterator(chunk_size=1000)
    )
    return [
        (_("Figures"), header, rows),
        (_("By month"), month_header, months),
        (_("Due for replacement"), piece_header, pieces),
    ]


@role_required(scoping.is_division_staff)
def region_export(request, code: str):
    region = figures.region_for(request.user, code)
    period, error = parse_period(request)
    if error is not None:
        # The page says what is wrong with the dates.
        url = reverse("maintenance:figures_region", args=[region.code])
        return redirect(f"{url}?{request.GET.urlencode()}")
    div = figures.division_figures(region, period)
    replacements = figures.due_for_replacement(request.user, region, div.today)
    name = f"maintenance-figures-{codes.prefix(region.code)}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    return excel.xlsx_response(name, sheets(div, replacements))
