"""Science-fitness outreach in the API (/api/v1/outreach): division staff keep the lectures, the
publicity column, the "five into" activities and the workplaces with workplace exercise, and move
the lecture register in and out of Excel; residents read the column and the lectures to come near
them and sign up for one."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts.api_auth import PUBLIC
from quanmin.core import imports
from quanmin.core.api import ArrayPaging, Day, ErrorOut, Moment, Paging

from . import figures, io, permissions, selectors, services
from .errors import OutreachError
from .models import MAX_CAPACITY, MAX_PEOPLE, Article, Lecture, SkillActivity, Workplace

router = Router(tags=["outreach"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# ---------------------------------------------------------------- lectures (staff)


class OutreachLectureIn(Schema):
    region: str = Field(max_length=12, description="12-digit division code")
    title: str = Field(max_length=120)
    topic: str = Field(max_length=12, description="exercise, chronic, nutrition, injury, traditional, elderly, youth, "
                                                  "other")
    starts_at: Moment = Field(description="Without an offset: the city's local time.")
    minutes: int = Field(90, ge=10, le=600)
    place: str = Field(max_length=120)
    speaker: str = Field(max_length=80)
    organiser: str = Field(max_length=80)
    capacity: int = Field(0, ge=0, le=MAX_CAPACITY, description="places for sign-up; 0: no sign-up")


class OutreachLectureOut(Schema):
    id: int
    region: str
    region_name: str
    title: str
    topic: str
    topic_label: str
    starts_at: datetime.datetime
    minutes: int
    place: str
    speaker: str
    organiser: str
    capacity: int
    signed_up: int
    places_left: int
    audience: int | None
    status: str
    status_label: str
    cancel_reason: str


def lecture_out(x: Lecture) -> dict:
    taken = getattr(x, "signed_up", None)
    if taken is None:
        taken = services.live_signups(x)
    return {"id": x.pk, "region": x.region_id, "region_name": x.region.name, "title": x.title, "topic": x.topic,
            "topic_label": x.get_topic_display(), "starts_at": x.starts_at, "minutes": x.minutes, "place": x.place,
            "speaker": x.speaker, "organiser": x.organiser, "capacity": x.capacity, "signed_up": taken,
            "places_left": max(x.capacity - taken, 0), "audience": x.audience, "status": x.status,
            "status_label": x.get_status_display(), "cancel_reason": x.cancel_reason}


class OutreachLectureFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$", description="A division: it and all below it.")
    topic: str = Field("", max_length=12)
    status: str = Field("", pattern=r"^(scheduled|cancelled)?$")


@router.get("/lectures", response={200: list[OutreachLectureOut], **ERRORS}, summary="Lectures in my scope (staff)")
@paginate(Paging)
def list_lectures(request, filters: Query[OutreachLectureFilters]):
    _require(permissions.can_read(request.user))
    return [lecture_out(x) for x in selectors.lectures_for(request.user, filters.dict())]


@router.post("/lectures", response={201: OutreachLectureOut, **ERRORS}, summary="Schedule a lecture (division staff)")
def create_lecture(request, payload: OutreachLectureIn):
    _require(permissions.can_write(request.user))
    lecture = services.save_lecture(request.user, payload.dict(), request=request)
    return Status(201, lecture_out(selectors.lecture_or_404(request.user, lecture.pk)))


@router.get("/lectures/{int:lecture_id}", response={200: OutreachLectureOut, **ERRORS}, summary="One lecture (staff)")
def get_lecture(request, lecture_id: int):
    return lecture_out(selectors.lecture_or_404(request.user, lecture_id))


@router.put("/lectures/{int:lecture_id}", response={200: OutreachLectureOut, **ERRORS},
            summary="Change a lecture (its division's staff)")
def update_lecture(request, lecture_id: int, payload: OutreachLectureIn):
    _require(permissions.can_write(request.user))
    lecture = selectors.lecture_or_404(request.user, lecture_id, write=True)
    services.save_lecture(request.user, payload.dict(), lecture, request=request)
    return lecture_out(selectors.lecture_or_404(request.user, lecture_id))


class OutreachCancelIn(Schema):
    reason: str = Field("", max_length=200)


@router.post("/lectures/{int:lecture_id}/cancel", response={200: OutreachLectureOut, **ERRORS},
             summary="Cancel a lecture not yet started (its sign-ups end)")
def cancel_lecture(request, lecture_id: int, payload: OutreachCancelIn):
    _require(permissions.can_write(request.user))
    lecture = selectors.lecture_or_404(request.user, lecture_id, write=True)
    services.cancel_lecture(request.user, lecture, payload.reason, request=request)
    return lecture_out(selectors.lecture_or_404(request.user, lecture_id))


class OutreachAudienceIn(Schema):
    audience: int = Field(ge=0, le=MAX_PEOPLE)


@router.put("/lectures/{int:lecture_id}/audience", response={200: OutreachLectureOut, **ERRORS},
            summary="Record how many attended a lecture that has started")
def record_audience(request, lecture_id: int, payload: OutreachAudienceIn):
    _require(permissions.can_write(request.user))
    lecture = selectors.lecture_or_404(request.user, lecture_id, write=True)
    services.record_audience(request.user, lecture, payload.audience, request=request)
    return lecture_out(selectors.lecture_or_404(request.user, lecture_id))


@router.get("/export.xlsx", response={200: None, **ERRORS}, summary="Lectures in my scope (.xlsx, re-importable)")
def export_xlsx(request, filters: Query[OutreachLectureFilters]):
    _require(permissions.can_read(request.user))
    return io.xlsx_response(selectors.lectures_for(request.user, filters.dict()))


@imports.api_import(router, "/import", imports.import_schema("Outreach", "lecture"), ERRORS, OutreachError, permissions.can_write,
                    summary="Import lectures from .xlsx or .csv (a dry run unless dry_run=false)")
def import_file(request, file, dry_run):
    return io.import_lectures(request.user, file, dry_run=dry_run, request=request)


# ---------------------------------------------------------------- lectures (residents)


class OutreachUpcomingOut(OutreachLectureOut):
    signed_up_by_me: bool


@router.get("/upcoming", response=list[OutreachUpcomingOut], auth=PUBLIC,
            summary="Lectures to come near me (my home county and the city), soonest first")
@paginate(Paging)
def upcoming(request):
    rows = list(selectors.upcoming(request.user)[:500])
    mine = selectors.my_signups(request.user, [x.pk for x in rows])
    return [{**lecture_out(x), "signed_up_by_me": x.pk in mine} for x in rows]


@router.post("/upcoming/{int:lecture_id}/signup", response={201: OutreachUpcomingOut, **ERRORS},
             summary="Take a place at a lecture")
def sign_up(request, lecture_id: int):
    lecture = selectors.public_lecture_or_404(lecture_id)
    services.sign_up(request.user, lecture, request=request)
    return Status(201, {**lecture_out(selectors.public_lecture_or_404(lecture_id)), "signed_up_by_me": True})


@router.delete("/upcoming/{int:lecture_id}/signup", response={204: None, **ERRORS}, summary="Give my place back")
def cancel_signup(request, lecture_id: int):
    services.cancel_signup(request.user, selectors.public_lecture_or_404(lecture_id), request=request)
    return Status(204, None)


# ---------------------------------------------------------------- the publicity column


class OutreachArticleIn(Schema):
    region: str = Field(max_length=12, description="12-digit division code")
    title: str = Field(max_length=120)
    category: str = Field(max_length=10, description="knowledge, method, health, story or notice")
    summary: str = Field("", max_length=200)
    body: str = Field(max_length=services.MAX_BODY, description="Plain text: shown escaped, never as HTML.")


class OutreachArticleOut(Schema):
    id: int
    region: str
    region_name: str
    title: str
    category: str
    category_label: str
    summary: str
    body: str
    status: str
    published_at: datetime.datetime | None


def article_out(a: Article) -> dict:
    return {"id": a.pk, "region": a.region_id, "region_name": a.region.name, "title": a.title,
            "category": a.category, "category_label": a.get_category_display(), "summary": a.summary,
            "body": a.body, "status": a.status, "published_at": a.published_at}


class OutreachArticleFilters(Schema):
    status: str = Field("", pattern=r"^(draft|published)?$")
    category: str = Field("", max_length=10)


@router.get("/articles", response={200: list[OutreachArticleOut], **ERRORS}, summary="Column articles in my scope (staff)")
@paginate(Paging)
def list_articles(request, filters: Query[OutreachArticleFilters]):
    _require(permissions.can_read(request.user))
    return [article_out(a) for a in selectors.articles_for(request.user, filters.dict())]


@router.post("/articles", response={201: OutreachArticleOut, **ERRORS}, summary="Write an article (a draft)")
def create_article(request, payload: OutreachArticleIn):
    _require(permissions.can_write(request.user))
    article = services.save_article(request.user, payload.dict(), request=request)
    return Status(201, article_out(article))


@router.put("/articles/{int:article_id}", response={200: OutreachArticleOut, **ERRORS}, summary="Change an article")
def update_article(request, article_id: int, payload: OutreachArticleIn):
    _require(permissions.can_write(request.user))
    article = selectors.article_or_404(request.user, article_id, write=True)
    return article_out(services.save_article(request.user, payload.dict(), article, request=request))


class OutreachPublishIn(Schema):
    publish: bool = Field(True, description="false: take it back to draft")


@router.post("/articles/{int:article_id}/publish", response={200: OutreachArticleOut, **ERRORS},
             summary="Publish an article in the column (or take it back to draft)")
def publish_article(request, article_id: int, payload: OutreachPublishIn):
    _require(permissions.can_write(request.user))
    article = selectors.article_or_404(request.user, article_id, write=True)
    return article_out(services.publish_article(request.user, article, payload.publish, request=request))


class OutreachColumnFilters(Schema):
    category: str = Field("", max_length=10)


@router.get("/column", response=list[OutreachArticleOut], auth=PUBLIC, summary="The published column, newest first")
@paginate(Paging)
def column(request, filters: Query[OutreachColumnFilters]):
    return [article_out(a) for a in selectors.column(filters.category)[:500]]


@router.get("/column/{int:article_id}", response={200: OutreachArticleOut, 404: ErrorOut}, auth=PUBLIC,
            summary="A published article")
def column_article(request, article_id: int):
    return article_out(selectors.published_or_404(article_id))


# ---------------------------------------------------------------- "five into" activities and workplaces


class OutreachActivityIn(Schema):
    region: str = Field(max_length=12)
    setting: str = Field(max_length=10, description="organ, community, village, school or enterprise")
    title: str = Field(max_length=120)
    held_on: Day
    place: str = Field(max_length=120)
    organiser: str = Field("", max_length=80)
    participants: int = Field(ge=0, le=MAX_PEOPLE)


class OutreachActivityOut(OutreachActivityIn):
    id: int
    region_name: str
    setting_label: str


def activity_out(a: SkillActivity) -> dict:
    return {"id": a.pk, "region": a.region_id, "region_name": a.region.name, "setting": a.setting,
            "setting_label": a.get_setting_display(), "title": a.title, "held_on": a.held_on, "place": a.place,
            "organiser": a.organiser, "participants": a.participants}


class OutreachActivityFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    setting: str = Field("", max_length=10)
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$")


@router.get("/activities", response={200: list[OutreachActivityOut], **ERRORS},
            summary="\"Five into\" activities in my scope (staff)")
@paginate(Paging)
def list_activities(request, filters: Query[OutreachActivityFilters]):
    _require(permissions.can_read(request.user))
    return [activity_out(a) for a in selectors.activities_for(request.user, filters.dict())]


@router.post("/activities", response={201: OutreachActivityOut, **ERRORS}, summary="Record a \"five into\" activity")
def create_activity(request, payload: OutreachActivityIn):
    _require(permissions.can_write(request.user))
    return Status(201, activity_out(services.save_activity(request.user, payload.dict(), request=request)))


class OutreachWorkplaceIn(Schema):
    region: str = Field(max_length=12)
    name: str = Field(max_length=120)
    headcount: int = Field(ge=1, le=MAX_PEOPLE)
    participants: int = Field(ge=0, le=MAX_PEOPLE)
    since: Day
    active: bool = True


class OutreachWorkplaceOut(OutreachWorkplaceIn):
    id: int
    region_name: str


def workplace_out(w: Workplace) -> dict:
    return {"id": w.pk, "region": w.region_id, "region_name": w.region.name, "name": w.name,
            "headcount": w.headcount, "participants": w.participants, "since": w.since, "active": w.active}


class OutreachWorkplaceFilters(Schema):
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$")
    active: str = Field("1", pattern=r"^(1|0|all)$")


@router.get("/workplaces", response={200: list[OutreachWorkplaceOut], **ERRORS},
            summary="Units running workplace exercise in my scope (staff)")
@paginate(Paging)
def list_workplaces(request, filters: Query[OutreachWorkplaceFilters]):
    _require(permissions.can_read(request.user))
    return [workplace_out(w) for w in selectors.workplaces_for(request.user, filters.dict())]


@router.post("/workplaces", response={201: OutreachWorkplaceOut, **ERRORS}, summary="Register a unit's workplace exercise")
def create_workplace(request, payload: OutreachWorkplaceIn):
    _require(permissions.can_write(request.user))
    return Status(201, workplace_out(services.save_workplace(request.user, payload.dict(), request=request)))


@router.put("/workplaces/{int:workplace_id}", response={200: OutreachWorkplaceOut, **ERRORS}, summary="Change a unit's entry")
def update_workplace(request, workplace_id: int, payload: OutreachWorkplaceIn):
    _require(permissions.can_write(request.user))
    found = selectors.workplace_or_404(request.user, workplace_id, write=True)
    return workplace_out(services.save_workplace(request.user, payload.dict(), found, request=request))


# ---------------------------------------------------------------- figures


class OutreachFiguresOut(Schema):
    region: str
    region_name: str
    lectures_held: int
    lecture_norm_met: bool | None = Field(description="A county's ≥4 lectures this year; null above or below a county.")
    audience: int
    activities: int
    activity_participants: int
    townships: int
    townships_reached: int
    workplaces: int
    workplace_staff: int
    workplace_participants: int


class OutreachFiguresQuery(Schema):
    as_of: Day | None = Field(None, description="The year so far up to this date (today by default).")


@router.get("/figures", response={200: list[OutreachFiguresOut], **ERRORS},
            summary="Figures of my top division, then of each division right below it (staff)")
@paginate(ArrayPaging)
def get_figures(request, query: Query[OutreachFiguresQuery]):
    _require(permissions.can_read(request.user))
    return [row.as_dict() for row in figures.rollup(selectors.top_region(request.user),
                                                     query.as_of or timezone.localdate())]


# ---------------------------------------------------------------- online fitness services (api_online.py)

router.add_router("/online", "quanmin.outreach.api_online.router")
