"""Every write of the online fitness services (F11): the register of online service channels, the
online courses (video on demand or live classes: links only, nothing uploaded) with their
publishing, a course page's view count and a resident's "done" mark. Pages, API, the channel
import, the demo call these; each write is one transaction, audited (a view count is not).

A course's link is https on one of VIDEO_HOSTS (the video and live platforms the bureaus publish
on, OUTREACH_VIDEO_HOSTS in the settings to change them): a link is shown to residents as a
button, so it must not lead anywhere else. A channel's link is any http(s) address of the channel.
"""

import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit

from . import permissions
from .errors import OutreachError
from .models import (
    MAX_YEAR,
    MIN_YEAR,
    ArticleStatus,
    Channel,
    ChannelKind,
    Course,
    CourseAudience,
    CourseCompletion,
    CourseKind,
    Level,
    Scene,
)
from .services import _label, _staff, choice, moment, number, region, text

VIDEO_HOSTS = (
    "bilibili.com", "b23.tv", "v.qq.com", "channels.weixin.qq.com", "mp.weixin.qq.com", "douyin.com",
    "ixigua.com", "kuaishou.com", "yangshipin.cn", "cctv.com", "haokan.baidu.com", "huya.com", "douyu.com",
    "sport.gov.cn",
)


def video_hosts() -> tuple[str, ...]:
    return tuple(getattr(settings, "OUTREACH_VIDEO_HOSTS", VIDEO_HOSTS))


def _host_allowed(host: str, allowed) -> bool:
    return any(host == h or host.endswith("." + h) for h in allowed)


def link(value, field: str, label: str, *, required: bool, hosts=None) -> str:
    """An http(s) address of at most 300 characters (https on one of `hosts` when given)."""
    found = unicodedata.normalize("NFC", str(value or "")).replace("\x00", "").strip()
    if not found:
        if required:
            raise OutreachError(f"{field}_required", _("%(what)s is required.") % {"what": label}, field)
        return ""
    try:
        parts = urlsplit(found)
        host = (parts.hostname or "").lower()
    except ValueError:
        parts, host = None, ""
    if (len(found) > 300 or parts is None or parts.scheme.lower() not in ("http", "https") or not host
            or not found.isascii() or any(c.isspace() for c in found)):
        raise OutreachError(f"{field}_invalid", _("%(what)s: give a web address starting with https://.")
                            % {"what": label}, field)
    if hosts is not None and (parts.scheme.lower() != "https" or not _host_allowed(host, hosts)):
        raise OutreachError(f"{field}_host", _("%(what)s: link to the video on one of these sites: %(hosts)s.")
                            % {"what": label, "hosts": "、".join(hosts)}, field)
    return found


def _year(value, field: str, label: str, required: bool = True) -> int | None:
    if value in (None, "") and not required:
        return None
    return number(value, field, label, MAX_YEAR, minimum=MIN_YEAR)


# ---------------------------------------------------------------- channels


def channel_values(actor, data: dict) -> dict:
    C = lambda f: _label(Channel, f)  # noqa: E731
    opened = _year(data.get("opened_year"), "opened_year", C("opened_year"))
    closed = _year(data.get("closed_year"), "closed_year", C("closed_year"), required=False)
    this_year = timezone.localdate().year
    if opened > this_year or (closed is not None and closed > this_year):
        raise OutreachError("year_future", _("Record a channel's years once they have come."),
                            "closed_year" if closed and closed > this_year else "opened_year")
    if closed is not None and closed < opened:
        raise OutreachError("closed_before_opened", _("A channel cannot close before the year it opened."),
                            "closed_year")
    return {"region": region(actor, data.get("region")),
            "kind": choice(data.get("kind"), ChannelKind, "kind", C("kind")),
            "name": text(data, "name", 120, C("name"), required=True),
            "owner": text(data, "owner", 80, C("owner"), required=True),
            "opened_year": opened, "closed_year": closed,
            "link": link(data.get("link"), "link", C("link"), required=False),
            "account": text(data, "account", 80, C("account")),
            "note": text(data, "note", 200, C("note"))}


def save_channel(actor, data: dict, channel: Channel | None = None, request=None) -> Channel:
    """Register an online channel of a division, or correct one (closing it is giving its year closed)."""
    _staff(actor, channel.region_id if channel else None)
    values = channel_values(actor, data)
    try:
        with transaction.atomic():
            if channel is None:
                channel = Channel.objects.create(**values)
                created = True
            else:
                created = False
                channel = Channel.objects.select_for_update().get(pk=channel.pk)
                for key, value in values.items():
                    setattr(channel, key, value)
                channel.save()
            audit.record("outreach.channel_create" if created else "outreach.channel_update", request=request,
                         actor=actor, obj=channel, region_code=channel.region_id,
                         detail={"name": channel.name, "kind": channel.kind, "opened_year": channel.opened_year,
                                 "closed_year": channel.closed_year})
    except IntegrityError:
        raise OutreachError("channel_exists", _("The division already has a channel of that kind and name."),
                            "name", status=409) from None
    return channel


# ---------------------------------------------------------------- courses


def course_values(actor, data: dict) -> dict:
    C = lambda f: _label(Course, f)  # noqa: E731
    kind = choice(data.get("kind"), CourseKind, "kind", C("kind"))
    starts_at = None
    if kind == CourseKind.LIVE:
        starts_at = moment(data.get("starts_at"), "starts_at", C("starts_at"))
    return {"region": region(actor, data.get("region")),
            "title": text(data, "title", 120, C("title"), required=True), "kind": kind,
            "sport": text(data, "sport", 40, C("sport"), required=True),
            "level": choice(data.get("level") or Level.BEGINNER, Level, "level", C("level")),
            "minutes": number(data.get("minutes"), "minutes", C("minutes"), 600, minimum=1),
            "scene": choice(data.get("scene") or Scene.ANY, Scene, "scene", C("scene")),
            "audience": choice(data.get("audience") or CourseAudience.EVERYONE, CourseAudience, "audience",
                               C("audience")),
            "teacher": text(data, "teacher", 80, C("teacher")),
            "provider": text(data, "provider", 80, C("provider"), required=True),
            "summary": text(data, "summary", 500, C("summary")),
            "link": link(data.get("link"), "link", C("link"), required=True, hosts=video_hosts()),
            "starts_at": starts_at}


def save_course(actor, data: dict, course: Course | None = None, request=None) -> Course:
    """Write an online course (a draft) or change one; a published one stays published."""
    _staff(actor, course.region_id if course else None)
    values = course_values(actor, data)
    with transaction.atomic():
        if course is None:
            course = Course.objects.create(**values)
        else:
            course = Course.objects.select_for_update().get(pk=course.pk)
            for key, value in values.items():
                setattr(course, key, value)
            course.save()
        audit.record("outreach.course_save", request=request, actor=actor, obj=course, region_code=course.region_id,
                     detail={"title": course.title, "kind": course.kind, "link": course.link})
    return course


def publish_course(actor, course: Course, publish: bool = True, request=None) -> Course:
    """Publish a course to residents (or take a published one back to draft: it leaves their list,
    the "done" marks stay)."""
    _staff(actor, course.region_id)
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        wanted = ArticleStatus.PUBLISHED if publish else ArticleStatus.DRAFT
        if course.status == wanted:
            raise OutreachError("course_already", _("The course is already published.") if publish
                                else _("The course is already a draft."), status=409)
        course.status = wanted
        course.published_at = timezone.now() if publish else None
        course.save(update_fields=["status", "published_at", "updated_at"])
        audit.record("outreach.course_publish" if publish else "outreach.course_withdraw", request=request,
                     actor=actor, obj=course, region_code=course.region_id, detail={"title": course.title})
    return course


def count_view(course: Course, times: int = 1) -> None:
    """One more opening of a published course's page (a counter, not a record of who)."""
    Course.objects.filter(pk=course.pk).update(views=F("views") + times)


def mark_done(user, course: Course, request=None) -> CourseCompletion:
    """A resident records that they did a published course (a live class once it has started)."""
    if not permissions.can_sign_up(user):
        raise PermissionDenied
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        if course.status != ArticleStatus.PUBLISHED:
            raise OutreachError("course_not_published", _("This course is not published."), status=404)
        if course.live and course.starts_at > timezone.now():
            raise OutreachError("course_not_started", _("The live class has not started yet."), status=409)
        if CourseCompletion.objects.filter(course=course, user=user).exists():
            raise OutreachError("already_done", _("You have already marked this course done."), status=409)
        try:
            with transaction.atomic():
                found = CourseCompletion.objects.create(course=course, user=user)
        except IntegrityError:
            raise OutreachError("already_done", _("You have already marked this course done."), status=409) from None
        audit.record("outreach.course_done", request=request, actor=user, obj=found, region_code=course.region_id,
                     detail={"course": course.pk})
    return found


def unmark_done(user, course: Course, request=None) -> None:
    """A resident takes back their "done" mark."""
    if not permissions.can_sign_up(user):
        raise PermissionDenied
    with transaction.atomic():
        deleted, _rows = CourseCompletion.objects.filter(course=course, user=user).delete()
        if not deleted:
            raise OutreachError("not_done", _("You have not marked this course done."), status=404)
        audit.record("outreach.course_undone", request=request, actor=user, region_code=course.region_id,
                     detail={"course": course.pk})
