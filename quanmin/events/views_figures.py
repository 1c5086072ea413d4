"""The events' figures for staff: the indicators for a division and its parts in a year, with a
chart, the communities that have not held games yet, events per association and per target group;
the same as Excel. Division staff, supervisors and evaluators, each inside their scope."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError
from quanmin.core.excel import xlsx_response

from . import reports, services
from .figures import figures
from .models import PromotedSport, Sport

reader = role_required(scoping.is_division_staff)


def _year(request, params=None) -> int:
    raw = (request.GET if params is None else params).get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@reader
def figures_page(request):
    return render(request, "events/staff/figures.html", figures(request.user, request.GET.get("code", ""), _year(request)))


@reader
def figures_xlsx(request):
    data = figures(request.user, request.GET.get("code", ""), _year(request))
    heads = [_("division"), *[f"{label} ({unit})" for label, unit in zip(data["labels"], data["units"], strict=True)]]
    rows = ([r["region"].name, *[float(v) if v is not None else "" for v in r["values"]]] for r in data["rows"])
    missing = ([m.parent.name if m.parent else "", m.name] for m in data["missing"])
    townships = ([t.name, n, _("Yes") if brand else ""] for t, n, brand in data["townships"])
    return xlsx_response(f"events-{data['region'].code}-{data['year']}.xlsx", [
        (_("Figures"), heads, rows), (_("No games yet"), [_("township"), _("community")], missing),
        (_("Townships"), [_("township"), _("Activities this year"), _("Brand event")], townships),
        (_("Associations"), [_("association"), _("events")], data["associations"]),
        (_("Person-times"), [_("Breakdown"), _("Person-times")],
         [[_("All"), data["person_times"]], *[[f"{_('Sex')}: {s}", n] for s, n in data["by_sex"]],
          *[[f"{_('Age')}: {band}", n] for band, n in data["by_age"]]])])


# -- the reports of A15, A19, A22 and A24 ------------------------------------------------------------

@reader
def reports_page(request):
    data = reports.report(request.user, request.GET.get("code", ""), _year(request))
    data["sports"] = Sport.choices
    data["writable"] = scoping.can_write_region(request.user, data["region"].code)
    return render(request, "events/staff/reports.html", data)


@reader
def reports_xlsx(request):
    data = reports.report(request.user, request.GET.get("code", ""), _year(request))
    yes = _("Yes")
    return xlsx_response(f"event-reports-{data['region'].code}-{data['year']}.xlsx", [
        (_("Figures"), [_("indicator"), _("value")],
         [[str(data["labels"][k]), float(v) if v is not None else ""] for k, v in data["figures"].items()]),
        (_("Employee events"), [_("event"), _("division"), _("first day"), _("last day"), _("days"), _("league")],
         ([w["name"], w["division"], w["first_day"], w["last_day"], w["days"], yes if w["league"] else ""]
          for w in data["workers"])),
        (_("Joint events"), [_("event"), _("division"), _("first day"), _("co-organising departments")],
         ([j["name"], j["division"], j["first_day"], "、".join(j["departments"])] for j in data["joint"])),
        (_("Youth by stage"), [_("school stage"), *data["youth_levels"], _("total")],
         ([r["stage"], *r["counts"], r["total"]] for r in data["youth_rows"])),
        (_("Youth across regions"), [_("competition"), _("event"), _("division"), _("school stage"), _("counties")],
         ([a["name"], a["games"], a["division"], a["stage"], a["counties"]] for a in data["youth_across"])),
        (_("Promoted sports"), [_("division"), _("sport"), _("how it is promoted"), _("events"), _("entries")],
         ([p["division"], p["sport_label"], p["note"], p["events"], p["entries"]] for p in data["promoted"]))])


@role_required(lambda u: scoping.is_division_staff(u, write=True))
@require_POST
def promote_view(request):
    region = reports.region_for(request.user, request.POST.get("code", ""))
    year = _year(request, request.POST)
    back = f"{reverse('events:reports')}?{urlencode({'code': region.code, 'year': year})}"
    try:
        services.promote_sport(request.user, region, year, request.POST.get("sport", ""), request.POST.get("note", ""),
                               request=request)
        messages.success(request, _("Saved."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(back)


@role_required(lambda u: scoping.is_division_staff(u, write=True))
@require_POST
def drop_promoted_view(request, pk: int):
    promoted = scoping.get_scoped_or_404(request.user, PromotedSport.objects.all(), True, pk=pk)
    services.drop_promoted(request.user, promoted, request=request)
    messages.success(request, _("Removed."))
    return redirect(f"{reverse('events:reports')}?{urlencode({'code': promoted.region_id, 'year': promoted.year})}")
