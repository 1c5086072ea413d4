"""Groups in the API: residents find, join and leave groups (/api/v1/groups); a group's staff
decide requests, announce and add activities (/api/v1/organizations/{id}/members …)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts.api_auth import PUBLIC
from quanmin.core.api import MAX_ID, ArrayPaging, Day, ErrorOut, Paging

from . import amateur, memberships, permissions, selectors, vitality
from .api_staff import Text
from .models import GroupMembership

router = Router(tags=["groups"])
staff_router = Router(tags=["organizations"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class GroupOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    region: str
    region_name: str
    address: str
    lon: float | None
    lat: float | None
    sports: list[str]
    meets: str
    schedule: str
    join_policy: str
    member_count: int
    member_cap: int | None
    distance_m: int | None = None


def group_out(o) -> dict:
    return {"id": o.pk, "name": o.name, "kind": o.kind, "kind_label": o.get_kind_display(), "region": o.region_id,
            "region_name": o.region.name, "address": o.address, "lon": o.lon, "lat": o.lat, "sports": o.sport_codes,
            "meets": o.meets, "schedule": o.schedule, "join_policy": o.join_policy, "member_count": o.member_count,
            "member_cap": o.member_cap, "distance_m": getattr(o, "distance_m", None)}


class GroupQuery(Schema):
    sport: str = Field("", max_length=30)
    meets: str = Field("", max_length=20, description="morning, daytime, evening or weekend.")
    region: str = Field("", max_length=12)
    kind: str = Field("", max_length=30)
    open: bool = Field(False, description="Only groups taking new members with places left.")
    q: str = Field("", max_length=60)
    lat: float | None = Field(None, ge=-90, le=90, description="WGS-84; with lon: within radius_m, nearest first.")
    lon: float | None = Field(None, ge=-180, le=180)
    radius_m: int = Field(memberships.NEAR_M, ge=100, le=50_000)


@router.get("", response=list[GroupOut], auth=PUBLIC, summary="Sports groups to join: by sport, time, division, "
            "taking members; near a point")
@paginate(Paging)
def list_groups(request, query: Query[GroupQuery]):
    params = query.dict()
    params["open"] = "1" if query.open else ""
    found = memberships.find_groups(params, lat=query.lat if query.lon is not None else None,
                                    lon=query.lon if query.lat is not None else None, radius_m=query.radius_m)
    return [group_out(o) for o in found]


@router.get("/{int:group_id}", response={200: GroupOut, 404: ErrorOut}, auth=PUBLIC, summary="One group")
def get_group(request, group_id: int):
    org = memberships.public_groups().filter(pk=min(group_id, MAX_ID)).first()
    if org is None:
        raise Http404
    return group_out(org)


class GroupMembershipOut(Schema):
    id: int
    group_id: int
    group: str
    status: str
    status_label: str
    requested_at: datetime.datetime


def membership_out(m: GroupMembership) -> dict:
    return {"id": m.pk, "group_id": m.organization_id, "group": m.organization.name, "status": m.status,
            "status_label": m.get_status_display(), "requested_at": m.requested_at}


class JoinIn(Schema):
    message: Text = Field("", max_length=400)
    guardian_name: Text = Field("", max_length=100, description="Required for a member under 18.")
    guardian_relation: Text = Field("", max_length=40)


@router.post("/{int:group_id}/join", response={201: GroupMembershipOut, **ERRORS},
             summary="Join (open groups) or ask to join (the others)")
def join(request, group_id: int, payload: JoinIn):
    membership = memberships.join(request.user, min(group_id, MAX_ID), request=request, **payload.dict())
    return Status(201, membership_out(membership))


@router.post("/{int:group_id}/leave", response={200: GroupMembershipOut, **ERRORS}, summary="Leave, or withdraw a request")
def leave(request, group_id: int):
    return membership_out(memberships.leave(request.user, min(group_id, MAX_ID), request=request))


@router.get("/mine", response=list[GroupMembershipOut], summary="My groups and requests")
@paginate(ArrayPaging)
def mine(request):
    return [membership_out(m) for m in memberships.my_groups(request.user)]


# ---------------------------------------------------------------- the group's staff


class MemberOut(Schema):
    id: int
    name: str
    status: str
    message: str
    guardian_name: str
    requested_at: datetime.datetime


def _org(request, org_id: int):
    if not permissions.can_read(request.user):
        raise PermissionDenied
    return selectors.get_or_404(request.user, min(org_id, MAX_ID))


@staff_router.get("/{int:org_id}/members", response={200: list[MemberOut], **ERRORS},
                  summary="A group's members and requests (staff)")
@paginate(Paging)
def members(request, org_id: int, status: str = Query("", max_length=10)):
    org = _org(request, org_id)
    return [{"id": m.pk, "name": m.user.display_name, "status": m.status, "message": m.message,
             "guardian_name": m.guardian_name, "requested_at": m.requested_at}
            for m in memberships.members(org, status or None)]


class DecideIn(Schema):
    accept: bool = True


@staff_router.post("/{int:org_id}/members/{int:membership_id}/decision", response={200: GroupMembershipOut, **ERRORS},
                   summary="Accept or refuse a request (the group's staff)")
def decide(request, org_id: int, membership_id: int, payload: DecideIn):
    org = _org(request, org_id)
    membership = org.memberships.filter(pk=min(membership_id, MAX_ID)).first()
    if membership is None:
        raise Http404
    return membership_out(memberships.decide(membership, payload.accept, actor=request.user, request=request))


class AnnouncementIn(Schema):
    title: Text = Field(..., max_length=200)
    text: Text = Field(..., max_length=4000)


class AnnouncementOut(Schema):
    id: int
    title: str
    text: str
    created_at: datetime.datetime
    recipients: int


@staff_router.post("/{int:org_id}/announcements", response={201: AnnouncementOut, **ERRORS},
                   summary="An announcement to every member, in-app (the group's staff)")
def announce(request, org_id: int, payload: AnnouncementIn):
    org = _org(request, org_id)
    a = memberships.announce(org, payload.title, payload.text, actor=request.user, request=request)
    return Status(201, {"id": a.pk, "title": a.title, "text": a.text, "created_at": a.created_at,
                        "recipients": a.recipients})


class ActivityIn(Schema):
    title: Text = Field(..., max_length=120)
    facility_id: int = Field(..., ge=1, le=MAX_ID)
    weekday: int = Field(..., ge=0, le=6, description="0 Monday … 6 Sunday.")
    start: datetime.time
    end: datetime.time
    places: int = Field(..., ge=1, le=10_000)


class ActivityOut(Schema):
    id: int
    title: str
    unit_id: int


@staff_router.post("/{int:org_id}/activities", response={201: ActivityOut, **ERRORS},
                   summary="A weekly activity residents book as a session (the group's staff)")
def add_activity(request, org_id: int, payload: ActivityIn):
    org = _org(request, org_id)
    activity = memberships.add_activity(org, actor=request.user, request=request, **payload.dict())
    return Status(201, {"id": activity.pk, "title": activity.title, "unit_id": activity.unit_id})


class AmateurGradeOut(Schema):
    id: int
    organization: str
    sport: str
    level: int
    level_label: str
    awarded_on: datetime.date
    certificate_no: str


def _grade_out(g) -> dict:
    return {"id": g.pk, "organization": g.organization.name, "sport": g.sport, "level": g.level,
            "level_label": g.get_level_display(), "awarded_on": g.awarded_on, "certificate_no": g.certificate_no}


@router.get("/my-grades", response=list[AmateurGradeOut], summary="My amateur sport grades")
@paginate(ArrayPaging)
def my_grades(request):
    return [_grade_out(g) for g in amateur.grades_of(request.user)]


class AmateurGradeIn(Schema):
    phone: Text = Field(..., max_length=40, description="The resident's mobile number.")
    sport: str = Field(..., max_length=30)
    level: int = Field(..., ge=-1000, le=1000, description="1, 2 or 3; anything else is grade_out_of_range.")
    awarded_on: Day | None = None
    certificate_no: Text = Field("", max_length=80)


@staff_router.post("/{int:org_id}/amateur-grades", response={201: AmateurGradeOut, **ERRORS},
                   summary="Award an amateur sport grade to a resident (the association's staff)")
def award_grade(request, org_id: int, payload: AmateurGradeIn):
    org = _org(request, org_id)
    grade = amateur.award(org, actor=request.user, request=request, **payload.dict())
    return Status(201, _grade_out(grade))


class PromotionOut(Schema):
    organizations: int
    members: int
    communities: int
    participation: int
    amateur_grades: int


class VitalityOut(Schema):
    index: float | None = Field(description="0-100 within the organisation's kind and county; None when not counted.")
    rank: int | None
    of: int | None
    components: dict[str, float]
    weights: dict[str, float]
    promotion: PromotionOut | None = Field(description="Single-sport associations: how far the sport reaches (C09).")


@staff_router.get("/{int:org_id}/vitality", response={200: VitalityOut, **ERRORS},
                  summary="An organisation's vitality index and, for a single-sport association, its promotion")
def org_vitality(request, org_id: int):
    org = _org(request, org_id)
    found = vitality.of(org) if org.counted else {"index": None, "rank": None, "of": None, "components": {},
                                                  "weights": vitality.weights()}
    return {**found, "promotion": vitality.promotion(org)}
