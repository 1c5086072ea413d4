"""Reads of the online fitness services that pages, API and export share: the channels and courses a
staff member may see (scoped to their divisions, 404 outside), the channels in service and the
published courses residents browse (those of their home county and the divisions above it, as the
lectures: selectors.near_q), and a resident's own "done" marks."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from quanmin.accounts import scoping
from quanmin.regions.selectors import subtree_q

from . import permissions
from .models import ArticleStatus, Channel, ChannelKind, Course, CourseAudience, CourseCompletion, CourseKind, Scene
from .selectors import _year, near_q


def _choice(qs, params, field: str, choices):
    value = (params or {}).get(field)
    if value:
        qs = qs.filter(**{field: value}) if value in choices.values else qs.none()
    return qs


def channels_for(user, params=None, write: bool = False) -> QuerySet[Channel]:
    """Filters: region (a subtree), kind, year (in service that year), status (active / closed)."""
    if not permissions.can_read(user):
        return Channel.objects.none()
    qs = _choice(scoping.scoped(user, Channel.objects.select_related("region"), write), params, "kind", ChannelKind)
    get = (params or {}).get
    found = subtree_q(get("region"))
    if found is not None:
        qs = qs.filter(found)
    year = _year(get("year"))
    if year:
        qs = qs.filter(in_service_q(year))
    status = get("status")
    if status == "active":
        qs = qs.filter(closed_year__isnull=True)
    elif status == "closed":
        qs = qs.filter(closed_year__isnull=False)
    elif status:
        qs = qs.none()
    return qs.order_by("region_id", "opened_year", "name", "pk")


def in_service_q(year: int) -> Q:
    """Channels in service in `year`: opened by then, not closed by then."""
    return Q(opened_year__lte=year) & (Q(closed_year__isnull=True) | Q(closed_year__gt=year))


def channel_or_404(user, pk, write: bool = False) -> Channel:
    if not permissions.can_read(user):
        raise Http404
    return scoping.get_scoped_or_404(user, Channel.objects.select_related("region"), write, pk=pk)


def public_channels(user) -> QuerySet[Channel]:
    """The channels in service near a resident (all of them for a stranger)."""
    return (Channel.objects.select_related("region").filter(near_q(user), closed_year__isnull=True)
            .order_by("region_id", "kind", "name"))


def with_done(qs: QuerySet[Course]) -> QuerySet[Course]:
    return qs.annotate(done_count=Count("completions"))


def _course_filters(qs, params) -> QuerySet[Course]:
    for field, choices in (("kind", CourseKind), ("scene", Scene), ("audience", CourseAudience)):
        qs = _choice(qs, params, field, choices)
    sport = str((params or {}).get("sport") or "").strip()[:40]
    if sport:
        qs = qs.filter(sport=sport)
    return qs


def courses_for(user, params=None, write: bool = False) -> QuerySet[Course]:
    """Filters: region (a subtree), status (draft / published), kind, scene, audience, sport."""
    if not permissions.can_read(user):
        return Course.objects.none()
    qs = with_done(scoping.scoped(user, Course.objects.select_related("region"), write))
    qs = _choice(_course_filters(qs, params), params, "status", ArticleStatus)
    found = subtree_q((params or {}).get("region"))
    if found is not None:
        qs = qs.filter(found)
    return qs.order_by("-updated_at", "-pk")


def course_or_404(user, pk, write: bool = False) -> Course:
    if not permissions.can_read(user):
        raise Http404
    return scoping.get_scoped_or_404(user, with_done(Course.objects.select_related("region")), write, pk=pk)


def catalogue(user, params=None) -> QuerySet[Course]:
    """Published courses near the resident, newest first; filters kind, scene, audience, sport."""
    qs = Course.objects.select_related("region").filter(near_q(user), status=ArticleStatus.PUBLISHED)
    return _course_filters(qs, params).order_by("-published_at", "-pk")


def public_course_or_404(pk) -> Course:
    found = Course.objects.select_related("region").filter(pk=pk, status=ArticleStatus.PUBLISHED).first()
    if found is None:
        raise Http404
    return found


def sports(user) -> list[str]:
    """The sports of the published courses near the resident, for the filter."""
    return sorted(set(catalogue(user).values_list("sport", flat=True).order_by()[:2000]))


def my_done(user, courses) -> set[int]:
    """The courses of `courses` (ids) the user marked done."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(CourseCompletion.objects.filter(user=user, course_id__in=list(courses))
               .values_list("course_id", flat=True))


def my_completions(user) -> QuerySet[CourseCompletion]:
    """The courses a person marked done, oldest first (their personal record reads these)."""
    return CourseCompletion.objects.filter(user=user).select_related("course").order_by("created_at", "pk")
