"""Games and competitions: create, change, block the venue, check the level's rule, publish.

Pages, the API, the admin and the demo all call these. Entries are in services_entries, results
and awards in services_results. Staff write only inside their scope (accounts.scoping); a games
is created at the staff member's own level or below.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quanmin.accounts import audit, scoping
from quanmin.accounts.models import User
from quanmin.booking import schedule, services_console
from quanmin.booking.models import BookableUnit
from quanmin.core.notify import notify
from quanmin.facilities.models import Site
from quanmin.organizations.models import Organization
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import services_entries
from .errors import fail, invalid
from .models import OPEN, Competition, Delegation, Entry, Games, PromotedSport, Sport, TargetGroup, ThemedDay

# The level rules of the seeds (A02, A03): sports at least, span in months at least.
LEVEL_RULES = {"city": (15, 6), "county": (8, 4)}
TOWNSHIP_ACTIVITIES = 3  # A04: activities a township organises per year
COMMUNITY_SHARE = 80  # A05: per cent of communities per county holding games a year
# Organisations whose events count as an association's (A18: each holds 1-2 a year).
ASSOCIATION_KINDS = (Organization.Kind.ASSOCIATION, Organization.Kind.GROUP_ASSOCIATION, Organization.Kind.FEDERATION)

GAMES_FIELDS = ("name", "kind", "edition", "organizer", "operator", "co_organizers", "contract", "funding",
                "association", "themed_day", "target_groups", "mode", "brand", "brand_owner", "description",
                "risk", "venue_capacity_checked", "medical_cover", "insurance", "emergency_plan",
                "organizer_responsible", "operator_responsible", "authority_responsible", "payment_provider",
                "expected_attendance", "safety_plan", "health_measures")
CHECKLIST_LABELS = {
    "venue_capacity_checked": gettext_lazy("venue capacity"), "medical_cover": gettext_lazy("medical cover"),
    "insurance": gettext_lazy("insurance"), "emergency_plan": gettext_lazy("emergency plan"),
    "organizer_responsible": gettext_lazy("organiser's responsible person"),
    "operator_responsible": gettext_lazy("operator's responsible person"),
    "authority_responsible": gettext_lazy("sports authority's responsible person"),
}


# Graded control (G14, seed 001 「建立赛事活动分级管控体系」): the people expected at the busiest moment set
# the lowest risk grade. 1,000 is where the Regulations on the Safety Management of Large-scale Mass
# Activities (大型群众性活动安全管理条例, art. 2) begin and need the police's permit; 5,000 is where the
# city's public security bureau grants it (art. 11), the scale this platform grades high.
ATTENDANCE_GRADES = ((5000, Games.Risk.HIGH), (1000, Games.Risk.MEDIUM))
RISK_ORDER = [Games.Risk.LOW, Games.Risk.MEDIUM, Games.Risk.HIGH]
MAX_ATTENDANCE = 1_000_000
TEXT_LIMIT = 5000


def risk_floor(attendance: int | None) -> str:
    """The lowest risk grade an event of `attendance` people may have."""
    return next((grade for least, grade in ATTENDANCE_GRADES if (attendance or 0) >= least), Games.Risk.LOW)


def _check_grade(risk: str, attendance: int | None, status: int = 400) -> None:
    floor = risk_floor(attendance)
    if RISK_ORDER.index(risk) < RISK_ORDER.index(floor):
        raise fail("risk_below_attendance", status=status, people=attendance, grade=Games.Risk(floor).label)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


@dataclass
class RuleCheck:
    """Whether a games meets its level's rule (A02/A03): sports counted and the span in days."""
    applies: bool
    sports: int
    min_sports: int
    first: datetime.date | None
    last: datetime.date | None
    months: int
    met: bool

    @property
    def span_days(self) -> int:
        return (self.last - self.first).days + 1 if self.first and self.last else 0


def rule_met(level: str, sports: int, first, last) -> bool | None:
    """None where the level has no rule; else whether both the sports and the span are enough."""
    if level not in LEVEL_RULES:
        return None
    min_sports, months = LEVEL_RULES[level]
    return bool(sports >= min_sports and first and last and last >= add_months(first, months))


def rule_check(games: Games) -> RuleCheck:
    return rule_checks([games])[games.pk]


def rule_checks(games_list) -> dict[int, RuleCheck]:
    """`rule_check` of many games in one query (a list page), by the games' id."""
    games_list = list(games_list)
    found = {row["games_id"]: row for row in Competition.objects.filter(games__in=[g.pk for g in games_list])
             .values("games_id").order_by().annotate(sports=Count("sport", distinct=True), first=Min("starts_at"),
                                                     last=Max("ends_at"))}
    empty = {"sports": 0, "first": None, "last": None}
    return {g.pk: _rule(g, found.get(g.pk, empty)) for g in games_list}


def _rule(games: Games, agg: dict) -> RuleCheck:
    first = timezone.localtime(agg["first"]).date() if agg["first"] else None
    last = timezone.localtime(agg["last"]).date() if agg["last"] else None
    min_sports, months = LEVEL_RULES.get(games.level, (0, 0))
    met = rule_met(games.level, agg["sports"], first, last)
    return RuleCheck(applies=met is not None and games.kind == Games.Kind.GAMES, sports=agg["sports"],
                     min_sports=min_sports, first=first, last=last, months=months, met=bool(met))


# --- games ---------------------------------------------------------------------------------------

def _clean_games(data: dict) -> dict:
    clean = {k: v for k, v in data.items() if k in GAMES_FIELDS and v is not None}
    for key in ("name", "organizer"):
        if key in clean and not str(clean[key]).strip():
            raise invalid(_("Give a name.") if key == "name" else _("Give the organiser."), key)
    for key in ("name", "organizer", "operator", "co_organizers", "contract", "association", "brand_owner",
                "organizer_responsible", "operator_responsible", "authority_responsible"):
        if key in clean:
            clean[key] = str(clean[key]).strip()[:Games._meta.get_field(key).max_length]
    choices = {"kind": Games.Kind.values, "mode": Games.Mode.values, "risk": Games.Risk.values,
               "themed_day": ThemedDay.values,
               "payment_provider": [v for v, _label in Games._meta.get_field("payment_provider").choices]}
    for key, values in choices.items():
        if key in clean and clean[key] not in values:
            raise invalid(_("Choose one of the options."), key)
    if "target_groups" in clean:
        groups = clean["target_groups"]
        if not isinstance(groups, list) or any(g not in TargetGroup.values for g in groups):
            raise invalid(_("Choose target groups from the list."), "target_groups")
        clean["target_groups"] = f",{','.join(sorted(set(groups)))}," if groups else ""
    if clean.get("expected_attendance") is not None and not 0 <= int(clean["expected_attendance"]) <= MAX_ATTENDANCE:
        raise invalid(_("Expected attendance is a number from 0 to %(max)s.") % {"max": MAX_ATTENDANCE},
                      "expected_attendance")
    for key in ("safety_plan", "health_measures"):
        if key in clean:
            clean[key] = str(clean[key]).replace("\x00", "").strip()
            if len(clean[key]) > TEXT_LIMIT:
                raise invalid(_("Write at most %(limit)s characters.") % {"limit": TEXT_LIMIT}, key)
    if clean.get("edition") is not None and not 1 <= int(clean["edition"]) <= 999:
        raise invalid(_("An edition is a number from 1 to 999."), "edition")
    if clean.get("funding") is not None and clean["funding"] < 0:
        raise invalid(_("Funding cannot be negative."), "funding")
    return clean


def _check_place(user, region: Region, level: str, parent: Games | None) -> None:
    if not scoping.can_write_region(user, region.code):
        raise PermissionDenied
    if level not in codes.LEVELS or region.level != level:
        raise fail("level_mismatch", status=400)
    if parent is not None:
        if codes.parent_level(level) != parent.level or not codes.contains(parent.region_id, region.code):
            raise fail("parent_level", status=400)


def create_games(user, data: dict, *, region: Region, parent: Games | None = None, year: int | None = None,
                 organization: Organization | None = None, request=None) -> Games:
    """A games or standalone event in `region`, at the region's level, as a draft. An organising
    association (organizations.Organization) names the event's association unless one is given."""
    level = data.get("level") or region.level
    _check_place(user, region, level, parent)
    clean = _clean_games({"kind": Games.Kind.GAMES, **data})
    for key in ("name", "organizer"):
        if not clean.get(key):
            raise invalid(_("Give a name.") if key == "name" else _("Give the organiser."), key)
    _check_grade(clean.get("risk", Games.Risk.LOW), clean.get("expected_attendance"))
    if organization is not None and organization.kind in ASSOCIATION_KINDS and not clean.get("association"):
        clean["association"] = organization.name[:120]
    games = Games.objects.create(level=level, region=region, parent=parent, created_by=user, organization=organization,
                                 year=year or timezone.localdate().year, **clean)
    audit.record("create", request=request, actor=user, obj=games)
    return games


def add_delegation(user, games: Games, *, name: str, kind: str, region: Region,
                   organization: Organization | None = None, request=None) -> Delegation:
    """A delegation of a county, township, community, unit or association (its organisation)."""
    if not scoping.can_write_region(user, games.region_id) or not scoping.can_read_region(user, region.code):
        raise PermissionDenied
    name = (name or "").strip()[:120]
    if not name or kind not in Delegation.Kind.values:
        raise invalid(_("Give the delegation's name, kind and division."), "name")
    if games.delegations.filter(name=name).exists():
        raise invalid(_("There is already a delegation of that name."), "name")
    delegation = Delegation.objects.create(games=games, name=name, kind=kind, region=region, organization=organization)
    audit.record("add_delegation", request=request, actor=user, obj=games, detail={"delegation": delegation.pk})
    return delegation


KEEP = object()  # update_games: leave the parent, the organisation or the year as they are


def update_games(user, games: Games, data: dict, *, parent=KEEP, organization=KEEP, year=KEEP,
                 request=None) -> Games:
    """Change a games' fields (the safety form sends only its own). A new parent is checked as at
    creation (one level up, in a division above); the division and the level stay. A cancelled
    games changes no more."""
    if not scoping.can_write_region(user, games.region_id):
        raise PermissionDenied
    if games.status == Games.Status.CANCELLED:
        raise fail("cancelled")
    clean = _clean_games(data)
    if parent is not KEEP:
        if parent is not None and (parent.pk == games.pk or parent.status == Games.Status.CANCELLED):
            raise fail("parent_level", status=400)
        _check_place(user, games.region, games.level, parent)
        clean["parent"] = parent
    if organization is not KEEP:
        clean["organization"] = organization
    if year is not KEEP:
        if year is None or not 2000 <= int(year) <= 2100:
            raise invalid(_("Give a year from 2000 to 2100."), "year")
        clean["year"] = int(year)
    _check_grade(clean.get("risk", games.risk), clean.get("expected_attendance", games.expected_attendance))
    changed = [k for k, v in clean.items() if getattr(games, k) != v]
    for k in changed:
        setattr(games, k, clean[k])
    if changed:
        games.save(update_fields=changed)
        audit.record("update", request=request, actor=user, obj=games, detail={"fields": changed})
    return games


def missing_checklist(games: Games) -> list[str]:
    return [str(CHECKLIST_LABELS[k]) for k, done in games.checklist.items() if not done]


def missing_plan(games: Games) -> list[str]:
    """What a medium- or high-risk event still needs on file before it opens (G14): its safety work
    plan and the plan's health and epidemic measures."""
    if games.risk == Games.Risk.LOW:
        return []
    return [str(Games._meta.get_field(k).verbose_name) for k in ("safety_plan", "health_measures")
            if not getattr(games, k).strip()]


def publish(user, games: Games, *, request=None) -> Games:
    """Publish: the safety checklist complete and the responsible parties named (A20); a medium- or
    high-risk event's safety plan on file, with its health and epidemic measures (G14)."""
    missing = missing_checklist(games)
    if missing:
        raise fail("checklist_incomplete", missing=_(", ").join(missing))
    _check_grade(games.risk, games.expected_attendance, status=409)
    missing = missing_plan(games)
    if missing:
        raise fail("safety_plan_missing", grade=games.get_risk_display(), missing=_(", ").join(missing))
    if games.status == Games.Status.CANCELLED:
        raise fail("cancelled")
    if not games.competitions.exists():
        raise fail("no_competitions")
    if games.status != Games.Status.PUBLISHED:
        games.status, games.published_at = Games.Status.PUBLISHED, timezone.now()
        games.save(update_fields=["status", "published_at"])
        audit.record("publish", request=request, actor=user, obj=games)
    return games


def _refresh_span(games: Games) -> None:
    agg = games.competitions.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    first = timezone.localtime(agg["first"]).date() if agg["first"] else None
    last = timezone.localtime(agg["last"]).date() if agg["last"] else None
    Games.objects.filter(pk=games.pk).update(first_day=first, last_day=last)
    games.first_day, games.last_day = first, last


# --- competitions --------------------------------------------------------------------------------

COMPETITION_FIELDS = ("sport", "name", "format", "sex", "min_age", "max_age", "team_min", "team_max", "capacity",
                      "delegation_quota", "entries", "residents_only", "measure", "rules", "starts_at", "ends_at",
                      "closes_at", "fee", "stage")


def _clean_competition(data: dict, current: Competition | None = None) -> dict:
    clean = {k: v for k, v in data.items() if k in COMPETITION_FIELDS and v is not None}
    merged = {**({f: getattr(current, f) for f in COMPETITION_FIELDS} if current else {}), **clean}
    if merged.get("sport") not in Sport.values:
        raise fail("sport_unknown", status=400)
    if not str(merged.get("name") or "").strip():
        raise invalid(_("Give a name."), "name")
    clean["name"] = str(merged["name"]).strip()[:120]
    enums = {"format": Competition.Format, "sex": Competition.Sex, "measure": Competition.Measure,
             "entries": Competition.Entries, "stage": Competition.Stage}
    for key, enum in enums.items():
        if key in clean and clean[key] not in enum.values:
            raise invalid(_("Choose one of the options."), key)
    starts, ends, closes = merged.get("starts_at"), merged.get("ends_at"), merged.get("closes_at")
    if starts is None or ends is None:
        raise invalid(_("Give the start and the end."), "starts_at")
    if closes is None:
        clean["closes_at"] = closes = starts - datetime.timedelta(days=1)
    if ends <= starts:
        raise fail("ends_before_start", status=400)
    if closes > starts:
        raise fail("closes_after_start", status=400)
    min_age, max_age = merged.get("min_age"), merged.get("max_age")
    if min_age is not None and max_age is not None and max_age < min_age:
        raise invalid(_("The maximum age is at least the minimum age."), "max_age")
    fmt = merged.get("format") or Competition.Format.INDIVIDUAL
    team_min, team_max = merged.get("team_min") or 1, merged.get("team_max") or 1
    if fmt == Competition.Format.INDIVIDUAL:
        clean["team_min"] = clean["team_max"] = 1
    elif not 2 <= team_min <= team_max <= 100:
        raise invalid(_("A team has 2 to 100 members, the most at least the fewest."), "team_max")
    capacity = merged.get("capacity") or 0
    if not 1 <= capacity <= 1_000_000:
        raise invalid(_("A competition has 1 to 1,000,000 places."), "capacity")
    if current is not None and capacity < current.taken:
        raise fail("capacity_below_taken", status=400)
    fee = merged.get("fee")
    if fee is not None and not 0 <= fee < 100_000:
        raise invalid(_("An entry fee is from 0 to 99,999.99 yuan."), "fee")
    quota = merged.get("delegation_quota")
    if quota is not None and not 1 <= quota <= capacity:
        raise invalid(_("Places per delegation are between 1 and the competition's places."), "delegation_quota")
    return clean


def _block_venue(user, competition: Competition) -> None:
    """Block the court's slots in the competition's time in the booking app: slots are made for
    those days first (a games runs past the booking window), then the free ones blocked. A slot
    someone already booked is the venue's to sort out: the competition is refused."""
    unit = competition.unit
    start, end = competition.starts_at, competition.ends_at
    first = timezone.localtime(start).date()
    days = (timezone.localtime(end).date() - first).days + 1
    if first >= timezone.localdate():
        schedule.generate_slots(unit, first, min(days, 366))
    found = services_console.block_unit_time(unit, start, end, _("Games: %(name)s") % {"name": competition.name}, staff=user)
    if found["kept"]:
        raise fail("venue_taken")
    competition.venue_blocked = found["blocked"]
    Competition.objects.filter(pk=competition.pk).update(venue_blocked=found["blocked"])


def _venue(games: Games, site_id, unit_id) -> tuple[Site | None, BookableUnit | None]:
    unit = BookableUnit.objects.select_related("site").filter(pk=unit_id).first() if unit_id else None
    if unit_id and unit is None:
        raise invalid(_("No such court or space."), "unit")
    site = unit.site if unit else (Site.objects.filter(pk=site_id).first() if site_id else None)
    if site_id and site is None:
        raise invalid(_("No such venue."), "site")
    return site, unit


def add_competition(user, games: Games, data: dict, *, site_id=None, unit_id=None, request=None) -> Competition:
    if games.status == Games.Status.CANCELLED:
        raise fail("cancelled")
    clean = _clean_competition(data)
    site, unit = _venue(games, site_id, unit_id)
    with transaction.atomic():
        competition = Competition.objects.create(games=games, site=site, unit=unit, **clean)
        if unit is not None:
            _block_venue(user, competition)
        _refresh_span(games)
    audit.record("add_competition", request=request, actor=user, obj=games, detail={"competition": competition.pk})
    return competition


def _free_venue(user, competition: Competition) -> None:
    """Unblock the court's slots the competition blocked (its start to its end), then block again
    those another competition on the same court still holds, so that one games' change frees
    nothing of another's."""
    if competition.unit_id is None or not competition.venue_blocked:
        return
    services_console.unblock_unit_time(competition.unit, competition.starts_at, competition.ends_at, staff=user)
    for other in (Competition.objects.filter(unit_id=competition.unit_id, venue_blocked__gt=0,
                                             starts_at__lt=competition.ends_at, ends_at__gt=competition.starts_at)
                  .exclude(pk=competition.pk).select_related("unit")):
        schedule.block_time(other.unit, other.starts_at, other.ends_at, _("Games: %(name)s") % {"name": other.name})
    competition.venue_blocked = 0
    Competition.objects.filter(pk=competition.pk).update(venue_blocked=0)


def update_competition(user, competition: Competition, data: dict, *, venue=KEEP, request=None) -> Competition:
    """Change a competition: its places never below the entries holding one; `venue` (site id, unit
    id) moves it. A new time or court frees the old block in booking and blocks the new one (a slot
    someone booked meanwhile refuses the change: venue_taken, nothing changed), and the games' span
    follows."""
    if not scoping.can_write_region(user, competition.games.region_id):
        raise PermissionDenied
    with transaction.atomic():
        competition = (Competition.objects.select_for_update(of=("self",)).select_related("games", "unit")
                       .get(pk=competition.pk))
        if competition.games.status == Games.Status.CANCELLED:
            raise fail("cancelled")
        clean = _clean_competition(data, competition)
        changed = sorted(k for k, v in clean.items() if getattr(competition, k) != v)
        site, unit = (competition.site, competition.unit) if venue is KEEP else _venue(competition.games, *venue)
        moved = unit != competition.unit or any(k in changed for k in ("starts_at", "ends_at"))
        if site != competition.site or unit != competition.unit:
            changed.append("venue")
        if moved:
            _free_venue(user, competition)
        for k, v in clean.items():
            setattr(competition, k, v)
        competition.site, competition.unit = site, unit
        competition.save(update_fields=[*clean, "site", "unit"])
        if moved and unit is not None:
            _block_venue(user, competition)
        _refresh_span(competition.games)
    if changed:
        audit.record("update_competition", request=request, actor=user, obj=competition.games,
                     detail={"competition": competition.pk, "fields": changed})
    return competition


# --- cancelling ----------------------------------------------------------------------------------

def cancel_games(user, games: Games, reason: str, *, now=None, request=None) -> dict:
    """Cancel a games or event: it leaves the public lists and the figures (they count only what is
    published), its open entries are withdrawn with their fees refunded in full (each once, under
    the entry's lock), its courts' slots are freed in booking, and each entrant and team member is
    told why. The status is committed first; then each competition's row lock is taken once, so an
    entry being made at that moment is either in before the sweep or refused (enter re-checks the
    status under that lock). Cancelling again finishes what an interrupted run left."""
    if not scoping.can_write_region(user, games.region_id):
        raise PermissionDenied
    reason = " ".join((reason or "").split())[:200]
    if not reason:
        raise fail("cancel_reason", status=400)
    now = now or timezone.now()
    with transaction.atomic():
        games = Games.objects.select_for_update().select_related("region").get(pk=games.pk)
        first = games.status != Games.Status.CANCELLED
        if first:
            games.status, games.cancelled_at, games.cancel_reason = Games.Status.CANCELLED, now, reason
            games.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    withdrawn, refunded, told = 0, 0, set()
    for competition in games.competitions.select_related("unit").order_by("pk"):
        with transaction.atomic():  # entries being made now commit (or see the status) first
            Competition.objects.select_for_update().filter(pk=competition.pk).first()
        for entry_id in Entry.objects.filter(competition=competition, status__in=OPEN).values_list("pk", flat=True):
            done = services_entries.withdraw_cancelled(entry_id, now=now)
            if done is None:
                continue
            entry, amount = done
            withdrawn, refunded = withdrawn + 1, refunded + amount
            audit.record("cancel_entry", request=request, actor=user, obj=entry, detail={"refunded": str(amount)})
            people = [entry.user, *User.objects.filter(pk__in=entry.members.values("user_id")).exclude(pk=entry.user_id)]
            for person in people:
                if person.pk not in told:
                    told.add(person.pk)
                    notify(person, _("Event cancelled: %(name)s") % {"name": games.name},
                           _("%(name)s is cancelled: %(reason)s. Your entry is withdrawn and any fee paid is "
                             "refunded in full.") % {"name": games.name, "reason": games.cancel_reason})
        with transaction.atomic():
            _free_venue(user, competition)
    if first or withdrawn:
        audit.record("cancel_games", request=request, actor=user, obj=games,
                     detail={"reason": games.cancel_reason, "withdrawn": withdrawn, "refunded": str(refunded)})
    return {"games": games, "withdrawn": withdrawn, "refunded": refunded}


def cancel_preview(games: Games) -> dict:
    """What a cancel would touch: the open entries and the fees taken on them."""
    entries = Entry.objects.filter(games=games, status__in=OPEN)
    return {"entries": entries.count(), "paid": entries.filter(fee__status__in=("paid", "on_site")).count()}


# --- sports promoted in a year (A24) -------------------------------------------------------------

def promote_sport(user, region: Region, year: int, sport: str, note: str = "", *, request=None) -> PromotedSport:
    """A sport the division promotes in the year; the division's staff name it (1-2 a year)."""
    if not scoping.can_write_region(user, region.code):
        raise PermissionDenied
    if sport not in Sport.values:
        raise fail("sport_unknown", status=400)
    if not 2000 <= int(year) <= 2100:
        raise invalid(_("Give a year from 2000 to 2100."), "year")
    with transaction.atomic():
        promoted, created = PromotedSport.objects.get_or_create(
            region=region, year=year, sport=sport, defaults={"note": (note or "").strip()[:200], "created_by": user})
    if not created:
        raise invalid(_("This sport is already promoted there that year."), "sport")
    audit.record("promote_sport", request=request, actor=user, obj=promoted)
    return promoted


def drop_promoted(user, promoted: PromotedSport, *, request=None) -> None:
    if not scoping.can_write_region(user, promoted.region_id):
        raise PermissionDenied
    audit.record("drop_promoted_sport", request=request, actor=user, obj=promoted)
    promoted.delete()
