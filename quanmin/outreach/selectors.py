"""Reads the pages, the API, the export and the residents' pages share: the registers a staff member
may see (scoped to their divisions, 404 outside), the lectures to come near a resident, and the
published column."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from quanmin.accounts import scoping
from quanmin.regions import codes
from quanmin.regions.models import Region
from quanmin.regions.selectors import subtree_q

from . import permissions
from .models import (
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


def _year(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


def with_signups(qs: QuerySet[Lecture]) -> QuerySet[Lecture]:
    return qs.annotate(signed_up=Count("signups", filter=Q(signups__cancelled_at__isnull=True)))


def lectures_for(user, params=None, write: bool = False) -> QuerySet[Lecture]:
    """Filters: year (of its start), region (a subtree), topic, status (scheduled / cancelled)."""
    if not permissions.can_read(user):
        return Lecture.objects.none()
    qs = with_signups(scoping.scoped(user, Lecture.objects.select_related("region"), write))
    get = (params or {}).get
    year = _year(get("year"))
    if year:
        start = timezone.make_aware(datetime.datetime(year, 1, 1))
        qs = qs.filter(starts_at__gte=start, starts_at__lt=start.replace(year=year + 1))
    found = subtree_q(get("region"))
    if found is not None:
        qs = qs.filter(found)
    topic = get("topic")
    if topic:
        qs = qs.filter(topic=topic) if topic in Topic.values else qs.none()
    status = get("status")
    if status:
        qs = qs.filter(status=status) if status in LectureStatus.values else qs.none()
    return qs.order_by("-starts_at", "pk")


def lecture_or_404(user, pk, write: bool = False) -> Lecture:
    if not permissions.can_read(user):
        raise Http404
    return scoping.get_scoped_or_404(user, with_signups(Lecture.objects.select_related("region")), write, pk=pk)


def near_q(user) -> Q:
    """Lectures near a resident: those of their home county and below, and of the divisions above it
    (the city's own lectures); everyone's when no home is known."""
    home = getattr(user, "home_region_id", None) if getattr(user, "is_authenticated", False) else None
    if not home:
        return Q()
    county = codes.ancestor_at(home, "county") if codes.level(home) not in ("province", "city") else home
    return Q(region__code__within=codes.prefix(county)) | Q(region_id__in=codes.ancestors(county))


def upcoming(user, now: datetime.datetime | None = None) -> QuerySet[Lecture]:
    """Scheduled lectures not yet started, near the resident, soonest first."""
    now = now or timezone.now()
    return (with_signups(Lecture.objects.select_related("region"))
            .filter(near_q(user), status=LectureStatus.SCHEDULED, starts_at__gt=now).order_by("starts_at", "pk"))


def public_lecture_or_404(pk) -> Lecture:
    """A lecture as residents see it (a cancelled one says so)."""
    found = with_signups(Lecture.objects.select_related("region")).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def my_signups(user, lectures) -> set[int]:
    """The lectures of `lectures` (ids) the user holds a live place at."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(LectureSignup.objects.filter(
        user=user, lecture_id__in=list(lectures), cancelled_at__isnull=True).values_list("lecture_id", flat=True))


def articles_for(user, params=None, write: bool = False) -> QuerySet[Article]:
    if not permissions.can_read(user):
        return Article.objects.none()
    qs = scoping.scoped(user, Article.objects.select_related("region"), write)
    get = (params or {}).get
    status = get("status")
    if status:
        qs = qs.filter(status=status) if status in ArticleStatus.values else qs.none()
    category = get("category")
    if category:
        qs = qs.filter(category=category) if category in Category.values else qs.none()
    return qs.order_by("-updated_at", "-pk")


def article_or_404(user, pk, write: bool = False) -> Article:
    if not permissions.can_read(user):
        raise Http404
    return scoping.get_scoped_or_404(user, Article.objects.select_related("region"), write, pk=pk)


def column(category: str = "") -> QuerySet[Article]:
    """The published column, newest first."""
    qs = Article.objects.select_related("region").filter(status=ArticleStatus.PUBLISHED)
    if category:
        qs = qs.filter(category=category) if category in Category.values else qs.none()
    return qs.order_by("-published_at", "-pk")


def published_or_404(pk) -> Article:
    found = column().filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def activities_for(user, params=None, write: bool = False) -> QuerySet[SkillActivity]:
    if not permissions.can_read(user):
        return SkillActivity.objects.none()
    qs = scoping.scoped(user, SkillActivity.objects.select_related("region"), write)
    get = (params or {}).get
    year = _year(get("year"))
    if year:
        qs = qs.filter(held_on__year=year)
    setting = get("setting")
    if setting:
        qs = qs.filter(setting=setting) if setting in Setting.values else qs.none()
    found = subtree_q(get("region"))
    if found is not None:
        qs = qs.filter(found)
    return qs.order_by("-held_on", "-pk")


def activity_or_404(user, pk, write: bool = False) -> SkillActivity:
    if not permissions.can_read(user):
        raise Http404
    return scoping.get_scoped_or_404(user, SkillActivity.objects.select_related("region"), write, pk=pk)


def workplaces_for(user, params=None, write: bool = False) -> QuerySet[Workplace]:
    if not permissions.can_read(user):
        return Workplace.objects.none()
    qs = scoping.scoped(user, Workplace.objects.select_related("region"), write)
    get = (params or {}).get
    found = subtree_q(get("region"))
    if found is not None:
        qs = qs.filter(found)
    active = str(get("active") or "1")
    if active in ("1", "0"):
        qs = qs.filter(active=active == "1")
    return qs.order_by("region_id", "name")


def workplace_or_404(user, pk, write: bool = False) -> Workplace:
    if not permissions.can_read(user):
        raise Http404
    return scoping.get_scoped_or_404(user, Workplace.objects.select_related("region"), write, pk=pk)


def top_region(user) -> Region | None:
    return scoping.top_regions(user).order_by("code").first()


def divisions(user) -> list[Region]:
    """The divisions a row may be placed in: the top of the user's write scope and everything below
    it down to the communities."""
    tops = list(scoping.top_regions(user, write=True))
    if not tops:
        return []
    found = Region.objects.none()
    for top in tops:
        found = found | Region.objects.filter(code__within=codes.prefix(top.code))
    return list(found.order_by("code")[:3000])
