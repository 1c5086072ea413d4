"""Physique's indicators (see quanmin.core.indicators), for many divisions at once.

What `as_of` means here: the tests of the year ending on that date (core.indicators.year_ending:
the 365 days up to and including it), counted as physique.figures counts them. A result is kept
with the time it was taken, so the values are those that stood on that date.
"""

import datetime
from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import decimal, indicator, local_span, year_ending
from quanmin.regions import subtrees

from . import figures

EVERY_LEVEL = ("city", "county", "township", "community")


def _counts(codes: list[str], as_of: datetime.date) -> dict[str, figures.Counts]:
    """{code: Counts of its subtree's tests in the year ending on as_of}: one GROUP BY query."""
    rows = figures.result_rows(subtrees.covering_prefix(codes), F("region_id"), local_span(*year_ending(as_of)))
    return subtrees.sum_up(rows, codes, lambda code: figures.Counts(), key=lambda row: row["child"])


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
