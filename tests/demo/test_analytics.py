"""The demo step "the fitness circle" (quanmin/demo/analytics.py): the city's analysis is done at
load, so the 10- and 15-minute indicators have a believable figure; loading again reuses it. The
facilities register's new-ground figures count something in the demo city as well."""

import random

import pytest
from django.utils import timezone

from quanmin.analytics.models import CircleRun
from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import analytics as demo
from quanmin.demo import facilities as facilities_demo
from tests.conftest import small_city


@pytest.mark.django_db
def test_demo_city_has_its_fitness_circle():
    city = small_city(streets=2, villages=True)
    rng = random.Random(3715)
    accounts_demo.load(city, rng)
    facilities_demo.load(city, rng)
    demo.load(city, rng)
    demo.load(city, rng)
    assert CircleRun.objects.filter(status="done").count() == 1
    today = timezone.localdate()
    county = "371502000000"
    ten = indicators.compute("walk_10_minute_share", [city.code, county], today)
    fifteen = indicators.compute("walk_15_minute_share", [city.code, county], today)
    assert 0 < ten[city.code] <= fifteen[city.code] <= 100 and 0 < ten[county] <= 100
    # The register's other new figures have something to count in the demo city too.
    for key in ("smart_facilities", "new_basketball_courts", "new_badminton_courts", "new_multi_sport_courts",
                "new_ball_grounds", "new_fitness_venues"):
        assert indicators.compute(key, [city.code], today)[city.code] > 0, key


def test_demo_step_runs_before_the_plans_snapshots():
    from quanmin.demo.management.commands import load_demo

    labels = [label for label, _step in load_demo._steps()]
    assert labels.index("the fitness circle") < labels.index("plans, targets and task tables")
    assert dict(load_demo._steps())["the fitness circle"] is demo.load
