from django.db.models import Q, QuerySet

from . import codes
from .models import Region


def children(code: str) -> QuerySet[Region]:
    return Region.objects.filter(parent_id=code).order_by("code")


def by_level(level: str, within: str | None = None) -> QuerySet[Region]:

    qs = Region.objects.filter(level=level)
    if within:
        qs = qs.filter(code__within=codes.prefix(within))
    return qs


def subtree_q(value, field: str = "region__code") -> Q | None:
    """A division code (or its prefix) as a list's filter -> its subtree; None when empty; a bad code
    matches nothing."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return Q(**{f"{field}__within": codes.prefix(codes.normalise(text))})
    except ValueError:
        return Q(pk__in=[])


def with_children(top: Region | None) -> list[Region]:
    """A division and the divisions right below it, in code order: what a figures page rolls up
    (the top of a user's scope first). Empty when there is no division."""
    if top is None:
        return []
    return [top, *children(top.code)]
