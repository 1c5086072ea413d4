"""Printable QR tags of equipment (under /staff/equipment/): each tag holds the piece's public report
page and the hotline residents call, so the tags belong to the reports, which own the hotline; the
register (facilities) only knows where a tag points."""

from django.shortcuts import render

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core.qr import qr_svg
from quanmin.facilities.models import Equipment, Facility
from quanmin.facilities.views_equipment import public_url

from . import routing

reader = role_required(scoping.is_division_staff)

SHEET_LIMIT = 200  # tags on one printed sheet


def _tags(request, pieces) -> list[dict]:
    hotlines = {}
    out = []
    for p in pieces:
        if p.region_id not in hotlines:
            hotlines[p.region_id] = routing.hotline_for(p.region_id)
        url = public_url(request, p.tag)
        out.append({"piece": p, "url": url, "qr": qr_svg(url, label=p.tag), "hotline": hotlines[p.region_id]})
    return out


@reader
def equipment_tag(request, pk):
    piece = scoping.get_scoped_or_404(request.user, Equipment.objects.select_related("facility", "site", "region"),
                                      pk=pk)
    return render(request, "feedback/staff/tags.html", {"tags": _tags(request, [piece]), "piece": piece})


@reader
def facility_tags(request, facility_id):
    facility = scoping.get_scoped_or_404(request.user, Facility.objects.select_related("site"), pk=facility_id)
    pieces = list(facility.equipment.exclude(status=Equipment.Status.REMOVED).select_related("facility", "site")
                  .order_by("id")[:SHEET_LIMIT + 1])
    return render(request, "feedback/staff/tags.html", {
        "tags": _tags(request, pieces[:SHEET_LIMIT]), "facility": facility, "more": len(pieces) > SHEET_LIMIT,
        "limit": SHEET_LIMIT})
