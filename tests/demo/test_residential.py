"""The demo step "new residential areas" (quanmin/demo/residential.py) on a small demo city."""

import random

import pytest
from django.utils import timezone

from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import residential as demo
from quanmin.demo.management.commands import load_demo
from quanmin.residential.models import ResidentialProject, Status
from tests.conftest import small_city


@pytest.fixture
def demo_city(db):
    root = small_city(streets=4, villages=True)
    rng = random.Random(3715)
    accounts_demo.load(root, rng)
    demo.load(root, rng)
    return root


def test_projects_in_every_stage_most_meeting_the_norm(demo_city):
    projects = list(ResidentialProject.objects.all())
    assert len(projects) >= 6
    for p in projects:
        assert p.compliant == p.norm_check.compliant
        assert p.status == Status.PLANNING or p.approved_on is not None
        assert p.status != Status.ACCEPTED or p.compliant or p.shortfall_reason
    share = indicators.compute("residential_norm_share", [demo_city.code], timezone.localdate())[demo_city.code]
    assert share is not None and 40 <= share <= 100
    demo.load(demo_city, random.Random(1))  # a second run adds nothing
    assert ResidentialProject.objects.count() == len(projects)


def test_the_step_runs_before_the_plans():
    labels = [label for label, _step in load_demo._steps()]
    assert labels.index("new residential areas") < labels.index("plans, targets and task tables")
