"""The youth figures per division (its whole subtree), read by the indicators and the figures page.

The figures of a date are each school's latest return of a term that started in the 365 days up to
that date (a school that reported both terms counts once, with its spring figures), summed: minutes
weighted by each return's students. Two queries whatever the number of divisions asked for.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from quanmin.core.indicators import percent, year_ending
from quanmin.regions.selectors import asked_holding, within_all

from . import selectors
from .models import PROBLEMS, School, TermReturn

SUMMED = ("students", "students_meeting_both", "skills_assessed", "skills_two_plus",
          *[f"{p}_{k}" for p in PROBLEMS for k in ("screened", "found", "intervened")])
HOUR = Decimal(60)


@dataclass
class Totals:
    schools_reporting: int = 0
    in_school: int = 0  # Σ students × average minutes in school
    out_of_school: int = 0
    sums: dict = field(default_factory=lambda: dict.fromkeys(SUMMED, 0))
    schools: int = 0  # active schools in the register
    grounds_open: int = 0
    named: int = 0  # schools a plan names for opening their grounds
    named_open: int = 0

    def minutes(self, which: str) -> Decimal | None:
        students = self.sums["students"]
        if not students:
            return None
        return (Decimal(getattr(self, which)) / students).quantize(Decimal("0.1"))

    @property
    def minutes_in(self) -> Decimal | None:
        return self.minutes("in_school")

    @property
    def minutes_out(self) -> Decimal | None:
        return self.minutes("out_of_school")

    @property
    def intervention(self) -> Decimal | None:
        return self.intervened_share()

    @property
    def hours_lesser(self) -> Decimal | None:
        """The lesser of the average daily hours in school and out of school: 1 or more is both hours."""
        students = self.sums["students"]
        if not students:
            return None
        return (Decimal(min(self.in_school, self.out_of_school)) / students / HOUR).quantize(Decimal("0.01"))

    @property
    def both_share(self) -> Decimal | None:
        return percent(self.sums["students_meeting_both"], self.sums["students"])

    @property
    def skills_share(self) -> Decimal | None:
        return percent(self.sums["skills_two_plus"], self.sums["students"])

    @property
    def skills_assessed_share(self) -> Decimal | None:
        return percent(self.sums["skills_assessed"], self.sums["students"])

    def screened_share(self, problem: str) -> Decimal | None:
        return percent(self.sums[f"{problem}_screened"], self.sums["students"])

    def intervened_share(self, problem: str | None = None) -> Decimal | None:
        problems = [problem] if problem else PROBLEMS
        return percent(sum(self.sums[f"{p}_intervened"] for p in problems),
                       sum(self.sums[f"{p}_found"] for p in problems))

    @property
    def open_share(self) -> Decimal | None:
        return percent(self.grounds_open, self.schools)


def returns_totals(wanted: list[str], as_of) -> dict[str, Totals]:
    """Each division's sums of its schools' latest returns in the year up to `as_of` (one query)."""
    out = {code: Totals() for code in wanted}
    if not wanted:
        return out
    first, last = year_ending(as_of)
    rows = (TermReturn.objects.filter(starts_on__gte=first, starts_on__lte=last, **within_all(wanted))
            .order_by("school_id", "-starts_on")
            .values_list("school_id", "region_id", "minutes_in_school", "minutes_out_of_school", *SUMMED))
    keys, seen = set(wanted), set()
    for school_id, region_code, in_school, out_of_school, *sums in rows:
        if school_id in seen:
            continue
        seen.add(school_id)
        students = sums[0]
        for code in asked_holding(region_code, keys):
            found = out[code]
            found.schools_reporting += 1
            found.in_school += students * in_school
            found.out_of_school += students * out_of_school
            for name, value in zip(SUMMED, sums, strict=True):
                found.sums[name] += value
    return out


def opening_totals(wanted: list[str], out: dict[str, Totals] | None = None) -> dict[str, Totals]:
    """Each division's active schools, how many have grounds open to the public, and the named
    ones (one query: the register as it stands now)."""
    out = out if out is not None else {code: Totals() for code in wanted}
    if not wanted:
        return out
    keys = set(wanted)
    rows = (selectors.with_grounds_open(School.objects.filter(active=True, **within_all(wanted)))
            .values_list("region_id", "public_hours", "site__status", "named_for_opening"))
    for region_code, public_hours, site_status, named in rows:
        is_open = bool(public_hours) and site_status == "open"
        for code in asked_holding(region_code, keys):
            found = out[code]
            found.schools += 1
            found.grounds_open += is_open
            found.named += named
            found.named_open += named and is_open
    return out


def division_figures(wanted: list[str], as_of) -> dict[str, Totals]:
    """Both: what the figures page shows per division."""
    return opening_totals(wanted, returns_totals(wanted, as_of))


@dataclass
class Row:
    region: object
    totals: Totals


def rollup(top, as_of) -> list[Row]:
    """The division's figures first, then each division right below it."""
    divisions = selectors.rollup_regions(top)
    found = division_figures([r.code for r in divisions], as_of)
    return [Row(r, found[r.code]) for r in divisions]
