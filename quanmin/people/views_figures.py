"""Figures per division (division readers, in scope): density per 1,000 and 10,000 residents
against the city's plan target, communities with an instructor and the list of those without, the
guidance rate, people trained this year, stations, volunteer hours, core instructors and those
serving disabled people; communities with an instructor assigned, a stable one, and where one lives; for the
division and each division under it, with a chart and an Excel download."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core import excel, plan_targets
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import permissions
from .figures import division_figures
from .models import DutyLog
from .services import code_of

reader = role_required(permissions.can_read)

# Instructors per 10,000 residents that the plans ask for, from the plans' documents
# (quanmin/core/data/plans, read by core.plan_targets; the files the planning app loads): 聊城 000
# 「常住人口数的万分之三十七以上」 by 2023 (per 10,000 as written); 嘉兴 001 「每千人拥有社会体育指导员人数
# 达到3人」 and 沈阳市浑南区 003 「每千人拥有社会体育指导员达4.5人」 by 2025 (per 1,000, shown here per 10,000).
PER_10000 = {"instructors_per_10000": 1, "instructors_per_1000": 10}


def target_for(code: str):
    found = plan_targets.targets(PER_10000, codes.upward(code))
    if not found:
        return None
    # The nearest plan: the division's own before its city's.
    by_code = {t.division_code: t for t in found}
    t = next(by_code[c] for c in codes.upward(code) if c in by_code)
    value = t.value * PER_10000[t.indicator]
    return {"per_10000": int(value) if value == value.to_integral_value() else value, "year": t.year,
            "plan": t.plan_key}


@reader
def index(request):
    top = scoping.top_regions(request.user).order_by("code").first()
    if top is None:
        return render(request, "people/figures_none.html")
    return redirect("people:figures_region", code=top.code)


def _region(request, code: str) -> Region:
    return scoping.get_scoped_or_404(request.user, Region.objects.all(), code=code_of(code))


@reader
def region_page(request, code: str):
    region = _region(request, code)
    data = division_figures(region, timezone.localdate())
    labels = dict(DutyLog.Setting.choices)
    return render(request, "people/figures.html", {
        "region": region, "d": data, "settings": [(labels[k], n) for k, n in data["into_settings"].items()], "target": target_for(region.code),
        "trail": [r for r in region.ancestors() if scoping.can_read_region(request.user, r.code)]})


@reader
def region_xlsx(request, code: str):
    region = _region(request, code)
    d = division_figures(region, timezone.localdate())
    headers = [_("Division"), _("Division code"), _("Resident population"), _("Active instructors"),
               _("Per 1,000 residents"), _("Per 10,000 residents"), _("Core instructors"), _("Guidance rate (%)"),
               _("Trained this year"), pgettext("guidance station", "Stations"), _("Volunteer hours"), _("Communities"),
               _("Communities with an instructor assigned"), _("Communities with a stable instructor"),
               _("Communities where an instructor lives")]

    def row(c):
        return [c["name"], c["code"], c["population"], c["instructors"], c["per_1000"], c["per_10000"], c["core"],
                c["guidance_rate"], c["trained_this_year"], c["stations"], c["volunteer_hours"], c["communities"],
                c["communities_assigned"], c["communities_stable"], c["communities_covered"]]

    rows = [row(d), *[row(c) for c in d["children"]]]
    without = [[r["name"], r["code"]] for r in d["communities_without"]]
    return excel.xlsx_response(f"instructor-figures-{region.code}.xlsx", [
        (_("Figures"), headers, rows), (_("Communities without an instructor assigned"),
                                        [_("Community"), _("Division code")], without)])
