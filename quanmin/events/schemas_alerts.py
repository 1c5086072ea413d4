"""The API's shapes of a resident's event alerts (GET/POST /events/me/alerts, /me/alert-areas)."""

import datetime

from ninja import Field, Schema


class AlertIn(Schema):
    sport: str = Field("", max_length=16, description="a sport code, or empty for any sport")
    region: str = Field(pattern=r"^\d{12}$", description="the area: one of GET /me/alert-areas")


class AlertOut(Schema):
    id: int
    sport: str
    region: str = Field(alias="region_id")
    region_name: str = Field(alias="region.name")
    created_at: datetime.datetime


class AreaOut(Schema):
    code: str
    name: str
    level: str
