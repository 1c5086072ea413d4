"""The organisations' figures for many divisions at once: what indicators.py and the figures page
share. Three queries for a whole city's tree, whatever the number of divisions asked for:
the divisions of the covering subtree, the counted organisations grouped by (division, kind,
status), and the gradings valid on the day. Rows are handed to every division above them by
regions.subtrees.

Counted: active organisations, filings once approved. "1+25" (C02): a county with a sports
federation of its own (at the county's own code) and at least 25 other organisations registered
with civil affairs in its subtree. Federation coverage (C06): the share of divisions of a level
with a federation at their own code. Gradings (C04): an organisation's current grade is that of
its latest grading valid on the day; the 3A+ share is over organisations registered with civil
affairs (the social groups the seeds count).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count

from quanmin.core import indicators
from quanmin.regions import subtrees
from quanmin.regions.models import Region

from .models import Grading, Organization

Org = Organization
K = Org.Kind
ONE_PLUS = 25
LEVELS = ("county", "township", "community")


@dataclass
class Counts:
    """A division's subtree, summed."""

    registered: int = 0
    filed: int = 0
    by_kind: dict = field(default_factory=dict)
    registered_non_federation: int = 0
    graded: dict = field(default_factory=dict)  # grade → organisations registered with that grade now
    graded_any: dict = field(default_factory=dict)  # grade → organisations of any status

    @property
    def total(self) -> int:
        return self.registered + self.filed

    def kind(self, *kinds) -> int:
        return sum(self.by_kind.get(k, 0) for k in kinds)

    @property
    def four_a_plus(self) -> int:
        return sum(n for g, n in self.graded_any.items() if g >= 4)

    @property
    def three_a_plus_registered(self) -> int:
        return sum(n for g, n in self.graded.items() if g >= 3)


def regions_under(prefix: str) -> dict[str, dict]:
    return {r["code"]: r for r in Region.objects.filter(code__within=prefix).values("code", "name", "level", "parent_id")}


def org_rows(prefix: str) -> list[tuple]:
    """(division, kind, status, count) of the counted organisations in the subtree."""
    qs = Org.objects.filter(active=True, review=Org.Review.APPROVED)
    if prefix:
        qs = qs.filter(region__code__within=prefix)
    return list(qs.values_list("region_id", "kind", "status").annotate(n=Count("id")).order_by())


def grade_rows(prefix: str, day: datetime.date) -> list[tuple]:
    """(division, status, current grade) of each counted organisation graded on the day."""
    qs = Grading.objects.filter(assessed_on__lte=day, valid_until__gte=day, organization__active=True,
                                organization__review=Org.Review.APPROVED)
    if prefix:
        qs = qs.filter(organization__region__code__within=prefix)
    latest: dict[int, tuple] = {}
    for org_id, region, status, grade, assessed, pk in qs.values_list(
            "organization_id", "organization__region_id", "organization__status", "grade", "assessed_on", "id"):
        if org_id not in latest or (assessed, pk) > latest[org_id][0]:
            latest[org_id] = ((assessed, pk), region, status, grade)
    return [(region, status, grade) for _key, region, status, grade in latest.values()]


def _add(total: Counts, row: tuple) -> None:
    if len(row) == 3:  # a grading
        _region, status, grade = row
        total.graded_any[grade] = total.graded_any.get(grade, 0) + 1
        if status == Org.Status.REGISTERED:
            total.graded[grade] = total.graded.get(grade, 0) + 1
        return
    _region, kind, status, n = row
    if status == Org.Status.REGISTERED:
        total.registered += n
        if kind != K.FEDERATION:
            total.registered_non_federation += n
    else:
        total.filed += n
    total.by_kind[kind] = total.by_kind.get(kind, 0) + n


@dataclass
class Tree:
    """Everything the indicators and the page need for a set of divisions."""

    regions: dict  # code → {code, name, level, parent_id} of the covering subtree
    counts: dict  # code → Counts, for the codes asked for and every county
    federation_at: set  # codes with a federation of their own
    levels: dict  # level → {code asked for: [divisions of that level in its subtree]}
    own: dict = field(default_factory=dict)  # code → {kind: organisations at that very code}

    def own_kind(self, code: str, kind: str) -> int:
        """Organisations of `kind` at the division's own code, not below it (e.g. district-level ones)."""
        return self.own.get(code, {}).get(kind, 0)

    def county_level(self, code: str, kind: str) -> int:
        """Organisations of `kind` at the county level: a county's own, or its counties' own for a city."""
        return sum(self.own_kind(c, kind) for c in self.levels["county"].get(code, []))

    def counts_of(self, code: str) -> Counts:
        return self.counts.get(code) or Counts()

    def one_plus_25(self, county: str) -> dict:
        """A county's "1+25": its own federation, its registered organisations besides it."""
        registered = self.counts_of(county).registered_non_federation
        has = county in self.federation_at
        return {"code": county, "name": self.regions[county]["name"], "federation": has, "registered": registered,
                "meets": has and registered >= ONE_PLUS, "short_by": max(ONE_PLUS - registered, 0)}

    def counties(self, code: str) -> list[dict]:
        return [self.one_plus_25(c) for c in self.levels["county"].get(code, [])]

    def coverage(self, code: str, level: str) -> tuple[int, int]:
        """(divisions of `level` under `code` with a federation of their own, divisions of that level)."""
        found = self.levels[level].get(code, [])
        return sum(1 for c in found if c in self.federation_at), len(found)


def tree(wanted: list[str], day: datetime.date) -> Tree:
    """The figures of the divisions asked for, and of every county under them: three queries. Every
    indicator of this app reads the same tree: within one indicators batch (compute_many, a planning
    page) it is built once for them all (core.indicators.memo), and never kept past it."""
    return indicators.memo(("organizations.figures.tree", tuple(wanted), day), lambda: _build(wanted, day))


def _build(wanted: list[str], day: datetime.date) -> Tree:
    prefix = subtrees.covering_prefix(wanted)
    regions = regions_under(prefix)
    known = [c for c in wanted if c in regions]
    orgs = org_rows(prefix)
    grades = grade_rows(prefix, day)
    by_level = {level: [c for c, r in regions.items() if r["level"] == level] for level in LEVELS}
    levels = {level: subtrees.roll_up(found, known, key=str) for level, found in by_level.items()}
    summed = list(dict.fromkeys([*known, *by_level["county"]]))
    counts = subtrees.sum_up([*orgs, *grades], summed, lambda code: Counts(), _add)
    federation_at = {row[0] for row in orgs if row[1] == K.FEDERATION}
    own: dict = {}
    for region, kind, _status, n in orgs:
        own.setdefault(region, {})[kind] = own.get(region, {}).get(kind, 0) + n
    return Tree(regions, counts, federation_at, levels, own)


def division_rows(t: Tree, code: str) -> list[dict]:
    """The division and its children, with every figure: the page's table and the Excel's rows."""
    children = [c for c, r in t.regions.items() if r["parent_id"] == code]
    out = []
    for c in [code, *sorted(children)]:
        n = t.counts.get(c)
        if n is None:
            continue
        out.append({"code": c, "name": t.regions[c]["name"], "level": t.regions[c]["level"], "registered": n.registered,
                    "filed": n.filed, "total": n.total, "federations": n.kind(K.FEDERATION),
                    "associations": n.kind(K.ASSOCIATION, K.GROUP_ASSOCIATION), "clubs": n.kind(K.CLUB),
                    "fitness_points": n.kind(K.FITNESS_POINT), "communities": n.kind(K.COMMUNITY_GROUP),
                    "four_a_plus": n.four_a_plus, "three_a_plus": n.three_a_plus_registered,
                    "three_a_share": _share(n.three_a_plus_registered, n.registered),
                    "own_federation": c in t.federation_at})
    return out


def _share(part: int, whole: int) -> float | None:
    return None if not whole else round(100 * part / whole, 1)


def division_figures(code: str, day: datetime.date) -> dict:
    """One division's page: its rows (itself first, then its children), "1+25", federation coverage."""
    wanted = [code, *Region.objects.filter(parent_id=code).values_list("code", flat=True)]
    t = tree(wanted, day)
    counties = t.counties(code)
    coverage = []
    for level in LEVELS:
        have, of = t.coverage(code, level)
        if of:
            coverage.append({"level": level, "have": have, "of": of, "share": _share(have, of)})
    rows = division_rows(t, code)
    staff = sports_staff(t, code, [r["code"] for r in rows], day)
    for r in rows:
        r["staff_share"] = staff["shares"].get(r["code"])
    return {"rows": rows, "counties": counties, "missing": [c for c in counties if not c["meets"]],
            "coverage": coverage, "staff": staff}


STAFF_INDICATOR = "community_sports_staff_share"


def sports_staff(t: Tree, code: str, row_codes: list[str], day: datetime.date) -> dict:
    """C13, communities with full- or part-time sports staff: the people register keeps the staff
    (administrators and dual-post appointments), so its indicator is read here by key through the
    indicator registry (organisations import no people): one call for the rows and every community
    of the subtree, whose value is 100 or 0. Empty when no app declares the indicator."""
    found = indicators.registry().get(STAFF_INDICATOR)
    if found is None:
        return {"shares": {}, "without": [], "have": None, "of": None}
    communities = t.levels["community"].get(code, [])
    values = found.compute([*row_codes, *communities], day)
    without = sorted((c for c in communities if not values.get(c)), key=str)
    return {"shares": {c: None if values.get(c) is None else float(values[c]) for c in row_codes},
            "without": [{"code": c, "name": t.regions[c]["name"]} for c in without[:500]],
            "have": len(communities) - len(without), "of": len(communities)}
