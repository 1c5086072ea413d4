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

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import decimal, indicator, memo, percent
from quanmin.regions import subtrees

from . import figures, public_opening, types
from .models import Equipment, Facility

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
    return _since_plan(codes, lambda f: f.new)


def _by_start(codes: list[str]) -> dict[datetime.date, list[str]]:
    """The codes by the start of their city's plan (facilities.figures.default_since); codes whose
    city has none are left out."""
    found: dict[datetime.date, list[str]] = {}
    for code in codes:
        since = figures.default_since(code)
        if since is not None:
            found.setdefault(since, []).append(code)
    return found


def _since_plan(codes: list[str], value) -> dict[str, Decimal | None]:
    """{code: value(Figures counted with the city's plan's start as "since")}, for the codes whose
    city has a plan; none for the others."""
    out = {}
    for since, group in _by_start(codes).items():
        out.update({code: decimal(value(f)) for code, f in _figures(group, since).items()})
    return out


# The plans' new-ground targets by kind of ground (G12: 聊城 T0-19…T0-22, 嘉兴 T1-11), each a group
# of the register's types as the sentence names them.
NEW_GROUPS = {
    "new_basketball_courts": (("basketball", "three_on_three"), _("New basketball courts since the plan began"),
                              _("Ordinary basketball courts (3x3 included, lit courts not) built in or after the "
                                "year the city's plan began.")),
    "new_badminton_courts": (("badminton",), _("New badminton courts since the plan began"),
                             _("Badminton courts built in or after the year the city's plan began.")),
    "new_multi_sport_courts": (("multi_sport_court", "basketball_lit"),
                               _("New multi-sport and lit basketball courts since the plan began"),
                               _("Multi-sport courts and lit basketball courts built in or after the year the "
                                 "city's plan began.")),
    "new_ball_grounds": (("football_11", "football_7", "football_5", "beach_football", "cage_football", "tennis",
                          "air_volleyball", "shuttlecock", "gateball"),
                         _("New football, tennis, air-volleyball, shuttlecock and gateball grounds since the plan "
                           "began"),
                         _("Football pitches, tennis, air-volleyball, shuttlecock and gateball courts built in or "
                           "after the year the city's plan began.")),
    "new_fitness_venues": (("fitness_centre", "community_gym", "gym", "sports_park", "football_11", "football_7",
                            "football_5", "cage_football", "fitness_square", "multi_sport_court"),
                           _("New fitness centres, parks, pitches, squares and courts since the plan began"),
                           _("Fitness centres and gyms, sports parks, football pitches (cage ones included), "
                             "fitness squares and multi-sport courts built in or after the year the city's plan "
                             "began.")),
}


def _new_of(types: tuple[str, ...]):
    def compute(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
        return _since_plan(codes, lambda f: sum(t.new for code, t in f.by_type.items() if code in types))
    return compute


for _key, (_types, _label, _description) in NEW_GROUPS.items():
    indicator(_key, dated=False, unit="count", levels=EVERY_LEVEL, label=_label, description=_description)(
        _new_of(_types))


@indicator("smart_facilities", dated=False, unit="count", levels=EVERY_LEVEL,
           label=_("Grounds with smart fitness equipment"),
           description=_("Grounds of existing sites in the division fitted with smart (second-generation) fitness "
                         "equipment or a fitness station, as the register stands."))
def smart_facilities(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(f.smart) for code, f in _figures(codes).items()}


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


@indicator("fitness_centres", dated=False, unit="count", levels=EVERY_LEVEL, label=_("Public fitness centres"),
           description=_("Public fitness centres (全民健身活动中心) of existing sites in the division, open to the "
                         "public, as the register stands: a county's or a township's centre."))
def fitness_centres(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    prefix = subtrees.covering_prefix(codes)
    rows = (figures._existing(prefix).filter(type__in=types.with_role("trio_centre"))
            .exclude(access=Facility.Access.CLOSED).values_list("region_id").annotate(n=Count("pk")).order_by())
    return {code: decimal(n) for code, n in subtrees.summed(list(rows), codes).items()}


@indicator("community_square_share", dated=False, unit="percent", levels=EVERY_LEVEL,
           label=_("Communities with a fitness square"),
           description=_("Share of communities and villages with a multi-sport court or fitness square open to "
                         "the public."))
def community_square_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _share_meeting(codes, "community")


@indicator("new_path_equipment", unit="count", levels=EVERY_LEVEL,
           label=_("New fitness-path equipment since the plan began"),
           description=_("Pieces of fitness equipment installed on fitness paths (全民健身路径) from the start of the "
                         "city's plan to the date, by their install date; pieces without one are not counted."))
def new_path_equipment(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    """One query for each city with a plan among the codes."""
    out = {}
    for since, group in _by_start(codes).items():
        rows = list(Equipment.objects.filter(region__code__within=subtrees.covering_prefix(group),
                                             facility__type="fitness_path", install_date__gte=since,
                                             install_date__lte=as_of)
                    .values_list("region_id").annotate(n=Count("pk")).order_by())
        out.update({code: decimal(n) for code, n in subtrees.summed(rows, group).items()})
    return out


@indicator("public_venues_free_low_fee_share", dated=False, unit="percent", levels=("city", "county", "township"),
           label=_("Publicly funded venues open free or at a low fee"),
           description=_("Of the open venues owned by the government, the share with a free or low-fee ground or "
                         "free or low-fee hours, as the register stands."))
def public_venues_free_low_fee_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    """One query (facilities.public_opening.free_totals)."""
    found = memo(("facilities.public_free", tuple(codes)), lambda: public_opening.free_totals(codes))
    return {code: percent(t.free_or_low_fee, t.venues) for code, t in found.items()}


@indicator("public_venue_hours_share", unit="percent", levels=("city", "county", "township"),
           label=_("Opening hours of publicly funded venues against the hours required"),
           description=_("Hours the open government-owned venues were open in the four weeks to the date (weekly "
                         "hours, public holidays and closures counted; each venue up to 35 hours a week) as a "
                         "share of the 35 hours a week required of each."))
def public_venue_hours_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    """Three queries (facilities.public_opening.hours_totals)."""
    found = memo(("facilities.public_hours", tuple(codes), as_of), lambda: public_opening.hours_totals(codes, as_of))
    return {code: (Decimal(100) * t.hours / t.required).quantize(Decimal("0.1")) if t.required else None
            for code, t in found.items()}
