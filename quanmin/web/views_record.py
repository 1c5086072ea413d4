"""The resident's exercise-and-health record (个人运动健康电子档案): the page (phone first, printable)
and its Excel download. Signed-in people only, and only their own record (quanmin.web.record)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from quanmin.core.excel import xlsx_response

from . import record


def _year(raw: str, years: list[int]) -> int | None:
    """The year asked for, when the record has it; else None (every year)."""
    return int(raw) if raw.isdigit() and int(raw) in years else None


@login_required
def record_page(request):
    found = record.build(request.user)
    record.log_read(request, "own health record")
    years = [y.year for y in found.years]
    year = _year(request.GET.get("year", ""), years)
    shown = [y for y in found.years if year is None or y.year == year]
    by_year = [{"summary": y, "lines": [line for line in found.lines if line.year == y.year]} for y in shown]
    return render(request, "web/record.html", {
        "record": found, "years": years, "year": year, "by_year": by_year, "now": timezone.now()})


@login_required
def record_export(request):
    found = record.build(request.user)
    record.log_read(request, "own health record download")
    day = timezone.localdate().isoformat()
    return xlsx_response(f"quanmin-health-record-{day}.xlsx", record.sheets(found))
