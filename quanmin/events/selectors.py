"""Reads that more than one caller needs: the public list and calendar with their filters, a games'
competitions with their entry status, a person's entries, the staff's games in scope."""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import scoping
from quanmin.accounts.models import Role
from quanmin.booking.models import BookableUnit
from quanmin.facilities import geo
from quanmin.facilities.models import Site
from quanmin.organizations.models import Organization
from quanmin.regions import codes

from .models import OPEN, Competition, Entry, Games, Sport, TargetGroup, TeamMember

LEVELS = ("city", "county", "township", "community")


@dataclass
class Filters:
    sport: str = ""
    level: str = ""
    group: str = ""
    since: datetime.date | None = None
    near: bool = False

    @classmethod
    def parse(cls, params) -> "Filters":
        """From a query string; anything unknown is ignored rather than refused (a shared link)."""
        sport = params.get("sport", "")
        level = params.get("level", "")
        group = params.get("group", "")
        try:
            since = datetime.date.fromisoformat(params.get("date", ""))
        except ValueError:
            since = None
        return cls(sport=sport if sport in Sport.values else "", level=level if level in LEVELS else "",
                   group=group if group in TargetGroup.values else "", since=since,
                   near=params.get("near") in ("1", "on", "true"))


def near_q(user, field: str = "region__code") -> Q | None:
    """Games of the person's own county and everything inside it, and of the divisions above."""
    home = getattr(user, "home_region_id", None) if getattr(user, "is_authenticated", False) else None
    if not home:
        return None
    county = codes.ancestor_at(home, "county") if codes.level(home) in ("township", "community", "county") else home
    return Q(**{f"{field}__within": codes.prefix(county)}) | Q(**{f"{field}__in": codes.ancestors(county)})


def upcoming(user, filters: Filters, today: datetime.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    games = Games.objects.filter(status=Games.Status.PUBLISHED, last_day__gte=filters.since or today)
    if filters.sport:
        games = games.filter(pk__in=Competition.objects.filter(sport=filters.sport).values("games_id"))
    if filters.level:
        games = games.filter(level=filters.level)
    if filters.group:
        games = games.filter(target_groups__contains=f",{filters.group},")
    if filters.near and (q := near_q(user)) is not None:
        games = games.filter(q)
    return games.select_related("region").order_by("first_day", "pk")


def month_grid(user, filters: Filters, month: datetime.date) -> list[list[dict | None]]:
    """Weeks of the month, each day with the published competitions starting on it."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min), tz)
    end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min), tz)
    games = upcoming(user, Filters(filters.sport, filters.level, filters.group, first, filters.near))
    found = Competition.objects.filter(games__in=games.values("pk"), starts_at__gte=start, starts_at__lt=end)
    if filters.sport:
        found = found.filter(sport=filters.sport)
    by_day: dict[datetime.date, list] = {}
    for c in found.select_related("games").order_by("starts_at")[:2000]:
        by_day.setdefault(timezone.localtime(c.starts_at).date(), []).append(c)
    weeks = []
    for week in calendar.Calendar().monthdatescalendar(first.year, first.month):
        weeks.append([{"day": d, "items": by_day.get(d, [])} if d.month == first.month else None for d in week])
    return weeks


ENTRY_STATE = {
    "open": _("Entries open"),
    "full": _("Full: join the waiting list"),
    "closed": _("Entries closed"),
    "delegation": _("Through delegations"),
}


def entry_state(competition: Competition, now=None) -> str:
    now = now or timezone.now()
    if now > competition.closes_at:
        return "closed"
    if competition.entries == Competition.Entries.DELEGATION:
        return "delegation"
    return "full" if competition.taken >= competition.capacity else "open"


def my_entries(user) -> QuerySet:
    return Entry.objects.filter(user=user).select_related("competition__games", "delegation", "fee").order_by(
        "-competition__starts_at", "-pk")


def entries_of(user) -> QuerySet:
    """The entries a person took part in: entered themselves, or a member of a team another entered."""
    return Entry.objects.filter(Q(user=user) | Q(pk__in=TeamMember.objects.filter(user=user).values("entry_id")))


def my_open_entry(user, competition: Competition) -> Entry | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Entry.objects.filter(user=user, competition=competition, status__in=OPEN).first()


def staff_games(user, *, level: str = "", year: int | None = None) -> QuerySet:
    games = scoping.scoped(user, Games.objects.select_related("region", "parent"))
    if level in LEVELS:
        games = games.filter(level=level)
    if year:
        games = games.filter(year=year)
    return games.order_by("-year", "level", "-first_day", "-pk")


def parent_games(user) -> QuerySet:
    """The games a new games of the user may be part of (三级/四级 linkage): those the user may write
    and those of the divisions above the user's (a county links its games under its own city's,
    never under another city's). The services check the level and the division besides."""
    above = {a for r in scoping.top_regions(user, write=True) for a in codes.ancestors(r.code)}
    own = scoping.scoped(user, Games.objects, write=True).values("pk")
    return Games.objects.filter(Q(pk__in=own) | Q(region_id__in=above), kind=Games.Kind.GAMES).exclude(
        status=Games.Status.CANCELLED).exclude(level="community")


CHOICES = 500  # a picker lists at most this many, by name


def organisations_in(region_code: str) -> QuerySet:
    """The registered sports organisations of a division and those inside it, for pickers."""
    return Organization.objects.filter(region__code__within=codes.prefix(region_code)).order_by("name", "pk")


def venues_in(region_code: str) -> tuple[list, list]:
    """The sites and the bookable courts or spaces of a division and those inside it, for the
    competition form's pickers (by name, never by number)."""
    prefix = codes.prefix(region_code)
    sites = list(Site.objects.filter(region__code__within=prefix).exclude(
        status__in=[Site.Status.PLANNED, Site.Status.BUILDING]).order_by("name", "pk").only("pk", "name")[:CHOICES])
    units = list(BookableUnit.objects.filter(region__code__within=prefix).select_related("site")
                 .order_by("site__name", "name", "pk")[:CHOICES])
    return sites, units


def judged_competitions(user) -> QuerySet:
    competitions = scoping.targets(user, {Role.JUDGE}, "events.Competition")
    games = scoping.targets(user, {Role.JUDGE}, "events.Games")
    return Competition.objects.filter(Q(pk__in=competitions) | Q(games_id__in=games)).select_related("games")


# -- near me: the map of upcoming events ----------------------------------------------------------

RADII_KM = (2, 5, 10, 20, 50)
DEFAULT_RADIUS_KM = 10
NEAR_LIMIT = 100


@dataclass
class Venue:
    """A published, upcoming games or event at one of its venues: the nearest to the point given,
    or without one its soonest, with the venue's next competition and how many are held there."""
    games: Games
    site_id: int
    site_name: str
    lat: float
    lon: float
    next_start: datetime.datetime
    competitions: int
    distance: float | None


def near(user, filters: Filters, origin: tuple[float, float] | None = None, radius_km: int = DEFAULT_RADIUS_KM,
         limit: int = NEAR_LIMIT, now: datetime.datetime | None = None) -> list[Venue]:
    """One `Venue` per games (facilities.geo does the distances), nearest first within `radius_km`
    of `origin` (lat, lon, WGS-84); without an origin, soonest first. Online events have no venue
    and are left out. A fixed number of queries, however many games there are."""
    now = now or timezone.now()
    found = Competition.objects.filter(games__in=upcoming(user, filters).values("pk"), ends_at__gte=now,
                                       site__isnull=False)
    if filters.sport:
        found = found.filter(sport=filters.sport)
    radius_m = radius_km * 1000
    if origin is not None:
        min_lat, max_lat, min_lon, max_lon = geo.bbox(origin[0], origin[1], radius_m)
        found = found.filter(site__lat__gte=min_lat, site__lat__lte=max_lat, site__lon__gte=min_lon,
                             site__lon__lte=max_lon)
    rows = list(found.values("games_id", "site_id").annotate(next_start=Min("starts_at"), n=Count("pk"))
                .order_by("next_start", "games_id", "site_id")[:5000])
    sites = {s.pk: s for s in Site.objects.filter(pk__in={r["site_id"] for r in rows}).only("pk", "name", "lat", "lon")}
    best: dict[int, tuple] = {}
    for row in rows:
        site = sites[row["site_id"]]
        distance = geo.haversine_m(origin[0], origin[1], site.lat, site.lon) if origin is not None else None
        if distance is not None and distance > radius_m:
            continue
        key = (distance if distance is not None else 0, row["next_start"], row["site_id"])
        if row["games_id"] not in best or key < best[row["games_id"]][0]:
            best[row["games_id"]] = (key, row, site, distance)
    chosen = sorted(best.values(), key=lambda found: (found[0], found[1]["games_id"]))[:limit]
    games = Games.objects.select_related("region").in_bulk([row["games_id"] for _k, row, _s, _d in chosen])
    return [Venue(games[row["games_id"]], site.pk, site.name, site.lat, site.lon, row["next_start"], row["n"], d)
            for _key, row, site, d in chosen]
