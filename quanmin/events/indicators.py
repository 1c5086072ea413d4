"""The events' figures as indicators (see quanmin.core.indicators), for many divisions at once.

Each runs one or two grouped queries over the smallest subtree holding every code asked for and
hands the rows to the divisions above them (regions.subtrees). `as_of` picks the calendar year
counted: the games and events of that year (Games.year), published or held.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import decimal, indicator, memo, percent, share_meeting
from quanmin.organizations.models import Organization
from quanmin.regions import codes, subtrees
from quanmin.regions.models import Region

from .models import Brand, Competition, Entry, Games, PromotedSport, TeamMember
from .services import ASSOCIATION_KINDS, LEVEL_RULES, TOWNSHIP_ACTIVITIES, add_months
from .services_brands import associations, held_q
from .services_results import AGE_BANDS, age_band

EVERY_LEVEL = ("city", "county", "township", "community")
HELD = (Games.Status.PUBLISHED,)


def _games(prefix: str, year: int):
    return Games.objects.filter(region__code__within=prefix, year=year, status__in=HELD)


def rule_rows(prefix: str, year: int) -> list[tuple[str, int, str, bool, bool]]:
    """(division code, games id, level, enough sports, long enough span) of the year's city and
    county games (one query): the two halves of the level's rule (city: 15 sports over 6 months;
    county: 8 sports over 4 months), each a target of its own."""
    found = (Competition.objects.filter(games__in=_games(prefix, year).filter(kind=Games.Kind.GAMES,
                                                                               level__in=("city", "county")))
             .values("games_id", "games__region_id", "games__level")
             .annotate(sports=Count("sport", distinct=True), first=Min("starts_at"), last=Max("ends_at")))
    out = []
    for r in found:
        min_sports, months = LEVEL_RULES[r["games__level"]]
        first, last = timezone.localtime(r["first"]).date(), timezone.localtime(r["last"]).date()
        out.append((r["games__region_id"], r["games_id"], r["games__level"], r["sports"] >= min_sports,
                    last >= add_months(first, months)))
    return out


def _rule_share(codes_: list[str], as_of: datetime.date, level: str | None, part) -> dict[str, Decimal | None]:
    """Share of the games meeting `part` of their rule, among the year's games of `level` in each
    division (level None: each division's own level, so a city counts its city games only and
    not its counties'). None where no such games was held."""
    rows = memo(("events_rule_rows", subtrees.covering_prefix(codes_), as_of.year),
                lambda: rule_rows(subtrees.covering_prefix(codes_), as_of.year))
    out = {}
    for code, mine in subtrees.roll_up(rows, codes_).items():
        wanted = level or codes.level(code)
        mine = [r for r in mine if r[2] == wanted]
        out[code] = percent(sum(bool(part(r)) for r in mine), len(mine))
    return out


@indicator("games_meeting_level_rule", unit="percent", levels=("city", "county"),
           label=_("Games meeting their level's rule"),
           description=_("Share of the division's own games of the year (a city's city games, a county's county "
                         "games) with enough sports over a long enough span (city: 15 sports over 6 months; "
                         "county: 8 sports over 4 months)."))
def games_meeting_level_rule(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _rule_share(codes_, as_of, None, lambda r: r[3] and r[4])


def _rule_half(level: str, part):
    def compute(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
        return _rule_share(codes_, as_of, level, part)
    return compute


def _sports(r) -> bool:
    return r[3]


def _span(r) -> bool:
    return r[4]


# Each half of the rule on its own (T0-12...T0-15): the sports and the span of the city's games,
# then of the counties'; a city's figure of the county games counts every county's.
indicator("city_games_sports_rule", unit="percent", levels=("city",), label=_("City games with 15 sports or more"),
          description=_("Share of the year's city-level games with at least 15 sports (the county games are not "
                        "counted)."))(_rule_half("city", _sports))
indicator("city_games_span_rule", unit="percent", levels=("city",), label=_("City games spanning 6 months or more"),
          description=_("Share of the year's city-level games whose competitions span at least 6 months (the "
                        "county games are not counted)."))(_rule_half("city", _span))
indicator("county_games_sports_rule", unit="percent", levels=("city", "county"),
          label=_("County games with 8 sports or more"),
          description=_("Share of the year's county-level games in the division with at least 8 sports."))(
    _rule_half("county", _sports))
indicator("county_games_span_rule", unit="percent", levels=("city", "county"),
          label=_("County games spanning 4 months or more"),
          description=_("Share of the year's county-level games in the division whose competitions span at least "
                        "4 months."))(_rule_half("county", _span))


def activity_counts(prefix: str, year: int, level: str, kind: str | None = None) -> dict[str, int]:
    """{division code of `level`: the year's games and events (of `kind`, if given) held at that
    level there} (one query)."""
    held = _games(prefix, year).filter(level=level)
    if kind is not None:
        held = held.filter(kind=kind)
    return dict(held.values_list("region_id").annotate(n=Count("pk")))


def _share_of(codes_: list[str], level: str, year: int, enough: int, kind: str | None = None
              ) -> dict[str, Decimal | None]:
    prefix = subtrees.covering_prefix(codes_)
    counts = activity_counts(prefix, year, level, kind)
    divisions = subtrees.divisions_at(prefix, level)
    every = subtrees.roll_up(divisions, codes_, key=str)
    return {code: percent(sum(counts.get(d, 0) >= enough for d in mine), len(mine)) for code, mine in every.items()}


@indicator("townships_with_three_activities", unit="percent", levels=("city", "county", "township"),
           label=_("Townships with 3 or more activities this year"),
           description=_("Share of townships (streets) that organised at least 3 sports activities in the year."))
def townships_with_three_activities(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _share_of(codes_, "township", as_of.year, TOWNSHIP_ACTIVITIES)


@indicator("communities_with_games", unit="percent", levels=("city", "county", "township"),
           label=_("Communities and villages that held games this year"),
           # xgettext:no-python-format
           description=_("Share of communities and administrative villages that held a community games (a "
                         "multi-sport games, not a single event) in the year (the target is 80% in every county)."))
def communities_with_games(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _share_of(codes_, "community", as_of.year, 1, Games.Kind.GAMES)


@indicator("community_games_held", unit="count", levels=EVERY_LEVEL, label=_("Community games held this year"),
           description=_("Community (village) games held in the division in the year: multi-sport games at the "
                         "community level, not single events."))
def community_games_held(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _count(codes_, as_of.year, Q(level="community", kind=Games.Kind.GAMES))


def townships_below(prefix: str, year: int) -> list[tuple[Region, int, bool]]:
    """(township, activities this year, has a brand event) of the townships short of 3 activities
    or without a brand event of their own (A04, A09 "一镇一品"), in the subtree (two queries)."""
    counts = activity_counts(prefix, year, "township")
    brands = set(_games(prefix, year).filter(level="township", brand=True).values_list("region_id", flat=True))
    lo, hi = codes.subtree_range(prefix)
    out = []
    for t in Region.objects.filter(code__gte=lo, code__lte=hi, level="township").order_by("code"):
        n = counts.get(t.code, 0)
        if n < TOWNSHIP_ACTIVITIES or t.code not in brands:
            out.append((t, n, t.code in brands))
    return out


CYCLE_YEARS = 4  # A07: district (county) games at least once every four years


def games_overdue(prefix: str, year: int) -> list[tuple[Region, int | None]]:
    """(county, year of its latest county games or None) of the counties in the subtree whose last
    games is more than CYCLE_YEARS years back, or that never held one (two queries)."""
    latest = dict(Games.objects.filter(region__code__within=prefix, level="county", kind=Games.Kind.GAMES,
                                       status__in=HELD, year__lte=year)
                  .values_list("region_id").annotate(last=Max("year")))
    lo, hi = codes.subtree_range(prefix)
    counties = Region.objects.filter(code__gte=lo, code__lte=hi, level="county").order_by("code")
    return [(c, latest.get(c.code)) for c in counties if latest.get(c.code, 0) <= year - CYCLE_YEARS]


def communities_without_games(county_code: str, year: int) -> list[Region]:
    prefix = codes.prefix(county_code)
    held = activity_counts(prefix, year, "community", Games.Kind.GAMES)
    lo, hi = codes.subtree_range(prefix)
    return list(Region.objects.filter(code__gte=lo, code__lte=hi, level="community").exclude(code__in=list(held))
                .select_related("parent").order_by("code"))


def _count(codes_: list[str], year: int, q: Q) -> dict[str, Decimal | None]:
    prefix = subtrees.covering_prefix(codes_)
    return _summed(_games(prefix, year).filter(q).values_list("region_id").annotate(n=Count("pk")), codes_)


@indicator("brand_events", unit="count", levels=EVERY_LEVEL, label=_("Brand events this year"),
           description=_("Brand events held in the division in the year (the target is at least 5)."))
def brand_events(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _count(codes_, as_of.year, Q(brand=True))


@indicator("mass_events", unit="count", levels=EVERY_LEVEL, label=_("Games and mass events this year"),
           description=_("Games, events and activities held in the division in the year (the target is at least "
                         "100)."))
def mass_events(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _count(codes_, as_of.year, Q())


@indicator("target_group_events", unit="count", levels=EVERY_LEVEL, label=_("Events for target groups this year"),
           description=_("Events held in the year mainly for women, older people, young people, children, people "
                         "with disabilities, employees, farmers or families."))
def target_group_events(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _count(codes_, as_of.year, ~Q(target_groups=""))


@indicator("association_events", unit="count", levels=EVERY_LEVEL, label=_("Association events this year"),
           description=_("Events held by sports associations in the year (each association holds 1-2 a year)."))
def association_events(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _count(codes_, as_of.year, ~Q(association=""))


def _population(codes_: list[str]) -> dict[str, int]:
    return dict(Region.objects.filter(code__in=codes_).values_list("code", "population"))


def _athletes(prefix: str, year: int):
    """The year's confirmed athletes living in the subtree, as two querysets: the entries of
    individual competitions, and the members of team entries (the captain is one of them)."""
    confirmed = Entry.Status.CONFIRMED
    entries = Entry.objects.filter(games__year=year, status=confirmed, region_code__within=prefix)
    members = TeamMember.objects.filter(entry__games__year=year, entry__status=confirmed, region_code__within=prefix)
    return entries, members


@indicator("participants_per_10000", unit="count", levels=EVERY_LEVEL,
           label=_("Participants per 10,000 residents this year"),
           description=_("Residents who entered at least one competition in the year, alone or as a team member "
                         "(counted where they live), per 10,000 resident population."))
def participants_per_10000(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    prefix = subtrees.covering_prefix(codes_)
    entries, members = _athletes(prefix, as_of.year)
    # A person lives in one division, so distinct people per division add up over a subtree; a team
    # member who also entered on their own (or captains the team) is counted once, with the entrants.
    rows = list(entries.values_list("region_code").annotate(n=Count("user_id", distinct=True)).order_by())
    rows += list(members.exclude(user_id__in=Entry.objects.filter(games__year=as_of.year,
                                                                  status=Entry.Status.CONFIRMED).values("user_id"))
                 .values_list("region_code").annotate(n=Count("user_id", distinct=True)).order_by())
    population = _population(codes_)
    return {code: decimal(n * 10000 / population[code], 2) if population.get(code) else None
            for code, n in subtrees.summed(rows, codes_).items()}


def person_times_rows(prefix: str, year: int) -> list[tuple[str, str, int | None, int]]:
    """(home division code, sex, birth year, person-times) of the year's athletes in the subtree: an
    athlete in an individual competition, or each member of a team entry, once per competition
    (two grouped queries)."""
    entries, members = _athletes(prefix, year)
    columns = ("region_code", "sex", "birth_year")
    rows = list(entries.filter(competition__format=Competition.Format.INDIVIDUAL).values_list(*columns)
                .annotate(n=Count("pk")).order_by())
    rows += list(members.values_list(*columns).annotate(n=Count("pk")).order_by())
    return rows


@indicator("person_times", unit="count", levels=EVERY_LEVEL, label=_("Person-times in competitions this year"),
           description=_("Athletes' starts in the year's competitions, counted where they live: each individual "
                         "entry and each member of a team entry, once per competition."))
def person_times(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    rows = person_times_rows(subtrees.covering_prefix(codes_), as_of.year)
    return _summed([(r[0], r[3]) for r in rows], codes_)


def person_times_by(prefix: str, year: int) -> dict:
    """The subtree's person-times of the year in all, by sex and by age band (A12, per division and
    year; services_results.participation gives the same for one games)."""
    by_sex: dict[str, int] = defaultdict(int)
    by_age: dict[str, int] = defaultdict(int)
    total = 0
    for _code, sex, born, n in person_times_rows(prefix, year):
        total += n
        by_sex[sex or "?"] += n
        by_age[age_band(year - born if born else None)] += n
    bands = [label for _lo, _hi, label in AGE_BANDS] + ["?"]
    return {"total": total, "by_sex": dict(by_sex),
            "by_age": {band: by_age[band] for band in bands if by_age.get(band)}}


def per_association(prefix: str, year: int) -> list[tuple[str, int]]:
    """(association, events) of the year, most first: each association holds 1-2 a year (A18)."""
    rows = _games(prefix, year).exclude(association="").values_list("association").annotate(n=Count("pk"))
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def by_target_group(prefix: str, year: int) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for groups in _games(prefix, year).exclude(target_groups="").values_list("target_groups", flat=True):
        for g in groups.split(","):
            if g:
                counts[g] += 1
    return dict(counts)


# -- the reports of A15 (employee leagues), A19 (joint departmental events), A22 (youth
# competitions by school stage) and A24 (sports promoted each year); the lists are in reports.py.

LEAGUE_DAYS = 60  # A15: a yearly employee league spans 60 days or more
YOUTH_GROUPS = ("youth", "children")


def _summed(rows, codes_: list[str]) -> dict[str, Decimal | None]:
    return {code: decimal(n) for code, n in subtrees.summed(rows, codes_).items()}


def workers_rows(prefix: str, year: int) -> list[tuple[str, int, str, datetime.date | None, datetime.date | None, int]]:
    """(division code, games id, name, first day, last day, days spanned) of the year's events for
    employees (target group "workers"), longest first (one query)."""
    rows = (_games(prefix, year).filter(target_groups__contains=",workers,")
            .values_list("region_id", "pk", "name", "first_day", "last_day"))
    out = [(*r, (r[4] - r[3]).days + 1 if r[3] and r[4] else 0) for r in rows]
    return sorted(out, key=lambda r: (-r[5], r[2]))


@indicator("employee_leagues", unit="count", levels=EVERY_LEVEL, label=_("Employee leagues of 60 days or more this year"),
           description=_("Events for employees held in the year whose competitions span at least 60 days (a yearly "
                         "employee league, at least one a year)."))
def employee_leagues(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    rows = workers_rows(subtrees.covering_prefix(codes_), as_of.year)
    return _summed([(r[0], 1) for r in rows if r[5] >= LEAGUE_DAYS], codes_)


@indicator("joint_events", unit="count", levels=EVERY_LEVEL, label=_("Joint departmental events this year"),
           description=_("Events held in the year with co-organising departments recorded (at least one joint "
                         "departmental fitness activity a year)."))
def joint_events(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _count(codes_, as_of.year, ~Q(co_organizers=""))


def youth_q() -> Q:
    """Competitions for young people: by school stage, or in an event for young people or children."""
    q = ~Q(stage="")
    for group in YOUTH_GROUPS:
        q |= Q(games__target_groups__contains=f",{group},")
    return q


@indicator("youth_competitions", unit="count", levels=EVERY_LEVEL, label=_("Youth competitions this year"),
           description=_("Competitions held in the year for a school stage or in events for young people and "
                         "children."))
def youth_competitions(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    prefix = subtrees.covering_prefix(codes_)
    rows = list(Competition.objects.filter(youth_q(), games__in=_games(prefix, as_of.year))
                .values_list("games__region_id").annotate(n=Count("pk")).order_by())
    return _summed(rows, codes_)


@indicator("promoted_sports", unit="count", levels=EVERY_LEVEL, label=_("Sports promoted this year"),
           description=_("Simple, popular fitness sports the division and the divisions in it promote in the year "
                         "(1-2 a year)."))
def promoted_sports(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    prefix = subtrees.covering_prefix(codes_)
    rows = list(PromotedSport.objects.filter(region__code__within=prefix, year=as_of.year)
                .values_list("region_id").annotate(n=Count("pk")).order_by())
    return _summed(rows, codes_)


@indicator("county_games_in_cycle", unit="percent", levels=("city", "county"),
           label=_("Counties that held their games in the last four years"),
           description=_("Share of counties (districts) that held a county games in the year or the three years "
                         "before it (at least one every four years)."))
def county_games_in_cycle(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    prefix = subtrees.covering_prefix(codes_)
    overdue = {county.code for county, _last in games_overdue(prefix, as_of.year)}
    return share_meeting(subtrees.roll_up(subtrees.divisions_at(prefix, "county"), codes_, key=str),
                         lambda c: c not in overdue)


@indicator("associations_with_events", unit="percent", levels=EVERY_LEVEL,
           label=_("Associations that held an event this year"),
           description=_("Share of the division's active sports associations and federations that held at least one "
                         "event in the year (each holds 1-2 a year); those that held none count too."))
def associations_with_events(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    prefix = subtrees.covering_prefix(codes_)
    held = set(_games(prefix, as_of.year).exclude(association="").values_list("association", flat=True))
    rows = (Organization.objects.filter(region__code__within=prefix, kind__in=ASSOCIATION_KINDS, active=True,
                                        review=Organization.Review.APPROVED).values_list("region_id", "name"))
    every = subtrees.roll_up(rows, codes_)
    return {code: percent(sum(name in held for _c, name in mine), len(mine)) for code, mine in every.items()}


# -- brands (A09, T1-22): "一镇一品", "一村一品", "一协会一品牌"; the register is services_brands.

def brand_holders(prefix: str, as_of: datetime.date) -> tuple[set[str], set[int]]:
    """(the divisions, the associations) of the subtree holding a brand on `as_of` (one query)."""
    rows = Brand.objects.filter(held_q(as_of, prefix)).values_list("region_id", "organization_id").distinct()
    divisions, organizations = set(), set()
    for region, organization in rows:
        if organization is None:
            divisions.add(region)
        else:
            organizations.add(organization)
    return divisions, organizations


def _holders(codes_: list[str], as_of: datetime.date) -> tuple[set[str], set[int]]:
    prefix = subtrees.covering_prefix(codes_)
    return memo(("events_brand_holders", prefix, as_of), lambda: brand_holders(prefix, as_of))


def brand_units(prefix: str) -> list[tuple[str, str, object]]:
    """(division code, kind, key) of every unit of the subtree that should hold a brand: its
    townships, its villages and communities (keyed by code) and its associations (by id) (two queries)."""
    lo, hi = codes.subtree_range(prefix)
    rows = [(code, level, code) for code, level in Region.objects.filter(
        code__gte=lo, code__lte=hi, level__in=("township", "community")).values_list("code", "level")]
    rows += [(region, "association", pk) for pk, region in associations(prefix).values_list("pk", "region_id")]
    return rows


def _branded_share(codes_: list[str], as_of: datetime.date, kinds: tuple[str, ...]) -> dict[str, Decimal | None]:
    divisions, organizations = _holders(codes_, as_of)
    prefix = subtrees.covering_prefix(codes_)
    units = [u for u in memo(("events_brand_units", prefix), lambda: brand_units(prefix)) if u[1] in kinds]
    return share_meeting(subtrees.roll_up(units, codes_),
                         lambda u: (u[2] in organizations) if u[1] == "association" else (u[2] in divisions))


@indicator("townships_with_brand", unit="percent", levels=("city", "county", "township"),
           label=_("Townships with a brand"),
           description=_('Share of townships (streets) holding a brand event series of their own ("一镇一品").'))
def townships_with_brand(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _branded_share(codes_, as_of, ("township",))


@indicator("communities_with_brand", unit="percent", levels=("city", "county", "township", "community"),
           label=_("Villages and communities with a brand"),
           description=_('Share of administrative villages and communities holding a brand event series of their '
                         'own ("一村（社区）一品").'))
def communities_with_brand(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _branded_share(codes_, as_of, ("community",))


@indicator("associations_with_brand", unit="percent", levels=EVERY_LEVEL, label=_("Associations with a brand"),
           description=_('Share of the division\'s active sports associations and federations holding a brand event '
                         'series ("一协会一品牌").'))
def associations_with_brand(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _branded_share(codes_, as_of, ("association",))


@indicator("units_with_brand", unit="percent", levels=("city", "county", "township"),
           label=_("Units with a brand"),
           description=_("Share of the division's townships, villages and communities, and associations that hold "
                         "a brand event series (one per unit)."))
def units_with_brand(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _branded_share(codes_, as_of, ("township", "community", "association"))
