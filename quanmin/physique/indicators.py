"""Physique's indicators (see quanmin.core.indicators), for many divisions at once.

What `as_of` means here: the tests of the year ending on that date (core.indicators.year_ending:
the 365 days up to and including it), counted as physique.figures counts them. A result is kept
with the time it was taken, so the values are those that stood on that date.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import decimal, indicator, local_span, memo, percent, share_meeting, year_ending
from quanmin.regions import codes as codes_
from quanmin.regions import subtrees
from quanmin.regions.models import Region

from . import figures, network
from .models import ExerciseGrade, ExerciseTally, HealthSite, Practitioner, Referral, ResultTally

EVERY_LEVEL = ("city", "county", "township", "community")
PHYSIQUE, STUDENT = Q(standard__startswith=figures.PHYSIQUE), Q(standard__startswith=figures.STUDENT)
# figures.Counts' fields, in its order, as sums over the roll-up (student first, as Counts.add tests it).
SUMS = {
    "tests": None,
    "physique_known": PHYSIQUE & ~STUDENT & ~Q(passed=""),
    "physique_pass": PHYSIQUE & ~STUDENT & Q(passed="y"),
    "physique_unknown": PHYSIQUE & ~STUDENT & Q(passed=""),
    "student_tests": STUDENT,
    "student_good": STUDENT & Q(rating__in=("good", "excellent")),
}


def _counts(codes: list[str], as_of: datetime.date) -> dict[str, figures.Counts]:
    """{code: Counts of its subtree's tests in the year ending on as_of}: one query over the roll-up
    (quanmin.physique.tally), summed up to every level in the database; shared by the three
    indicators within a batch."""
    prefix = subtrees.covering_prefix(codes)
    days = year_ending(as_of)
    rows = (ResultTally.objects.filter(region__code__within=prefix, day__gte=days[0], day__lte=days[1]).order_by()
            .values("region_id").annotate(**{name: Sum("n", filter=q, default=0) for name, q in SUMS.items()}))
    sums = memo(("physique.tally", prefix, days), lambda: subtrees.rolled_up(rows))
    # int(): PostgreSQL's SUM of a bigint is a numeric, and Counts' rates are a float's rounding.
    return {code: figures.Counts(*map(int, sums.get(code, ()))) for code in codes}


@indicator("physique_tests_per_year", unit="tests_per_year", levels=EVERY_LEVEL, label=_("Physique tests a year"),
           description=_("Physique and student fitness tests taken in the past year (a person tested twice "
                         "counts twice)."))
def physique_tests_per_year(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(c.tests) for code, c in _counts(codes, as_of).items()}


@indicator("physique_pass_share", unit="percent", levels=EVERY_LEVEL,
           label=_("Residents at pass or better (national physique standard)"),
           description=_("Share of the past year's national physique standard results rated pass or better, out "
                         "of those whose outcome is known."))
def physique_pass_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(c.pass_share) for code, c in _counts(codes, as_of).items()}


@indicator("student_good_share", unit="percent", levels=EVERY_LEVEL,
           label=_("Students good or excellent (student standard)"),
           description=_("Share of the past year's student physical health standard results rated good or "
                         "excellent."))
def student_good_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(c.student_good_share) for code, c in _counts(codes, as_of).items()}


# --- the National Physical Exercise Standard (国家体育锻炼标准) -------------------------------------
# Standing grades (not annulled) dated in the year ending on as_of; a grade is the testing station's
# (the platform does not score this standard). Coverage counts people, the rates count tests: read
# from the grades' roll-up (ExerciseTally), kept as grades are recorded, annulled or erased.

PASSED_LEVELS, GOOD_LEVELS = ("pass", "good", "excellent"), ("good", "excellent")


@dataclass
class _ExerciseCounts:
    people: int = 0
    tests: int = 0
    passed: int = 0
    good: int = 0


def _exercise(codes: list[str], as_of: datetime.date) -> dict[str, _ExerciseCounts]:
    return memo(("physique.indicators._exercise", tuple(codes), as_of), lambda: _exercise_build(codes, as_of))


def _exercise_build(codes: list[str], as_of: datetime.date) -> dict[str, _ExerciseCounts]:
    """Two queries over the codes' common subtree, summed up to every level in the database: the
    grades from their roll-up (quanmin.physique.tally, nothing decrypted), the people tested from the
    grades' plain columns."""
    prefix = subtrees.covering_prefix(codes)
    days = year_ending(as_of)
    start, end = local_span(*days)
    sums = subtrees.rolled_up(
        ExerciseTally.objects.filter(region__code__within=prefix, day__gte=days[0], day__lte=days[1]).order_by()
        .values("region_id").annotate(tests=Sum("n", default=0),
                                      passed=Sum("n", filter=Q(level__in=PASSED_LEVELS), default=0),
                                      good=Sum("n", filter=Q(level__in=GOOD_LEVELS), default=0)))
    people = subtrees.distinct_rolled_up(
        ExerciseGrade.objects.filter(region__code__within=prefix, annulled_at__isnull=True, tested_at__gte=start,
                                     tested_at__lt=end).order_by().values_list("region_id", "participant_id"))
    # int(): PostgreSQL's SUM of a bigint is a numeric.
    return {code: _ExerciseCounts(people.get(code, 0), *map(int, sums.get(code, ()))) for code in codes}


@indicator("exercise_standard_coverage", unit="percent", levels=EVERY_LEVEL,
           label=_("Exercise standard test coverage"),
           description=_("People tested under the National Physical Exercise Standard in the past year (each "
                         "person once) per 100 resident population."))
def exercise_standard_coverage(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    population = dict(Region.objects.filter(code__in=codes).values_list("code", "population"))
    return {code: percent(c.people, population.get(code) or 0, 2)
            for code, c in _exercise(codes, as_of).items()}


@indicator("exercise_standard_pass_rate", unit="percent", levels=EVERY_LEVEL,
           label=_("Exercise standard pass rate"),
           description=_("Share of the past year's National Physical Exercise Standard grades at 达标 (pass) or "
                         "better, as the testing stations graded them."))
def exercise_standard_pass_rate(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: percent(c.passed, c.tests) for code, c in _exercise(codes, as_of).items()}


@indicator("exercise_standard_good_rate", unit="percent", levels=EVERY_LEVEL,
           label=_("Exercise standard good-and-excellent rate"),
           description=_("Share of the past year's National Physical Exercise Standard grades at good or "
                         "excellent."))
def exercise_standard_good_rate(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: percent(c.good, c.tests) for code, c in _exercise(codes, as_of).items()}


# --- sport–medicine integration (体医融合) and the four-level monitoring network -----------------------
# The registers keep no history of a site's or a practitioner's status, so those figures are today's
# (dated=False); a referral is counted in the year its prescription was given (completed_at).

def _count_by_region(qs, codes: list[str]) -> dict[str, int]:
    rows = qs.filter(region__code__within=subtrees.covering_prefix(codes)).values_list("region_id").order_by()
    return {code: len(mine) for code, mine in subtrees.roll_up(rows, codes).items()}


@indicator("sport_medicine_sites", unit="count", levels=EVERY_LEVEL, dated=False,
           label=_("Sport–medicine sites"),
           description=_("Active sport–medicine sites in the division: exercise-health promotion centres of hospitals, "
                         "community exercise-health promotion stations, physique monitoring and fitness guidance "
                         "stations, sport-medicine rehabilitation centres."))
def sport_medicine_sites(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: Decimal(n) for code, n in _count_by_region(HealthSite.objects.filter(active=True), codes).items()}


@indicator("sport_medicine_pilots", unit="count", levels=("city", "county"), dated=False,
           label=_("Sport–medicine pilot projects"),
           description=_("Sport–medicine pilot projects (体医融合示范试点项目) carried by the division's active sites, "
                         "each project once however many sites carry it."))
def sport_medicine_pilots(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    rows = (HealthSite.objects.filter(active=True, region__code__within=subtrees.covering_prefix(codes))
            .exclude(pilot="").values_list("region_id", "pilot").order_by())
    return {code: Decimal(len({pilot for _r, pilot in mine})) for code, mine in subtrees.roll_up(rows, codes).items()}


@indicator("prescription_practitioners_per_10000", unit="per_10000_residents", levels=("city", "county", "township"),
           dated=False, label=_("Exercise-prescription practitioners per 10,000 residents"),
           description=_("Active exercise-prescription practitioners (运动处方师) registered in the division per 10,000 "
                         "resident population."))
def prescription_practitioners_per_10000(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    counts = _count_by_region(Practitioner.objects.filter(status=Practitioner.Status.ACTIVE), codes)
    population = dict(Region.objects.filter(code__in=codes).values_list("code", "population"))
    return {code: (Decimal(10000 * n) / population[code]).quantize(Decimal("0.01")) if population.get(code) else None
            for code, n in counts.items()}


@indicator("sport_medicine_referrals_completed", unit="count", levels=EVERY_LEVEL,
           label=_("Sport–medicine referrals completed a year"),
           description=_("Residents referred by a health check-up or a clinic who were given a prescription at a "
                         "sport–medicine site of the division in the past year."))
def sport_medicine_referrals_completed(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    start, end = local_span(*year_ending(as_of))
    qs = Referral.objects.filter(status=Referral.Status.PRESCRIBED, completed_at__gte=start, completed_at__lt=end)
    return {code: Decimal(n) for code, n in _count_by_region(qs, codes).items()}


@indicator("counties_regular_testing", unit="percent", levels=("city", "county"),
           label=_("Counties testing physique and the exercise standard this year"),
           description=_("Share of the counties (districts) in the division where residents took both national "
                         "physique tests and National Physical Exercise Standard tests in the year ending on the "
                         "date: both kinds of testing held as a regular part of the year."))
def counties_regular_testing(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    prefix = subtrees.covering_prefix(codes)
    first, last = year_ending(as_of)
    tested = [{codes_.pad(rid[:6]) for rid in model.objects.filter(q, region__code__within=prefix, day__gte=first,
                                                                  day__lte=last, n__gt=0)
               .values_list("region_id", flat=True).distinct().order_by()}
              for model, q in ((ResultTally, PHYSIQUE & ~STUDENT), (ExerciseTally, Q()))]
    both = tested[0] & tested[1]
    return share_meeting(subtrees.roll_up(subtrees.divisions_at(prefix, "county"), codes, key=str), both.__contains__)


@indicator("monitoring_network_levels", unit="count", levels=("city", "county", "township"), dated=False,
           label=_("Tiers of the physique monitoring network"),
           description=_("How many of the four tiers (city, county, township, village) have at least one active test "
                         "station in the division; a city's network is whole at 4."))
def monitoring_network_levels(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: Decimal(c.levels) for code, c in network.coverage(codes).items()}


@indicator("monitoring_network_coverage", unit="percent", levels=EVERY_LEVEL, dated=False,
           label=_("Divisions covered by the physique monitoring network"),
           description=_("Share of the division and the divisions under it that have an active test station of "
                         "their own tier (a county station for a county, a village point for a village)."))
def monitoring_network_coverage(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: percent(c.total_covered, c.total) for code, c in network.coverage(codes).items()}
