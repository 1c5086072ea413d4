"""Online fitness services in the API (/api/v1/outreach/online): division staff keep the register of
online service channels (and move it in and out of Excel) and publish online courses — videos on
demand and live classes, by link only; residents browse the channels and the published courses near
them, open one and mark it done. The figures give each division's channels, new channels, courses
and "done" marks of a year."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts.api_auth import PUBLIC
from quanmin.core import imports
from quanmin.core.api import ArrayPaging, Day, ErrorOut, Moment, Paging

from . import figures, io_online, permissions, selectors, selectors_online, services_online
from .errors import OutreachError
from .models import MAX_YEAR, MIN_YEAR, Channel, Course

router = Router(tags=["outreach"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# ---------------------------------------------------------------- channels


class OnlineChannelIn(Schema):
    region: str = Field(max_length=12, description="12-digit division code")
    kind: str = Field(max_length=16, description="platform, wechat, mini_program, video_account, city_app, live_room, "
                                                 "short_video, website or other")
    name: str = Field(max_length=120)
    owner: str = Field(max_length=80, description="the unit that runs it")
    opened_year: int = Field(ge=MIN_YEAR, le=MAX_YEAR)
    closed_year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="null while in service")
    link: str = Field("", max_length=300)
    account: str = Field("", max_length=80, description="account id or the name to search for")
    note: str = Field("", max_length=200)


class OnlineChannelOut(OnlineChannelIn):
    id: int
    region_name: str
    kind_label: str
    in_service: bool


def channel_out(c: Channel) -> dict:
    return {"id": c.pk, "region": c.region_id, "region_name": c.region.name, "kind": c.kind,
            "kind_label": c.get_kind_display(), "name": c.name, "owner": c.owner, "opened_year": c.opened_year,
            "closed_year": c.closed_year, "link": c.link, "account": c.account, "note": c.note,
            "in_service": c.in_service}


class OnlineChannelFilters(Schema):
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$", description="A division: it and all below it.")
    kind: str = Field("", max_length=16)
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="in service that year")
    status: str = Field("", pattern=r"^(active|closed)?$")


@router.get("/channels", response={200: list[OnlineChannelOut], **ERRORS},
            summary="Online service channels in my scope (staff)")
@paginate(Paging)
def list_channels(request, filters: Query[OnlineChannelFilters]):
    _require(permissions.can_read(request.user))
    return [channel_out(c) for c in selectors_online.channels_for(request.user, filters.dict())]


@router.post("/channels", response={201: OnlineChannelOut, **ERRORS}, summary="Register an online channel")
def create_channel(request, payload: OnlineChannelIn):
    _require(permissions.can_write(request.user))
    return Status(201, channel_out(services_online.save_channel(request.user, payload.dict(), request=request)))


@router.get("/channels/{int:channel_id}", response={200: OnlineChannelOut, **ERRORS}, summary="One channel (staff)")
def get_channel(request, channel_id: int):
    return channel_out(selectors_online.channel_or_404(request.user, channel_id))


@router.put("/channels/{int:channel_id}", response={200: OnlineChannelOut, **ERRORS},
            summary="Correct a channel (close it by giving the year closed)")
def update_channel(request, channel_id: int, payload: OnlineChannelIn):
    _require(permissions.can_write(request.user))
    found = selectors_online.channel_or_404(request.user, channel_id, write=True)
    return channel_out(services_online.save_channel(request.user, payload.dict(), found, request=request))


@router.get("/channels/export.xlsx", response={200: None, **ERRORS},
            summary="Online channels in my scope (.xlsx, re-importable)")
def export_channels(request, filters: Query[OnlineChannelFilters]):
    _require(permissions.can_read(request.user))
    return io_online.xlsx_response(selectors_online.channels_for(request.user, filters.dict()))


@imports.api_import(router, "/channels/import", imports.import_schema("OnlineChannel", "channel"), ERRORS, OutreachError,
                    permissions.can_write, summary="Import online channels from .xlsx or .csv (a dry run unless "
                                                   "dry_run=false)")
def import_channels(request, file, dry_run):
    return io_online.import_channels(request.user, file, dry_run=dry_run, request=request)


class OnlinePublicChannelOut(Schema):
    id: int
    region_name: str
    kind: str
    kind_label: str
    name: str
    owner: str
    opened_year: int
    link: str
    account: str


@router.get("/public/channels", response=list[OnlinePublicChannelOut], auth=PUBLIC,
            summary="Online channels in service near me (my home county and the city)")
@paginate(Paging)
def public_channels(request):
    return [{"id": c.pk, "region_name": c.region.name, "kind": c.kind, "kind_label": c.get_kind_display(),
             "name": c.name, "owner": c.owner, "opened_year": c.opened_year, "link": c.link, "account": c.account}
            for c in selectors_online.public_channels(request.user)[:500]]


# ---------------------------------------------------------------- courses (staff)


class OnlineCourseIn(Schema):
    region: str = Field(max_length=12, description="12-digit division code")
    title: str = Field(max_length=120)
    kind: str = Field(max_length=8, description="video (on demand) or live (a class at a time)")
    sport: str = Field(max_length=40)
    level: str = Field("beginner", max_length=12, description="beginner, intermediate or advanced")
    minutes: int = Field(ge=1, le=600)
    scene: str = Field("any", max_length=10, description="any, home, office, outdoors or community")
    audience: str = Field("everyone", max_length=10,
                          description="everyone, family, children, elderly, workplace or disabled")
    teacher: str = Field("", max_length=80)
    provider: str = Field(max_length=80)
    summary: str = Field("", max_length=500)
    link: str = Field(max_length=300, description="https link to the video or live room on an allowed video site")
    starts_at: Moment | None = Field(None, description="A live class's start; without an offset the city's time.")


class OnlineCourseBaseOut(Schema):
    id: int
    region_name: str
    title: str
    kind: str
    kind_label: str
    sport: str
    level_label: str
    minutes: int
    scene: str
    scene_label: str
    audience: str
    audience_label: str
    teacher: str
    provider: str
    summary: str
    link: str
    starts_at: datetime.datetime | None


def course_base(c: Course) -> dict:
    return {"id": c.pk, "region_name": c.region.name, "title": c.title, "kind": c.kind,
            "kind_label": c.get_kind_display(), "sport": c.sport, "level_label": c.get_level_display(),
            "minutes": c.minutes, "scene": c.scene, "scene_label": c.get_scene_display(), "audience": c.audience,
            "audience_label": c.get_audience_display(), "teacher": c.teacher, "provider": c.provider,
            "summary": c.summary, "link": c.link, "starts_at": c.starts_at}


class OnlineCourseOut(OnlineCourseBaseOut):
    region: str
    level: str
    status: str
    published_at: datetime.datetime | None
    views: int
    done_count: int


def course_out(c: Course) -> dict:
    done = getattr(c, "done_count", None)
    if done is None:
        done = c.completions.count()
    return {**course_base(c), "region": c.region_id, "level": c.level, "status": c.status,
            "published_at": c.published_at, "views": c.views, "done_count": done}


class OnlineCourseFilters(Schema):
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$")
    status: str = Field("", pattern=r"^(draft|published)?$")
    kind: str = Field("", max_length=8)
    scene: str = Field("", max_length=10)
    audience: str = Field("", max_length=10)
    sport: str = Field("", max_length=40)


@router.get("/courses", response={200: list[OnlineCourseOut], **ERRORS}, summary="Online courses in my scope (staff)")
@paginate(Paging)
def list_courses(request, filters: Query[OnlineCourseFilters]):
    _require(permissions.can_read(request.user))
    return [course_out(c) for c in selectors_online.courses_for(request.user, filters.dict())]


@router.post("/courses", response={201: OnlineCourseOut, **ERRORS}, summary="Write an online course (a draft)")
def create_course(request, payload: OnlineCourseIn):
    _require(permissions.can_write(request.user))
    course = services_online.save_course(request.user, payload.dict(), request=request)
    return Status(201, course_out(selectors_online.course_or_404(request.user, course.pk)))


@router.get("/courses/{int:course_id}", response={200: OnlineCourseOut, **ERRORS}, summary="One course (staff)")
def get_course(request, course_id: int):
    return course_out(selectors_online.course_or_404(request.user, course_id))


@router.put("/courses/{int:course_id}", response={200: OnlineCourseOut, **ERRORS}, summary="Change an online course")
def update_course(request, course_id: int, payload: OnlineCourseIn):
    _require(permissions.can_write(request.user))
    found = selectors_online.course_or_404(request.user, course_id, write=True)
    services_online.save_course(request.user, payload.dict(), found, request=request)
    return course_out(selectors_online.course_or_404(request.user, course_id))


class OnlinePublishIn(Schema):
    publish: bool = Field(True, description="false: take it back to draft")


@router.post("/courses/{int:course_id}/publish", response={200: OnlineCourseOut, **ERRORS},
             summary="Publish a course to residents (or take it back to draft)")
def publish_course(request, course_id: int, payload: OnlinePublishIn):
    _require(permissions.can_write(request.user))
    found = selectors_online.course_or_404(request.user, course_id, write=True)
    services_online.publish_course(request.user, found, payload.publish, request=request)
    return course_out(selectors_online.course_or_404(request.user, course_id))


# ---------------------------------------------------------------- courses (residents)


class OnlinePublicCourseOut(OnlineCourseBaseOut):
    done_by_me: bool


def public_course_out(c: Course, done: bool) -> dict:
    return {**course_base(c), "done_by_me": done}


class OnlineCatalogueFilters(Schema):
    kind: str = Field("", max_length=8, description="video or live")
    scene: str = Field("", max_length=10, description="home, office, outdoors, community (scene-based fitness)")
    audience: str = Field("", max_length=10, description="family for parent-child family fitness, elderly…")
    sport: str = Field("", max_length=40)


@router.get("/public/courses", response=list[OnlinePublicCourseOut], auth=PUBLIC,
            summary="Published online fitness courses near me, newest first")
@paginate(Paging)
def catalogue(request, filters: Query[OnlineCatalogueFilters]):
    rows = list(selectors_online.catalogue(request.user, filters.dict())[:500])
    done = selectors_online.my_done(request.user, [c.pk for c in rows])
    return [public_course_out(c, c.pk in done) for c in rows]


@router.get("/public/courses/{int:course_id}", response={200: OnlinePublicCourseOut, 404: ErrorOut}, auth=PUBLIC,
            summary="A published online course")
def public_course(request, course_id: int):
    found = selectors_online.public_course_or_404(course_id)
    return public_course_out(found, bool(selectors_online.my_done(request.user, [found.pk])))


@router.post("/public/courses/{int:course_id}/done", response={201: OnlinePublicCourseOut, **ERRORS},
             summary="Mark a course done (my own record)")
def mark_done(request, course_id: int):
    found = selectors_online.public_course_or_404(course_id)
    services_online.mark_done(request.user, found, request=request)
    return Status(201, public_course_out(found, True))


@router.delete("/public/courses/{int:course_id}/done", response={204: None, **ERRORS},
               summary="Take back my \"done\" mark")
def unmark_done(request, course_id: int):
    services_online.unmark_done(request.user, selectors_online.public_course_or_404(course_id), request=request)
    return Status(204, None)


# ---------------------------------------------------------------- figures


class OnlineFiguresOut(Schema):
    region: str
    region_name: str
    channels: int = Field(description="in service in the year")
    new_channels: int = Field(description="opened in the year")
    courses_published: int = Field(description="published in the year so far, still published")
    scene_courses: int
    family_courses: int
    live_courses: int
    completions: int = Field(description="\"done\" marks residents made in the year so far")
    views: int = Field(description="page views of the published courses, all time")


class OnlineFiguresQuery(Schema):
    as_of: Day | None = Field(None, description="The year so far up to this date (today by default).")


@router.get("/figures", response={200: list[OnlineFiguresOut], **ERRORS},
            summary="Online services of my top division, then of each division right below it (staff)")
@paginate(ArrayPaging)
def online_figures(request, query: Query[OnlineFiguresQuery]):
    _require(permissions.can_read(request.user))
    return [row.as_dict() for row in figures.online_rollup(selectors.top_region(request.user),
                                                            query.as_of or timezone.localdate())]
