"""The API's shapes of what staff send to make and change games and competitions (POST and PATCH
under /events/staff/)."""

from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from quanmin.core.api import MAX_ID, Moment

from .models import Sport, TargetGroup


class GamesIn(Schema):
    name: str = Field(max_length=120)
    kind: Literal["games", "event"] = "games"
    edition: int | None = Field(None, ge=1, le=999)
    region: str = Field(pattern=r"^\d{12}$")
    parent: int | None = Field(None, ge=1, le=MAX_ID)
    year: int | None = Field(None, ge=2000, le=2100)
    organizer: str = Field(max_length=200)
    operator: str = Field("", max_length=200)
    co_organizers: str = Field("", max_length=400)
    contract: str = Field("", max_length=200)
    funding: Decimal | None = Field(None, ge=0, lt=Decimal("1e10"), decimal_places=2, description="Funding, yuan")
    association: str = Field("", max_length=120)
    organization: int | None = Field(None, ge=1, le=MAX_ID, description="The organising sports organisation")
    themed_day: str = Field("", max_length=16)
    target_groups: list[Literal[tuple(TargetGroup.values)]] = Field(default_factory=list)  # type: ignore[valid-type]
    mode: Literal["offline", "online", "mixed"] = "offline"
    brand: bool = False
    brand_owner: str = Field("", max_length=120)
    description: str = Field("", max_length=5000)
    payment_provider: Literal["on_site", "simulated"] = Field("on_site", description="How entrants pay fees")


class GamesPatchIn(Schema):
    """Only the fields sent change; `parent` or `organization` sent as null detaches it. The division
    and the level stay."""
    name: str | None = Field(None, max_length=120)
    kind: Literal["games", "event"] | None = None
    edition: int | None = Field(None, ge=1, le=999)
    parent: int | None = Field(None, ge=1, le=MAX_ID, description="A games one level up; null: none")
    year: int | None = Field(None, ge=2000, le=2100)
    organizer: str | None = Field(None, max_length=200)
    operator: str | None = Field(None, max_length=200)
    co_organizers: str | None = Field(None, max_length=400)
    contract: str | None = Field(None, max_length=200)
    funding: Decimal | None = Field(None, ge=0, lt=Decimal("1e10"), decimal_places=2, description="Funding, yuan")
    association: str | None = Field(None, max_length=120)
    organization: int | None = Field(None, ge=1, le=MAX_ID, description="The organising sports organisation; null: none")
    themed_day: str | None = Field(None, max_length=16)
    target_groups: list[Literal[tuple(TargetGroup.values)]] | None = None  # type: ignore[valid-type]
    mode: Literal["offline", "online", "mixed"] | None = None
    brand: bool | None = None
    brand_owner: str | None = Field(None, max_length=120)
    description: str | None = Field(None, max_length=5000)
    payment_provider: Literal["on_site", "simulated"] | None = None


class SafetyIn(Schema):
    risk: Literal["low", "medium", "high"] | None = None
    venue_capacity_checked: bool | None = None
    medical_cover: bool | None = None
    insurance: bool | None = None
    emergency_plan: bool | None = None
    organizer_responsible: str | None = Field(None, max_length=60)
    operator_responsible: str | None = Field(None, max_length=60)
    authority_responsible: str | None = Field(None, max_length=60)
    expected_attendance: int | None = Field(None, ge=0, le=1_000_000,
                                            description="people at the busiest moment; 1,000 or more is at least "
                                                        "medium risk, 5,000 or more high")
    safety_plan: str | None = Field(None, max_length=5000, description="required to publish a medium or high grade")
    health_measures: str | None = Field(None, max_length=5000,
                                        description="health and epidemic measures; required with the plan")


class CompetitionIn(Schema):
    sport: Literal[tuple(Sport.values)]  # type: ignore[valid-type]
    name: str = Field(max_length=120)
    format: Literal["individual", "team", "relay"] = "individual"
    sex: Literal["any", "male", "female", "mixed"] = "any"
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)
    team_min: int | None = Field(None, ge=1, le=100)
    team_max: int | None = Field(None, ge=1, le=100)
    capacity: int = Field(ge=1, le=1_000_000)
    delegation_quota: int | None = Field(None, ge=1, le=10000)
    fee: Decimal = Field(Decimal(0), ge=0, lt=Decimal(100000), decimal_places=2, description="Entry fee, yuan")
    entries: Literal["open", "delegation", "both"] = "open"
    residents_only: bool = True
    measure: Literal["time", "distance", "score", "count", "rank"] = "time"
    stage: Literal["", "primary", "junior", "senior", "college"] = ""
    rules: str = Field("", max_length=10000)
    starts_at: Moment
    ends_at: Moment
    closes_at: Moment | None = None
    site: int | None = Field(None, ge=1, le=MAX_ID)
    unit: int | None = Field(None, ge=1, le=MAX_ID)


class CompetitionPatchIn(Schema):
    """Only the fields sent change. `site` and `unit` move the competition (a unit names its site;
    sending one without the other clears the other)."""
    sport: Literal[tuple(Sport.values)] | None = None  # type: ignore[valid-type]
    name: str | None = Field(None, max_length=120)
    format: Literal["individual", "team", "relay"] | None = None
    sex: Literal["any", "male", "female", "mixed"] | None = None
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)
    team_min: int | None = Field(None, ge=1, le=100)
    team_max: int | None = Field(None, ge=1, le=100)
    capacity: int | None = Field(None, ge=1, le=1_000_000, description="never below the places taken")
    delegation_quota: int | None = Field(None, ge=1, le=10000)
    fee: Decimal | None = Field(None, ge=0, lt=Decimal(100000), decimal_places=2, description="Entry fee, yuan")
    entries: Literal["open", "delegation", "both"] | None = None
    residents_only: bool | None = None
    measure: Literal["time", "distance", "score", "count", "rank"] | None = None
    stage: Literal["", "primary", "junior", "senior", "college"] | None = None
    rules: str | None = Field(None, max_length=10000)
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    closes_at: Moment | None = None
    site: int | None = Field(None, ge=1, le=MAX_ID)
    unit: int | None = Field(None, ge=1, le=MAX_ID)
