"""The opening of publicly funded venues (财政投入的体育场馆) as the register shows it: which are open
free or at a low fee, and how many hours they are open against the hours required.

A publicly funded venue is an open site owned by the government (OwnerKind.GOVERNMENT): the
stadiums, fitness centres, sports parks and trails the sports bureau and other departments built
with public money. Community, school, enterprise and private grounds answer to other rules.

It is open free or at a low fee when one of its grounds is (access free or low_fee) or it keeps
free or low-fee hours (an OpeningRule of kind benefit): the finder's "free or low fee" filter.

The hours required are those the State General Administration of Sport and the Ministry of Finance
set for venues open free or at a low fee (体育总局办公厅《关于发布2018年中央财政资金补助的大型体育场馆
名单的公告》, under 财教〔2014〕54号; the same in every year's notice since): open at least 35 hours a
week and 330 days a year. Hours open are read from the weekly rules, public holidays and exceptions
(facilities.opening), overlapping intervals counted once.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from quanmin.core import bulk
from quanmin.regions import subtrees

from . import opening
from .models import Facility, OpeningException, OpeningRule, Site

PUBLICLY_FUNDED = (Site.OwnerKind.GOVERNMENT,)
WEEKLY_HOURS_REQUIRED = 35
DAYS_REQUIRED = 330
WINDOW_DAYS = 28  # the indicator's hours: the four weeks ending on the day asked for
FREE_ACCESS = (Facility.Access.FREE, Facility.Access.LOW_FEE)


def public_q(prefix: str = "") -> Q:
    """Open publicly funded sites (of the subtree `prefix`)."""
    q = Q(status=Site.Status.OPEN, owner_kind__in=PUBLICLY_FUNDED)
    return q & Q(region__code__within=prefix) if prefix else q


def free_or_low_fee_q() -> Q:
    """Sites with a free or low-fee ground, or free or low-fee hours."""
    ground = Facility.objects.filter(site_id=OuterRef("pk"), access__in=FREE_ACCESS)
    hours = OpeningRule.objects.filter(site_id=OuterRef("pk"), kind=OpeningRule.Kind.BENEFIT)
    return Q(Exists(ground)) | Q(Exists(hours))


@dataclass
class Hours:
    """A site's hours open over a window of days, and the days it was open at all."""

    hours: Decimal = Decimal(0)
    days_open: int = 0
    days: int = 0
    benefit_hours: Decimal = Decimal(0)

    @property
    def weekly(self) -> Decimal | None:
        return (self.hours * 7 / self.days).quantize(Decimal("0.1")) if self.days else None

    @property
    def required(self) -> Decimal:
        return Decimal(WEEKLY_HOURS_REQUIRED * self.days) / 7

    @property
    def counted(self) -> Decimal:
        """Hours open up to those required: a venue's extra hours do not make up for another's."""
        return min(self.hours, self.required)


def _minutes(intervals) -> int:
    """Minutes covered by the intervals, overlaps counted once."""
    total, end = 0, None
    for start, stop in sorted((i.opens.hour * 60 + i.opens.minute, i.closes.hour * 60 + i.closes.minute)
                              for i in intervals):
        if end is None or start > end:
            total += stop - start
            end = stop
        elif stop > end:
            total += stop - end
            end = stop
    return total


def hours_open(site_ids: list[int], first: datetime.date, last: datetime.date) -> dict[int, Hours]:
    """{site id: Hours} from `first` to `last` (both included): two queries whatever the number of sites."""
    rules, exceptions = defaultdict(list), defaultdict(list)
    for rule in OpeningRule.objects.filter(bulk.any_of("site_id", site_ids)).only("site_id", "weekday", "kind",
                                                                                 "opens", "closes"):
        rules[rule.site_id].append(rule)
    for ex in OpeningException.objects.filter(bulk.any_of("site_id", site_ids), date__gte=first, date__lte=last):
        exceptions[(ex.site_id, ex.date)].append(ex)
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    out = {}
    for site_id in site_ids:
        found = out[site_id] = Hours(days=len(days))
        mine = rules.get(site_id, [])
        for day in days:
            intervals = opening.hours_on(None, day, mine, exceptions.get((site_id, day), []))
            minutes = _minutes(intervals)
            if minutes:
                found.days_open += 1
                found.hours += Decimal(minutes) / 60
                found.benefit_hours += Decimal(_minutes([i for i in intervals
                                                         if i.kind == OpeningRule.Kind.BENEFIT])) / 60
    return out


@dataclass
class Totals:
    venues: int = 0
    free_or_low_fee: int = 0
    hours: Decimal = Decimal(0)
    required: Decimal = Decimal(0)


def free_totals(codes: list[str]) -> dict[str, Totals]:
    """Publicly funded venues and those open free or at a low fee, per division (one query)."""
    rows = (Site.objects.filter(public_q(subtrees.covering_prefix(codes))).annotate(free=free_or_low_fee_q())
            .values_list("region_id", "free"))

    def add(t: Totals, row) -> None:
        t.venues += 1
        t.free_or_low_fee += bool(row[1])

    return subtrees.sum_up(rows, codes, lambda code: Totals(), add)


def hours_totals(codes: list[str], as_of: datetime.date) -> dict[str, Totals]:
    """Hours open in the WINDOW_DAYS ending `as_of` (each venue's up to those required) and the hours
    required, per division (three queries)."""
    sites = list(Site.objects.filter(public_q(subtrees.covering_prefix(codes))).values_list("region_id", "pk"))
    found = hours_open([pk for _code, pk in sites], as_of - datetime.timedelta(days=WINDOW_DAYS - 1), as_of)

    def add(t: Totals, row) -> None:
        h = found[row[1]]
        t.venues += 1
        t.hours += h.counted
        t.required += h.required

    return subtrees.sum_up(sites, codes, lambda code: Totals(), add)
