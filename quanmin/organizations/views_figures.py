"""The organisations' figures page: a division and its children, "1+25", federation coverage,
gradings; a chart and an Excel download. Staff whose scope holds the division."""


from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core import excel
from quanmin.regions.models import Region

from . import figures, permissions, selectors

reader = role_required(permissions.can_read_figures)


@reader
def index(request):
    tops = list(scoping.top_regions(request.user))
    if not tops:
        raise Http404
    return redirect("organizations:figures_region", code=tops[0].code)


def columns() -> list[tuple[str, str]]:
    return [("name", _("Division")), ("registered", _("Registered")), ("filed", _("Filed")), ("total", _("Total")),
            ("federations", _("Federations")), ("associations", _("Associations")), ("clubs", _("Clubs")),
            ("fitness_points", _("Fitness teams and stations")), ("communities", _("Sports communities")),
            ("four_a_plus", _("4A and above")), ("three_a_share", _("3A+ share of registered (%)")),
            ("staff_share", _("Communities with sports staff (%)"))]


@reader
def region_figures(request, code: str):
    region = selectors.region_or_404(request.user, code)
    found = figures.division_figures(region.code, timezone.localdate())
    chart = {"names": [r["name"] for r in found["rows"][1:]], "registered": [r["registered"] for r in found["rows"][1:]],
             "filed": [r["filed"] for r in found["rows"][1:]],
             "labels": {"registered": _("Registered"), "filed": _("Filed")}}
    levels = dict(Region.Level.choices)
    for c in found["coverage"]:
        c["label"] = levels[c["level"]]
    return render(request, "organizations/figures/region.html", {
        "region": region, "columns": columns(), **found, "chart": chart, "one_plus": figures.ONE_PLUS,
        "trail": [r for r in region.ancestors() if scoping.can_read_region(request.user, r.code)],
    })


def sheets(region: Region, found: dict) -> list:
    keys = [k for k, _label in columns()]
    rows = [[r[k] if r[k] is not None else "" for k in keys] for r in found["rows"]]
    counties = [[c["name"], "是" if c["federation"] else "否", c["registered"], "是" if c["meets"] else "否", c["short_by"]]
                for c in found["counties"]]
    without = [[c["name"]] for c in found["staff"]["without"]]
    return [(_("Figures"), [label for _k, label in columns()], rows),
            ('"1+25"', [_("County"), _("Own federation"), _("Registered organisations"), _("Meets"), _("Short by")],
             counties),
            (_("Without sports staff"), [_("Community")], without)]


@reader
def region_export(request, code: str):
    region = selectors.region_or_404(request.user, code)
    found = figures.division_figures(region.code, timezone.localdate())
    return excel.xlsx_response(f"organizations-figures-{region.code}-{timezone.localdate():%Y%m%d}.xlsx",
                               sheets(region, found))
