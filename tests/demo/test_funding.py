"""The demo step "funding" (quanmin/demo/funding.py) on a small demo city."""

import random
from decimal import Decimal

import pytest
from django.utils import timezone

from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import funding as demo
from quanmin.funding import figures
from quanmin.funding.models import LotteryFund, Project
from tests.conftest import small_city


@pytest.fixture
def demo_city(db):
    root = small_city(streets=2, villages=True)
    rng = random.Random(3715)
    accounts_demo.load(root, rng)
    demo.load(root, rng)
    return root


def test_three_years_of_funds_and_projects(demo_city):
    year = timezone.localdate().year
    assert set(LotteryFund.objects.values_list("year", flat=True)) == {year - 2, year - 1, year}
    assert LotteryFund.objects.count() == 3 * 3  # the city and its two districts, three years
    assert Project.objects.filter(year=year).count() >= 2 * 3
    for project in Project.objects.prefetch_related("amounts"):
        sources = [a for a in project.amounts.all() if a.kind == "source"]
        lines = [a for a in project.amounts.all() if a.kind == "line"]
        assert sum(a.planned for a in sources) == sum(a.planned for a in lines)
        assert all(a.planned >= 0 and a.actual >= 0 for a in project.amounts.all())


def test_the_shares_rise_as_the_plan_asks(demo_city):
    year = timezone.localdate().year
    share = [indicators.compute("lottery_fund_fitness_share", [demo_city.code], timezone.datetime(y, 12, 31).date())
             [demo_city.code] for y in (year - 2, year - 1, year)]
    assert share[0] < share[1] < share[2] <= Decimal(100)
    rows = figures.rollup(demo_city, year - 1)
    assert rows[0].actual == sum(r.actual for r in rows[1:])
    assert Decimal(3) < rows[0].social_share < Decimal(25)
