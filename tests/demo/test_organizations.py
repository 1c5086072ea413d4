"""The demo step "sports organisations" (quanmin/demo/organizations.py) on a small demo city."""

import datetime
import random

import pytest
from django.test import Client
from django.urls import reverse

from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import facilities as facilities_demo
from quanmin.demo import organizations as demo
from quanmin.demo.management.commands import load_demo
from quanmin.organizations import credit
from quanmin.organizations.models import GroupMembership, Organization
from tests.conftest import small_city


@pytest.fixture
def demo_city(db):
    root = small_city(streets=2, villages=True)
    rng = random.Random(3715)
    accounts_demo.load(root, rng)
    facilities_demo.load(root, rng)
    out = demo.load(root, rng, community_groups=200)
    return root, out


def test_demo_fills_the_register(demo_city):
    city, out = demo_city
    assert out["groups"] == 200 and out["gradings"] > 10 and out["members"] > 100
    assert Organization.objects.filter(kind="federation", region__level="township").count() == 8
    assert all(credit.problem(c) is None for c in Organization.objects.exclude(credit_code="")
               .values_list("credit_code", flat=True))
    for org in Organization.objects.filter(kind="community_group", member_count__gt=0)[:50]:
        assert org.member_count == GroupMembership.objects.filter(organization=org, status="active").count()
        assert org.member_cap is None or org.member_count <= org.member_cap
    today = datetime.date.today()
    one_plus = indicators.compute("one_plus_25_share", [city.code], today)[city.code]
    assert one_plus == 50  # one county of two is short of "1+25"
    assert indicators.compute("graded_4a_plus", [city.code], today)[city.code] >= 5
    assert 40 < indicators.compute("graded_3a_plus_share", [city.code], today)[city.code] < 90
    assert demo.load(city, random.Random(1))["organizations"] == 0  # a second load does nothing


def test_demo_org_staff_account_works(demo_city):
    city, out = demo_city
    assert dict(demo.describe())[demo.ORG_STAFF_PHONE].startswith("周敏")
    client = Client()
    client.force_login(out["org_staff"])
    group = Organization.objects.filter(kind="community_group").order_by("region_id", "pk").first()
    assert client.get(reverse("organizations:staff_org", args=[group.pk])).status_code == 200
    assert client.get(reverse("organizations:staff_org_edit", args=[group.pk])).status_code == 200


def test_demo_step_is_wired_into_load_demo():
    labels = [label for label, _step in load_demo._steps()]
    assert "sports organisations" in labels
