"""Task deadlines as plans write them: 2018年12月底前, 2022年底前, 2025年前, 每年, 持续实施, 长期坚持.

`parse(text)` answers (deadline, recurrence): the last day the text allows (None when it names
none) and how the task repeats ("" once, "yearly", "ongoing"). Full-width digits are read as
digits (the seeds write ２０２２ too). "N年前" is read as "by the end of N" (the plans use it for
the plan's last year, e.g. 003's 2025年前 beside 2025年底前 in a 2021–2025 plan); a year alone,
"N年底", "N年底前" and "N年12月底前" mean the same day. Text that names no date and no
repetition raises ValueError, so an import can report the row.
"""

import calendar
import re
import unicodedata
from datetime import date

ONCE, YEARLY, ONGOING = "", "yearly", "ongoing"

_YEARLY = ("每年", "逐年", "每一年")
_ONGOING = ("持续实施", "持续推进", "长期坚持", "长期", "持续", "常态化")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_YEAR = re.compile(r"(\d{4})\s*年?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse(text: str) -> tuple[date | None, str]:
    cleaned = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not cleaned:
        return None, ONCE
    try:
        if any(word in cleaned for word in _YEARLY):
            return _last_date(cleaned), YEARLY
        if any(word in cleaned for word in _ONGOING):
            return _last_date(cleaned), ONGOING
        found = _last_date(cleaned)
    except ValueError:
        raise ValueError(f"not a date: {text!r}") from None
    if found is None:
        raise ValueError(f"no deadline in {text!r}")
    return found, ONCE


def _last_date(text: str) -> date | None:
    """The date a text names (the last one when it names a range), None when it names none."""
    for pattern in (_DATE, _ISO):
        matches = list(pattern.finditer(text))
        if matches:
            year, month, day = (int(g) if g else None for g in matches[-1].groups())
            return date(year, month, day) if day else _month_end(year, month)
    matches = list(_MONTH.finditer(text))
    if matches:
        return _month_end(int(matches[-1].group(1)), int(matches[-1].group(2)))
    matches = [m for m in _YEAR.finditer(text) if 1900 < int(m.group(1)) < 2200]
    if matches:
        return date(int(matches[-1].group(1)), 12, 31)
    return None
