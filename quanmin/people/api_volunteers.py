"""Volunteer service at the API, under /api/v1/people/volunteering (B07): activities open to sign up
(public), signing up and my hours (signed in); staff create activities and brands and record the
hours served. The same services as the pages (people.volunteering)."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts import scoping
from quanmin.accounts.api_auth import PUBLIC
from quanmin.core.api import MAX_ID, Day, ErrorOut, Moment, Paging

from . import permissions, selectors, volunteering
from .models import VolunteerActivity, VolunteerBrand, VolunteerSignup

router = Router(tags=["people"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
P = "/volunteering"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class VolunteerActivityOut(Schema):
    id: int
    title: str
    purpose: str
    mode: str
    brand_id: int | None
    region_code: str = Field(..., alias="region_id")
    organiser: str
    site_id: int | None
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    places: int
    description: str


class VolunteerActivityIn(Schema):
    title: str = Field(..., max_length=120)
    purpose: str = Field("service", max_length=10)
    mode: str = Field("offline", max_length=10)
    brand_id: int | None = Field(None, ge=1, le=MAX_ID)
    region_code: str = Field(..., max_length=12)
    organiser: str = Field(..., max_length=120)
    site_id: int | None = Field(None, ge=1, le=MAX_ID)
    place: str = Field("", max_length=200)
    link: str = Field("", max_length=300)
    starts_at: Moment
    ends_at: Moment
    places: int = Field(20, ge=1, le=10000)
    description: str = Field("", max_length=500)


class VolunteerSignupOut(Schema):
    id: int
    activity_id: int
    volunteer_id: int
    status: str
    hours: Decimal | None = None

    @staticmethod
    def resolve_hours(obj) -> Decimal | None:
        return obj.log.hours if obj.log_id and obj.status == VolunteerSignup.Status.SERVED else None


class VolunteerHoursOut(Schema):
    total: Decimal
    year: Decimal
    services: int
    signups: list[VolunteerSignupOut]


class VolunteerServiceIn(Schema):
    served: bool
    hours: Decimal | None = Field(None, ge=0, le=100)


class VolunteerBrandOut(Schema):
    id: int
    name: str
    kind: str
    region_code: str = Field(..., alias="region_id")
    organiser: str
    founded_on: datetime.date | None


class VolunteerBrandIn(Schema):
    name: str = Field(..., max_length=120)
    kind: str = Field("alliance", max_length=10)
    region_code: str = Field(..., max_length=12)
    organiser: str = Field(..., max_length=120)
    founded_on: Day | None = None
    description: str = Field("", max_length=300)


@router.get(f"{P}/activities", response={200: list[VolunteerActivityOut], **ERRORS}, auth=PUBLIC,
            summary="Volunteer activities open to sign up (public)")
@paginate(Paging)
def list_volunteer_activities(request):
    return volunteering.open_activities()


@router.post(f"{P}/activities/{{int:activity_id}}/sign-up", response={201: VolunteerSignupOut, **ERRORS},
             summary="Sign up for a volunteer activity")
def sign_up_to_volunteer(request, activity_id: int):
    found = VolunteerActivity.objects.filter(pk=activity_id, cancelled=False).first()
    if found is None:
        raise Http404
    return Status(201, volunteering.sign_up(found, request.user, request=request))


@router.get(f"{P}/me", response={200: VolunteerHoursOut, **ERRORS}, summary="My volunteer hours and sign-ups")
def my_volunteer_hours(request):
    person = permissions.own_instructor(request.user)
    signups = (list(person.volunteer_signups.select_related("log").order_by("-activity__starts_at")[:100])
               if person else [])
    return {**selectors.volunteer_hours_of(person), "signups": signups}


@router.post(f"{P}/activities", response={201: VolunteerActivityOut, **ERRORS},
             summary="Create a volunteer activity (staff)")
def create_volunteer_activity(request, payload: VolunteerActivityIn):
    _require(permissions.can_write(request.user))
    data = payload.dict()
    data.update(region=data.pop("region_code"), brand=data.pop("brand_id"), site=data.pop("site_id"))
    return Status(201, volunteering.create_activity(data, by=request.user, request=request))


@router.post(f"{P}/sign-ups/{{int:signup_id}}/service", response={200: VolunteerSignupOut, **ERRORS},
             summary="Record that a volunteer served, with the hours, or did not come (staff)")
def record_volunteer_service(request, signup_id: int, payload: VolunteerServiceIn):
    _require(permissions.can_write(request.user))
    signup = VolunteerSignup.objects.select_related("activity", "volunteer").filter(pk=signup_id).first()
    if signup is None or not scoping.can_read_region(request.user, signup.activity.region_id):
        raise Http404
    return volunteering.record_service(signup, served=payload.served, hours=payload.hours, by=request.user,
                                       request=request)


@router.get(f"{P}/brands", response={200: list[VolunteerBrandOut], **ERRORS},
            summary="Volunteer brands and alliances in my divisions (staff)")
@paginate(Paging)
def list_volunteer_brands(request):
    _require(permissions.can_read(request.user))
    return scoping.scoped(request.user, VolunteerBrand.objects.all()).order_by("region_id", "name", "id")


@router.post(f"{P}/brands", response={201: VolunteerBrandOut, **ERRORS},
             summary="Register a volunteer brand or alliance (staff)")
def create_volunteer_brand(request, payload: VolunteerBrandIn):
    _require(permissions.can_write(request.user))
    data = payload.dict()
    data["region"] = data.pop("region_code")
    return Status(201, volunteering.save_brand(data, by=request.user, request=request))
