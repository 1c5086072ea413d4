"""Physique figures per division, for the plans: tests a year, people tested, the share at pass or
better (national physique standard), students' good-or-excellent rate (student standard), by sex
and age group, and for each division one level down.

Aggregates only: no person can be picked out of them except by the testing staff, who see the
results anyway (and cells are marked when fewer than SMALL_CELL tests stand behind a rate).

Queries: one GROUP BY over the roll-up of the division's subtree (quanmin.physique.tally: child
division by code prefix, year, standard, sex, age group, pass, rating), one COUNT(DISTINCT person)
by year over the results (plain columns), one for the child divisions' names. Everything else is
summed in Python, whatever the size of the division. No outcome is decrypted.

Rates:
- pass share = results at pass or better / results with a known outcome under the national physique
  standard, any version (physique-2003, a later physique-… data file; a result whose rating is withheld
  for a missing item and whose total cannot decide counts as unknown, shown beside);
- good-or-excellent rate = student standard results (student-…) rated good or excellent / those results.
Tests are counted as tests (a person tested twice counts twice); "people" counts each person once a
year (the Hunnan plan's 国民体质监测人数).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear, Substr
from django.utils.translation import gettext_lazy as _

from quanmin.core import plan_targets as documents
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import tally
from .models import ResultTally, TestResult

# A standard's versions share a name before the year (physique-2003, physique-2023): figures count them as one.
PHYSIQUE = "physique-"
STUDENT = "student-"
SMALL_CELL = 10
AGE_GROUP_ORDER = ["3-6", "7-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "primary", "junior", "senior",
                   "university", "unknown"]
AGE_GROUP_LABELS = {
    "3-6": _("3–6 years"), "7-19": _("7–19 years"), "20-29": _("20–29 years"), "30-39": _("30–39 years"),
    "40-49": _("40–49 years"), "50-59": _("50–59 years"), "60-69": _("60–69 years"),
    "70-79": _("70–79 years"), "primary": _("Primary school"),
    "junior": _("Junior secondary"), "senior": _("Senior secondary"), "university": _("University"),
    "unknown": _("Unknown"),
}

# Plan targets, keyed by the plan's division prefix, each with its plan and its words: the plans'
# documents (quanmin/core/data/plans, read by core.plan_targets; the files the planning app loads).
# A deployment can replace them with the setting QUANMIN_PHYSIQUE_TARGETS (same shape).
# The registry's indicator keys of the targets this page shows, and the page's own names for them.
TARGET_INDICATORS = {"physique_pass_share": "pass_share", "student_good_share": "student_good_share",
                     "physique_tests_per_year": "people"}


def document_targets() -> dict:
    table = {}
    for t in documents.targets(TARGET_INDICATORS):
        plan = table.setdefault(codes.prefix(t.division_code), {"plan": t.plan_label, "targets": []})
        plan["targets"].append({"indicator": TARGET_INDICATORS[t.indicator], "value": float(t.value), "year": t.year,
                                "yearly": t.kind == "yearly", "source": t.quote})
    return table


INDICATOR_LABELS = {
    "pass_share": _("Share at pass or better (national physique standard, %)"),
    "student_good_share": _("Students good or excellent (student standard, %)"),
    "people": _("People tested a year"),
}


@dataclass
class Counts:
    tests: int = 0
    physique_known: int = 0
    physique_pass: int = 0
    physique_unknown: int = 0
    student_tests: int = 0
    student_good: int = 0
    ratings: dict = field(default_factory=dict)

    def add(self, row: dict) -> None:
        n = row["n"]
        self.tests += n
        if row["standard"].startswith(STUDENT):
            self.student_tests += n
            if row["rating"] in ("good", "excellent"):
                self.student_good += n
        elif row["standard"].startswith(PHYSIQUE):
            if row["passed"] is None:
                self.physique_unknown += n
            else:
                self.physique_known += n
                if row["passed"]:
                    self.physique_pass += n
        if row["rating"]:
            self.ratings[row["rating"]] = self.ratings.get(row["rating"], 0) + n

    @property
    def pass_share(self) -> float | None:
        return round(100 * self.physique_pass / self.physique_known, 1) if self.physique_known else None

    @property
    def student_good_share(self) -> float | None:
        return round(100 * self.student_good / self.student_tests, 1) if self.student_tests else None

    @property
    def small(self) -> bool:
        return 0 < self.tests < SMALL_CELL

    def as_dict(self) -> dict:
        return {"tests": self.tests, "pass_share": self.pass_share, "physique_known": self.physique_known,
                "physique_unknown": self.physique_unknown, "student_tests": self.student_tests,
                "student_good_share": self.student_good_share, "small": self.small}


@dataclass
class TargetCheck:
    indicator: str
    value: float
    year: int
    source: str
    plan: str
    actual: float | None
    applies: bool  # the division is covered by this plan (else: shown for reference)
    yearly: bool = False

    @property
    def label(self):
        return INDICATOR_LABELS.get(self.indicator, self.indicator)

    @property
    def met(self) -> bool | None:
        return None if self.actual is None else self.actual >= self.value

    def as_dict(self) -> dict:
        return {"indicator": self.indicator, "label": str(self.label), "value": self.value, "year": self.year,
                "yearly": self.yearly, "actual": self.actual, "met": self.met if self.applies else None,
                "applies": self.applies, "plan": self.plan, "source": self.source}


@dataclass
class DivisionFigures:
    region: Region
    year: int | None
    years: list[int]
    by_year: dict[int, Counts]
    people_by_year: dict[int, int]
    total: Counts  # the selected year
    by_group: dict[tuple[str, str], Counts]  # (sex, age group) -> counts, selected year
    children: list[tuple[Region, Counts]]
    targets: list[TargetCheck]

    def as_dict(self) -> dict:
        return {
            "code": self.region.code, "name": self.region.name, "level": self.region.level, "year": self.year,
            "years": [{"year": y, "people": self.people_by_year.get(y, 0), **self.by_year[y].as_dict()}
                      for y in self.years],
            "total": {"people": self.people_by_year.get(self.year, 0), **self.total.as_dict()},
            "by_group": [{"sex": sex, "age_group": group, "label": str(AGE_GROUP_LABELS.get(group, group)),
                          **c.as_dict()} for (sex, group), c in self.by_group.items()],
            "children": [{"code": r.code, "name": r.name, **c.as_dict()} for r, c in self.children],
            "targets": [t.as_dict() for t in self.targets],
        }


def plan_targets() -> dict:
    return getattr(settings, "QUANMIN_PHYSIQUE_TARGETS", None) or document_targets()


def _targets(region: Region, total: Counts, people: int) -> list[TargetCheck]:
    actual = {"pass_share": total.pass_share, "student_good_share": total.student_good_share, "people": people}
    checks = []
    for prefix, plan in plan_targets().items():
        applies = codes.in_subtree(region.code, prefix)
        for t in plan["targets"]:
            # Counts ("people a year") belong to the division named; shares apply to every division under it.
            if t["indicator"] == "people" and applies and codes.prefix(region.code) != prefix:
                continue
            checks.append(TargetCheck(t["indicator"], t["value"], t["year"], t["source"], plan["plan"],
                                      actual.get(t["indicator"]), applies, t.get("yearly", False)))
    checks.sort(key=lambda c: not c.applies)
    return checks


def result_rows(prefix: str, child_len: int | None = None, days=None) -> list[dict]:
    """Test results of the subtree counted (n) by year (y), standard, sex, age group, pass and
    rating, and by the division `child_len` digits of each result's division code name (as "child")
    when given; only those tested on the days `days` (first, last: dates in the city's time zone,
    both included) when given.

    Read from the roll-up kept at write time (quanmin.physique.tally), one GROUP BY: the outcome is
    health data, encrypted in each result, and decrypting a province's million outcomes took 12-15 s
    a call. tally.decrypted_rows gives the same rows the old way, from the results themselves.
    """
    base = ResultTally.objects.filter(region__code__within=prefix)
    if days is not None:
        base = base.filter(day__gte=days[0], day__lte=days[1])
    extra = {"y": ExtractYear("day")}
    if child_len:
        extra["child"] = Substr("region_id", 1, child_len)
    rows = (base.annotate(**extra).values(*extra, "standard", "sex", "age_group", "passed", "rating")
            .annotate(n=Sum("n")).order_by())
    return [{**row, "passed": tally.OUTCOME[row["passed"]]} for row in rows if row["n"]]


def division_figures(region: Region, year: int | None = None) -> DivisionFigures:
    prefix = codes.prefix(region.code)
    child_level = codes.child_level(codes.level(region.code))
    child_len = codes.PREFIX_LENGTH[child_level] if child_level else None
    rows = result_rows(prefix, child_len)
    people = dict(TestResult.objects.filter(region__code__within=prefix).annotate(y=ExtractYear("tested_at"))
                  .values("y").annotate(n=Count("participant_id", distinct=True)).order_by().values_list("y", "n"))
    by_year: dict[int, Counts] = {}
    for row in rows:
        by_year.setdefault(row["y"], Counts()).add(row)
    years = sorted(by_year)
    if year is None or year not in by_year:
        year = years[-1] if years else year
    total = by_year.get(year, Counts())
    by_group: dict[tuple[str, str], Counts] = {}
    by_child: dict[str, Counts] = {}
    for row in rows:
        if row["y"] != year:
            continue
        by_group.setdefault((row["sex"], row["age_group"]), Counts()).add(row)
        if child_len:
            by_child.setdefault(row["child"], Counts()).add(row)
    order = {g: i for i, g in enumerate(AGE_GROUP_ORDER)}
    by_group = dict(sorted(by_group.items(), key=lambda kv: (order.get(kv[0][1], 99), kv[0][0] != "male")))
    children = []
    if child_len:
        for child in Region.objects.filter(parent=region).order_by("code"):
            children.append((child, by_child.get(codes.prefix(child.code), Counts())))
    return DivisionFigures(region, year, years, by_year, people, total, by_group, children,
                           _targets(region, total, people.get(year, 0)))
