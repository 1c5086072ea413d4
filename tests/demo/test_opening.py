"""The demo step "venue-opening evaluation" (quanmin/demo/opening.py) on a small demo city with the
accounts and facilities demos, as load_demo runs them."""

import random

import pytest
from django.utils import timezone

from quanmin.demo import accounts as accounts_demo
from quanmin.demo import facilities as facilities_demo
from quanmin.demo import opening as demo
from quanmin.demo.management.commands import load_demo
from quanmin.opening.models import OpeningEvaluation, OpeningRectification, OpeningRound
from tests.conftest import small_city


@pytest.fixture
def demo_city(db):
    root = small_city(streets=2, villages=True)
    rng = random.Random(3715)
    accounts_demo.load(root, rng)
    facilities_demo.load(root, rng)
    demo.load(root, rng)
    return root


def test_last_years_round_finished_and_this_years_in_progress(demo_city):
    year = timezone.localdate().year
    last, current = OpeningRound.objects.get(year=year - 1), OpeningRound.objects.get(year=year)
    assert last.status == "closed" and current.status == "open"
    assert not last.evaluations.filter(status="pending").exists()
    done = current.evaluations.filter(status="done").count()
    assert 0 < done < current.evaluations.count()
    assert OpeningEvaluation.objects.exclude(result="").values("result").distinct().count() >= 2
    assert OpeningRectification.objects.filter(status="closed").exists()
    assert OpeningRectification.objects.filter(evaluation__round=last, status="open").exists()
    demo.load(demo_city, random.Random(1))  # again: nothing more
    assert OpeningRound.objects.count() == 2


def test_the_step_is_in_load_demo():
    assert ("venue-opening evaluation", demo.load) in load_demo._steps()
