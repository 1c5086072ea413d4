"""Every write of the outreach app: lectures and their sign-ups, the publicity column's articles,
the "five into" activities and the workplaces with workplace exercise. Pages, API, the Excel import,
the admin (read-only) and the demo call these; each write is one transaction, audited.

A sign-up is counted under a lock on the lecture's row, and the database allows one live sign-up
per resident and lecture, so two residents taking the last place at once get one place and one
`lecture_full`. Sign-up and its cancelling close at the lecture's start: at the very instant it
starts the answer is already `lecture_started`.
"""

import datetime
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.core import cleaning
from quanmin.core.forms import DayField, MomentField
from quanmin.regions.models import Region

from . import permissions
from .errors import OutreachError
from .models import (
    MAX_CAPACITY,
    MAX_PEOPLE,
    Article,
    ArticleStatus,
    Category,
    Lecture,
    LectureSignup,
    LectureStatus,
    Setting,
    SkillActivity,
    Topic,
    Workplace,
)

MAX_BODY = 20_000


def _label(model, field: str) -> str:
    return capfirst(str(model._meta.get_field(field).verbose_name))


def number(value, field: str, label: str, maximum: int, minimum: int = 0) -> int:
    """A whole number from a form, a JSON body or a cell: 120, "1,200", "１２０", "120人"."""
    return cleaning.whole_number(value, field, label, maximum, minimum, error=OutreachError)


def text(data: dict, field: str, limit: int, label: str, required: bool = False) -> str:
    return cleaning.plain_text(data, field, limit, label, required, error=OutreachError)


def _parsed(form_field, value, field: str, label: str):
    if value in (None, ""):
        raise OutreachError(f"{field}_required", _("%(what)s is required.") % {"what": label}, field)
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value).strip().replace("/", "-").replace("T", " ")
    try:
        return form_field.clean(value)
    except ValidationError as exc:
        raise OutreachError(f"{field}_invalid", f"{label}: {' '.join(exc.messages)}", field) from None


def moment(value, field: str, label: str) -> datetime.datetime:
    """A date and time in the city's zone when none is given ("2026-03-01 09:00", a cell's datetime)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    return _parsed(MomentField(input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]), value, field, label)


def day(value, field: str, label: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    return _parsed(DayField(), value, field, label)


def choice(value, choices, field: str, label: str) -> str:
    found = str(value or "").strip()
    if found not in choices.values:
        raise OutreachError(f"{field}_unknown", _("%(what)s: choose one of %(choices)s.")
                            % {"what": label, "choices": "、".join(str(c.label) for c in choices)}, field)
    return found


def region(actor, value, field: str = "region") -> Region:
    """The division named by its code, which the actor may write for."""
    return scoping.region_to_write(actor, value, field, error=OutreachError)


def _staff(actor, region_code: str | None = None) -> None:
    if not permissions.can_write(actor):
        raise PermissionDenied
    if region_code is not None and not permissions.can_write_region(actor, region_code):
        raise PermissionDenied


# ---------------------------------------------------------------- lectures


def lecture_values(actor, data: dict) -> dict:
    """A lecture's checked fields (not its audience or status): what a form, the API, the import give."""
    L = lambda f: _label(Lecture, f)  # noqa: E731
    return {
        "region": region(actor, data.get("region")),
        "title": text(data, "title", 120, L("title"), required=True),
        "topic": choice(data.get("topic"), Topic, "topic", L("topic")),
        "starts_at": moment(data.get("starts_at"), "starts_at", L("starts_at")),
        "minutes": number(data.get("minutes") or 90, "minutes", L("minutes"), 600, minimum=10),
        "place": text(data, "place", 120, L("place"), required=True),
        "speaker": text(data, "speaker", 80, L("speaker"), required=True),
        "organiser": text(data, "organiser", 80, L("organiser"), required=True),
        "capacity": number(data.get("capacity") if data.get("capacity") not in (None, "") else 0, "capacity",
                           L("capacity"), MAX_CAPACITY),
    }


def live_signups(lecture: Lecture) -> int:
    return lecture.signups.filter(cancelled_at__isnull=True).count()


def save_lecture(actor, data: dict, lecture: Lecture | None = None, request=None) -> Lecture:
    """Schedule a lecture (or change one not cancelled): fields checked first, then one transaction.
    Its places cannot drop below the residents already signed up."""
    _staff(actor, lecture.region_id if lecture else None)
    values = lecture_values(actor, data)
    try:
        with transaction.atomic():
            if lecture is None:
                lecture = Lecture.objects.create(**values)
                created = True
            else:
                created = False
                lecture = Lecture.objects.select_for_update().get(pk=lecture.pk)
                if lecture.cancelled:
                    raise OutreachError("lecture_cancelled", _("This lecture was cancelled."), status=409)
                taken = live_signups(lecture)
                if values["capacity"] < taken:
                    raise OutreachError("capacity_below_signups", _(
                        "%(taken)s residents have signed up: the places cannot be fewer.") % {"taken": taken},
                        "capacity", status=409)
                for key, value in values.items():
                    setattr(lecture, key, value)
                lecture.save()
            audit.record("outreach.lecture_create" if created else "outreach.lecture_update", request=request,
                         actor=actor, obj=lecture, region_code=lecture.region_id, detail={"title": lecture.title, "starts_at": lecture.starts_at.isoformat()})
    except IntegrityError:
        raise OutreachError("lecture_exists", _("The division already has a lecture of that title at that time."),
                            "title", status=409) from None
    return lecture


def cancel_lecture(actor, lecture: Lecture, reason: str = "", request=None) -> Lecture:
    """Cancel a lecture that has not started; its sign-ups end with it."""
    _staff(actor, lecture.region_id)
    reason = text({"reason": reason}, "reason", 200, _label(Lecture, "cancel_reason"))
    with transaction.atomic():
        lecture = Lecture.objects.select_for_update().get(pk=lecture.pk)
        if lecture.cancelled:
            raise OutreachError("lecture_cancelled", _("This lecture was cancelled."), status=409)
        now = timezone.now()
        if lecture.starts_at <= now:
            raise OutreachError("lecture_started", _("This lecture has started: record its audience instead."),
                                status=409)
        lecture.status, lecture.cancel_reason = LectureStatus.CANCELLED, reason
        lecture.save(update_fields=["status", "cancel_reason", "updated_at"])
        lecture.signups.filter(cancelled_at__isnull=True).update(cancelled_at=now)
        audit.record("outreach.lecture_cancel", request=request, actor=actor, obj=lecture,
                     region_code=lecture.region_id, detail={"title": lecture.title, "reason": reason})
    return lecture


def record_audience(actor, lecture: Lecture, audience, request=None) -> Lecture:
    """Record how many attended, once the lecture has started."""
    _staff(actor, lecture.region_id)
    count = number(audience, "audience", _label(Lecture, "audience"), MAX_PEOPLE)
    with transaction.atomic():
        lecture = Lecture.objects.select_for_update().get(pk=lecture.pk)
        if lecture.cancelled:
            raise OutreachError("lecture_cancelled", _("This lecture was cancelled."), status=409)
        if lecture.starts_at > timezone.now():
            raise OutreachError("lecture_not_started", _("The lecture has not started yet."), "audience", status=409)
        lecture.audience = count
        lecture.save(update_fields=["audience", "updated_at"])
        audit.record("outreach.lecture_audience", request=request, actor=actor, obj=lecture,
                     region_code=lecture.region_id, detail={"title": lecture.title, "audience": count})
    return lecture


def sign_up(user, lecture: Lecture, request=None) -> LectureSignup:
    """A resident takes a place: the lecture not cancelled, not started (at its starting instant it
    has), with places on the platform, one left, and no live place of theirs already."""
    if not permissions.can_sign_up(user):
        raise PermissionDenied
    with transaction.atomic():
        lecture = Lecture.objects.select_for_update().get(pk=lecture.pk)
        if lecture.cancelled:
            raise OutreachError("lecture_cancelled", _("This lecture was cancelled."), status=409)
        if lecture.starts_at <= timezone.now():
            raise OutreachError("lecture_started", _("This lecture has started: sign-up is closed."), status=409)
        if lecture.capacity == 0:
            raise OutreachError("signup_not_offered", _("This lecture takes no sign-up: just come along."),
                                status=409)
        if lecture.signups.filter(user=user, cancelled_at__isnull=True).exists():
            raise OutreachError("already_signed_up", _("You have already signed up for this lecture."), status=409)
        if live_signups(lecture) >= lecture.capacity:
            raise OutreachError("lecture_full", _("All places are taken."), status=409)
        try:
            with transaction.atomic():
                found = LectureSignup.objects.create(lecture=lecture, user=user)
        except IntegrityError:
            raise OutreachError("already_signed_up", _("You have already signed up for this lecture."),
                                status=409) from None
        audit.record("outreach.signup", request=request, actor=user, obj=found, region_code=lecture.region_id,
                     detail={"lecture": lecture.pk})
    return found


def cancel_signup(user, lecture: Lecture, request=None) -> None:
    """A resident gives their place back, before the lecture starts."""
    if not permissions.can_sign_up(user):
        raise PermissionDenied
    with transaction.atomic():
        lecture = Lecture.objects.select_for_update().get(pk=lecture.pk)
        found = lecture.signups.filter(user=user, cancelled_at__isnull=True).first()
        if found is None:
            raise OutreachError("not_signed_up", _("You have not signed up for this lecture."), status=404)
        if lecture.starts_at <= timezone.now():
            raise OutreachError("lecture_started", _("This lecture has started: sign-up is closed."), status=409)
        found.cancelled_at = timezone.now()
        found.save(update_fields=["cancelled_at"])
        audit.record("outreach.signup_cancel", request=request, actor=user, obj=found, region_code=lecture.region_id,
                     detail={"lecture": lecture.pk})


# ---------------------------------------------------------------- the publicity column


def article_values(actor, data: dict) -> dict:
    A = lambda f: _label(Article, f)  # noqa: E731
    return {"region": region(actor, data.get("region")), "title": text(data, "title", 120, A("title"), required=True),
            "category": choice(data.get("category"), Category, "category", A("category")),
            "summary": text(data, "summary", 200, A("summary")),
            "body": text(data, "body", MAX_BODY, A("body"), required=True)}


def save_article(actor, data: dict, article: Article | None = None, request=None) -> Article:
    """Write an article (a draft) or change one; a published one stays published."""
    _staff(actor, article.region_id if article else None)
    values = article_values(actor, data)
    with transaction.atomic():
        if article is None:
            article = Article.objects.create(**values)
        else:
            article = Article.objects.select_for_update().get(pk=article.pk)
            for key, value in values.items():
                setattr(article, key, value)
            article.save()
        audit.record("outreach.article_save", request=request, actor=actor, obj=article,
                     region_code=article.region_id, detail={"title": article.title})
    return article


def publish_article(actor, article: Article, publish: bool = True, request=None) -> Article:
    """Publish a draft in the column (or take a published one back to draft)."""
    _staff(actor, article.region_id)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        wanted = ArticleStatus.PUBLISHED if publish else ArticleStatus.DRAFT
        if article.status == wanted:
            raise OutreachError("article_already", _("The article is already published.") if publish
                                else _("The article is already a draft."), status=409)
        article.status = wanted
        article.published_at = timezone.now() if publish else None
        article.save(update_fields=["status", "published_at", "updated_at"])
        audit.record("outreach.article_publish" if publish else "outreach.article_withdraw", request=request,
                     actor=actor, obj=article, region_code=article.region_id, detail={"title": article.title})
    return article


# ---------------------------------------------------------------- "five into" activities and workplaces


def activity_values(actor, data: dict) -> dict:
    S = lambda f: _label(SkillActivity, f)  # noqa: E731
    held = day(data.get("held_on"), "held_on", S("held_on"))
    if held > timezone.localdate():
        raise OutreachError("held_on_future", _("Record an activity once it is held."), "held_on")
    return {"region": region(actor, data.get("region")),
            "setting": choice(data.get("setting"), Setting, "setting", S("setting")),
            "title": text(data, "title", 120, S("title"), required=True), "held_on": held,
            "place": text(data, "place", 120, S("place"), required=True),
            "organiser": text(data, "organiser", 80, S("organiser")),
            "participants": number(data.get("participants"), "participants", S("participants"), MAX_PEOPLE)}


def save_activity(actor, data: dict, activity: SkillActivity | None = None, request=None) -> SkillActivity:
    _staff(actor, activity.region_id if activity else None)
    values = activity_values(actor, data)
    with transaction.atomic():
        if activity is None:
            activity = SkillActivity.objects.create(**values)
        else:
            activity = SkillActivity.objects.select_for_update().get(pk=activity.pk)
            for key, value in values.items():
                setattr(activity, key, value)
            activity.save()
        audit.record("outreach.activity_save", request=request, actor=actor, obj=activity,
                     region_code=activity.region_id, detail={"title": activity.title, "setting": activity.setting})
    return activity


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "是", "y")
    return bool(value)


def workplace_values(actor, data: dict) -> dict:
    W = lambda f: _label(Workplace, f)  # noqa: E731
    headcount = number(data.get("headcount"), "headcount", W("headcount"), MAX_PEOPLE, minimum=1)
    taking_part = number(data.get("participants"), "participants", W("participants"), MAX_PEOPLE)
    if taking_part > headcount:
        raise OutreachError("participants_over_headcount", _(
            "%(part)s (%(n)s) cannot be more than %(whole)s (%(m)s).") % {
            "part": W("participants"), "n": taking_part, "whole": W("headcount"), "m": headcount}, "participants")
    since = day(data.get("since"), "since", W("since"))
    if since > timezone.localdate():
        raise OutreachError("since_future", _("Give the day it started, today at the latest."), "since")
    return {"region": region(actor, data.get("region")), "name": text(data, "name", 120, W("name"), required=True),
            "headcount": headcount, "participants": taking_part, "since": since,
            "active": _flag(data.get("active", True))}


def save_workplace(actor, data: dict, workplace: Workplace | None = None, request=None) -> Workplace:
    _staff(actor, workplace.region_id if workplace else None)
    values = workplace_values(actor, data)
    try:
        with transaction.atomic():
            if workplace is None:
                workplace = Workplace.objects.create(**values)
            else:
                workplace = Workplace.objects.select_for_update().get(pk=workplace.pk)
                for key, value in values.items():
                    setattr(workplace, key, value)
                workplace.save()
            audit.record("outreach.workplace_save", request=request, actor=actor, obj=workplace,
                         region_code=workplace.region_id, detail={"name": workplace.name})
    except IntegrityError:
        raise OutreachError("workplace_exists", _("The division already has a unit of that name."), "name",
                            status=409) from None
    return workplace

