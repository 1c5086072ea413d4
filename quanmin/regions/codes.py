"""The statistics bureau's 12-digit division codes (统计用区划代码) and their prefixes.

A division's subtree is every code that starts with its prefix: city 4 digits, county 6,
township 9, community/village 12. Pure functions, no Django, so every layer can use them.
"""

import re

LEVELS = ("city", "county", "township", "community")
PREFIX_LENGTH = {"province": 2, "city": 4, "county": 6, "township": 9, "community": 12}
_CODE = re.compile(r"^\d{12}$")


def normalise(code: str) -> str:
    """Pad a 2/4/6/9/12-digit code to 12 digits; raise ValueError on anything else."""
    code = (code or "").strip()
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise ValueError(f"not a division code: {code!r}")
    return code.ljust(12, "0")


def is_code(code: str) -> bool:
    return bool(_CODE.match(code or ""))


def level_of(code: str) -> str:
    """The level a 12-digit code stands for, read from its trailing zeros."""
    if code[4:] == "00000000":
        return "province" if code[2:4] == "00" else "city"
    if code[6:] == "000000":
        return "county"
    if code[9:] == "000":
        return "township"
    return "community"


def prefix(code: str) -> str:
    """The prefix that every code in this division's subtree starts with."""
    return code[: PREFIX_LENGTH[level_of(code)]]


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


def parent_code(code: str) -> str | None:
    level = level_of(code)
    if level in ("province", "city"):
        return None if level == "province" else code[:2].ljust(12, "0")
    shorter = {"county": 4, "township": 6, "community": 9}[level]
    return code[:shorter].ljust(12, "0")


def contains(ancestor: str, code: str) -> bool:
    return code.startswith(prefix(ancestor))
