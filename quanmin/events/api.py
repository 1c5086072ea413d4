"""The events API under /api/v1/events: the public list and pages, residents' entries, staff's games,
competitions, publication, results, medal tables, participation and figures.

Endpoints parse, check scope (outside it: 404) and call the services; errors are codes with a
translated message (events/errors.py).
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts import scoping
from quanmin.accounts.api_auth import PUBLIC
from quanmin.core.api import MAX_ID, ArrayPaging, ErrorOut, Paging
from quanmin.core.excel import xlsx_response
from quanmin.organizations.models import Organization
from quanmin.regions.models import Region

from . import (
    figures,
    io,
    reports,
    selectors,
    services,
    services_alerts,
    services_entries,
    services_fees,
    services_officials,
    services_results,
)
from .models import Alert, Competition, Delegation, Entry, Games, PromotedSport
from .schemas_alerts import AlertIn, AlertOut, AreaOut
from .schemas_staff import CompetitionIn, CompetitionPatchIn, GamesIn, GamesPatchIn, SafetyIn

router = Router(tags=["events"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class GamesOut(Schema):
    id: int
    name: str
    kind: str
    edition: int | None
    level: str
    region: str = Field(alias="region_id")
    region_name: str = Field(alias="region.name")
    parent: int | None = Field(alias="parent_id")
    organization: int | None = Field(alias="organization_id")
    year: int
    organizer: str
    operator: str
    co_organizers: str
    contract: str
    funding: Decimal | None
    themed_day: str
    target_groups: list[str] = Field(alias="group_list")
    mode: str
    brand: bool
    first_day: datetime.date | None
    last_day: datetime.date | None
    status: str
    cancel_reason: str
    risk: str
    expected_attendance: int | None


class CompetitionOut(Schema):
    id: int
    games: int = Field(alias="games_id")
    sport: str
    name: str
    format: str
    sex: str
    min_age: int | None
    max_age: int | None
    team_min: int
    team_max: int
    capacity: int
    taken: int
    delegation_quota: int | None
    fee: Decimal
    entries: str
    measure: str
    stage: str
    rules: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    closes_at: datetime.datetime
    site: int | None = Field(alias="site_id")
    unit: int | None = Field(alias="unit_id")
    venue_blocked: int


class GamesRuleOut(Schema):
    applies: bool
    met: bool
    sports: int
    min_sports: int
    months: int
    first: datetime.date | None
    last: datetime.date | None


class GamesDetailOut(GamesOut):
    competitions: list[CompetitionOut] = Field(alias="competition_list")
    rule: GamesRuleOut = Field(alias="rule_check")


class EntryIn(Schema):
    delegation: int | None = Field(None, ge=1, le=MAX_ID)
    team_name: str = Field("", max_length=60)
    members: list[str] = Field(default_factory=list, max_length=100, description="Team members' mobile numbers")
    waitlist: bool = False


class EntryFeeOut(Schema):
    provider: str
    amount: Decimal
    refunded: Decimal
    status: str
    reference: str | None = Field(alias="pending_reference", description="Only while a simulated payment waits")


class EntryOut(Schema):
    id: int
    competition: int = Field(alias="competition_id")
    games: int = Field(alias="games_id")
    delegation: int | None = Field(alias="delegation_id")
    team_name: str
    athletes: int
    status: str
    bib: str
    offer_expires_at: datetime.datetime | None
    pay_by: datetime.datetime | None = Field(description="An entry waiting for its online payment lapses then")
    fee: EntryFeeOut | None = Field(alias="fee_or_none")


class SubmitIn(Schema):
    value: Decimal = Field(ge=0, lt=Decimal("1e9"))
    evidence_url: str = Field(max_length=200)


class EventResultIn(Schema):
    bib: str = Field(max_length=12)
    round: Literal["heat", "semi", "final"] = "final"
    heat: int = Field(1, ge=1, le=999)
    value: Decimal | None = Field(None, ge=0, lt=Decimal("1e9"))
    status: Literal["ok", "dns", "dnf", "dq"] = "ok"
    reason: str = Field("", max_length=200)


class EventResultOut(Schema):
    id: int
    entry: int = Field(alias="entry_id")
    round: str
    heat: int
    value: Decimal | None
    status: str
    rank: int | None
    points: int
    medal: str
    review: str


class EntryDecideIn(Schema):
    approve: bool


class MedalOut(Schema):
    delegation: int = Field(alias="delegation_id")
    name: str
    gold: int
    silver: int
    bronze: int
    total: int
    points: int


class ParticipationOut(Schema):
    participants: int
    person_times: int
    by_county: dict[str, int]
    by_sex: dict[str, int]
    by_age: dict[str, int]


# -- public ---------------------------------------------------------------------------------------

class EventListQuery(Schema):
    sport: str = ""
    level: str = ""
    group: str = ""
    date: str = ""
    near: str = ""


@router.get("", response=list[GamesOut], auth=PUBLIC, summary="Upcoming published games and events")
@paginate(Paging)
def list_games(request, filters: Query[EventListQuery]):
    return selectors.upcoming(request.user, selectors.Filters.parse(filters.dict()))


class NearQuery(EventListQuery):
    lat: float | None = Field(None, ge=-90, le=90, description="WGS-84 latitude of the point to sort from")
    lon: float | None = Field(None, ge=-180, le=180, description="WGS-84 longitude of the point to sort from")
    radius: int = Field(10, ge=1, le=50, description="kilometres around the point")


class NearOut(Schema):
    id: int
    name: str
    level: str
    region_name: str
    mode: str
    first_day: datetime.date | None
    last_day: datetime.date | None
    venue: str
    lat: float
    lon: float
    next_start: datetime.datetime
    competitions: int
    distance_m: int | None


@router.get("/near", response=list[NearOut], auth=PUBLIC, summary="Upcoming events at venues, nearest first")
@paginate(ArrayPaging)
def near(request, query: Query[NearQuery]):
    """One row per event at its venue nearest the point (WGS-84), within the radius; without a
    point, soonest first. At most 100 rows; online events (no venue) are in the plain list."""
    filters = selectors.Filters.parse(query.dict())
    origin = (query.lat, query.lon) if query.lat is not None and query.lon is not None else None
    return [{"id": v.games.pk, "name": v.games.name, "level": v.games.level, "region_name": v.games.region.name,
             "mode": v.games.mode, "first_day": v.games.first_day, "last_day": v.games.last_day, "venue": v.site_name,
             "lat": v.lat, "lon": v.lon, "next_start": v.next_start, "competitions": v.competitions,
             "distance_m": round(v.distance) if v.distance is not None else None}
            for v in selectors.near(request.user, filters, origin, query.radius)]


def _detail(games: Games) -> Games:
    games.competition_list = list(games.competitions.order_by("starts_at", "pk"))
    games.rule_check = services.rule_check(games)
    return games


@router.get("/{games_id}", response={200: GamesDetailOut, 404: ErrorOut}, auth=PUBLIC, summary="A published event, or one cancelled (status, cancel_reason)")
def get_games(request, games_id: int):
    games = get_object_or_404(Games.objects.select_related("region"), pk=games_id,
                              status__in=(Games.Status.PUBLISHED, Games.Status.CANCELLED))
    return _detail(games)


# -- residents ------------------------------------------------------------------------------------

@router.post("/competitions/{competition_id}/entries", response={201: EntryOut, **ERRORS}, summary="Enter")
def enter(request, competition_id: int, body: EntryIn):
    members = services_entries.find_people(body.members) if body.members else []
    entry = services_entries.enter(request.user, competition_id, delegation_id=body.delegation, team_name=body.team_name,
                                   members=members, waitlist=body.waitlist, request=request)
    return Status(201, entry)


@router.get("/me/entries", response=list[EntryOut], summary="My entries")
@paginate(Paging)
def my_entries(request):
    return selectors.my_entries(request.user)


@router.get("/me/alerts", response=list[AlertOut], summary="My event alerts")
@paginate(ArrayPaging)
def my_alerts(request):
    return Alert.objects.filter(user=request.user).select_related("region").order_by("pk")


@router.get("/me/alert-areas", response=list[AreaOut], summary="The areas my alerts may name")
@paginate(ArrayPaging)
def alert_areas(request):
    return services_alerts.areas(request.user)


@router.post("/me/alerts", response={201: AlertOut, **ERRORS}, summary="Ask to hear of new events (sport, area)")
def add_alert(request, body: AlertIn):
    return Status(201, services_alerts.add_alert(request.user, sport=body.sport, region_code=body.region))


@router.delete("/me/alerts/{alert_id}", response={204: None, **ERRORS}, summary="Remove one of my alerts")
def remove_alert(request, alert_id: int):
    if not services_alerts.remove_alert(request.user, alert_id):
        raise Http404
    return Status(204, None)


def _own(request, entry_id: int) -> Entry:
    return get_object_or_404(Entry.objects.select_related("competition__games"), pk=entry_id, user=request.user)


@router.post("/entries/{entry_id}/withdraw", response={200: EntryOut, **ERRORS}, summary="Withdraw an entry")
def withdraw(request, entry_id: int):
    return services_entries.withdraw(request.user, _own(request, entry_id), request=request)


@router.post("/entries/{entry_id}/pay", response={200: EntryOut, **ERRORS},
             summary="Pay my entry fee (the simulated online provider's call-back, development and tests)")
def pay(request, entry_id: int):
    return services_fees.pay_simulated(request.user, _own(request, entry_id))


@router.post("/entries/{entry_id}/accept", response={200: EntryOut, **ERRORS}, summary="Accept a place offered")
def accept(request, entry_id: int):
    return services_entries.accept_offer(request.user, _own(request, entry_id))


@router.post("/entries/{entry_id}/result", response={201: EventResultOut, **ERRORS},
             summary="Submit my result in an online event")
def submit(request, entry_id: int, body: SubmitIn):
    result = services_results.submit_result(request.user, _own(request, entry_id), value=body.value,
                                            evidence_url=body.evidence_url, request=request)
    return Status(201, result)


# -- staff ----------------------------------------------------------------------------------------

def _staff_games(request, games_id: int, write: bool = False) -> Games:
    if not scoping.is_division_staff(request.user, write):
        raise PermissionDenied
    return scoping.get_scoped_or_404(request.user, Games.objects.select_related("region"), write, pk=games_id)


@router.get("/staff/games", response=list[GamesOut], summary="Games and events in my scope")
@paginate(Paging)
def staff_list(request, level: str = "", year: int | None = None):
    if not scoping.is_division_staff(request.user):
        raise PermissionDenied
    return selectors.staff_games(request.user, level=level, year=year)


@router.post("/staff/games", response={201: GamesOut, **ERRORS}, summary="Create a games or event (draft)")
def create_games(request, body: GamesIn):
    if not scoping.is_division_staff(request.user, write=True):
        raise PermissionDenied
    region = Region.objects.filter(code=body.region).first()
    if region is None or not scoping.can_write_region(request.user, region.code):
        raise Http404
    parent = selectors.parent_games(request.user).filter(pk=body.parent).first() if body.parent else None
    if body.parent and parent is None:
        raise Http404
    organization = Organization.objects.filter(pk=body.organization).first() if body.organization else None
    if body.organization and organization is None:
        raise Http404
    data = body.dict(exclude={"region", "parent", "year", "organization"})
    return Status(201, services.create_games(request.user, data, region=region, parent=parent, year=body.year,
                                             organization=organization, request=request))


@router.get("/staff/games/{games_id}", response={200: GamesDetailOut, **ERRORS}, summary="A games in my scope")
def staff_get(request, games_id: int):
    return _detail(_staff_games(request, games_id))


@router.patch("/staff/games/{games_id}", response={200: GamesOut, **ERRORS},
              summary="Change a games or event: its fields, parent or organisation")
def update_games(request, games_id: int, body: GamesPatchIn):
    games = _staff_games(request, games_id, write=True)
    sent = body.dict(exclude_unset=True)
    links = {}
    if "parent" in sent:
        parent_id = sent.pop("parent")
        links["parent"] = selectors.parent_games(request.user).filter(pk=parent_id).first() if parent_id else None
        if parent_id and links["parent"] is None:
            raise Http404
    if "organization" in sent:
        org_id = sent.pop("organization")
        links["organization"] = scoping.scoped(request.user, Organization.objects.all(), True).filter(
            pk=org_id).first() if org_id else None
        if org_id and links["organization"] is None:
            raise Http404
    if "year" in sent:
        links["year"] = sent.pop("year")
    return services.update_games(request.user, games, sent, request=request, **links)


@router.patch("/staff/games/{games_id}/safety", response={200: GamesOut, **ERRORS},
              summary="Risk grade, safety checklist and responsible parties")
def safety(request, games_id: int, body: SafetyIn):
    games = _staff_games(request, games_id, write=True)
    return services.update_games(request.user, games, body.dict(exclude_none=True), request=request)


class GamesCancelIn(Schema):
    reason: str = Field(max_length=200, description="Told to every entrant")


class GamesCancelOut(Schema):
    games: GamesOut
    withdrawn: int = Field(description="Open entries withdrawn by this call")
    refunded: Decimal = Field(description="Fees refunded by this call, yuan")


@router.post("/staff/games/{games_id}/cancel", response={200: GamesCancelOut, **ERRORS},
             summary="Cancel: open entries withdrawn and refunded, venue slots freed, entrants told")
def cancel(request, games_id: int, body: GamesCancelIn):
    return services.cancel_games(request.user, _staff_games(request, games_id, write=True), body.reason,
                                 request=request)


@router.post("/staff/games/{games_id}/publish", response={200: GamesOut, **ERRORS}, summary="Publish")
def publish(request, games_id: int):
    return services.publish(request.user, _staff_games(request, games_id, write=True), request=request)


@router.post("/staff/games/{games_id}/competitions", response={201: CompetitionOut, **ERRORS},
             summary="Add a competition (blocks its venue time in booking)")
def add_competition(request, games_id: int, body: CompetitionIn):
    games = _staff_games(request, games_id, write=True)
    data = body.dict(exclude={"site", "unit"})
    return Status(201, services.add_competition(request.user, games, data, site_id=body.site, unit_id=body.unit,
                                                request=request))


@router.get("/staff/games/{games_id}/medals", response={200: list[MedalOut], **ERRORS}, summary="Medal table")
@paginate(ArrayPaging)
def medals(request, games_id: int):
    return services_results.medal_table(_staff_games(request, games_id))


@router.get("/staff/games/{games_id}/participation", response={200: ParticipationOut, **ERRORS},
            summary="Participants and person-times by county, sex and age band")
def participation(request, games_id: int):
    return services_results.participation(_staff_games(request, games_id))


@router.get("/staff/games/{games_id}/entries.xlsx", summary="Entries and results as Excel",
            response={200: None, **ERRORS})
def export(request, games_id: int):
    games = _staff_games(request, games_id)
    return xlsx_response(f"entries-{games.pk}.xlsx", io.entry_sheets(games))


@router.patch("/staff/competitions/{competition_id}", response={200: CompetitionOut, **ERRORS},
              summary="Change a competition (places, times, venue: its booking block follows)")
def update_competition(request, competition_id: int, body: CompetitionPatchIn):
    if not scoping.is_division_staff(request.user, write=True):
        raise PermissionDenied
    competition = scoping.get_scoped_or_404(request.user, Competition.objects.select_related("games"), True,
                                            pk=competition_id)
    sent = body.dict(exclude_unset=True)
    venue = (sent.pop("site", None), sent.pop("unit", None)) if {"site", "unit"} & set(sent) else services.KEEP
    return services.update_competition(request.user, competition, sent, venue=venue, request=request)


@router.post("/staff/competitions/{competition_id}/results", response={200: EventResultOut, **ERRORS},
             summary="Enter or correct a result (judges and staff)")
def record(request, competition_id: int, body: EventResultIn):
    competition = get_object_or_404(Competition.objects.select_related("games"), pk=competition_id)
    if not services_results.may_judge(request.user, competition):
        if scoping.can_read_region(request.user, competition.games.region_id):
            raise PermissionDenied
        raise Http404
    return services_results.record_result(request.user, competition, body.bib, value=body.value, status=body.status,
                                          round=body.round, heat=body.heat, reason=body.reason, request=request)


@router.post("/staff/entries/{entry_id}/decide", response={200: EntryOut, **ERRORS},
             summary="The delegation leader approves an entry or not")
def decide(request, entry_id: int, body: EntryDecideIn):
    entry = get_object_or_404(Entry.objects.select_related("delegation__games"), pk=entry_id, delegation__isnull=False)
    if not services_entries.may_manage_delegation(request.user, entry.delegation):
        raise Http404
    return services_entries.decide(request.user, entry, approve=body.approve, request=request)


# -- officials: judges and delegation leaders -----------------------------------------------------

class OfficialOut(Schema):
    id: int
    role: Literal["judge", "delegation_leader"]
    user: int = Field(alias="user_id")
    name: str
    phone: str = Field(description="Masked")
    target_kind: Literal["games", "competition", "delegation"]
    target_id: int
    target_name: str


class JudgeIn(Schema):
    phone: str = Field(max_length=20)
    competition: int | None = Field(None, ge=1, le=MAX_ID, description="None: a judge of the whole games")


class LeaderIn(Schema):
    phone: str = Field(max_length=20)


def _official(games: Games, membership) -> dict:
    return next(o for o in services_officials.officials(games) if o["id"] == membership.pk)


@router.get("/staff/games/{games_id}/officials", response={200: list[OfficialOut], **ERRORS},
            summary="The games' judges and delegation leaders")
@paginate(ArrayPaging)
def officials(request, games_id: int):
    return services_officials.officials(_staff_games(request, games_id))


@router.post("/staff/games/{games_id}/judges", response={201: OfficialOut, **ERRORS},
             summary="Appoint a judge of a competition or of the whole games")
def appoint_judge(request, games_id: int, body: JudgeIn):
    games = _staff_games(request, games_id, write=True)
    competition = games.competitions.filter(pk=body.competition).first() if body.competition else None
    if body.competition and competition is None:
        raise Http404
    membership = services_officials.appoint_judge(request.user, games, body.phone, competition=competition,
                                                  request=request)
    return Status(201, _official(games, membership))


@router.delete("/staff/games/{games_id}/officials/{membership_id}", response={204: None, **ERRORS},
               summary="Take a judge's or leader's role for this games away")
def dismiss(request, games_id: int, membership_id: int):
    games = _staff_games(request, games_id, write=True)
    services_officials.dismiss(request.user, games, membership_id, request=request)
    return Status(204, None)


def _staff_delegation(request, delegation_id: int) -> Delegation:
    delegation = get_object_or_404(Delegation.objects.select_related("games__region"), pk=delegation_id)
    if not services_officials.may_appoint_leader(request.user, delegation):
        if scoping.can_read_region(request.user, delegation.games.region_id) or scoping.can_read_region(
                request.user, delegation.region_id):
            raise PermissionDenied
        raise Http404
    return delegation


@router.post("/staff/delegations/{delegation_id}/leaders", response={201: OfficialOut, **ERRORS},
             summary="Appoint a delegation's leader")
def appoint_leader(request, delegation_id: int, body: LeaderIn):
    delegation = _staff_delegation(request, delegation_id)
    membership = services_officials.appoint_leader(request.user, delegation, body.phone, request=request)
    return Status(201, _official(delegation.games, membership))


@router.delete("/staff/delegations/{delegation_id}/leaders/{membership_id}", response={204: None, **ERRORS},
               summary="Take a delegation leader's role away")
def dismiss_leader(request, delegation_id: int, membership_id: int):
    delegation = _staff_delegation(request, delegation_id)
    membership = services_officials.official_of(delegation.games, membership_id)
    if membership.target_id != delegation.pk or membership.role != "delegation_leader":
        raise Http404
    services_officials.dismiss(request.user, delegation.games, membership_id, request=request)
    return Status(204, None)


class FigureRow(Schema):
    code: str
    name: str
    values: list[Decimal | None]


class NamedCount(Schema):
    name: str
    events: int


class EventFiguresOut(Schema):
    code: str
    year: int
    keys: list[str]
    rows: list[FigureRow]
    without_games: list[str] = Field(description="Communities of the county (code) that held no games in the year")
    associations: list[NamedCount]
    person_times_by_sex: dict[str, int] = Field(description="The year's person-times of the division's residents by "
                                                "sex (male, female; ? when not recorded)")
    person_times_by_age: dict[str, int] = Field(description="The same by age band (0–17, 18–39, 40–59, 60+, ?)")


@router.get("/staff/figures", response={200: EventFiguresOut, **ERRORS}, summary="The events' indicators of a division")
def figures_api(request, code: str = Query("", pattern=r"^(\d{12})?$"), year: int = Query(2026, ge=2000, le=2100)):
    if not scoping.is_division_staff(request.user):
        raise PermissionDenied
    data = figures.figures(request.user, code, year)
    return {"code": data["region"].code, "year": year, "keys": list(figures.KEYS),
            "rows": [{"code": r["region"].code, "name": r["region"].name, "values": r["values"]} for r in data["rows"]],
            "without_games": [m.code for m in data["missing"]],
            "associations": [{"name": n, "events": c} for n, c in data["associations"]],
            "person_times_by_sex": data["times"]["by_sex"], "person_times_by_age": data["times"]["by_age"]}


class ReportWorkersRow(Schema):
    games: int
    name: str
    division: str
    first_day: datetime.date | None
    last_day: datetime.date | None
    days: int
    league: bool


class ReportJointRow(Schema):
    games: int
    name: str
    division: str
    first_day: datetime.date | None
    departments: list[str]


class ReportYouthRow(Schema):
    stage: str
    counts: list[int]
    total: int


class ReportAcrossRow(Schema):
    competition: int
    name: str
    games: str
    division: str
    stage: str
    counties: int


class PromotedSportOut(Schema):
    id: int
    division: str
    region: str
    sport: str
    note: str
    events: int
    entries: int
    in_range: bool


class EventReportsOut(Schema):
    code: str
    year: int
    figures: dict[str, Decimal | None]
    workers: list[ReportWorkersRow]
    joint: list[ReportJointRow]
    youth_levels: list[str]
    youth_rows: list[ReportYouthRow]
    youth_across: list[ReportAcrossRow]
    promoted: list[PromotedSportOut]


@router.get("/staff/reports", response={200: EventReportsOut, **ERRORS},
            summary="Employee leagues, joint events, youth competitions and promoted sports of a division (A15, A19, A22, A24)")
def reports_api(request, code: str = Query("", pattern=r"^(\d{12})?$"), year: int = Query(2026, ge=2000, le=2100)):
    if not scoping.is_division_staff(request.user):
        raise PermissionDenied
    data = reports.report(request.user, code, year)
    return {**data, "code": data["region"].code}


class PromotedSportIn(Schema):
    region: str = Field(pattern=r"^\d{12}$")
    year: int = Field(ge=2000, le=2100)
    sport: str = Field(max_length=16)
    note: str = Field("", max_length=200)


class PromotedSportMadeOut(Schema):
    id: int
    region: str = Field(alias="region_id")
    year: int
    sport: str
    note: str


@router.post("/staff/promoted-sports", response={201: PromotedSportMadeOut, **ERRORS}, summary="Name a sport a division promotes in a year")
def promote(request, body: PromotedSportIn):
    if not scoping.is_division_staff(request.user, write=True):
        raise PermissionDenied
    region = Region.objects.filter(code=body.region).first()
    if region is None or not scoping.can_read_region(request.user, region.code):
        raise Http404
    return Status(201, services.promote_sport(request.user, region, body.year, body.sport, body.note, request=request))


@router.delete("/staff/promoted-sports/{promoted_id}", response={204: None, **ERRORS}, summary="Remove a promoted sport")
def drop_promoted(request, promoted_id: int):
    if not scoping.is_division_staff(request.user, write=True):
        raise PermissionDenied
    promoted = scoping.get_scoped_or_404(request.user, PromotedSport.objects.all(), True, pk=promoted_id)
    services.drop_promoted(request.user, promoted, request=request)
    return Status(204, None)
