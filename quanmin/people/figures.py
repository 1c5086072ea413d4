"""The register's figures for many divisions at once: instructors, core team, guidance rate, people
trained, stations, volunteer hours and communities without an instructor.

Each figure is one GROUP BY over the smallest subtree holding every division asked for, grouped by
each row's own division, which the database then adds up to every level (regions.subtrees.rolled_up,
in the same statement): a city's whole tree (1 city, 8 counties, 136 townships, 2,408 communities) or
a province's (64,094 divisions) in a handful of queries, whatever the number of divisions, and no
Python loop over the rows (bench/people.py --province). Instructors count where they live (their
home division); services and hours where they took place; stations where they stand. A community
has an instructor *assigned* (B03, 配备) when an instructor post is in force there or a station
there has an active instructor on duty, and a *stable* one (相对稳定) when such a post has been held
for 12 months or more: that is what the plans' "every community" targets read, not residence.

Density, coverage and the guidance rate come from one scan of the instructors (instructor_rows):
the guidance rate reads each instructor's last confirmed service (Instructor.last_service_at, kept
by logs.decide) rather than the logs, and an index holds every column that scan reads. Only for a
past date are the logs of those whose last service came later read (guided_before_rows). The
communities of each subtree come with the divisions, which are read anyway (regions_in).
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, Exists, OuterRef, Q, Sum, Value, When

from quanmin.core import facts
from quanmin.core.indicators import local_span, memo, year_ending
from quanmin.regions import codes, subtrees
from quanmin.regions.models import Region

from .models import DutyLog, Enrollment, Instructor, Post, Station

ACTIVE = Q(status=Instructor.Status.ACTIVE, kind=Instructor.Kind.INSTRUCTOR)
HOURS = Decimal("0.1")  # DutyLog.hours' places


@dataclass
class Counts:
    code: str
    name: str
    level: str
    population: int | None
    population_estimated: bool = False
    active: int = 0
    core: int = 0
    guided: int = 0
    trained: int = 0
    stations: int = 0
    hours: Decimal = Decimal(0)
    communities: int = 0
    covered: int = 0  # communities where an active instructor lives
    assigned: int = 0  # communities with an instructor assigned (a post in force, a station on duty)
    stable: int = 0  # communities with an instructor post held ≥ 12 months

    def per(self, residents: int) -> Decimal | None:
        if not self.population:
            return None
        return (Decimal(self.active) * residents / self.population).quantize(Decimal("0.01"))

    @property
    def per_1000(self) -> Decimal | None:
        return self.per(1000)

    @property
    def per_10000(self) -> Decimal | None:
        return self.per(10000)

    @property
    def guidance_rate(self) -> Decimal | None:
        return (Decimal(100) * self.guided / self.active).quantize(Decimal("0.1")) if self.active else None

    def share(self, part: int) -> Decimal | None:
        return (Decimal(100) * part / self.communities).quantize(Decimal("0.1")) if self.communities else None

    @property
    def coverage(self) -> Decimal | None:
        return self.share(self.covered)

    @property
    def assigned_share(self) -> Decimal | None:
        return self.share(self.assigned)

    @property
    def stable_share(self) -> Decimal | None:
        return self.share(self.stable)


def regions_in(prefix: str) -> dict[str, dict]:
    """{code: Counts' fields of the division itself} for the subtree's divisions (one query): name,
    level, population and the communities in its subtree. A division without a population takes
    the sum of its children's (theirs estimated first, deepest first)."""
    rows = Region.objects.filter(code__within=prefix).order_by().values_list("code", "name", "level", "parent_id",
                                                                             "population")
    depth = {level: i for i, level in enumerate(codes.PREFIX_LENGTH)}
    found, below, held = {}, {}, {}  # a parent's sums of its children's known populations, of their communities
    for code, name, level, parent, population in sorted(rows, key=lambda r: -depth.get(r[2], 0)):
        estimated = population is None and code in below
        if estimated:
            population = below[code]
        communities = 1 if level == "community" else held.get(code, 0)
        if parent is not None:
            held[parent] = held.get(parent, 0) + communities
            if population is not None:
                below[parent] = below.get(parent, 0) + population
        found[code] = {"name": name, "level": level, "population": population, "population_estimated": estimated,
                       "communities": communities}
    return found


def _span(window) -> dict:
    """The window's days as a range of the logs' start times (a range keeps the index usable)."""
    start, end = local_span(*window)
    return {"started_at__gte": start, "started_at__lt": end}


def instructor_rows(prefix: str, window: tuple[datetime.date, datetime.date]):
    """(division, active, core, guided) per home division of active instructors; guided: those whose
    last confirmed service starts in the window. Their logs are not read: an index holds every
    column (people_instructor_figures), which the database reads in division order; the counts
    count region_id, not id, which that index does not hold on PostgreSQL."""
    span = _span(window)
    in_window = Q(last_service_at__gte=span["started_at__gte"], last_service_at__lt=span["started_at__lt"])
    return (Instructor.objects.filter(ACTIVE, region__code__within=prefix).order_by()
            .values("region_id").annotate(n=Count("region_id"), core_n=Count("region_id", filter=Q(core=True)),
                                          guided_n=Count("region_id", filter=in_window)))


def guided_before_rows(prefix: str, window: tuple[datetime.date, datetime.date]):
    """(division, the other guided instructors): those whose last confirmed service starts after the
    window (figures for a past date) but who had one in it too; their logs are read. For today's
    figures nobody's last service is after the window, and an index finds that at once."""
    span = _span(window)
    served = DutyLog.objects.filter(instructor=OuterRef("pk"), status=DutyLog.Status.CONFIRMED, **span)
    return (Instructor.objects.filter(ACTIVE, Exists(served), region__code__within=prefix,
                                      last_service_at__gte=span["started_at__lt"]).order_by()
            .values("region_id").annotate(n=Count("id")))


def trained_rows(prefix: str, year: int):
    """(home division, people who passed a course ending in `year`)."""
    return (Enrollment.objects.filter(passed=True, training__ends_on__year=year,
                                      instructor__region__code__within=prefix).order_by()
            .values("instructor__region_id").annotate(n=Count("instructor_id", distinct=True)))


def station_rows(prefix: str):
    return Station.objects.filter(active=True, region__code__within=prefix).order_by().values("region_id").annotate(n=Count("id"))


ORG = "organizations.Organization"


def fitness_station_rows(prefix: str) -> list[tuple]:
    """(division, stations) for one register of fitness stations (B08, 健身站（点）): this register's
    active guidance stations and fitness points where they stand, and the fitness teams and stations
    the organisations' register counts (their declared subset, core.facts) that no active station
    here is linked to, where they are registered: a station in both registers counts once."""
    own = list(station_rows(prefix).values_list("region_id", "n"))
    counted = facts.subset_of(ORG, "fitness_point")
    if counted is None:
        return own
    linked = Station.objects.filter(active=True, organization__isnull=False).values("organization_id")
    others = (counted.filter(region__code__within=prefix).exclude(pk__in=linked).order_by()
              .values_list("region_id").annotate(n=Count("id")))
    return own + list(others)


def fitness_stations(wanted: list[str]) -> dict[str, int]:
    """{code: fitness stations in its subtree, each counted once} (two queries)."""
    return subtrees.summed(fitness_station_rows(subtrees.covering_prefix(wanted)), wanted)


def hours_rows(prefix: str, window):
    return (DutyLog.objects.filter(status=DutyLog.Status.CONFIRMED, volunteer=True, region__code__within=prefix,
                                   **_span(window)).order_by()
            .values("region_id").annotate(h=Sum("hours")))


def counts(wanted: list[str], as_of: datetime.date, *, trained=False, stations=False, hours=False) -> dict[str, Counts]:
    """{code: Counts of its subtree} for the codes that name a division: the divisions (with their
    communities) and the instructors (active, core, guided, communities covered) always, in three
    queries; each other part asked for is one query more. The database sums each part up to every
    level (subtrees.rolled_up)."""
    prefix = subtrees.covering_prefix(wanted)
    # Within an indicators batch (compute_many) the divisions and the instructors are read once for all.
    regions = memo(("people.regions", prefix), lambda: regions_in(prefix))
    window = year_ending(as_of)
    parts = [(("active", "core", "guided", "covered"),
              memo(("people.instructors", prefix, window),
                   lambda: subtrees.rolled_up(instructor_rows(prefix, window), communities=True)))]
    before = memo(("people.guided_before", prefix, window),
                  lambda: subtrees.rolled_up(guided_before_rows(prefix, window)))
    if before:  # none for today's figures: no lookup per division
        parts.append((("guided_before",), before))
    for enabled, names, rows in ((trained, ("trained",), lambda: trained_rows(prefix, as_of.year)),
                                 (stations, ("stations",), lambda: station_rows(prefix)),
                                 (hours, ("hours",), lambda: hours_rows(prefix, window))):
        if enabled:
            parts.append((names, subtrees.rolled_up(rows())))
    out = {}
    for code in wanted:
        r = regions.get(code)
        if r is None:
            continue
        values = {}
        for names, totals in parts:
            found = totals.get(code)
            if found:
                values.update(zip(names, found, strict=True))
        if "guided_before" in values:
            values["guided"] = values.get("guided", 0) + values.pop("guided_before")
        if values.get("hours"):
            values["hours"] = Decimal(values["hours"]).quantize(HOURS)  # SQLite sums a float
        out[code] = Counts(code, **r, **values)
    return out


def staffed_rows(prefix: str, as_of: datetime.date):
    """(community, 1 when it has community sports staff on the day) for each community of the
    subtree (C13, 专兼职文体工作人员): a grassroots sports committee member or an instructor in a
    public-welfare post appointed there (part-time), or an active grassroots culture-and-sports
    administrator living there (full-time); and a 1 to count the communities."""
    current = Q(appointed_on__lte=as_of) & (Q(ends_on__isnull=True) | Q(ends_on__gte=as_of))
    posts = Post.objects.filter(current, region=OuterRef("code"))
    staff = Instructor.objects.filter(status=Instructor.Status.ACTIVE, kind=Instructor.Kind.ADMINISTRATOR,
                                      region=OuterRef("code"))
    return (Region.objects.filter(code__within=prefix, level="community").order_by()
            .values("code").annotate(staffed=Case(When(Exists(posts) | Exists(staff), then=1), default=0),
                                     n=Value(1)))


def sports_staff(wanted: list[str], as_of: datetime.date) -> dict[str, tuple[int, int]]:
    """{code: (communities with sports staff, communities) in its subtree}: one query whatever the
    number of codes."""
    totals = subtrees.rolled_up(staffed_rows(subtrees.covering_prefix(wanted), as_of))
    return {code: tuple(totals.get(code, (0, 0))) for code in wanted if codes.is_code(code)}


def uncovered(code: str) -> list[dict]:
    """The communities of a division's subtree where no active instructor lives (one query)."""
    lives = Instructor.objects.filter(ACTIVE, region=OuterRef("code"))
    return list(Region.objects.filter(~Exists(lives), code__within=codes.prefix(code), level="community")
                .order_by("code").values("code", "name"))


STABLE_MONTHS = 12  # "相对稳定" (002): a post held at least this long on the day


def stable_since(as_of: datetime.date) -> datetime.date:
    """The latest appointment day of a post that counts as stable on `as_of` (held ≥ 12 months)."""
    year, month = divmod(as_of.year * 12 + as_of.month - 1 - STABLE_MONTHS, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(as_of.day, last))


def _assignment(as_of: datetime.date) -> tuple:
    """(an instructor post in force there, one held ≥ 12 months, a station there with an active
    instructor on duty): subqueries on a community's code (B03: 配备, assigned, not living there)."""
    in_force = (Q(kind=Post.Kind.INSTRUCTOR, appointed_on__lte=as_of, region=OuterRef("code"))
                & (Q(ends_on__isnull=True) | Q(ends_on__gte=as_of)) & Q(instructor__status=Instructor.Status.ACTIVE))
    posts = Post.objects.filter(in_force)
    stable = Post.objects.filter(in_force, appointed_on__lte=stable_since(as_of))
    on_duty = Station.objects.filter(active=True, region=OuterRef("code"),
                                     instructors__status=Instructor.Status.ACTIVE,
                                     instructors__kind=Instructor.Kind.INSTRUCTOR)
    return Exists(posts), Exists(stable), Exists(on_duty)


def assigned_rows(prefix: str, as_of: datetime.date):
    """(community, 1 when an instructor is assigned to it on the day, 1 when a stable one is, and a
    1 to count the communities) for each community of the subtree. Assigned: an instructor post in
    force there, or a station there with an active instructor on duty; stable: a post held for at
    least 12 months (a duty roster keeps no dates, so a station alone is not stable)."""
    post, stable, station = _assignment(as_of)
    return (Region.objects.filter(code__within=prefix, level="community").order_by()
            .values("code").annotate(assigned=Case(When(post | station, then=1), default=0),
                                     stable=Case(When(stable, then=1), default=0), n=Value(1)))


def assigned(wanted: list[str], as_of: datetime.date) -> dict[str, tuple[int, int, int]]:
    """{code: (communities with an instructor assigned, with a stable one, communities) in its
    subtree}: one query whatever the number of codes (memoised within an indicators batch)."""
    prefix = subtrees.covering_prefix(wanted)
    totals = memo(("people.assigned", prefix, as_of), lambda: subtrees.rolled_up(assigned_rows(prefix, as_of)))
    return {code: tuple(totals.get(code, (0, 0, 0))) for code in wanted if codes.is_code(code)}


def unassigned(code: str, as_of: datetime.date) -> list[dict]:
    """The communities of a division's subtree with no instructor assigned on the day (one query)."""
    post, _stable, station = _assignment(as_of)
    return list(Region.objects.filter(~post, ~station, code__within=codes.prefix(code), level="community")
                .order_by("code").values("code", "name"))


def serving_disabled(wanted: list[str], as_of: datetime.date) -> dict[str, tuple[int, int]]:
    """{code: (active instructors serving disabled people living in its subtree, those of them who
    passed a course for serving disabled people ending in the year)} (B13), two queries."""
    prefix = subtrees.covering_prefix(wanted)
    serving = subtrees.rolled_up(Instructor.objects.filter(ACTIVE, serves_disabled=True, region__code__within=prefix)
                                 .order_by().values("region_id").annotate(n=Count("id")))
    trained = subtrees.rolled_up(
        Enrollment.objects.filter(passed=True, training__for_disabled=True, training__ends_on__year=as_of.year,
                                  training__ends_on__lte=as_of, instructor__region__code__within=prefix).order_by()
        .values("instructor__region_id").annotate(n=Count("instructor_id", distinct=True)))
    return {code: (serving.get(code, (0,))[0], trained.get(code, (0,))[0]) for code in wanted if codes.is_code(code)}


def into_settings(prefix: str, window) -> dict[str, int]:
    """Confirmed public-welfare sessions delivered "into" each setting (B17) in the subtree (one query)."""
    qs = (DutyLog.objects.filter(status=DutyLog.Status.CONFIRMED, region__code__within=prefix,
                                 **_span(window)).exclude(setting="")
          .order_by().values("setting").annotate(n=Count("id")))
    found = {r["setting"]: r["n"] for r in qs}
    return {code: found.get(code, 0) for code in DutyLog.Setting.values if code}


def student_services(prefix: str, window) -> int:
    """Confirmed services of PE-major students in the subtree (B16), one query."""
    return DutyLog.objects.filter(status=DutyLog.Status.CONFIRMED, region__code__within=prefix,
                                  instructor__kind=Instructor.Kind.PE_STUDENT, **_span(window)).count()


def division_figures(region: Region, as_of: datetime.date) -> dict:
    """The division's figures and its children's, with the communities that have no instructor."""
    wanted = [region.code, *Region.objects.filter(parent=region).values_list("code", flat=True)]
    found = counts(wanted, as_of, trained=True, stations=True, hours=True)
    me = found[region.code]

    def row(c):
        return {"code": c.code, "name": c.name, "population": c.population, "instructors": c.active,
                "per_1000": c.per_1000, "per_10000": c.per_10000, "core": c.core, "guidance_rate": c.guidance_rate,
                "trained_this_year": c.trained, "stations": c.stations, "volunteer_hours": c.hours,
                "communities": c.communities, "communities_covered": c.covered, "community_share": c.coverage,
                "communities_assigned": c.assigned, "assigned_share": c.assigned_share,
                "communities_stable": c.stable, "stable_share": c.stable_share}

    for code, (have, stable, _of) in assigned(wanted, as_of).items():
        if code in found:
            found[code].assigned, found[code].stable = have, stable
    disabled = serving_disabled(wanted, as_of)
    window = year_ending(as_of)
    return {**row(me), "communities_without": unassigned(region.code, as_of)[:500],
            "communities_nobody_lives": uncovered(region.code)[:500],
            "serving_disabled": disabled.get(region.code, (0, 0))[0],
            "trained_for_disabled": disabled.get(region.code, (0, 0))[1],
            "children": [row(found[c]) for c in wanted[1:] if c in found],
            "into_settings": into_settings(region.prefix, window),
            "student_services": student_services(region.prefix, window)}
