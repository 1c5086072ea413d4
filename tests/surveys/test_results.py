"""Weighted results with their margin of error, and the indicators planning binds targets to."""

import math
from decimal import Decimal

import pytest
from django.utils import timezone

from quanmin.core import indicators
from quanmin.surveys import results, services
from quanmin.surveys.models import Response, Survey

from .conftest import make_survey


def _answers(survey, region, n, regular, sex="male", band="40_59", score=None):
    today = timezone.localdate()
    Response.objects.bulk_create([
        Response(survey=survey, region=region, sex=sex if i % 2 else "female", age_band=band, answers={},
                 regular=(i < regular) if score is None else None,
                 score=None if score is None else Decimal(score[i % len(score)]), submitted_on=today)
        for i in range(n)])


@pytest.fixture
def finished(world):
    """100 answers from each county: 60 regular exercisers in 东昌府区, 20 in 茌平区; then closed."""
    survey = make_survey(world)
    _answers(survey, world.community, 100, 60)
    _answers(survey, world.other_community, 100, 20)
    services.set_status(survey, "closed", actor=world.users["superuser"])
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate())
    survey.refresh_from_db()
    return survey


def test_answers_are_weighted_by_county_population(world, finished):
    data = results.load(finished)
    big, small = world.county.population, world.other_county.population
    total = big + small
    w_big, w_small = (big / total) / 0.5, (small / total) / 0.5
    assert sorted(set(data.weights.round(6))) == sorted({round(w_big, 6), round(w_small, 6)})
    assert data.weights.sum() == pytest.approx(200)
    share = (60 * w_big + 20 * w_small) / 200
    n_eff = 200 ** 2 / (100 * w_big ** 2 + 100 * w_small ** 2)
    moe = 1.959964 * math.sqrt(share * (1 - share) / n_eff) * 100
    city = data.estimate()
    assert city.value == round(share * 100, 1) == 48.5  # not the unweighted 40 %
    assert city.moe == pytest.approx(moe, abs=0.05)
    assert city.n == 200 and city.n_eff == pytest.approx(n_eff, abs=0.05)
    assert city.low == pytest.approx(city.value - city.moe) and city.high == pytest.approx(city.value + city.moe)


def test_results_by_division_sex_and_age(world, finished):
    data = results.load(finished)
    rows = {r.code: r.estimate for r in results.by_division(data)}
    assert rows[world.city.code].value == 48.5
    assert rows[world.county.code].value == 60.0 and rows[world.other_county.code].value == 20.0
    # 60 % of 100 answers: ± 1.96 × √(0.6 × 0.4 ÷ 100) = 9.6 points.
    assert rows[world.county.code].moe == 9.6
    sexes = {r.code: r.estimate.n for r in results.by_sex(data)}
    assert sexes == {"male": 100, "female": 100}
    bands = {r.code: r.estimate for r in results.by_age_band(data)}
    assert bands["40_59"].n == 200 and bands["60_plus"].value is None  # no answers, no figure


def test_too_few_answers_give_no_figure(world):
    survey = make_survey(world)
    _answers(survey, world.community, results.MIN_ANSWERS - 1, 10)
    assert results.load(survey).estimate().value is None
    _answers(survey, world.community, 1, 1)
    assert results.load(survey).estimate().value is not None


def test_satisfaction_mean_with_its_margin(world):
    survey = make_survey(world, kind="satisfaction")
    _answers(survey, world.community, 40, 0, score=["75.00", "50.00"])
    found = results.load(survey).estimate()
    # Half 75, half 50: mean 62.5, s = 12.66 (n − 1), t(39) = 2.0227, ± 2.0227 × 12.66 ÷ √40 = 4.05.
    assert found.value == 62.5
    assert found.moe == pytest.approx(4.0, abs=0.1)


def test_indicators_read_the_latest_closed_survey(world, finished):
    today = timezone.localdate()
    found = indicators.compute("regular_exerciser_rate",
                               [world.city.code, world.county.code, world.township.code, world.other_township.code],
                               today)
    assert found == {world.city.code: Decimal("48.5"), world.county.code: Decimal("60.0"),
                     world.township.code: Decimal("60.0"), world.other_township.code: Decimal("20.0")}
    # Before the survey closed there was no figure; an open survey does not count.
    assert indicators.compute("regular_exerciser_rate", [world.city.code], finished.opens_on) \
        == {world.city.code: None}
    assert indicators.compute("satisfaction_score", [world.city.code], today) == {world.city.code: None}
    assert indicators.get("satisfaction_score").unit_label


def test_a_newer_county_survey_speaks_for_its_county(world, finished):
    newer = make_survey(world, region=world.county)
    _answers(newer, world.community, 50, 40)
    services.set_status(newer, "closed", actor=world.users["superuser"])
    Survey.objects.filter(pk=newer.pk).update(closes_on=timezone.localdate())
    found = indicators.compute("regular_exerciser_rate", [world.city.code, world.county.code],
                               timezone.localdate())
    assert found == {world.city.code: Decimal("48.5"), world.county.code: Decimal("80.0")}


def test_weekly_exercisers_are_read_from_the_frequency_answer(world):
    """Once a week or more, by the `frequency` answer: 80 of 100 in 东昌府区, 40 of 100 in 茌平区,
    weighted by county population for the city; unreadable answers count as not weekly."""
    survey = make_survey(world)
    key = str(survey.questions.get(key="frequency").pk)
    today = timezone.localdate()
    rows = [(world.community, "1" if i < 80 else "0") for i in range(100)]
    rows += [(world.other_community, "2" if i < 40 else ("x" if i == 99 else "0")) for i in range(100)]
    Response.objects.bulk_create([Response(survey=survey, region=region, sex="male", age_band="40_59",
                                           answers={key: times}, regular=False, submitted_on=today)
                                  for region, times in rows])
    services.set_status(survey, "closed", actor=world.users["superuser"])
    Survey.objects.filter(pk=survey.pk).update(closes_on=today)
    big, small = world.county.population, world.other_county.population
    city = round((80 * big / (big + small) / 0.5 + 40 * small / (big + small) / 0.5) / 200 * 100, 1)
    found = indicators.compute("weekly_exerciser_rate", [world.city.code, world.county.code,
                                                         world.other_county.code], today)
    assert found == {world.city.code: Decimal(str(city)), world.county.code: Decimal("80.0"),
                     world.other_county.code: Decimal("40.0")}
    assert indicators.compute("regular_exerciser_rate", [world.county.code], today) == {world.county.code: Decimal("0.0")}
