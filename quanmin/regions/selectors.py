from django.db.models import QuerySet

from . import codes
from .models import Region


def children(code: str) -> QuerySet[Region]:
    return Region.objects.filter(parent_id=code).order_by("code")


def by_level(level: str, within: str | None = None) -> QuerySet[Region]:

    qs = Region.objects.filter(level=level)
    if within:
        qs = qs.filter(code__within=codes.prefix(within))
    return qs
