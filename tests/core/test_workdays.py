"""Working days: the package's calendar where it knows the year, the listed days where it does not."""

import datetime

import chinese_calendar
import pytest

from quanmin.core import workdays

D = datetime.date


@pytest.mark.parametrize("day,working", [
    (D(2026, 10, 1), False),   # National Day, from the package
    (D(2026, 12, 31), True),   # an ordinary Thursday
    (D(2027, 1, 1), False),    # New Year's Day: beyond the package, from data/holidays.csv
    (D(2027, 2, 5), False),    # New Year's Eve is a statutory day since the 2024 revision
    (D(2027, 2, 9), True),     # the Tuesday after: no make-up notice yet, a plain weekday
    (D(2027, 5, 2), False),    # Labour Day's second statutory day (a Sunday anyway)
    (D(2027, 6, 9), False),    # Dragon Boat Festival, a Wednesday
    (D(2028, 3, 6), True),     # beyond every list: a Monday
    (D(2028, 3, 5), False),    # and a Sunday
])
def test_working_days(day, working):
    assert workdays.is_working_day(day) is working


def test_a_deadline_across_new_year_2027_skips_the_holiday_and_the_weekend():
    start = datetime.datetime(2026, 12, 31, 10, 0)
    assert workdays.add_working_days(start, 1) == datetime.datetime(2027, 1, 4, 10, 0)


def test_every_listed_day_is_well_formed():
    days = workdays.extra_days()
    assert days and all(isinstance(d, datetime.date) for d in days)
    # The file is a fallback for years the package lacks: listing a year it knows would silently
    # override the State Council's notice as the package carries it.
    for day in days:
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(day)
