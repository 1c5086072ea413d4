"""The demo step "instructors' associations" (quanmin/demo/instructor_associations.py) on the small city."""

import random
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from quanmin.accounts.models import Role, User
from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import facilities as facilities_demo
from quanmin.demo import instructor_associations as demo
from quanmin.demo import people as people_demo
from quanmin.organizations.models import InstructorMember, Organization
from tests.conftest import small_city


def test_the_city_and_all_counties_but_one_have_an_association_with_members(db):
    city = small_city(streets=2, villages=True)
    rng = random.Random(3715)
    accounts_demo.load(city, rng)
    facilities_demo.load(city, rng)
    people_demo.load(city, rng, instructors=300, stations=5)
    out = demo.load(city, rng)
    assert out["associations"] == 2 and out["without"] == ["茌平区"] and out["members"] > 50
    for org in Organization.objects.filter(instructor_association=True):
        assert org.member_count == InstructorMember.objects.filter(organization=org, status="active").count() > 10
        assert not InstructorMember.objects.filter(organization=org).exclude(
            instructor__region__code__startswith=org.region_id[:6 if org.region.level == "county" else 4]).exists()
    assert demo.load(city, rng)["associations"] == 0  # once only
    today = timezone.localdate()
    assert indicators.compute("instructor_association_coverage", [city.code], today)[city.code] == Decimal("66.7")
    # The city's staff see the county without one on the gap page.
    staff = User.objects.filter(memberships__role=Role.CITY_STAFF).first()
    client = Client()
    client.force_login(staff)
    page = client.get("/staff/organizations/instructor-associations/").content.decode()
    assert "茌平区" in page and "聊城市社会体育指导员协会" in page
