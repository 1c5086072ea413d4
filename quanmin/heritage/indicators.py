"""Sports-tourism and heritage indicators (see quanmin.core.indicators), over a division's subtree.

Seed 000 asks for 「一批有影响力的体育旅游精品线路、精品赛事和示范基地」 and seed 001 for 「做好体育文物
藏品征集和收藏管理保护」, neither with a number: these count what the registers hold on `as_of`, for a
plan target to bind to when one is set.

- tourism_routes: quality routes offered, launched by `as_of`.
- tourism_bases_national / _provincial / _city: demonstration bases holding their title, named
  by that level in `as_of`'s year or before.
- heritage_items: items catalogued, acquired by `as_of`.

`active` (a route offered, a title held) is the register as it stands: a route withdrawn or a
title lost is not counted on a past date either. One query per register per call.
"""

import datetime
from collections import Counter
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import indicator, memo
from quanmin.regions import codes

from .models import Base, BaseLevel, Item, Route

LEVELS = ("city", "county", "township")


def _counts(rows, wanted: list[str]) -> dict[str, Decimal]:
    """{code: how many rows lie in its subtree} from (region code, how many) pairs."""
    keys, out = set(wanted), Counter()
    for region_code, n in rows:
        for code in codes.upward(region_code):
            if code in keys:
                out[code] += n
    return {code: Decimal(out[code]) for code in wanted}


def _where(wanted: list[str]) -> dict:
    shared = codes.common_prefix(wanted)
    return {"region__code__within": codes.prefix(shared)} if shared else {}


def _grouped(qs, wanted):
    return _counts(((r["region_id"], r["n"]) for r in qs.filter(**_where(wanted)).values("region_id")
                    .annotate(n=Count("pk")).order_by()), wanted)


@indicator("tourism_routes", unit="count", levels=LEVELS, label=_("Quality sports-tourism routes"),
           description=_("Quality sports-tourism routes offered, launched by the date."))
def tourism_routes(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _grouped(Route.objects.filter(active=True, opened_on__lte=as_of), wanted)


def _bases(wanted: list[str], as_of: datetime.date) -> dict[str, dict[str, Decimal]]:
    def build():
        rows = (Base.objects.filter(active=True, year_awarded__lte=as_of.year, **_where(wanted))
                .values_list("region_id", "level"))
        by_level = {level: [] for level in BaseLevel.values}
        for region_code, level in rows:
            by_level[level].append((region_code, 1))
        return {level: _counts(found, wanted) for level, found in by_level.items()}

    return memo(("heritage.bases", tuple(wanted), as_of), build)


@indicator("tourism_bases_national", unit="count", levels=LEVELS,
           label=_("National sports-tourism demonstration bases"),
           description=_("Sports-tourism demonstration bases named by the national level, holding the title."))
def tourism_bases_national(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _bases(wanted, as_of)[BaseLevel.NATIONAL]


@indicator("tourism_bases_provincial", unit="count", levels=LEVELS,
           label=_("Provincial sports-tourism demonstration bases"),
           description=_("Sports-tourism demonstration bases named by the province, holding the title."))
def tourism_bases_provincial(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _bases(wanted, as_of)[BaseLevel.PROVINCIAL]


@indicator("tourism_bases_city", unit="count", levels=LEVELS,
           label=_("City sports-tourism demonstration bases"),
           description=_("Sports-tourism demonstration bases named by the city, holding the title."))
def tourism_bases_city(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _bases(wanted, as_of)[BaseLevel.CITY]


@indicator("heritage_items", unit="count", levels=LEVELS, label=_("Catalogued sports-heritage items"),
           description=_("Items of sports heritage catalogued by museums, halls of fame and archives, acquired "
                         "by the date."))
def heritage_items(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _grouped(Item.objects.filter(acquired_on__lte=as_of), wanted)
