"""Working days by the Chinese calendar: weekends and statutory holidays off, make-up Saturdays and
Sundays (调休) on. Deadlines "within N working days" (限时办结) are counted with these."""

import csv
import datetime
import functools
from pathlib import Path

import chinese_calendar
from django.utils import timezone

OFFICE_OPENS = datetime.time(9, 0)
EXTRA_DAYS = Path(__file__).with_name("data") / "holidays.csv"


@functools.cache
def extra_days() -> dict[datetime.date, bool]:
    """Days the package does not know yet (data/holidays.csv): date -> is a working day."""
    with EXTRA_DAYS.open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {datetime.date.fromisoformat(r["date"]): r["kind"] == "work" for r in rows}


def is_working_day(day: datetime.date) -> bool:
    known = extra_days().get(day)
    if known is not None:
        return known
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # beyond the years the package knows: weekdays, less the listed holidays
        return day.weekday() < 5


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """The moment `days` working days after `start`, in local time.

    On a working day the deadline keeps the clock time: received Monday 10:00, one working day is
    Tuesday 10:00. Received on a day off, the clock starts at 09:00 on the next working day, as it
    does at a government service centre.
    """
    local = timezone.localtime(start) if timezone.is_aware(start) else start
    day, clock = local.date(), local.time()
    if not is_working_day(day):
        while not is_working_day(day):
            day += datetime.timedelta(days=1)
        clock = OFFICE_OPENS
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    result = datetime.datetime.combine(day, clock)
    return timezone.make_aware(result) if timezone.is_aware(start) else result


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count
