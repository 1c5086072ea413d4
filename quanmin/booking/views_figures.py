"""Booking figures for the plans, per division, for division staff, supervisors and evaluators in scope."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.regions.models import Region

from . import figures
from .forms_staff import parse_day

reader = role_required(scoping.is_division_staff)
MAX_DAYS = 731


def period(request):
    """The period asked for, or the last 30 days; a bad or over-long range falls back to the default."""
    default_first, default_last = figures.default_period()
    first = parse_day(request.GET.get("from"), default_first)
    last = parse_day(request.GET.get("to"), default_last)
    if last < first or (last - first).days > MAX_DAYS:
        return default_first, default_last
    return first, last


def region_in_scope(user, code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None or not scoping.can_read_region(user, region.code):
        raise Http404
    return region


@reader
def index(request):
    top = scoping.top_regions(request.user).order_by("code").first()
    if top is None:
        raise Http404
    return redirect("booking:staff_figures_region", code=top.code)


def _pct(x):
    return None if x is None else round(100 * x, 1)


@reader
def region(request, code):
    region = region_in_scope(request.user, code)
    first, last = period(request)
    result = figures.division_figures(region, first, last)
    chart = {
        "names": [c.name for c in result.children],
        "bookable": [_pct(c.bookable_share) for c in result.children],
        "utilisation": [_pct(c.utilisation) for c in result.children],
        "labels": {"bookable": _("Public venues bookable online, per cent"), "utilisation": _("Utilisation, per cent")},
    }
    return render(request, "booking/staff/figures.html", {
        "region": region, "f": result.figures, "children": result.children, "first": first, "last": last,
        "trail": [r for r in region.ancestors() if scoping.can_read_region(request.user, r.code)],
        "chart": chart,
    })
