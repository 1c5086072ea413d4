"""Maintenance's indicators (see quanmin.core.indicators), for many divisions at once.

What `as_of` means here: the figures of the year ending on that date (core.indicators.year_ending),
as maintenance.figures counts a period, with `as_of` as "today": inspection rounds scheduled in
that year and due before `as_of` or done; repair orders finished in that year. Timestamps make the
repairs exact as of the date; a round's status is its status now, so a round finished after
`as_of` counts as done.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import decimal, indicator, year_ending
from quanmin.regions import subtrees

from . import figures

EVERY_LEVEL = ("city", "county", "township", "community")


def _figures(codes: list[str], as_of: datetime.date) -> dict[str, figures.Figures]:
    """{code: Figures of its subtree over the year ending on as_of}: maintenance.figures' five
    GROUP BY queries, once for all the codes."""
    period = figures.Period(*year_ending(as_of))
    now = period.bounds()[1]  # the end of as_of, local time
    rows = figures._rows(subtrees.covering_prefix(codes), 12, period, now, as_of)
    return subtrees.sum_up(rows, codes, lambda code: figures.Figures(code, "", ""), _add, key=lambda row: row["key"])


def _add(total: figures.Figures, row: dict) -> None:
    """A row of figures._rows ({key, counter: value}) added, as division_figures adds it."""
    total.add(figures.Figures(total.code, "", "", **{k: v for k, v in row.items() if k != "key" and v is not None}))


@indicator("inspection_completion", unit="percent", levels=EVERY_LEVEL, label=_("Inspection completion"),
           description=_("Inspection rounds done out of the rounds of the past year whose time is up."))
def inspection_completion(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(f.completion) for code, f in _figures(codes, as_of).items()}


@indicator("repairs_on_time_share", unit="percent", levels=EVERY_LEVEL, label=_("Repairs done on time"),
           description=_("Repair work orders of the past year finished by their deadline, out of all finished."))
def repairs_on_time_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(f.on_time) for code, f in _figures(codes, as_of).items()}
