"""The demo step "county titles" (quanmin/demo/planning_titles.py): one county holds the
全民健身运动模范县 title, the neighbour was returned once and waits again."""

import random

import pytest
from django.utils import timezone

from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import planning_titles as demo
from quanmin.demo.management.commands import load_demo
from quanmin.planning.models import TitleApplication
from tests.conftest import small_city


@pytest.mark.django_db
def test_demo_city_has_a_model_county_and_one_waiting():
    city = small_city(streets=2, villages=True)
    accounts_demo.load(city, random.Random(3715))
    demo.load(city, random.Random(3715))
    demo.load(city, random.Random(3715))  # load_demo may run again over the same database
    statuses = sorted(TitleApplication.objects.values_list("status", flat=True))
    assert statuses == ["awarded", "returned", "submitted"]
    awarded = TitleApplication.objects.get(status="awarded")
    assert awarded.total >= 80 and awarded.awarded_on <= timezone.localdate()
    waiting = TitleApplication.objects.get(status="submitted")
    assert waiting.criteria.filter(score__isnull=True).exists() and waiting.criteria.filter(score__isnull=False).exists()
    found = indicators.compute("fitness_model_counties", [city.code], timezone.localdate())
    assert found == {city.code: 1}


def test_the_step_runs_after_the_evaluations():
    labels = [label for label, _step in load_demo._steps()]
    assert labels.index("county titles") > labels.index("plan evaluations")
