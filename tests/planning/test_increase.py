"""Targets that ask for a rise every year (逐年增加, 提高…): met when the value stands above the
value at the end of last year, read from the indicator's stored snapshot (or computed for that day
when the register keeps history); shown and exported with last year's value as the goal."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from quanmin.core import indicators
from quanmin.planning import exports, progress, selectors
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import IndicatorSnapshot, Target
from quanmin.planning.services import plans as plan_rules


def row(found, key):
    return next(r for r in found["rows"] if r.target.key == key)


def test_up_is_met_above_the_goal_given():
    assert progress.satisfies(Decimal(5), "up", Decimal(4))
    assert not progress.satisfies(Decimal(4), "up", Decimal(4))
    assert not progress.satisfies(Decimal(4), "up", None)  # no last year: nothing to exceed
    assert progress.assess([(date(2025, 6, 30), Decimal(3))], "up", Decimal(4), date(2025, 12, 31),
                           date(2025, 7, 1)).status == progress.AT_RISK


def test_up_needs_no_value_and_others_still_do(liaocheng):
    target = liaocheng.targets.get(key="T0-02")
    target.comparator, target.value = Target.Comparator.INCREASE, None
    plan_rules.check_target(liaocheng, target)
    target.comparator = ">="
    with pytest.raises(PlanningError):
        plan_rules.check_target(liaocheng, target)


@pytest.fixture
def rising(world, liaocheng):
    """T0-02 (grounds) asked to rise every year: last year's end stored as a snapshot, one below
    today's count for the city and one above for the first county."""
    today = timezone.localdate()
    Target.objects.filter(plan=liaocheng, key="T0-02").update(comparator="up", value=None)
    codes = [world.city.code, world.county.code, world.other_county.code]
    now = indicators.compute("grounds", codes, today)
    end = selectors.year_end_before(today)
    IndicatorSnapshot.objects.create(indicator="grounds", division_code=world.city.code, as_of=end,
                                     value=now[world.city.code] - 1)
    IndicatorSnapshot.objects.create(indicator="grounds", division_code=world.county.code, as_of=end,
                                     value=now[world.county.code] + 1)
    return now


def test_up_compares_with_last_years_snapshot(world, liaocheng, rising):
    today = timezone.localdate()
    grounds = row(selectors.dashboard(liaocheng, today, live=True), "T0-02")
    assert grounds.baseline == rising[world.city.code] - 1
    assert grounds.status == progress.MET
    by_code = {d.code: d for d in grounds.divisions}
    assert not by_code[world.county.code].met  # below last year's
    assert not by_code[world.other_county.code].met  # the grounds register keeps no history: no baseline


def test_up_falls_back_to_the_dated_register(world, liaocheng):
    """An indicator whose register keeps history is computed for last year's end when no snapshot holds it."""
    today = timezone.localdate()
    Target.objects.filter(plan=liaocheng, key="T0-11").update(comparator="up", value=None)
    found = selectors.last_year_values("instructors_per_10000", {world.city.code}, today)
    expected = indicators.compute("instructors_per_10000", [world.city.code], selectors.year_end_before(today))
    assert found == expected
    assert row(selectors.dashboard(liaocheng, today, live=True), "T0-11").baseline == expected[world.city.code]


def test_up_shown_in_chinese_and_exported_with_last_year(world, liaocheng, rising, client_for):
    client = client_for("city")
    body = client.get(reverse("planning:plan", args=[liaocheng.key]) + "?live=1").content.decode()
    assert "高于上年" in body and f"上年 {rising[world.city.code] - 1}" in body
    assert ">up<" not in body
    target = liaocheng.targets.get(key="T0-02")
    page = client.get(reverse("planning:target", args=[liaocheng.key, target.pk])).content.decode()
    assert "高于上年" in page
    response = client.get(reverse("planning:export", args=[liaocheng.key]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    found = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "T0-02")
    assert found[2] == "高于上年" and found[3] == float(rising[world.city.code] - 1)
    api = client.get(f"/api/v1/planning/plans/{liaocheng.key}/targets").json()
    item = next(i for i in api if i["key"] == "T0-02")
    assert item["comparator"] == "up" and Decimal(str(item["baseline"])) == rising[world.city.code] - 1
    assert exports.goal(row(selectors.dashboard(liaocheng, timezone.localdate()), "T0-03")) == Decimal("2.7")


def test_up_scores_against_last_year_in_an_evaluation(world, liaocheng, rising):
    """An evaluation item computed from a target that asks for a rise scores each county's value
    against the county's own value at the end of last year."""
    from quanmin.planning import selectors_evaluation
    from quanmin.planning.models import EvaluationItem

    target = liaocheng.targets.get(key="T0-02")
    item = EvaluationItem.objects.create(plan=liaocheng, order=1, name="场地逐年增加", weight=100, method="computed",
                                         target=target)
    found = selectors_evaluation.computed_scores([item], [world.county.code, world.other_county.code],
                                                 timezone.localdate())
    # 东昌府区: 1 ground now, 2 at last year's end: 1 ÷ 2 = 50 points; 茌平区 has no last year: 0.
    assert rising[world.county.code] == 1
    assert found[item.pk, world.county.code] == (Decimal(1), Decimal("50.00"))
    assert found[item.pk, world.other_county.code][1] == Decimal("0.00")
