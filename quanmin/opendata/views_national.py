"""The national export for staff: a division of their scope and a period, as JSON, CSV or Excel."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from quanmin.accounts import audit, scoping
from quanmin.accounts.decorators import role_required
from quanmin.core import excel
from quanmin.core.errors import ServiceError
from quanmin.regions.models import Region

from . import national, permissions

reader = role_required(scoping.is_division_staff)
SECTIONS = (("venues", gettext_lazy("Venues with free or low-fee opening")), ("equipment", gettext_lazy("Fitness equipment")),
            ("events", gettext_lazy("Games and events")))


def _choices(tops) -> list[Region]:
    """The divisions to pick from: the user's own and the counties (or townships) right under them."""
    out = []
    for top in tops:
        out.append(top)
        out.extend(Region.objects.filter(parent=top).order_by("code"))
    return out


@reader
def export(request):
    tops = permissions.export_tops(request.user)
    region = permissions.export_region(request.user, request.GET.get("region") or tops[0].code)
    period = request.GET.get("period") or str(timezone.localdate().year)
    fmt = request.GET.get("format", "")
    names = "national" if request.GET.get("names") == "national" else "ours"
    try:
        data = national.export(region, period, names=names)
    except ServiceError as exc:
        return render(request, "opendata/national.html", {
            "region": region, "period": period, "choices": _choices(tops), "error": exc.message}, status=400)
    if fmt:
        audit.record("export", request=request, region_code=region.code,
                     detail={"what": "national", "period": period, "format": fmt})
    filename = f"national-{region.code}-{period}"
    if fmt == "json":
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    if fmt == "xlsx":
        sheets = []
        for key, label in SECTIONS:
            rows = data[key]
            headers = list(rows[0]) if rows else [f["field"] for f in national.fields() if f["section"] == key]
            sheets.append((str(label)[:31], headers, [[r.get(h) for h in headers] for r in rows]))
        return excel.xlsx_response(f"{filename}.xlsx", sheets)
    return render(request, "opendata/national.html", {"region": region, "period": period, "choices": _choices(tops), "data": data,
                                                      "sections": SECTIONS, "fields": national.fields()})
