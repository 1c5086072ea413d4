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


def within_all(wanted: list[str], field: str = "region__code") -> dict:
    """A filter on the smallest subtree holding every division asked for (none when they share no
    prefix): one query then reads the rows of all of them."""
    shared = codes.common_prefix(wanted)
    return {f"{field}__within": codes.prefix(shared)} if shared else {}


def asked_holding(region_code: str, wanted: set[str]) -> list[str]:
    """The divisions asked for that hold a row of `region_code`: itself and its ancestors."""
    return [code for code in codes.upward(region_code) if code in wanted]
