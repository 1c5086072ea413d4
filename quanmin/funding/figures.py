"""Funding figures: per division and year, the planned and actual amounts per source and per
budget line, the social share, and the lottery fund's share spent on fitness; the city's rows are
its counties' and its own added up (city → county roll-up). A few queries per call, whatever the
number of divisions; the indicators (indicators.py) read the same sums.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from quanmin.core.indicators import percent
from quanmin.regions import codes
from quanmin.regions.models import Region
from quanmin.regions.selectors import with_children

from .models import SOCIAL_SOURCES, Amount, Line, LotteryFund, Source

ZERO = Decimal("0.00")


@dataclass
class Totals:
    """One division's figures for a year."""
    region: Region | None = None
    sources: dict = field(default_factory=lambda: {s.value: [ZERO, ZERO] for s in Source})
    lines: dict = field(default_factory=lambda: {line.value: [ZERO, ZERO] for line in Line})
    received: Decimal = ZERO
    fitness: Decimal = ZERO
    has_fund: bool = False

    def add(self, kind: str, item: str, planned: Decimal, actual: Decimal) -> None:
        slot = (self.sources if kind == Amount.Kind.SOURCE else self.lines)[item]
        slot[0] += planned
        slot[1] += actual

    def total(self, which: int) -> Decimal:
        return sum((v[which] for v in self.sources.values()), ZERO)

    @property
    def planned(self) -> Decimal:
        return self.total(0)

    @property
    def actual(self) -> Decimal:
        return self.total(1)

    @property
    def social_share(self) -> Decimal | None:
        """Company donations, residents' own funds and sponsorship over all sources, actual amounts."""
        return percent(sum((self.sources[s][1] for s in SOCIAL_SOURCES), ZERO), self.actual)

    @property
    def lottery_share(self) -> Decimal | None:
        return percent(self.fitness, self.received) if self.has_fund else None

    def source_rows(self):
        return [(s.label, *self.sources[s.value]) for s in Source]

    def line_rows(self):
        return [(line.label, *self.lines[line.value]) for line in Line]


def totals(wanted: list[str], year: int) -> dict[str, Totals]:
    """{code: Totals} for each division asked for, over its whole subtree, for one year."""
    out = {code: Totals() for code in wanted}
    if not wanted:
        return out
    shared = codes.common_prefix(wanted)
    where = {"region__code__within": codes.prefix(shared)} if shared else {}
    amounts = (Amount.objects.filter(project__year=year, **{f"project__{k}": v for k, v in where.items()})
               .values_list("project__region_id", "kind", "item").annotate(planned=Sum("planned"), actual=Sum("actual")))
    for region_code, kind, item, planned, actual in amounts:
        for code in wanted:
            if codes.contains(code, region_code):
                out[code].add(kind, item, planned, actual)
    funds = (LotteryFund.objects.filter(year=year, **where)
             .values_list("region_id", "received", "fitness"))
    for region_code, received, fitness in funds:
        for code in wanted:
            if codes.contains(code, region_code):
                found = out[code]
                found.received += received
                found.fitness += fitness
                found.has_fund = True
    return out


def rollup(top: Region, year: int) -> list[Totals]:
    """The division's figures first, then each division just below it (a city's counties)."""
    divisions = rollup_regions(top) if codes.level(top.code) == "city" else [top]
    found = totals([r.code for r in divisions], year)
    rows = []
    for division in divisions:
        row = found[division.code]
        row.region = division
        rows.append(row)
    return rows


def by_item_sums(rows: list[Totals]) -> dict:
    """What the roll-up page's chart draws: each row's actual amounts per source."""
    out = defaultdict(list)
    for row in rows:
        for s in Source:
            out[s.value].append(float(row.sources[s.value][1]))
    return dict(out)


def default_year() -> int:
    """The year a page or the API shows when none is asked: the current one."""
    return timezone.localdate().year


def rollup_regions(top: Region | None) -> list[Region]:
    """The top of the user's scope and the divisions just below it."""
    return with_children(top)
