"""How far a target stands from its goal, and whether the trend gets there in time.

Pure functions over a series of (date, value) in the target's unit: the status is

- met: the latest value satisfies the comparator (for "up", an increase: it stands above the goal
  given, last year's value);
- on track: the trend of the last 12 months (least squares) moves toward the goal at least as
  fast as the rate still required to reach it by the deadline;
- at risk: it moves toward the goal, at half the required rate or more (or there is one value
  only, so no trend yet);
- off track: it stands still, moves away, moves at less than half the required rate, or the
  deadline has passed (the forecast then still says when the trend gets there);
- no data: no value at all.

The forecast is the date the trend reaches the goal, if it moves toward it.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

MET, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "met", "on_track", "at_risk", "off_track", "no_data"
DAYS_PER_MONTH = 30.436875
TREND_DAYS = 366
MAX_FORECAST_YEARS = 50


@dataclass(frozen=True)
class Assessment:
    status: str
    current: Decimal | None
    slope_per_month: float | None = None
    required_per_month: float | None = None
    forecast: date | None = None


def satisfies(value, comparator: str, goal) -> bool:
    if value is None:
        return False
    if comparator == "yes":
        return value >= 1
    if goal is None:
        return False
    value, goal = Decimal(value), Decimal(goal)
    return {">=": value >= goal, ">": value > goal, "up": value > goal, "=": value == goal, "<=": value <= goal,
            "<": value < goal}[comparator]


def assess(series: list[tuple[date, Decimal | None]], comparator: str, goal, deadline: date,
           today: date) -> Assessment:
    points = sorted((d, v) for d, v in series if v is not None and d <= today)
    if not points:
        return Assessment(NO_DATA, None)
    current = points[-1][1]
    if satisfies(current, comparator, goal):
        return Assessment(MET, current)
    late = today > deadline
    if comparator == "yes" or goal is None:
        return Assessment(OFF_TRACK if late else AT_RISK, current)
    recent = [(d, v) for d, v in points if (points[-1][0] - d).days <= TREND_DAYS]
    direction = -1 if comparator in ("<=", "<") else 1
    if comparator == "=":
        direction = 1 if current < Decimal(goal) else -1
    gap = float(Decimal(goal) - current) * direction
    months_left = max((deadline - today).days / DAYS_PER_MONTH, 1 / DAYS_PER_MONTH)
    required = gap / months_left
    if len(recent) < 2 or recent[0][0] == recent[-1][0]:
        return Assessment(OFF_TRACK if late else AT_RISK, current, None, None if late else required * direction)
    x = np.array([(d - recent[0][0]).days / DAYS_PER_MONTH for d, _v in recent])
    y = np.array([float(v) for _d, v in recent])
    slope = float(np.polyfit(x, y, 1)[0])
    rate = slope * direction
    forecast = None
    if rate > 0:
        months = gap / rate
        if months / 12 < MAX_FORECAST_YEARS:
            forecast = today + timedelta(days=round(months * DAYS_PER_MONTH))
    if late:
        status = OFF_TRACK
    elif rate >= required:
        status = ON_TRACK
    elif rate > 0 and rate >= required / 2:
        status = AT_RISK
    else:
        status = OFF_TRACK
    return Assessment(status, current, slope, None if late else required * direction, forecast)
