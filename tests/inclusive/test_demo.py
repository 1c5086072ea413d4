"""The demo step "special populations" (quanmin/demo/inclusive.py) on a small demo city, after the
facilities demo that makes the community squares."""

import random
from decimal import Decimal

import pytest
from django.utils import timezone

from quanmin.accounts.models import AuditEntry
from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import facilities as facilities_demo
from quanmin.demo import inclusive as demo
from quanmin.inclusive import selectors
from quanmin.inclusive.models import Activity, Fitting, Institution
from tests.conftest import small_city


@pytest.fixture
def demo_city(db):
    root = small_city(streets=1, villages=True)
    rng = random.Random(3715)
    accounts_demo.load(root, rng)
    facilities_demo.load(root, rng)
    demo.load(root, rng)
    return root


def test_every_county_registers_each_kind_and_fits_some(demo_city):
    for county in demo_city.children.filter(level="county"):
        kinds = set(Institution.objects.filter(region__code__within=county.prefix).values_list("kind", flat=True))
        assert {"elderly_care", "elderly_centre", "rehab_centre", "ethnic_village"} <= kinds
        assert Activity.objects.filter(region__code__within=county.prefix, group="elderly").count() >= 8
    linked = Fitting.objects.exclude(facility=None)
    assert linked.exists() and all(f.facility.site_id == f.institution.site_id == f.site_id for f in linked)
    assert AuditEntry.objects.filter(action="inclusive.fitting_save").count() == Fitting.objects.count()
    assert max(Activity.objects.values_list("held_on", flat=True)) <= timezone.localdate()


def test_indicators_give_sensible_values_and_residents_find_places(demo_city):
    wanted = [demo_city.code]
    found = indicators.compute_many(("elderly_care_equipped_share", "rehab_centres_equipped_share",
                                     "ethnic_villages_equipped_share", "elderly_activities"), wanted,
                                    timezone.localdate())
    assert Decimal(20) <= found["elderly_care_equipped_share"][demo_city.code] < Decimal(100)
    assert found["rehab_centres_equipped_share"][demo_city.code] is not None
    assert found["elderly_activities"][demo_city.code] >= 8
    assert selectors.suitable_sites("elderly").exists()


def test_deterministic_and_loads_once(demo_city):
    count = Institution.objects.count()
    demo.load(demo_city, random.Random(8))
    assert Institution.objects.count() == count


def test_load_demo_runs_it_after_the_facilities_and_before_the_plans():
    from quanmin.demo.management.commands import load_demo
    labels = [label for label, _step in load_demo._steps()]
    assert labels.index("facilities register") < labels.index("special populations") \
        < labels.index("plans, targets and task tables")
    assert dict(load_demo._steps())["special populations"] is demo.load
