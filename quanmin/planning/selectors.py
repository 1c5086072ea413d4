"""What the plans' pages, API and exports read: the plans a user may see, and each target's value,
history, status and forecast, computed from the registers' indicators (or from approved figures
entered by hand), for the plan's division and every division under it."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max, Q

from quanmin.accounts import scoping
from quanmin.core import indicators
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import measures, progress
from .models import IndicatorSnapshot, Plan, Target, TargetFigure, TaskPeriod

HISTORY_MONTHS = 24
# The dashboard reads an indicator's latest snapshot when it is at most this old (the monthly
# run plus a few days' slack); older, or missing a division, the indicator is computed live.
SNAPSHOT_MAX_AGE_DAYS = 40


def visible_plans(user):
    """The plans of the user's divisions and of the divisions above them."""
    plans = Plan.objects.all()
    if scoping.is_superuser(user):
        return plans
    prefixes = scoping.division_prefixes(user)
    if not prefixes:
        return plans.none()
    above = {a for p in prefixes for a in codes.ancestors(codes.pad(p))}
    q = Q(division_code__in=above)
    for p in prefixes:
        q |= Q(division_code__within=p)
    return plans.filter(q)


@dataclass
class DivisionValue:
    code: str
    name: str
    value: Decimal | None
    met: bool


@dataclass
class TargetRow:
    target: Target
    source: str  # "indicator", "figures", "none"
    indicator_label: str = ""
    value: Decimal | None = None  # in the target's unit; for an "every division" target: the share meeting it
    series: list = field(default_factory=list)  # [(date, value)]
    assessment: progress.Assessment | None = None
    divisions: list[DivisionValue] = field(default_factory=list)  # every division at the level (each) or the children
    failing: list[DivisionValue] = field(default_factory=list)
    as_of: date | None = None  # the date the value stands for: the snapshot's, or today when computed live
    baseline: Decimal | None = None  # an "up" target's goal to exceed: last year's value (at its end)
    live: bool = False  # computed for this request rather than read from a snapshot

    @property
    def status(self) -> str:
        return self.assessment.status if self.assessment else progress.NO_DATA

    @property
    def sparkline(self) -> str:
        """SVG polyline points (100 × 24 box) of the series."""
        values = [(d, float(v)) for d, v in self.series if v is not None]
        if len(values) < 2:
            return ""
        first, last = values[0][0], values[-1][0]
        span = max((last - first).days, 1)
        low = min(v for _d, v in values)
        high = max(v for _d, v in values)
        height = (high - low) or 1
        return " ".join(f"{100 * (d - first).days / span:.1f},{22 - 20 * (v - low) / height:.1f}" for d, v in values)


def _convert(value, indicator, target: Target):
    if value is None or indicator is None:
        return value
    return measures.convert(value, indicator.unit, target.unit)


def _level_codes(plan: Plan, levels: set[str]) -> dict[str, list[tuple[str, str]]]:
    """{level: [(code, name)]} of the divisions under the plan's division at each level."""
    found = defaultdict(list)
    if not levels:
        return found
    rows = (Region.objects.filter(code__within=codes.prefix(plan.division_code), level__in=levels)
            .order_by("code").values_list("code", "name", "level"))
    for code, name, level in rows:
        found[level].append((code, name))
    return found


def children(plan: Plan) -> list[tuple[str, str]]:
    return list(Region.objects.filter(parent_id=plan.division_code).order_by("code").values_list("code", "name"))


def dashboard(plan: Plan, today: date, *, with_divisions: bool = True, live: bool = False) -> dict:
    """Every target of the plan with its value, series, status and forecast; the plan division's
    children (counties of a city) with the targets each meets, ranked. Each indicator's values are
    its latest snapshot's (`snapshot_indicators`, monthly) when one at most SNAPSHOT_MAX_AGE_DAYS
    old holds every division asked for; the others (or all, with `live`) are computed now."""
    targets = list(plan.targets.all())
    registry = indicators.registry()
    kids = children(plan) if with_divisions else []
    levels = {t.level for t in targets if t.each}
    by_level = _level_codes(plan, levels)
    # The plan's division, its children, and every division at the levels of "every division"
    # targets: each indicator read (or computed) once for all of them.
    wanted = defaultdict(set)
    for t in targets:
        if t.indicator in registry:
            wanted[t.indicator].add(plan.division_code)
            wanted[t.indicator].update(code for code, _n in kids)
            if t.each:
                wanted[t.indicator].update(code for code, _n in by_level[t.level])
    found = {} if live else snapshot_values(wanted, today)
    computed = [key for key in wanted if key not in found]
    with indicators.batch():
        for key in computed:
            found[key] = (today, registry[key].compute(sorted(wanted[key]), today))
    history = _history(plan, [t for t in targets if t.indicator in registry], today)
    figures = _figures(plan, [t for t in targets if t.indicator not in registry], today)
    rising = {t.indicator for t in targets if t.comparator == Target.Comparator.INCREASE and t.indicator in registry}
    baselines = {key: last_year_values(key, wanted[key], found[key][0]) for key in rising}
    rows = []
    for t in targets:
        indicator = registry.get(t.indicator)
        row = TargetRow(t, "indicator" if indicator else ("figures" if figures.get(t.pk) else "none"),
                        indicator_label=str(indicator.label) if indicator else "")
        as_of, values = found.get(t.indicator, (today, {}))
        if indicator:
            row.as_of, row.live = as_of, t.indicator in computed
        up = t.comparator == Target.Comparator.INCREASE
        if indicator and up:
            before = {code: _convert(v, indicator, t) for code, v in baselines[t.indicator].items()}
        elif up:
            before = _figures_before(figures.get(t.pk, []))
        else:
            before = {}

        def goal(code, t=t, up=up, before=before):
            return before.get(code) if up else t.value

        if t.each:
            members = by_level[t.level]
            if indicator:
                values = {code: _convert(values.get(code), indicator, t) for code, _n in members}
            else:
                values = {code: v for (code, _d), v in _latest(figures.get(t.pk, [])).items()}
            row.divisions = [DivisionValue(code, name, values.get(code), progress.satisfies(
                values.get(code), t.comparator, goal(code))) for code, name in members]
            row.failing = [d for d in row.divisions if not d.met]
            if row.divisions and any(d.value is not None for d in row.divisions):
                row.value = indicators.percent(len(row.divisions) - len(row.failing), len(row.divisions))
            row.series = [(as_of, row.value)]
            row.assessment = progress.assess(row.series, ">=", Decimal(100), t.deadline, today)
        else:
            if indicator:
                row.value = _convert(values.get(plan.division_code), indicator, t)
                row.series = [(d, _convert(v, indicator, t)) for d, v in history.get(t.indicator, [])
                              if d < as_of] + [(as_of, row.value)]
                row.divisions = [DivisionValue(code, name, v := _convert(values.get(code), indicator, t),
                                               progress.satisfies(v, t.comparator, goal(code))) for code, name in kids]
            else:
                mine = [(d, v) for (code, d), v in _by_date(figures.get(t.pk, [])).items() if code == plan.division_code]
                row.series = sorted(mine)
                row.value = row.series[-1][1] if row.series else None
            deadline = t.deadline
            if t.kind == Target.Kind.YEARLY or up:
                deadline = min(deadline, date(today.year, 12, 31)) if today.year <= t.deadline.year else deadline
            row.baseline = goal(plan.division_code) if up else None
            row.assessment = progress.assess(row.series, t.comparator, goal(plan.division_code), deadline, today)
        rows.append(row)
    snapshot_dates = sorted({found[key][0] for key in found if key not in computed})
    return {"plan": plan, "rows": rows, "ranking": ranking(rows, kids), "today": today,
            "counts": _status_counts(rows),
            "freshness": {"oldest": snapshot_dates[0] if snapshot_dates else None,
                          "newest": snapshot_dates[-1] if snapshot_dates else None,
                          "from_snapshot": len(found) - len(computed), "live": len(computed)}}


def year_end_before(day: date) -> date:
    """The end of the year before `day`'s: what an "up" target's value is compared with."""
    return date(day.year - 1, 12, 31)


def last_year_values(key: str, wanted: set[str], as_of: date) -> dict[str, Decimal | None]:
    """{code: the indicator's value at the end of the year before `as_of`'s}: its stored snapshot
    (one query); the codes it lacks computed for that date when the indicator's register keeps
    history (`dated`), else None."""
    day = year_end_before(as_of)
    found = dict(IndicatorSnapshot.objects.filter(indicator=key, as_of=day, division_code__in=wanted)
                 .values_list("division_code", "value"))
    missing = sorted(set(wanted) - set(found))
    indicator = indicators.registry()[key]
    if missing and indicator.dated:
        found.update(indicator.compute(missing, day))
    return {code: found.get(code) for code in wanted}


def _figures_before(figures) -> dict:
    """{code: the last approved figure at or before the end of the year before its latest one}."""
    latest = {code: as_of for code, as_of, _v in figures}
    found = {}
    for code, as_of, value in figures:
        if as_of <= year_end_before(latest[code]):
            found[code] = value
    return found


def snapshot_values(wanted: dict[str, set[str]], today: date) -> dict[str, tuple[date, dict]]:
    """{indicator: (date, {code: value})} from each indicator's latest snapshot no older than
    SNAPSHOT_MAX_AGE_DAYS, for the indicators whose snapshot holds every code asked for at the
    indicator's levels (the others are None, as the snapshot leaves them); two queries."""
    if not wanted:
        return {}
    registry = indicators.registry()
    since = today - timedelta(days=SNAPSHOT_MAX_AGE_DAYS)
    every = set().union(*wanted.values())
    latest = dict(IndicatorSnapshot.objects.filter(indicator__in=list(wanted), as_of__gte=since, as_of__lte=today,
                                                   division_code__in=every)
                  .values_list("indicator").annotate(latest=Max("as_of")).values_list("indicator", "latest"))
    if not latest:
        return {}
    q = Q()
    for key, as_of in latest.items():
        q |= Q(indicator=key, as_of=as_of)
    rows = defaultdict(dict)
    for key, code, value in (IndicatorSnapshot.objects.filter(q, division_code__in=every)
                             .values_list("indicator", "division_code", "value")):
        if code in wanted[key]:
            rows[key][code] = value
    found = {}
    for key, as_of in latest.items():
        levels = set(registry[key].levels)
        needed = {code for code in wanted[key] if codes.level(code) in levels}
        if needed <= rows[key].keys():
            found[key] = (as_of, {code: rows[key].get(code) for code in wanted[key]})
    return found


def _status_counts(rows) -> dict:
    counts = dict.fromkeys((progress.MET, progress.ON_TRACK, progress.AT_RISK, progress.OFF_TRACK, progress.NO_DATA), 0)
    for row in rows:
        counts[row.status] += 1
    return counts


def ranking(rows: list[TargetRow], kids) -> list[dict]:
    """The plan division's children ranked by the share of the targets that apply to them (ratios
    and shares, computed for each) they meet."""
    board = []
    for code, name in kids:
        applicable = met = 0
        for row in rows:
            if row.target.kind not in (Target.Kind.RATIO, Target.Kind.SHARE) or row.target.each:
                continue
            found = next((d for d in row.divisions if d.code == code), None)
            if found is None or found.value is None:
                continue
            applicable += 1
            met += found.met
        board.append({"code": code, "name": name, "met": met, "applicable": applicable,
                      "share": indicators.percent(met, applicable)})
    board.sort(key=lambda r: (-(r["share"] or Decimal(-1)), -r["met"], r["code"]))
    for place, row in enumerate(board, start=1):
        row["place"] = place
    return board


def _history(plan: Plan, targets: list[Target], today: date) -> dict[str, list]:
    keys = {t.indicator for t in targets}
    if not keys:
        return {}
    since = date(today.year - HISTORY_MONTHS // 12, today.month, 1)
    found = defaultdict(list)
    rows = (IndicatorSnapshot.objects.filter(indicator__in=keys, division_code=plan.division_code, as_of__gte=since)
            .order_by("as_of").values_list("indicator", "as_of", "value"))
    for key, as_of, value in rows:
        found[key].append((as_of, value))
    return found


def _figures(plan: Plan, targets: list[Target], today: date) -> dict[int, list]:
    """Approved figures of the targets no indicator computes, up to `today` (a past year's report
    reads that year's): {target id: [(code, as_of, value)]}."""
    if not targets:
        return {}
    found = defaultdict(list)
    rows = (TargetFigure.objects.filter(target__in=targets, status=TargetFigure.Status.APPROVED, as_of__lte=today)
            .order_by("as_of", "entered_at").values_list("target_id", "division_code", "as_of", "value"))
    for target_id, code, as_of, value in rows:
        found[target_id].append((code, as_of, value))
    return found


def _by_date(figures) -> dict:
    """The last approved figure for each (division, date)."""
    return {(code, as_of): value for code, as_of, value in figures}


def _latest(figures) -> dict:
    """The latest figure of each division: {(code, date): value}, one per code."""
    latest = {}
    for code, as_of, value in figures:
        latest[code] = (as_of, value)
    return {(code, as_of): value for code, (as_of, value) in latest.items()}


def task_board(plan: Plan, today: date, *, sort: str = "order") -> dict:
    """The plan's tasks by status and by unit: each task's current period (this year's, or the
    last one), its reporting units, and whether it is overdue. In the plan's order, or with
    sort="priority" in the priority order (优先序: 1 first, tasks without one last)."""
    tasks = list(plan.tasks.prefetch_related("units__department").order_by("order"))
    if sort == "priority":
        tasks.sort(key=lambda task: (task.priority is None, task.priority or 0, task.order))
    periods = {}
    for period in TaskPeriod.objects.filter(task__plan=plan).order_by("task_id", "year"):
        current = periods.get(period.task_id)
        if current is None or period.year <= today.year:
            periods[period.task_id] = period
    cards, by_unit = [], defaultdict(lambda: defaultdict(int))
    for task in tasks:
        period = periods.get(task.pk)
        units = list(task.units.all())
        leads = [u for u in units if u.role == "lead"] or [u for u in units if u.role == "responsible"]
        status = period.status if period else "open"
        overdue = bool(period and period.due_on < today and status != "accepted")
        cards.append({"task": task, "period": period, "status": status, "overdue": overdue,
                      "leads": [u.department for u in leads],
                      "others": [u.department for u in units if u not in leads]})
        for unit in leads:
            by_unit[unit.department.name][status] += 1
            by_unit[unit.department.name]["overdue"] += overdue
            by_unit[unit.department.name]["total"] += 1
    columns = {}
    for card in cards:
        columns.setdefault(card["status"], []).append(card)
    return {"cards": cards, "columns": columns, "overdue": sum(c["overdue"] for c in cards),
            "units": sorted(((name, dict(counts)) for name, counts in by_unit.items()),
                            key=lambda item: (-item[1].get("overdue", 0), -item[1]["total"], item[0]))}


def phase_strip(plan: Plan, today: date) -> list[dict]:
    """The plan's phases in order, each with the targets and tasks due in it (their deadline inside
    the phase) and whether it is past, under way or to come (D15)."""
    targets = list(plan.targets.order_by("deadline", "order"))
    tasks = list(plan.tasks.order_by("deadline", "order"))
    strip = []
    for phase in plan.phases.all():
        state = "past" if phase.ends_on < today else "current" if phase.starts_on <= today else "coming"
        strip.append({"phase": phase, "state": state,
                      "targets": [t for t in targets if phase.starts_on <= t.deadline <= phase.ends_on],
                      "tasks": [t for t in tasks if t.deadline and phase.starts_on <= t.deadline <= phase.ends_on]})
    return strip
