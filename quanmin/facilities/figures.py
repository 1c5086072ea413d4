"""Figures per division and the compliance lists ("三个一", "两个一", a square in every community).

Pure reads, a few GROUP BY queries and no query per division, whatever the size:
- figures: one aggregate query groups the subtree's facilities by type and by the first digits
  of their division code, as many as the children's prefix has (community 12, township 9,
  county 6), so a city's query returns one row per (county, type); the division's totals are
  the sum of its children's rows plus what is registered at the division itself;
- compliance: one SELECT DISTINCT (division, type) over the few types the rules ask for, rolled
  up in Python by code prefix: community 12 digits -> township 9 -> county 6;
- plus one query for the divisions (names, populations).

What counts:
- Facilities whose site exists: sites planned or under construction are not built yet and sites
  with status "closed" are out of service for good (closing is how the register retires a site),
  so neither counts. Sites closed for repair still hold their grounds and do count.
- Total area is the sum of the facilities' area in m² (trails count their area too when one is
  recorded); trail km is the length of the types measured by length (fitness trails, hiking
  trails, cycle paths).
- "New since a date" counts facilities whose year built is on or after that date's year: the
  register's own creation time would call every imported old ground new. Facilities without a
  year built are not counted as new.
- Per-capita figures divide by the division's resident population; when a division has none
  recorded, the sum of its children's is used and marked estimated, as is a population that was
  itself spread down from the county census (Region.population_estimated).
- Compliance counts a facility only when it is open to the public in some way (access is not
  "not open to the public"): a school's closed stadium is no county's public stadium.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Count, F, FloatField, Q, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from quanmin.core import plan_targets
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import types
from .models import Facility, Site

GONE = [Site.Status.PLANNED, Site.Status.BUILDING, Site.Status.CLOSED]
TRAIL_TYPES = frozenset(t.code for t in types.TYPES.values() if t.measure == "length")


# --- Plan targets ---------------------------------------------------------------------------------
# The targets of the plans' documents (quanmin/core/data/plans, read by core.plan_targets; the same
# files the planning app loads into its register), keyed by the plan's division prefix. `per_capita`
# targets (ratios) are shown as the reference for every division of the plan's; absolute ones (a count)
# only on the division itself. A deployment can replace them with the setting QUANMIN_FIGURE_TARGETS
# (same shape).
# The registry's indicator keys of the targets this page shows, and the page's own names for them.
TARGET_INDICATORS = {"area_per_resident": "area_per_capita", "grounds": "count", "trail_km_per_10000": "trail_km_per_10k"}


def document_targets() -> dict:
    table = {}
    for t in plan_targets.targets(TARGET_INDICATORS):
        plan = table.setdefault(codes.prefix(t.division_code), {
            "plan": t.plan_label, "since": t.starts_on.isoformat(), "targets": []})
        plan["targets"].append({"indicator": TARGET_INDICATORS[t.indicator], "value": float(t.value),
                                "year": t.year, "source": t.quote})
    return table


RATIO_INDICATORS = {"area_per_capita", "trail_km_per_10k"}
INDICATOR_LABELS = {
    "area_per_capita": _("Sports-ground area per resident (m²)"),
    "trail_km_per_10k": _("Trail km per 10,000 residents"),
    "count": _("Sports grounds"),
}


def plan_for(code: str) -> dict | None:
    table = getattr(settings, "QUANMIN_FIGURE_TARGETS", None) or document_targets()
    return table.get(codes.prefix_at(code, "city"))


@dataclass
class TargetCheck:
    indicator: str
    value: float  # the target
    year: int
    source: str
    plan: str
    actual: float | None

    @property
    def label(self):
        return INDICATOR_LABELS.get(self.indicator, self.indicator)

    @property
    def met(self) -> bool | None:
        return None if self.actual is None else self.actual >= self.value

    @property
    def share(self) -> float | None:
        """How far along, in per cent of the target."""
        return None if self.actual is None or not self.value else round(100 * self.actual / self.value, 1)


def default_since(code: str) -> datetime.date | None:
    """The start of the city's plan period: "new since the plan began"."""
    plan = plan_for(code)
    return datetime.date.fromisoformat(plan["since"]) if plan and plan.get("since") else None


# --- Figures --------------------------------------------------------------------------------------

@dataclass
class TypeFigures:
    type: str
    count: int = 0
    area_m2: float = 0.0
    length_km: float = 0.0
    new: int = 0  # built in or after the "since" year, when one was asked for

    @property
    def info(self):
        return types.TYPES.get(self.type)

    @property
    def label(self) -> str:
        return self.info.label if self.info else self.type

    @property
    def measure(self) -> str:
        return self.info.measure if self.info else "area"


@dataclass
class Figures:
    code: str
    name: str
    level: str
    population: int | None = None
    population_estimated: bool = False
    count: int = 0
    area_m2: float = 0.0
    trail_km: float = 0.0
    smart: int = 0
    new: int | None = None  # None when no "since" date was asked for
    by_type: dict = field(default_factory=dict)

    def add(self, row) -> None:
        _key, type_code, n, area, length, smart, new = row
        self.count += n
        self.area_m2 += area
        self.smart += smart
        if type_code in TRAIL_TYPES:
            self.trail_km += length
        if self.new is not None:
            self.new += new
        t = self.by_type.get(type_code)
        if t is None:
            t = self.by_type[type_code] = TypeFigures(type_code)
        t.count += n
        t.area_m2 += area
        t.length_km += length
        t.new += new

    @property
    def area_per_capita(self) -> float | None:
        return self.area_m2 / self.population if self.population else None

    @property
    def trail_km_per_10k(self) -> float | None:
        return self.trail_km * 10000 / self.population if self.population else None

    def types_sorted(self) -> list[TypeFigures]:
        order = list(types.TYPES)
        return sorted(self.by_type.values(),
                      key=lambda t: order.index(t.type) if t.type in order else len(order))

    def value(self, indicator: str):
        return getattr(self, indicator)


@dataclass
class DivisionFigures:
    figures: Figures
    children: list  # of Figures, by code
    direct: Figures | None  # facilities registered at the division itself, under no child
    since: datetime.date | None
    targets: list  # of TargetCheck
    plan: str = ""


# --- Compliance -----------------------------------------------------------------------------------

# (level, {missing key: roles any of which satisfies it})
RULES = {
    "county": {"stadium": {"trio_stadium"}, "centre": {"trio_centre"}, "park": {"trio_park"}},
    "township": {"centre": {"pair_centre"}, "court": {"pair_court"}},
    "community": {"square": {"square"}},
}
MISSING_LABELS = {
    ("county", "stadium"): _("public stadium"),
    ("county", "centre"): _("public fitness centre"),
    ("county", "park"): _("sports park or fitness square"),
    ("township", "centre"): _("fitness centre or lit basketball court"),
    ("township", "court"): _("multi-sport court"),
    ("community", "square"): _("multi-sport court or fitness square"),
}


@dataclass
class Gap:
    code: str
    name: str
    level: str
    parent_code: str | None
    parent_name: str
    population: int | None
    population_estimated: bool
    missing: list  # keys of RULES[level]

    @property
    def missing_labels(self) -> list[str]:
        return [str(MISSING_LABELS[(self.level, m)]) for m in self.missing]


@dataclass
class Compliance:
    code: str
    counties: list = field(default_factory=list)  # Gaps: counties missing part of the "三个一"
    townships: list = field(default_factory=list)  # townships missing part of the "两个一"
    communities: list = field(default_factory=list)  # communities and villages without a square
    checked: dict = field(default_factory=dict)  # level -> how many divisions were checked

    def lists(self):
        return [("county", self.counties), ("township", self.townships), ("community", self.communities)]


# --- Queries --------------------------------------------------------------------------------------

# The index that would make the roll-up an index-only read (see _scan_city): not in the models
# yet; when it is, SQLite reads it in order instead of scanning the table.
COVERING_INDEX = "facility_figures"


def _sqlite() -> bool:
    return connections[Facility.objects.db].vendor == "sqlite"


def _scan_city(prefix: str) -> bool:
    """On SQLite, read a whole city by scanning the table, unless a covering index exists."""
    covered = any(index.name == COVERING_INDEX for index in Facility._meta.indexes)
    return _sqlite() and len(prefix) <= codes.PREFIX_LENGTH["city"] and not covered


def _existing(prefix: str, scan: bool = False):
    """Facilities of the subtree whose site exists (not planned, building or closed).

    `scan` filters on an expression that no index serves, so that SQLite reads the table in
    order instead of looking up every row through the (region, type) index: twice as fast when
    the subtree is (nearly) the whole table, as a city is on a one-city SQLite deployment."""
    lo, hi = codes.subtree_range(prefix)
    gone = Site.objects.filter(status__in=GONE, region_id__gte=lo, region_id__lte=hi).values("id")
    if scan:
        qs = Facility.objects.annotate(_p=Substr("region_id", 1, len(prefix))).filter(_p=prefix)
    else:
        qs = Facility.objects.filter(region_id__gte=lo, region_id__lte=hi)
    return qs.exclude(site_id__in=gone).order_by()


def existing_facilities(prefix: str):
    """Facilities of the subtree whose site exists: what the figures and the survey table count."""
    return _existing(prefix, scan=_scan_city(prefix))


# PostgreSQL cannot tell that grouping by a code prefix makes few groups; with its default 4 MB it
# sorts a million rows on disk instead of hashing. Raised for these queries only (SET LOCAL).
PG_WORK_MEM = "64MB"


def _fetch(qs) -> list[tuple]:
    # The compiled SQL on a plain cursor: Django's per-row converters would cost more than the query.
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    connection = connections[qs.db]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    with transaction.atomic(using=qs.db), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{PG_WORK_MEM}'")
        cursor.execute(sql, params)
        return cursor.fetchall()


def facility_rows(prefix: str, since: datetime.date | None = None, key_length: int = 12) -> list[tuple]:
    """(key, type, count, area m², length km, smart count, new count) for the facilities of
    existing sites in the subtree, grouped by type and by the first `key_length` digits of their
    division code (12: each division; 6: each county ...): one GROUP BY query."""
    aggregates = {
        "n": Count("id"),
        "area": Sum("area_m2", output_field=FloatField()),
        "length": Sum("length_km", output_field=FloatField()),
        "smart_n": Count("id", filter=Q(smart=True)),
    }
    if since is not None:
        aggregates["new_n"] = Count("id", filter=Q(year_built__gte=since.year))
    scan = _scan_city(prefix)
    key = F("region_id") if key_length >= 12 else Substr("region_id", 1, key_length)
    # On a scan, the type as an expression too: grouping by the bare column would have SQLite
    # walk the type index and look every row up again.
    type_key = Substr("type", 1, Facility._meta.get_field("type").max_length) if scan else F("type")
    qs = (_existing(prefix, scan=scan).annotate(key=key, type_key=type_key)
          .values_list("key", "type_key").annotate(**aggregates))
    return [(r[0], r[1], r[2], float(r[3] or 0), float(r[4] or 0), r[5], r[6] if since else 0) for r in _fetch(qs)]


def _fills() -> dict[str, list]:
    """type -> [(role, prefix length)]: which compliance roles a facility of that type fills."""
    fills: dict[str, list] = {}
    for level, rules in RULES.items():
        for roles in rules.values():
            for role in roles:
                for type_code in types.with_role(role):
                    fills.setdefault(type_code, []).append((role, codes.PREFIX_LENGTH[level]))
    return fills


def presence_rows(prefix: str) -> list[tuple]:
    """(region_id, type) for each division holding a public facility of a type that compliance
    asks for: one SELECT DISTINCT over a handful of types."""
    qs = (_existing(prefix).filter(type__in=list(_fills())).exclude(access=Facility.Access.CLOSED)
          .values_list("region_id", "type").distinct())
    return _fetch(qs)


def _regions(prefix: str, code: str | None = None) -> dict[str, dict]:
    """The subtree's divisions; with `code`, only that division and its children, unless one of
    them lacks a population (then the whole subtree, to add it up from below)."""
    lo, hi = codes.subtree_range(prefix)
    fields = ("code", "name", "level", "parent_id", "population", "population_estimated")
    qs = Region.objects.order_by("code")
    if code is not None:
        found = {r["code"]: dict(r) for r in qs.filter(Q(code=code) | Q(parent_id=code)).values(*fields)}
        if all(r["population"] is not None for r in found.values()):
            return found
    found = {r["code"]: dict(r) for r in qs.filter(code__gte=lo, code__lte=hi).values(*fields)}
    _fill_populations(found)
    return found


def _fill_populations(regions: dict[str, dict]) -> None:
    """A division without a population takes the sum of its children's, marked estimated."""
    depth = {level: i for i, level in enumerate(("city", "county", "township", "community"))}
    children: dict[str, list] = {}
    for r in regions.values():
        children.setdefault(r["parent_id"], []).append(r)
    for r in sorted(regions.values(), key=lambda r: -depth.get(r["level"], 0)):
        if r["population"] is None:
            known = [c["population"] for c in children.get(r["code"], []) if c["population"] is not None]
            if known:
                r["population"], r["population_estimated"] = sum(known), True


def _figures(region: dict, since) -> Figures:
    return Figures(region["code"], region["name"], region["level"], region["population"],
                   region["population_estimated"], new=0 if since else None)


def _child_key_length(region: Region, regions: dict) -> int:
    """What to group by: the children's prefix when they all have one length (they do, level by
    level), so that the database hashes or sorts a few hundred groups, not one per division and
    type. Except on SQLite when it reads an index (below the city, or with the covering index):
    it has no hash aggregate, and grouping by the whole code follows the index order, no sort."""
    if _sqlite() and not _scan_city(codes.prefix(region.code)):
        return 12
    lengths = {len(codes.prefix(r["code"])) for r in regions.values() if r["parent_id"] == region.code}
    return lengths.pop() if len(lengths) == 1 else 12


def _division_figures(region: Region, since, rows, regions) -> DivisionFigures:
    me = regions.get(region.code) or {"code": region.code, "name": region.name, "level": region.level,
                                      "population": region.population,
                                      "population_estimated": region.population_estimated}
    total = _figures(me, since)
    children = {codes.prefix(r["code"]): _figures(r, since)
                for r in regions.values() if r["parent_id"] == region.code}
    lengths = sorted({len(p) for p in children})
    direct = _figures({**me, "population": None, "population_estimated": False}, since)  # no per-capita
    for row in rows:
        total.add(row)
        key = row[0]
        for n in lengths:
            child = children.get(key[:n])
            if child is not None:
                child.add(row)
                break
        else:
            direct.add(row)
    plan = plan_for(region.code)
    checks = []
    for t in (plan or {}).get("targets", []):
        if t["indicator"] in RATIO_INDICATORS or region.level == Region.Level.CITY:
            checks.append(TargetCheck(t["indicator"], t["value"], t["year"], t["source"], plan["plan"],
                                      total.value(t["indicator"])))
    return DivisionFigures(total, sorted(children.values(), key=lambda f: f.code),
                           direct if direct.count else None, since, checks, (plan or {}).get("plan", ""))


def _compliance(code: str, presence, regions) -> Compliance:
    fills = _fills()
    # role -> the prefixes (6/9/12 digits) that hold a public facility filling it
    present: dict[str, set] = {role: set() for pairs in fills.values() for role, _n in pairs}
    for rid, type_code in presence:
        for role, n in fills.get(type_code, ()):
            present[role].add(rid[:n])
    result = Compliance(code)
    lists = {"county": result.counties, "township": result.townships, "community": result.communities}
    for r in regions.values():
        rules = RULES.get(r["level"])
        if rules is None:
            continue
        result.checked[r["level"]] = result.checked.get(r["level"], 0) + 1
        key = codes.prefix(r["code"])
        missing = [m for m, roles in rules.items() if not any(key in present.get(role, ()) for role in roles)]
        if missing:
            parent = regions.get(r["parent_id"]) or {}
            if not parent and r["parent_id"]:
                parent = {"name": Region.objects.filter(code=r["parent_id"]).values_list("name", flat=True).first()}
            lists[r["level"]].append(Gap(r["code"], r["name"], r["level"], r["parent_id"], parent.get("name") or "",
                                         r["population"], r["population_estimated"], missing))
    return result


def division_figures(region: Region, since: datetime.date | None = None) -> DivisionFigures:
    """The division's figures and those of each child division (two queries; three when a
    population must be added up from below)."""
    prefix = codes.prefix(region.code)
    regions = _regions(prefix, region.code)
    rows = facility_rows(prefix, since, _child_key_length(region, regions))
    return _division_figures(region, since, rows, regions)


def compliance(region: Region) -> Compliance:
    """Counties, townships and communities in the subtree that miss a required facility (two
    queries; three when the division itself is listed and its parent's name is read)."""
    prefix = codes.prefix(region.code)
    return _compliance(region.code, presence_rows(prefix), _regions(prefix))


def overview(region: Region, since: datetime.date | None = None) -> tuple[DivisionFigures, Compliance]:
    """Both, in three queries: what the page and the export show."""
    prefix = codes.prefix(region.code)
    regions = _regions(prefix)
    rows = facility_rows(prefix, since, _child_key_length(region, regions))
    return _division_figures(region, since, rows, regions), _compliance(region.code, presence_rows(prefix), regions)
