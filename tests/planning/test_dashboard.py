"""The demo city's plan (seed 000) computed live from the registers: values, history from the
snapshots, status and forecast; divisions ranked; figures entered by hand with evidence and an
approver for targets no register computes."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from quanmin.core import indicators
from quanmin.planning import progress, selectors
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import IndicatorSnapshot, TargetFigure
from quanmin.planning.services import figures, snapshots


def evidence(name="证明.pdf", content=b"%PDF-1.4 evidence"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def row(found, key):
    return next(r for r in found["rows"] if r.target.key == key)


def test_targets_live_from_the_registers(world, liaocheng):
    today = timezone.localdate()
    found = selectors.dashboard(liaocheng, today)
    assert len(found["rows"]) == 29
    grounds = row(found, "T0-02")
    assert grounds.source == "indicator"
    live = indicators.compute("grounds", [world.city.code], today)[world.city.code]
    assert grounds.value == live and grounds.value > 0
    assert grounds.status == progress.OFF_TRACK  # the plan ended in 2023, far from 15,000
    # 万分之三十七 is stored per 10,000 as written and compared in that unit.
    instructors = row(found, "T0-11")
    assert instructors.target.unit == "per_10000_residents"
    # Structural targets with no register say so.
    assert row(found, "T0-29").source == "none" and row(found, "T0-29").status == progress.NO_DATA
    # Counties are ranked on the ratio and share targets each meets.
    assert {r["code"] for r in found["ranking"]} == {world.county.code, world.other_county.code}
    assert sum(found["counts"].values()) == 29


def test_every_county_target_lists_those_short(world, liaocheng):
    found = selectors.dashboard(liaocheng, timezone.localdate())
    games = row(found, "T0-17")  # ≥80% of communities in every county held games
    assert games.target.each and games.target.level == "county"
    assert {d.code for d in games.divisions} == {world.county.code, world.other_county.code}
    assert {d.code for d in games.failing} == {world.county.code, world.other_county.code}  # no games yet
    assert games.value == Decimal("0.0")


def test_history_gives_trend_and_forecast(world, liaocheng):
    today = timezone.localdate()
    for months, value in ((6, 0), (4, 1), (2, 1)):
        IndicatorSnapshot.objects.create(indicator="grounds", division_code=world.city.code,
                                         as_of=today - timedelta(days=30 * months), value=value)
    grounds = row(selectors.dashboard(liaocheng, today), "T0-02")
    assert len(grounds.series) == 4 and grounds.sparkline
    assert grounds.assessment.slope_per_month > 0


def test_dashboard_reads_the_latest_snapshot(world, liaocheng):
    """Indicators are read from their latest snapshot (at most SNAPSHOT_MAX_AGE_DAYS old) when it
    holds every division asked for; the others, or all with live=True, are computed now."""
    today = timezone.localdate()
    day = today - timedelta(days=3)
    keys = ["instructors_per_10000", "communities_with_games", "grounds"]
    done = snapshots.take([day], scope="3715", keys=keys)
    assert (done["computed"], done["undated"]) == (2, 1)  # the facilities register keeps no history
    city = IndicatorSnapshot.objects.filter(indicator="instructors_per_10000", division_code=world.city.code)
    city.update(value=1234)
    IndicatorSnapshot.objects.create(indicator="instructors_per_10000", division_code=world.city.code,
                                     as_of=today - timedelta(days=selectors.SNAPSHOT_MAX_AGE_DAYS + 1), value=7)
    found = selectors.dashboard(liaocheng, today)
    instructors = row(found, "T0-11")
    assert (instructors.value, instructors.as_of, instructors.live) == (Decimal(1234), day, False)
    assert row(found, "T0-02").live and row(found, "T0-02").as_of == today
    assert found["freshness"]["oldest"] == found["freshness"]["newest"] == day
    assert found["freshness"]["from_snapshot"] == 2
    live = row(selectors.dashboard(liaocheng, today, live=True), "T0-11")
    assert live.live and live.as_of == today and live.value != Decimal(1234)
    # A snapshot missing a division asked for is not read: the indicator is computed now.
    IndicatorSnapshot.objects.filter(indicator="communities_with_games", division_code=world.county.code).delete()
    found = selectors.dashboard(liaocheng, today)
    assert row(found, "T0-17").live and not row(found, "T0-11").live


def test_snapshot_is_resumable(world):
    today = timezone.localdate()
    first = snapshots.take([today], scope="3715", keys=["grounds", "area_per_resident"])
    assert first["computed"] == 2 and first["values"] > 0
    again = snapshots.take([today], scope="3715", keys=["grounds", "area_per_resident"])
    assert again == {"computed": 0, "skipped": 2, "values": 0, "undated": 0}
    assert IndicatorSnapshot.objects.filter(indicator="grounds", division_code=world.city.code).count() == 1
    IndicatorSnapshot.objects.filter(indicator="grounds", as_of=today).update(value=None)
    assert snapshots.take([today], scope="3715", keys=["grounds"], again=True)["computed"] == 1
    city = IndicatorSnapshot.objects.get(indicator="grounds", division_code=world.city.code, as_of=today)
    assert city.value == indicators.compute("grounds", [world.city.code], today)[world.city.code]
    months = snapshots.month_ends(date(today.year - 1, 1, 1), today)
    assert months[0] == date(today.year - 1, 1, 31) and months[-1] == today
    with pytest.raises(PlanningError):
        snapshots.take([today], scope="3715", keys=["no_such_indicator"])


def test_entered_figures_need_evidence_and_another_approver(world, liaocheng):
    target = liaocheng.targets.get(key="T0-29")  # 管理机制: yes/no, no register
    city, other_city = world.users["city"], world.users["superuser"]
    today = timezone.localdate()
    with pytest.raises(PlanningError) as caught:
        figures.enter(city, target, division_code=world.city.code, as_of=today, value="1")
    assert caught.value.code == "evidence_missing"
    with pytest.raises(PlanningError) as caught:
        figures.enter(city, target, division_code=world.city.code, as_of=today, value="2", evidence=evidence())
    assert caught.value.code == "figure_yes_no"
    with pytest.raises(PlanningError) as caught:
        figures.enter(world.users["county"], target, division_code=world.city.code, as_of=today, value="1",
                      evidence=evidence())
    assert caught.value.code == "figure_not_yours"
    with pytest.raises(PlanningError) as caught:
        figures.enter(city, liaocheng.targets.get(key="T0-02"), division_code=world.city.code, as_of=today,
                      value="1", evidence=evidence())
    assert caught.value.code == "target_computed"
    assert not TargetFigure.objects.exists()
    figure = figures.enter(city, target, division_code=world.city.code, as_of=today, value="1", evidence=evidence())
    assert row(selectors.dashboard(liaocheng, today), "T0-29").status == progress.NO_DATA  # not approved yet
    with pytest.raises(PlanningError) as caught:
        figures.decide(city, figure, approve=True)
    assert caught.value.code == "figure_own"
    figures.decide(other_city, figure, approve=True)
    assert row(selectors.dashboard(liaocheng, today), "T0-29").status == progress.MET
    with pytest.raises(PlanningError):
        figures.decide(other_city, figure, approve=False)


def test_visible_plans(world, liaocheng):
    assert list(selectors.visible_plans(world.users["county"])) == [liaocheng]  # the city's plan, from below
    assert list(selectors.visible_plans(world.users["resident"])) == []
