"""The statistics bureau's 12-digit division codes (统计用区划代码) and their prefixes.

A division's subtree is every code that starts with its prefix: province 2 digits, city 4,
county 6, township 9, community/village 12; the rest of the 12 digits are zeros. A prefix of a
code is therefore an ancestor. Pure functions, no Django, so every layer can use them.

This module is the only place that does arithmetic on the codes (cutting, padding, comparing
prefixes): the scoping in accounts is the security boundary and rests on it. A test
(tests/regions/test_code_arithmetic_home.py) fails if such arithmetic appears anywhere else.
"""

import re
from collections.abc import Iterable

LEVELS = ("city", "county", "township", "community")
PREFIX_LENGTH = {"province": 2, "city": 4, "county": 6, "township": 9, "community": 12}
_DEPTHS = tuple(PREFIX_LENGTH)  # province first
_CODE = re.compile(r"[0-9]{12}")


def pad(prefix: str) -> str:
    """The 12-digit code that a division's prefix names: the prefix followed by zeros."""
    return prefix.ljust(12, "0")


def is_prefix(text: str) -> bool:
    """Whether `text` is a division's prefix or code as a person types it: 2, 4, 6, 9 or 12 digits."""
    return text.isdigit() and len(text) in PREFIX_LENGTH.values()


def normalise(code: str) -> str:
    """Pad a 2/4/6/9/12-digit code to 12 digits; raise ValueError on anything else."""
    code = (code or "").strip()
    if not is_prefix(code):
        raise ValueError(f"not a division code: {code!r}")
    return pad(code)


def is_code(code: str) -> bool:
    """Whether `code` is a full 12-digit code (ASCII digits)."""
    return bool(_CODE.fullmatch(code or ""))


def level(code: str) -> str:
    """The level a 12-digit code stands for, read from its trailing zeros."""
    if code[4:] == "00000000":
        return "province" if code[2:4] == "00" else "city"
    if code[6:] == "000000":
        return "county"
    if code[9:] == "000":
        return "township"
    return "community"


def child_level(level_name: str) -> str | None:
    """The level just below `level_name` ("county" -> "township"), None below a community."""
    depth = _DEPTHS.index(level_name)
    return _DEPTHS[depth + 1] if depth + 1 < len(_DEPTHS) else None


def parent_level(level_name: str) -> str | None:
    """The level just above `level_name` ("county" -> "city"), None above a province."""
    depth = _DEPTHS.index(level_name)
    return _DEPTHS[depth - 1] if depth else None


def prefix(code: str) -> str:
    """The prefix that every code in this division's subtree starts with."""
    return code[: PREFIX_LENGTH[level(code)]]


def prefix_at(code: str, level_name: str) -> str:
    """The prefix of the division at `level_name` that holds `code` ("371502001001", "county" ->
    "371502"); the key to group codes by their county, township..."""
    return code[: PREFIX_LENGTH[level_name]]


def ancestor_at(code: str, level_name: str) -> str:
    """The 12-digit code of the division at `level_name` that holds `code` (itself at its own level)."""
    return pad(prefix_at(code, level_name))


def number_at(number, level_name: str):
    """`ancestor_at` for codes held as integers: the integer code of the division at `level_name`
    that holds `number`. Plain integer arithmetic, so it works element-wise on a NumPy array of
    codes as well (the analyses keep a million residents' codes that way)."""
    unit = 10 ** (12 - PREFIX_LENGTH[level_name])
    return number // unit * unit


def parent(code: str) -> str | None:
    """The division just above (a city's is its province); None for a province."""
    above = parent_level(level(code))
    return ancestor_at(code, above) if above else None


def ancestors(code: str) -> list[str]:
    """The divisions above `code`, the province first, `code` itself not included."""
    found = []
    above = parent(code)
    while above is not None:
        found.append(above)
        above = parent(above)
    return found[::-1]


def upward(code: str) -> list[str]:
    """`code` and the divisions above it, nearest first: the order in which the nearest setting,
    unit or staff of a division is looked for. Empty for an empty code."""
    return [code, *reversed(ancestors(code))] if code else []


def in_subtree(code: str, subtree_prefix: str) -> bool:
    """Whether `code` lies in the subtree that `subtree_prefix` names (see prefix())."""
    return code.startswith(subtree_prefix)


def contains(ancestor: str, code: str) -> bool:
    """Whether `code` is the division `ancestor` or lies under it."""
    return in_subtree(code, prefix(ancestor))


def outermost(prefixes: Iterable[str]) -> list[str]:
    """The prefixes not inside another one's subtree, sorted: a city admin who is also a county
    admin has the city's prefix only."""
    found = sorted(set(prefixes))
    return [p for p in found if not any(p != q and in_subtree(p, q) for q in found)]


def subtree_bounds(prefix: str) -> tuple[str, str | None] | None:
    """The codes that start with ``prefix`` as a half-open range [low, high) (high None: no upper
    bound), or None when no code can start with it (it is not all digits).

    A range uses the column's index where LIKE 'prefix%' cannot (SQLite's LIKE ignores case, so it
    skips a BINARY index), and it holds under any collation: the upper bound is the prefix with
    its last digit raised ("3719" -> "372"), never a punctuation mark, which an ICU collation such
    as zh-Hans-CN sorts before the digits.
    """
    if not prefix:
        return "", None
    if not prefix.isdigit() or not prefix.isascii():
        return None
    stem = prefix.rstrip("9")
    if not stem:
        return prefix, None
    return prefix, stem[:-1] + str(int(stem[-1]) + 1)


def subtree_range(prefix: str) -> tuple[str, str]:
    """The first and the last 12-digit code of the subtree that `prefix` names, both included:
    bounds for ``code__gte``/``code__lte`` (or ``__range``) on a column of 12-digit codes.

    Like subtree_bounds, a range of digits only, so an index serves it on any collation; a
    12-digit string is read as a prefix (a community's own code).
    """
    return pad(prefix), prefix.ljust(12, "9")


def common_prefix(region_codes: Iterable[str]) -> str:
    """The 12-digit code of the deepest division that holds every one of `region_codes` (an
    ancestor of each, or the code itself when they are all one); "" when there are none or they
    lie in different provinces."""
    region_codes = list(region_codes)
    if not region_codes:
        return ""
    first, last = min(region_codes), max(region_codes)  # every code shares what these two share
    for level_name in reversed(_DEPTHS):
        shared = prefix_at(first, level_name)
        if len(shared) == PREFIX_LENGTH[level_name] and in_subtree(last, shared):
            return pad(shared)
    return ""


def sql_levels(column: str) -> list[tuple[str, str]]:
    """For each level, province first, two SQL expressions over `column` (a column of 12-digit codes,
    written as SQL; portable to SQLite and PostgreSQL): the 12-digit code of the row's division at
    that level, and the condition that the row lies at that level or below (its digits for the level
    are not all zeros). Grouping rows by the first, where the second holds, adds each row to every
    division above it: a subtree's totals in the database (regions.subtrees.rolled_up)."""
    out, above = [], 0
    for length in PREFIX_LENGTH.values():
        ancestor = f"substr({column}, 1, {length})" + (f" || '{'0' * (12 - length)}'" if length < 12 else "")
        at_or_below = f"substr({column}, {above + 1}, {length - above}) <> '{'0' * (length - above)}'"
        out.append((ancestor, at_or_below))
        above = length
    return out
