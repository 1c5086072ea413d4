"""The experience exchange in the API (under /api/v1/planning, E05): a county's experience cases
(sent and changed by its own staff), recommended as typical or returned by the city; the city's
on-site meetings (现场会) and the recommended cases shown there."""

import datetime

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.core.api import Day, Paging

from . import permissions, selectors_exchange
from .api import ERRORS
from .models import ExperienceCase, SiteMeeting
from .services import exchange as services

router = Router(tags=["planning"])


class ExperienceCaseOut(Schema):
    id: int
    division_code: str
    division_name: str
    year: int
    title: str
    theme: str
    theme_label: str
    practice: str
    results: str
    contact: str
    status: str
    status_label: str
    submitted_at: datetime.datetime
    reviewed_at: datetime.datetime | None
    review_note: str
    recommended_on: datetime.date | None

    @staticmethod
    def resolve_theme_label(obj: ExperienceCase) -> str:
        return str(obj.get_theme_display())

    @staticmethod
    def resolve_status_label(obj: ExperienceCase) -> str:
        return str(obj.get_status_display())


class ExperienceCaseFilters(Schema):
    status: str = Field("", max_length=12)
    theme: str = Field("", max_length=16)
    year: str = Field("", pattern=r"^([0-9]{4})?$")
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$", description="A division: it and all below it.")
    q: str = Field("", max_length=60, description="Words of the title.")


class ExperienceCaseFields(Schema):
    year: int = Field(ge=2000, le=2100)
    title: str = Field(max_length=120)
    theme: str = Field(max_length=16, description="facilities, events, organisations, instructors, schools, health, "
                                                  "rural, service or other")
    practice: str = Field(max_length=4000, description="What was done.")
    results: str = Field("", max_length=2000, description="What came of it.")
    contact: str = Field("", max_length=60)


class ExperienceCaseIn(ExperienceCaseFields):
    division_code: str = Field(max_length=12, description="The county's 12-digit code.")


class CaseReviewIn(Schema):
    decision: str = Field(pattern=r"^(recommend|return)$")
    note: str = Field("", max_length=500, description="Required when returning.")
    on: Day | None = Field(None, description="The day it is recommended; today by default.")


def _case(request, case_id: int) -> ExperienceCase:
    return selectors_exchange.case_or_404(request.user, case_id)


@router.get("/experience-cases", response={200: list[ExperienceCaseOut], **ERRORS},
            summary="Experience cases: my divisions' own and my city's recommended cases (staff)")
@paginate(Paging)
def list_cases(request, filters: Query[ExperienceCaseFilters]):
    if not permissions.can_read(request.user):
        raise PermissionDenied
    return selectors_exchange.cases_for(request.user, filters.dict())


@router.post("/experience-cases", response={201: ExperienceCaseOut, **ERRORS},
             summary="Send a county's experience case to the city (the county's staff)")
def send_case(request, payload: ExperienceCaseIn):
    found = services.send_case(request.user, **payload.dict(), request=request)
    return Status(201, _case(request, found.pk))


@router.get("/experience-cases/{int:case_id}", response={200: ExperienceCaseOut, **ERRORS},
            summary="One experience case")
def get_case(request, case_id: int):
    return _case(request, case_id)


@router.put("/experience-cases/{int:case_id}", response={200: ExperienceCaseOut, **ERRORS},
            summary="Change a case not yet recommended; a returned case is sent again (the county's staff)")
def change_case(request, payload: ExperienceCaseFields, case_id: int):
    services.change_case(request.user, _case(request, case_id), **payload.dict(), request=request)
    return _case(request, case_id)


@router.post("/experience-cases/{int:case_id}/review", response={200: ExperienceCaseOut, **ERRORS},
             summary="The city recommends the case as typical or returns it with a comment")
def review_case(request, payload: CaseReviewIn, case_id: int):
    services.review_case(request.user, _case(request, case_id), **payload.dict(), request=request)
    return _case(request, case_id)


class SiteMeetingCaseOut(Schema):
    id: int
    title: str
    division_name: str


class SiteMeetingOut(Schema):
    id: int
    division_code: str
    host_code: str
    host_name: str
    held_on: datetime.date
    title: str
    place: str
    attendees: list[str] = Field(description="The attending counties' codes.")
    minutes: str
    cases: list[SiteMeetingCaseOut]

    @staticmethod
    def resolve_cases(obj: SiteMeeting) -> list:
        return list(obj.cases.all())


class SiteMeetingIn(Schema):
    division_code: str = Field(max_length=12, description="The city's 12-digit code.")
    host_code: str = Field(max_length=12, description="The host county's code.")
    held_on: Day
    title: str = Field(max_length=120)
    place: str = Field("", max_length=100)
    minutes: str = Field("", max_length=4000)
    attendee_codes: list[str] = Field([], max_length=50)
    case_ids: list[int] = Field([], max_length=30)


@router.get("/site-meetings", response={200: list[SiteMeetingOut], **ERRORS},
            summary="On-site meetings of my city (staff)")
@paginate(Paging)
def list_meetings(request):
    if not permissions.can_read(request.user):
        raise PermissionDenied
    return selectors_exchange.meetings_for(request.user)


@router.post("/site-meetings", response={201: SiteMeetingOut, **ERRORS},
             summary="Record an on-site meeting the city held at a county (the city's staff)")
def record_meeting(request, payload: SiteMeetingIn):
    found = services.record_site_meeting(request.user, **payload.dict(), request=request)
    return Status(201, found)
