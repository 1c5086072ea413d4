"""Status and forecast from a series: met, on track, at risk, off track, no data."""

from datetime import date, timedelta
from decimal import Decimal as D

from quanmin.planning import measures, progress

TODAY = date(2024, 6, 30)
DEADLINE = date(2025, 12, 31)


def monthly(values, end=TODAY):
    """One value per month ending at `end`, oldest first."""
    out = []
    for i, v in enumerate(reversed(values)):
        year, month = end.year, end.month - i
        while month < 1:
            year, month = year - 1, month + 12
        out.append((date(year, month, 28), D(str(v))))
    return list(reversed(out))


def test_met():
    found = progress.assess(monthly([2.5, 2.8]), ">=", D("2.7"), DEADLINE, TODAY)
    assert found.status == progress.MET and found.current == D("2.8")


def test_on_track_with_forecast_before_deadline():
    # +0.1 a month from 1.0; 1.9 now, 3.0 needed by the end of 2025 (18 months): 0.061 a month required
    found = progress.assess(monthly([1.0 + 0.1 * i for i in range(10)]), ">=", D("3"), DEADLINE, TODAY)
    assert found.status == progress.ON_TRACK
    assert round(found.slope_per_month, 3) == 0.1
    assert date(2025, 4, 1) < found.forecast < date(2025, 6, 1)  # 11 more months


def test_at_risk_when_slower_than_needed():
    found = progress.assess(monthly([1.0 + 0.06 * i for i in range(10)]), ">=", D("3"), DEADLINE, TODAY)
    assert found.status == progress.AT_RISK and found.forecast > DEADLINE


def test_off_track_when_flat_or_falling_or_late():
    assert progress.assess(monthly([2, 2, 2]), ">=", D("3"), DEADLINE, TODAY).status == progress.OFF_TRACK
    assert progress.assess(monthly([2.2, 2.1, 2.0]), ">=", D("3"), DEADLINE, TODAY).forecast is None
    late = progress.assess(monthly([1, 2]), ">=", D("3"), date(2024, 1, 1), TODAY)
    assert late.status == progress.OFF_TRACK and TODAY < late.forecast < TODAY + timedelta(days=40)


def test_a_falling_target_counts_down():
    found = progress.assess(monthly([10, 9, 8, 7]), "<=", D("5"), DEADLINE, TODAY)
    assert found.status == progress.ON_TRACK and found.forecast < DEADLINE


def test_no_data_and_single_value():
    assert progress.assess([], ">=", D("1"), DEADLINE, TODAY).status == progress.NO_DATA
    assert progress.assess([(TODAY, None)], ">=", D("1"), DEADLINE, TODAY).status == progress.NO_DATA
    assert progress.assess(monthly([0.5]), ">=", D("1"), DEADLINE, TODAY).status == progress.AT_RISK


def test_yes_no():
    assert progress.assess([(TODAY, D(1))], "yes", None, DEADLINE, TODAY).status == progress.MET
    assert progress.assess([(TODAY, D(0))], "yes", None, DEADLINE, TODAY).status == progress.AT_RISK


def test_strict_comparators():
    assert not progress.satisfies(D("95"), ">", D("95"))
    assert progress.satisfies(D("95.1"), ">", D("95"))
    assert progress.satisfies(D("4"), "<", D("5")) and not progress.satisfies(None, ">=", D("1"))


def test_per_1000_and_per_10000():
    assert measures.convert(D("37"), "per_10000_residents", "per_1000_residents") == D("3.7")
    assert measures.convert(D("4.5"), "per_1000_residents", "per_10000_residents") == D("45")
    assert measures.compatible("per_1000_residents", "per_10000_residents")
    assert not measures.compatible("count", "percent")
