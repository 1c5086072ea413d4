"""The demo step "surveys" (quanmin/demo/surveys.py) on a small demo city."""

import random
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import surveys as demo
from quanmin.demo.management.commands import load_demo
from quanmin.surveys import results
from quanmin.surveys.models import Respondent, Response, Survey
from tests.conftest import small_city


@pytest.fixture
def demo_city(db):
    root = small_city(streets=2, villages=True)
    rng = random.Random(3715)
    accounts_demo.load(root, rng)
    demo.load(root, rng)
    return root


def test_a_finished_exercise_survey_and_an_open_satisfaction_survey(demo_city):
    done = Survey.objects.get(kind="regular_exercise")
    open_ = Survey.objects.get(kind="satisfaction", status="open")
    last = Survey.objects.get(kind="satisfaction", status="closed")
    assert done.status == "closed" and last.response_count == demo.LAST_SATISFACTION_ANSWERS
    assert last.closes_on.year == timezone.localdate().year - 1
    assert done.response_count == demo.EXERCISE_ANSWERS == Response.objects.filter(survey=done).count() \
        == Respondent.objects.filter(survey=done).count()
    assert Respondent.objects.filter(survey=done).values("person_hash").distinct().count() == demo.EXERCISE_ANSWERS
    assert open_.response_count == demo.SATISFACTION_ANSWERS
    assert all(q.filled <= q.target for q in done.quotas.all())
    assert sum(q.filled for q in done.quotas.all()) == demo.EXERCISE_ANSWERS


def test_the_figures_are_believable(demo_city):
    done = Survey.objects.get(kind="regular_exercise")
    data = results.load(done)
    city = data.estimate()
    assert 35 <= city.value <= 50 and city.moe < 3
    bands = {r.code: r.estimate.value for r in results.by_age_band(data)}
    assert bands["40_59"] < bands["60_plus"] and bands["20_39"] < bands["under_20"]
    found = indicators.compute("regular_exerciser_rate", [demo_city.code], timezone.localdate())[demo_city.code]
    assert found == Decimal(str(city.value))
    score = results.load(Survey.objects.get(kind="satisfaction", status="open")).estimate()
    assert 55 <= score.value <= 80
    # Last year's finished survey gives the satisfaction figure (T3-19, the evaluation's panel).
    found = indicators.compute("satisfaction_score", [demo_city.code], timezone.localdate())[demo_city.code]
    assert found is not None and 55 <= found <= 80


def test_demo_step_is_listed_and_the_pages_answer(demo_city):
    assert ("surveys", demo.load) in load_demo._steps()
    client = Client()
    client.force_login(accounts_demo.User.objects.get(is_superuser=True))
    done = Survey.objects.get(kind="regular_exercise")
    assert client.get(reverse("surveys:staff_results", args=[done.pk])).status_code == 200
    resident = Client()
    assert resident.get(reverse("surveys:open")).status_code == 200
    assert resident.get(reverse("surveys:answer", args=[Survey.objects.get(kind="satisfaction", status="open").pk])).status_code == 200
