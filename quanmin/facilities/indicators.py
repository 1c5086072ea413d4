"""The register's figures as indicators (see quanmin.core.indicators), for many divisions at once.

Each runs the queries of facilities.figures once over the smallest subtree holding every code
asked for, grouped by each row's own division, and hands the rows to the divisions above them
(regions.subtrees): two queries for a whole city's tree (three for the compliance shares), and
the figures' own arithmetic (Figures.area_per_capita ...) makes each value.

What `as_of` means here: the register keeps no history. A site closed, planned or reopened is so
whatever the date, a ground is in the register or not, and a population is the one recorded now.
So these indicators are the register as it stands when they are computed, whatever `as_of` says;
planning keeps the values it reads, which makes the history.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import decimal, indicator, memo, percent
from quanmin.regions import subtrees

from . import figures

EVERY_LEVEL = ("city", "county", "township", "community")
PLACES = 4  # of the per-resident figures: a city's m² per resident is ~2.7, a trail's km per 10,000 ~0.5


def _figures(codes: list[str], since: datetime.date | None = None) -> dict[str, figures.Figures]:
    """{code: Figures of its subtree} for the codes that name a division (two queries; once for the
    indicators of one batch that ask for the same codes: core.indicators.memo)."""
    return memo(("facilities.indicators._figures", tuple(codes), since), lambda: _build(codes, since))


def _build(codes: list[str], since: datetime.date | None) -> dict[str, figures.Figures]:
    prefix = subtrees.covering_prefix(codes)
    regions = figures._regions(prefix)
    known = [code for code in codes if code in regions]
    return subtrees.sum_up(figures.facility_rows(prefix, since), known,
                           lambda code: figures._figures(regions[code], since))


@indicator("grounds", dated=False, unit="count", levels=EVERY_LEVEL, label=_("Sports grounds"),
           description=_("Sports grounds of existing sites in the division (not planned, under construction or "
                         "closed for good), as the register stands."))
def grounds(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(f.count) for code, f in _figures(codes).items()}


@indicator("area_per_resident", dated=False, unit="m2_per_resident", levels=EVERY_LEVEL,
           label=_("Sports-ground area per resident"),
           description=_("Area of the division's sports grounds in m² divided by its resident population (the "
                         "sum of its parts' populations where its own is not recorded)."))
def area_per_resident(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(f.area_per_capita, PLACES) for code, f in _figures(codes).items()}


@indicator("trail_km_per_10000", dated=False, unit="km_per_10000_residents", levels=EVERY_LEVEL,
           label=_("Trail km per 10,000 residents"),
           description=_("Length of fitness trails, hiking trails and cycle paths in km per 10,000 residents."))
def trail_km_per_10000(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(f.trail_km_per_10k, PLACES) for code, f in _figures(codes).items()}


@indicator("new_grounds", dated=False, unit="count", levels=EVERY_LEVEL, label=_("New sports grounds since the plan began"),
           description=_("Grounds built in or after the year the city's plan period began (by their year built; "
                         "grounds without one are not counted). No figure where no plan gives a start."))
def new_grounds(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    """The start is the city's plan's `since` (facilities.figures.default_since), as the figures
    page counts by default: two queries for each city with a plan among the codes."""
    by_start: dict[datetime.date, list[str]] = {}
    for code in codes:
        since = figures.default_since(code)
        if since is not None:
            by_start.setdefault(since, []).append(code)
    out = {}
    for since, group in by_start.items():
        out.update({code: decimal(f.new) for code, f in _figures(group, since).items()})
    return out


def _share_meeting(codes: list[str], level: str) -> dict[str, Decimal | None]:
    """Per code: the share (%) of the divisions of `level` in its subtree that miss nothing the
    compliance rules ask of that level (facilities.figures.RULES). Three queries at most."""
    prefix = subtrees.covering_prefix(codes)
    regions = figures._regions(prefix)
    found = figures._compliance(prefix, figures.presence_rows(prefix), regions)
    gaps = dict(found.lists())[level]
    checked = subtrees.roll_up([r["code"] for r in regions.values() if r["level"] == level], codes, key=str)
    missing = subtrees.roll_up([gap.code for gap in gaps], codes, key=str)
    return {code: percent(len(checked[code]) - len(missing[code]), len(checked[code]))
            for code in codes if code in regions}


@indicator("county_trio_share", dated=False, unit="percent", levels=("city", "county"),
           label=_('Counties with the "three ones"'),
           description=_("Share of counties with a public stadium, a public fitness centre and a sports park or "
                         "fitness square, each open to the public."))
def county_trio_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _share_meeting(codes, "county")


@indicator("township_pair_share", dated=False, unit="percent", levels=("city", "county", "township"),
           label=_('Townships with the "two ones"'),
           description=_("Share of townships with a fitness centre or lit basketball court and a multi-sport "
                         "court, each open to the public."))
def township_pair_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _share_meeting(codes, "township")


@indicator("community_square_share", dated=False, unit="percent", levels=EVERY_LEVEL,
           label=_("Communities with a fitness square"),
           description=_("Share of communities and villages with a multi-sport court or fitness square open to "
                         "the public."))
def community_square_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _share_meeting(codes, "community")
