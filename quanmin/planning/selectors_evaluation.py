"""What the evaluation pages, API, exports and the annual report read: each county's scores in an
evaluation (computed items worked out from the plan's targets at the year's end, entered items as
the evaluator scored them, the third party's beside them), totals and the ranking.

A county whose result was approved reads what was frozen then; an open one is worked out now.
`ranking()` is what other pages (bulletins, the annual report) take the counties' order from.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from quanmin.core import indicators
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import measures, progress, scoring, selectors
from .models import CountyScore, Evaluation, EvaluationItem, ItemScore, Target, TargetFigure


def as_of(evaluation: Evaluation, today: date) -> date:
    """The day the evaluation's values stand for: its year's last, or today while the year runs."""
    return min(date(evaluation.year, 12, 31), today)


@dataclass
class ItemResult:
    item: EvaluationItem
    computed: bool
    value: Decimal | None = None  # the target's value (computed items)
    score: Decimal | None = None  # official, 0–100; None: not scored yet
    note: str = ""
    evidence: object = None
    official: ItemScore | None = None
    third_party: ItemScore | None = None

    @property
    def points(self) -> Decimal | None:
        return None if self.score is None else scoring.rounded(self.item.weight * self.score / scoring.HUNDRED)


@dataclass
class CountyResult:
    code: str
    name: str
    county: CountyScore
    items: list[ItemResult] = field(default_factory=list)
    total: Decimal = Decimal(0)
    third_party_total: Decimal | None = None
    third_party_scored: int = 0
    missing: int = 0  # entered items with no official score yet
    place: int = 0

    @property
    def approved(self) -> bool:
        return self.county.status == CountyScore.Status.APPROVED


def _figure_values(target: Target, wanted: list[str], day: date) -> dict[str, Decimal | None]:
    """The latest approved figure of each division on or before `day`."""
    found = {}
    rows = (TargetFigure.objects.filter(target=target, status=TargetFigure.Status.APPROVED, division_code__in=wanted,
                                        as_of__lte=day).order_by("as_of", "entered_at")
            .values_list("division_code", "value"))
    for code, value in rows:
        found[code] = value
    return found


def _target_values(target: Target, wanted: list[str], day: date) -> dict[str, Decimal | None]:
    """{code: value in the target's unit} from its indicator, or from the figures entered for it."""
    indicator = indicators.registry().get(target.indicator)
    if indicator is None:
        return _figure_values(target, wanted, day)
    found = indicator.compute(wanted, day)
    return {code: measures.convert(v, indicator.unit, target.unit) for code, v in found.items()}


def _goals(target: Target, wanted: list[str], day: date) -> dict[str, Decimal | None]:
    """{code: the goal each division's value is compared with}: the target's value, or for a target
    that asks for a rise (comparator up) the division's own value at the end of the year before."""
    if target.comparator != Target.Comparator.INCREASE:
        return dict.fromkeys(wanted, target.value)
    indicator = indicators.registry().get(target.indicator)
    if indicator is None:
        return _figure_values(target, wanted, selectors.year_end_before(day))
    found = selectors.last_year_values(target.indicator, set(wanted), day)
    return {code: measures.convert(v, indicator.unit, target.unit) for code, v in found.items()}


def computed_scores(items: list[EvaluationItem], division_codes: list[str], day: date) -> dict:
    """{(item id, code): (value, score)} of the computed items for each division: each target's
    indicator computed once for all of them (and for their own divisions at the target's level when
    every one of those must meet it: the value is then the share that does)."""
    out = {}
    if not division_codes:
        return out
    with indicators.batch():
        for item in items:
            if not item.computed:
                continue
            target = item.target
            depth = codes.LEVELS.index(codes.level(division_codes[0])) if codes.level(division_codes[0]) in codes.LEVELS else 0
            below = target.each and codes.LEVELS.index(target.level) > depth
            if not below:
                values = _target_values(target, division_codes, day)
                goals = _goals(target, division_codes, day)
                for code in division_codes:
                    value = values.get(code)
                    out[item.pk, code] = (value, scoring.target_score(value, target.comparator, goals.get(code)))
                continue
            members = defaultdict(list)
            q = Q()
            for code in division_codes:
                q |= Q(code__within=codes.prefix(code))
            for code in Region.objects.filter(q, level=target.level).values_list("code", flat=True):
                members[codes.ancestor_at(code, codes.level(division_codes[0]))].append(code)
            every = [c for group in members.values() for c in group]
            values = _target_values(target, every, day) if every else {}
            goals = _goals(target, every, day) if every else {}
            for code in division_codes:
                group = members.get(code, [])
                met = sum(progress.satisfies(values.get(c), target.comparator, goals.get(c)) for c in group)
                share = indicators.percent(met, len(group))
                out[item.pk, code] = (share, scoring.share_score(share))
    return out


def items_of(plan) -> list[EvaluationItem]:
    return list(EvaluationItem.objects.filter(plan=plan).select_related("target").order_by("order"))


def results(evaluation: Evaluation, today: date, *, division_codes=None) -> list[CountyResult]:
    """Every scored division of the evaluation (or those asked for), ranked by official total."""
    items = items_of(evaluation.plan)
    counties = list(CountyScore.objects.filter(evaluation=evaluation).order_by("division_code"))
    if division_codes is not None:
        counties = [c for c in counties if c.division_code in set(division_codes)]
    names = dict(Region.objects.filter(code__in=[c.division_code for c in counties]).values_list("code", "name"))
    stored = defaultdict(dict)
    for s in ItemScore.objects.filter(county__in=counties).select_related("scored_by"):
        stored[s.county_id][s.item_id, s.source] = s
    open_codes = [c.division_code for c in counties if c.status == CountyScore.Status.OPEN]
    live = computed_scores(items, open_codes, as_of(evaluation, today))
    found = []
    for county in counties:
        result = CountyResult(county.division_code, names.get(county.division_code, ""), county)
        mine = stored[county.pk]
        for item in items:
            official = mine.get((item.pk, ItemScore.Source.OFFICIAL))
            row = ItemResult(item, item.computed, official=official,
                             third_party=mine.get((item.pk, ItemScore.Source.THIRD_PARTY)))
            if item.computed and county.status == CountyScore.Status.OPEN:
                row.value, row.score = live.get((item.pk, county.division_code), (None, scoring.rounded(0)))
            elif official is not None:
                row.value, row.score, row.note, row.evidence = official.value, official.score, official.note, official.evidence
            elif not item.computed:
                result.missing += 1
            result.items.append(row)
        result.total = county.total if county.total is not None else scoring.total(
            [(r.item.weight, r.score) for r in result.items])
        third = [(r.item.weight, r.third_party.score) for r in result.items if r.third_party is not None]
        result.third_party_scored = len(third)
        result.third_party_total = scoring.total(third) if third else None
        found.append(result)
    found.sort(key=lambda r: (-r.total, r.code))
    for place, r in enumerate(found, start=1):
        r.place = place
    return found


def ranking(evaluation: Evaluation, today: date) -> list[dict]:
    """The counties by official total: place, code, name, total, status, the third party's total."""
    return [{"place": r.place, "code": r.code, "name": r.name, "total": r.total, "approved": r.approved,
             "status": r.county.status, "third_party_total": r.third_party_total, "missing": r.missing}
            for r in results(evaluation, today)]


def scored_divisions(plan) -> list[tuple[str, str]]:
    """The divisions an evaluation of the plan scores: the plan division's children (a city's counties)."""
    return selectors.children(plan)
