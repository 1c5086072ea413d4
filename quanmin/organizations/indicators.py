"""The organisations' indicators (see quanmin.core.indicators), for many divisions at once.

Each runs figures.tree: three queries for a whole city's tree. What `as_of` means here: gradings
are those valid on that date; the register itself keeps no dated state (an organisation is in it,
active and approved, or not), so its counts are the register as it stands when computed, as the
facilities register's are; planning keeps the values it reads, which makes the history.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import decimal, indicator, memo, percent
from quanmin.regions import subtrees
from quanmin.regions.models import Region

from . import figures, instructor_members
from .models import Organization

K = Organization.Kind
EVERY_LEVEL = ("city", "county", "township", "community")


def _each(codes: list[str], as_of: datetime.date, value) -> dict[str, Decimal | None]:
    t = figures.tree(codes, as_of)
    return {code: value(t, code) for code in codes if code in t.regions}


@indicator("organizations_registered", unit="count", levels=EVERY_LEVEL,
           label=_("Sports organisations registered with civil affairs"),
           description=_("Active sports organisations of the division registered with civil affairs."))
def organizations_registered(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(codes, as_of, lambda t, c: decimal(t.counts_of(c).registered))


@indicator("organizations_filed", unit="count", levels=EVERY_LEVEL, label=_("Sports organisations filed"),
           description=_("Active sports organisations of the division filed (备案) and approved by the county."))
def organizations_filed(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(codes, as_of, lambda t, c: decimal(t.counts_of(c).filed))


@indicator("organizations_total", unit="count", levels=EVERY_LEVEL,
           label=_("Sports organisations registered and filed"),
           description=_("Registered and filed sports organisations together, sports communities included."))
def organizations_total(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(codes, as_of, lambda t, c: decimal(t.counts_of(c).total))


@indicator("one_plus_25_share", unit="percent", levels=("city", "county"), label=_('Counties meeting "1+25"'),
           description=_("Share of counties with a sports federation of their own and at least 25 other sports "
                         "organisations registered with civil affairs."))
def one_plus_25_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    def value(t, code):
        found = t.counties(code)
        return percent(sum(1 for c in found if c["meets"]), len(found))
    return _each(codes, as_of, value)


def _coverage(level: str):
    def compute(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
        return _each(codes, as_of, lambda t, c: percent(*t.coverage(c, level)))
    return compute


indicator("federation_coverage_county", unit="percent", levels=("city", "county"),
          label=_("Counties with a sports federation"),
          description=_("Share of counties with a sports federation of their own."))(_coverage("county"))
indicator("federation_coverage_township", unit="percent", levels=("city", "county", "township"),
          label=_("Townships with a sports federation"),
          description=_("Share of townships and streets with a sports federation of their own."))(_coverage("township"))
indicator("federation_coverage_community", unit="percent", levels=EVERY_LEVEL,
          label=_("Villages and communities with a sports federation"),
          description=_("Share of villages and communities with a sports federation of their own."))(
    _coverage("community"))


@indicator("sports_communities", unit="count", levels=EVERY_LEVEL, label=_("Sports communities"),
           description=_("Active sports communities (体育社群) of the division."))
def sports_communities(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(codes, as_of, lambda t, c: decimal(t.counts_of(c).kind(K.COMMUNITY_GROUP)))


@indicator("graded_4a_plus", unit="count", levels=EVERY_LEVEL, label=_("Organisations graded 4A or above"),
           description=_("Sports organisations whose grading valid on the day is 4A or 5A."))
def graded_4a_plus(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(codes, as_of, lambda t, c: decimal(t.counts_of(c).four_a_plus))


@indicator("graded_3a_plus_share", unit="percent", levels=EVERY_LEVEL,
           label=_("Registered organisations graded 3A or above"),
           description=_("Share of the sports organisations registered with civil affairs whose grading valid on "
                         "the day is 3A or above."))
def graded_3a_plus_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(codes, as_of, lambda t, c: percent(t.counts_of(c).three_a_plus_registered,
                                                     t.counts_of(c).registered))


@indicator("associations", unit="count", levels=EVERY_LEVEL, label=_("Sports associations"),
           description=_("Single-sport and population-group associations of the division."))
def associations(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(codes, as_of, lambda t, c: decimal(t.counts_of(c).kind(K.ASSOCIATION, K.GROUP_ASSOCIATION)))


@indicator("county_single_sport_associations", unit="count", levels=("city", "county"),
           label=_("County-level single-sport associations"),
           description=_("Single-sport associations registered at the county or district itself (区级单项体育协会), "
                         "not those of its townships or communities; for a city, its counties' together."))
def county_single_sport_associations(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(codes, as_of, lambda t, c: decimal(t.county_level(c, K.ASSOCIATION)))


@indicator("sports_clubs", unit="count", levels=EVERY_LEVEL, label=_("Sports clubs"),
           description=_("Sports clubs of the division, youth and school clubs included."))
def sports_clubs(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(codes, as_of, lambda t, c: decimal(t.counts_of(c).kind(K.CLUB)))


@indicator("fitness_points", unit="count", levels=EVERY_LEVEL, label=_("Fitness teams and stations"),
           description=_("Fitness teams and fitness stations (健身站点) of the division."))
def fitness_points(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(codes, as_of, lambda t, c: decimal(t.counts_of(c).kind(K.FITNESS_POINT)))


# ---------------------------------------------------------------- instructors' associations (B09)


def _association_divisions(codes: list[str]) -> dict[str, tuple[int, int]]:
    """{code: (city and county divisions of its subtree with an instructors' association of their
    own, city and county divisions of its subtree)}: two queries for any number of codes."""
    prefix = subtrees.covering_prefix(codes)
    regions = Region.objects.filter(level__in=instructor_members.LEVELS)
    marked = Organization.objects.filter(instructor_association=True, active=True,
                                         review=Organization.Review.APPROVED)
    if prefix:
        regions, marked = regions.filter(code__within=prefix), marked.filter(region__code__within=prefix)
    have = set(marked.values_list("region_id", flat=True))
    found = subtrees.roll_up(regions.values_list("code", flat=True), codes, key=str)
    return {code: (sum(1 for c in mine if c in have), len(mine)) for code, mine in found.items() if mine}


def _associations(codes: list[str], as_of: datetime.date) -> dict[str, tuple[int, int]]:
    return memo(("organizations.instructor_associations", tuple(codes)), lambda: _association_divisions(codes))


@indicator("instructor_associations", unit="count", levels=instructor_members.LEVELS, dated=False,
           label=_("Instructors' associations at city and county level"),
           description=_("Social sports instructors' associations (社会体育指导员协会) of the register, active and "
                         "approved, at the division's own code and at its counties': a city's one and one per "
                         "county."))
def instructor_associations(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(have) for code, (have, _of) in _associations(codes, as_of).items()}


@indicator("instructor_association_coverage", unit="percent", levels=instructor_members.LEVELS, dated=False,
           label=_("City and counties with an instructors' association"),
           description=_("Share of the division and its counties (the city and each county or district) with a "
                         "social sports instructors' association of their own: 100 when the city has one and every "
                         "county has one."))
def instructor_association_coverage(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: percent(have, of) for code, (have, of) in _associations(codes, as_of).items()}
