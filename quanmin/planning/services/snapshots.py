"""Snapshots of every indicator for every division (`manage.py snapshot_indicators`).

For each indicator and date the run computes every division of the subtree at the indicator's
levels in one call (the registry's contract: a few queries for a whole city), replaces that
(indicator, date)'s rows in one transaction and records a SnapshotRun; a later run skips what is
recorded, so an interrupted run resumes where it stopped and a monthly run takes only the new
month. Past month ends are backfilled from the registers' dated records: each indicator computes
its value as of the date asked (build dates, test dates, service logs, entries), as far as its
register keeps history (each app's indicators module says how far); an indicator declared
`dated=False` (the register as it stands now) is taken for today only, never written into the past.
"""

import calendar
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quanmin.core import bulk, indicators
from quanmin.regions import codes
from quanmin.regions.models import Region

from ..errors import PlanningError
from ..models import IndicatorSnapshot, SnapshotRun

MAX_DATES = 120  # ten years of month ends in one run


def month_ends(since: date, until: date) -> list[date]:
    """The last day of each month from `since`'s month to the month before `until`'s, then `until`."""
    found, year, month = [], since.year, since.month
    while (year, month) < (until.year, until.month):
        found.append(date(year, month, calendar.monthrange(year, month)[1]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    found.append(until)
    return found


def divisions_by_level(scope: str) -> dict[str, list[str]]:
    found = defaultdict(list)
    for code, level in Region.objects.filter(code__within=scope).order_by("code").values_list("code", "level"):
        found[level].append(code)
    return found


def take(dates: Iterable[date], *, scope: str, keys: Iterable[str] | None = None, again: bool = False,
         levels: Iterable[str] | None = None, log: Callable[[str], None] = lambda _line: None,
         today: date | None = None) -> dict:
    """Snapshot `keys` (every indicator by default) for every division under the prefix `scope`
    (only those at `levels`, if given), for each date; answers the counts."""
    dates = sorted(set(dates))
    if len(dates) > MAX_DATES:
        raise PlanningError("snapshot_too_many_dates", _("At most %(count)s dates in one run.") % {"count": MAX_DATES},
                            "since")
    if not codes.is_prefix(scope):
        raise PlanningError("snapshot_scope", _("Not a division code."), "division")
    registry = indicators.registry()
    keys = list(keys) if keys else list(registry)
    unknown = [k for k in keys if k not in registry]
    if unknown:
        raise PlanningError("target_indicator_unknown", _("There is no indicator of that name."), "indicator",
                            detail={"keys": unknown})
    by_level = divisions_by_level(scope)
    if levels is not None:
        by_level = {level: found for level, found in by_level.items() if level in set(levels)}
    # A run over some levels only is not the whole subtree's: it is recorded under its own scope
    # ("3715:city,county") so that a full run still computes every division.
    run_scope = scope if levels is None else f"{scope}:{','.join(sorted(set(levels)))}"[:40]
    done = set(SnapshotRun.objects.filter(indicator__in=keys, as_of__in=dates, scope=run_scope)
               .values_list("indicator", "as_of")) if not again else set()
    counts = {"computed": 0, "skipped": 0, "values": 0, "undated": 0}
    today = today or timezone.localdate()
    # Indicators of the same levels ask for the same codes, so within one date's batch those that
    # read the same rows (an app's tree of figures) build them once (core.indicators.memo).
    keys.sort(key=lambda k: (registry[k].levels, k))
    for as_of in dates:
        with indicators.batch():
            for key in keys:
                if (key, as_of) in done:
                    counts["skipped"] += 1
                    continue
                found = registry[key]
                if not found.dated and as_of < today:
                    counts["undated"] += 1
                    continue
                wanted = [c for level in found.levels for c in by_level.get(level, [])]
                started = time.perf_counter()
                values = found.compute(wanted, as_of) if wanted else {}
                seconds = time.perf_counter() - started
                with transaction.atomic():
                    _replace(key, as_of, values, scope if levels is None else None)
                    SnapshotRun.objects.update_or_create(indicator=key, as_of=as_of, scope=run_scope,
                                                         defaults={"divisions": len(values), "seconds": seconds})
                counts["computed"] += 1
                counts["values"] += len(values)
                log(f"{as_of} {key}: {len(values)} divisions in {seconds:.2f} s")
    return counts


def _replace(key: str, as_of: date, values: dict, scope: str | None) -> None:
    """The (indicator, date)'s rows of these divisions (of the whole subtree `scope`, when given)
    replaced by `values`: one DELETE, then the rows written by core.bulk (COPY on PostgreSQL: a
    province's 110,000 rows per indicator took 2.8 s as INSERTs, most of the run; one executemany
    elsewhere), without building a model per row."""
    old = IndicatorSnapshot.objects.filter(indicator=key, as_of=as_of)
    old = old.filter(division_code__within=scope) if scope is not None else old.filter(division_code__in=list(values))
    old.delete()
    bulk.insert_values(IndicatorSnapshot, [{"indicator": key, "division_code": code, "as_of": as_of, "value": value}
                                           for code, value in values.items()])


def top_scopes() -> list[str]:
    """The prefix of every top division (the provinces, or the cities of a city-only install)."""
    return [codes.prefix(c) for c in Region.objects.filter(parent__isnull=True).order_by("code")
            .values_list("code", flat=True)]


def month_end_due(today: date) -> date:
    """The month end the monthly snapshot stands for: today when it is the month's last day, else
    the last day of the month before (a run missed on the day is caught up after it)."""
    if today.day == calendar.monthrange(today.year, today.month)[1]:
        return today
    return today.replace(day=1) - timedelta(days=1)


def month_end_done(due: date, today: date, scopes: list[str]) -> bool:
    """Whether every indicator that can stand for `due` (the undated ones only when it is today)
    is recorded for every top division: one query."""
    expected = [key for key, found in indicators.registry().items() if found.dated or due >= today]
    finished = SnapshotRun.objects.filter(as_of=due, scope__in=scopes, indicator__in=expected).count()
    return finished >= len(expected) * len(scopes)


def monthly(today: date, log: Callable[[str], None] = lambda _line: None) -> dict:
    """The monthly snapshot (`manage.py planning_tick`, from `manage.py tick`): every indicator for
    every division at the month end due, for every top division; resumes what an earlier run left."""
    due = month_end_due(today)
    scopes = top_scopes()
    if not scopes or month_end_done(due, today, scopes):
        return {"as_of": due, "done": True, "computed": 0}
    counts = {"computed": 0, "skipped": 0, "values": 0, "undated": 0}
    for scope in scopes:
        for name, n in take([due], scope=scope, log=log, today=today).items():
            counts[name] += n
    return {"as_of": due, "done": month_end_done(due, today, scopes), **counts}
