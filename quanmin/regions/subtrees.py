"""Figures for many divisions at once: which rows of a grouped query fall in which subtree.

An indicator asks for many divisions, nested or not (a city and all its counties, townships and
communities). It runs its GROUP BY once over the smallest subtree that holds them all, grouped by
each row's own division code, and hands the rows out here: a row counts for its division and for
every division above it that was asked for. When only sums are wanted, rolled_up() adds them up in
the database instead, so a province's 64,000 divisions cost no Python loop over the rows. All the
code arithmetic is quanmin.regions.codes'.
"""

from collections.abc import Callable, Iterable

from django.db import connections
from django.db.models import QuerySet

from . import codes
from .models import Region


def covering_prefix(wanted: Iterable[str]) -> str:
    """The prefix of the smallest division whose subtree holds every code asked for ("" when none
    does: codes of two provinces), to filter a query on with ``__within``."""
    common = codes.common_prefix(wanted)
    return codes.prefix(common) if common else ""


def divisions_at(prefix: str, level: str) -> list[str]:
    """The codes of the subtree's divisions at `level` (one query)."""
    lo, hi = codes.subtree_range(prefix)
    return list(Region.objects.filter(code__gte=lo, code__lte=hi, level=level).values_list("code", flat=True))


def roll_up(rows: Iterable, wanted: Iterable[str], key: Callable = lambda row: row[0]) -> dict[str, list]:
    """{code asked for: the rows whose division (``key(row)``, a 12-digit code) lies in its subtree}."""
    out: dict[str, list] = {code: [] for code in wanted}
    seen: dict[str, list] = {}
    for row in rows:
        division = key(row)
        targets = seen.get(division)
        if targets is None:
            targets = seen[division] = [out[c] for c in codes.upward(division) if c in out]
        for target in targets:
            target.append(row)
    return out


def sum_up(rows: Iterable, wanted: Iterable[str], start: Callable[[str], object],
           add: Callable = lambda total, row: total.add(row), key: Callable = lambda row: row[0]) -> dict:
    """{code asked for: start(code) with `add` applied to it for each row of its subtree}: the
    figures' own accumulators (Figures, Counts ...) summed per division."""
    out = {}
    for code, mine in roll_up(rows, wanted, key).items():
        out[code] = total = start(code)
        for row in mine:
            add(total, row)
    return out


def summed(rows: Iterable, wanted: Iterable[str], column: int = 1, key: Callable = lambda row: row[0]) -> dict[str, int]:
    """{code asked for: the sum of the rows' `column` over its subtree} (a None adds nothing): the
    count indicators' rows, (division code, n) of a grouped query, added up per division."""
    return {code: sum(row[column] or 0 for row in mine) for code, mine in roll_up(rows, wanted, key).items()}


def rolled_up(rows: QuerySet, communities: bool = False) -> dict[str, tuple]:
    """{12-digit code: the sums of the other columns over its subtree} for every division that holds
    a row: `rows` is a values queryset whose first column is a division code and whose other columns
    are numbers (one row per division, or several: they are added); with `communities`, one sum
    more: the rows at a community's code (with one row per division, the communities holding one).
    One statement: the query as a subquery, grouped by each level's ancestor (codes.sql_levels) and
    joined with UNION ALL."""
    width = len(rows.query.values_select) + len(rows.query.annotation_select)
    names = [f"v{i}" for i in range(1, width)]
    sums = ", ".join(f"SUM({name})" for name in names)
    if communities:
        sums += f", SUM(CASE WHEN {codes.sql_levels('code')[-1][1]} THEN 1 ELSE 0 END)"
    return _per_level(rows, names, sums)


def distinct_rolled_up(rows: QuerySet) -> dict[str, int]:
    """{12-digit code: how many distinct values the second column holds over its subtree} for every
    division that holds a row: `rows` is a values queryset of (division code, a value), such as the
    people tested (a person tested in two communities counts once in their township). One statement,
    as rolled_up."""
    return {code: n for code, (n,) in _per_level(rows, ["v"], "COUNT(DISTINCT v)").items()}


def _per_level(rows: QuerySet, names: list[str], select: str) -> dict[str, tuple]:
    sql, params = rows.query.sql_with_params()
    union = " UNION ALL ".join(f"SELECT {ancestor}, {select} FROM own WHERE {below} GROUP BY {ancestor}"
                               for ancestor, below in codes.sql_levels("code"))
    with connections[rows.db].cursor() as cursor:
        cursor.execute(f"WITH own(code, {', '.join(names)}) AS ({sql}) {union}", params)
        return {code: tuple(values) for code, *values in cursor.fetchall()}
