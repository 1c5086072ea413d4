"""The demo step "livelihood projects and core indicators" (quanmin/demo/livelihood.py): the city's
plan has its core indicators of economic and social development marked, and livelihood projects
assessed every year."""

import random

import pytest

from quanmin.demo import livelihood as demo
from quanmin.planning import selectors_livelihood
from quanmin.planning.models import LivelihoodAssessment, Plan


@pytest.fixture
def plan(planned_city):
    demo.load(planned_city, random.Random(3715))
    demo.load(planned_city, random.Random(3715))  # load_demo may run again over the same database
    return Plan.objects.get(division_code=planned_city.code)


def test_demo_marks_core_indicators(plan):
    assert sorted(plan.targets.filter(core_indicator=True).values_list("key", flat=True)) == ["T0-03", "T0-04", "T0-11"]


def test_demo_assesses_livelihood_projects(plan):
    assert sorted(plan.tasks.filter(livelihood=True).values_list("number", flat=True)) == ["(一)2", "(二)1", "(四)1"]
    assert LivelihoodAssessment.objects.filter(task__plan=plan).count() == 8
    counts = selectors_livelihood.board(plan, 2023)["counts"]
    assert (counts["marked"], counts["assessed"], counts["excellent"], counts["good"]) == (3, 3, 1, 2)
    assert [r.task.number for r in selectors_livelihood.board(plan, 2021, "none")["rows"]] == ["(四)1"]
