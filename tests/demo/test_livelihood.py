"""The demo step "livelihood projects and core indicators" (quanmin/demo/livelihood.py): the city's
plan has its core indicators of economic and social development marked."""

import random

import pytest

from quanmin.demo import livelihood as demo
from quanmin.planning.models import Plan


@pytest.fixture
def plan(planned_city):
    demo.load(planned_city, random.Random(3715))
    demo.load(planned_city, random.Random(3715))  # load_demo may run again over the same database
    return Plan.objects.get(division_code=planned_city.code)


def test_demo_marks_core_indicators(plan):
    assert sorted(plan.targets.filter(core_indicator=True).values_list("key", flat=True)) == ["T0-03", "T0-04", "T0-11"]
