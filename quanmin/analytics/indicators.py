"""The fitness circle as indicators (see quanmin.core.indicators): the share of residents within a
10- or 15-minute walk of a sports facility, read from the latest finished fitness-circle analysis.

An analysis (CircleRun) of a division covers its whole subtree: its result's division table
holds the division and every division under it with residents. A division's value is therefore
taken from the latest finished analysis, at the standard walking speed, of the division itself
or of a division above it (an analysis of a smaller area holds only part of a division's
residents, so it does not count). The analyses are the register as it stands when they ran
(`dated=False`); two queries whatever the number of divisions asked for.
"""

import datetime
from decimal import Decimal

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import decimal, indicator, memo
from quanmin.regions import codes

from .circle.standard import DEFAULT_SPEED_KMH, minutes_key
from .models import CircleRun

EVERY_LEVEL = ("city", "county", "township", "community")


def latest_results(wanted: list[str]) -> dict[str, dict]:
    """{division code: the division table's row} of each code asked for, from the latest finished
    analysis at the standard speed of the division or of a division above it."""
    above = {a for code in wanted if codes.is_code(code) for a in codes.upward(code)}
    done = CircleRun.objects.filter(region_id__in=above, status=CircleRun.Status.DONE, speed_kmh=DEFAULT_SPEED_KMH,
                                    result__isnull=False)
    latest = dict(done.values_list("region_id").annotate(last=Max("finished_at")).order_by())
    runs = {}
    for run in (done.filter(region_id__in=list(latest), finished_at__in=set(latest.values()))
                .order_by("region_id", "-finished_at", "-pk")):
        if run.region_id not in runs and run.finished_at == latest[run.region_id]:
            runs[run.region_id] = run
    found = {}
    for code in wanted:
        # The nearest analysis first: the division's own, then its county's, its city's...
        for region in [a for a in codes.upward(code) if a in runs] if codes.is_code(code) else []:
            row = next((r for r in runs[region].result.get("divisions", []) if r.get("region_code") == code), None)
            if row is not None:
                found[code] = row
                break
    return found


def _share(minutes: float):
    key = minutes_key(minutes)

    def compute(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
        rows = memo(("circle_rows", tuple(wanted)), lambda: latest_results(wanted))
        out = {}
        for code in wanted:
            cell = (rows.get(code) or {}).get("minutes", {}).get(key) or {}
            share = cell.get("share")
            out[code] = None if share is None else decimal(round(share * 100, 1))
        return out
    return compute


walk_10_minute_share = indicator(
    "walk_10_minute_share", unit="percent", levels=EVERY_LEVEL, dated=False,
    label=_("Residents within a 10-minute walk of a facility"),
    description=_("Share of the resident population within a 10-minute walk of a sports facility, from the "
                  "latest fitness-circle analysis (the 10-minute fitness circle)."))(_share(10))
walk_15_minute_share = indicator(
    "walk_15_minute_share", unit="percent", levels=EVERY_LEVEL, dated=False,
    label=_("Residents within a 15-minute walk of a facility"),
    description=_("Share of the resident population within a 15-minute walk of a sports facility, from the "
                  "latest fitness-circle analysis (the 15-minute fitness circle)."))(_share(15))
