"""The demo step "social sports instructors" (quanmin/demo/people.py) on the small test city."""

import random

from django.utils import timezone

from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import facilities as facilities_demo
from quanmin.demo import organizations as organizations_demo
from quanmin.demo import people as demo
from quanmin.organizations.models import Organization
from quanmin.people import volunteering
from quanmin.people.models import DutyLog, Instructor, Station, VolunteerBrand
from quanmin.regions.models import Region
from tests.conftest import small_city


def test_demo_loads_a_believable_register(db):
    city = small_city(streets=2, villages=True)
    rng = random.Random(3715)
    accounts_demo.load(city, rng)
    facilities_demo.load(city, rng)
    out = demo.load(city, rng, instructors=1500, stations=20)
    assert 1300 < out["instructors"] < 1700 and out["stations"] > 5
    assert Instructor.objects.filter(status="active").count() > 0.8 * out["instructors"]
    stations = Station.objects.exclude(unit=None)
    assert stations.count() == out["stations"] and stations.first().unit.slots.exists()
    assert DutyLog.objects.filter(status="confirmed").count() > 1000
    codes = list(Region.objects.values_list("code", flat=True))
    values = indicators.compute_many(["guidance_rate", "community_instructor_share", "instructors_per_10000",
                                      "community_instructor_assigned_share", "community_stable_instructor_share"],
                                     codes, timezone.localdate())
    assert 40 < values["guidance_rate"][city.code] < 95
    assert values["community_instructor_share"][city.code] < 100  # a few communities have none
    assigned, stable = values["community_instructor_assigned_share"][city.code], values[
        "community_stable_instructor_share"][city.code]
    assert 55 < assigned < 100 and 25 < stable < assigned  # posts in most communities, most held over a year
    per = {c.code: values["instructors_per_10000"][c.code] for c in Region.objects.filter(level="county")}
    assert all(v is not None for v in per.values())
    assert {phone for phone, _what in demo.describe()} == {demo.STATION_STAFF_PHONE, demo.INSTRUCTOR_PHONE}
    # Volunteer service (B07): the alliance's past activities served, upcoming ones open to sign up, and
    # the demo instructor with hours on the phone page and a place in an upcoming activity.
    assert out["volunteer_services"] > 20 and VolunteerBrand.objects.filter(name="“运动家”志愿服务联盟").exists()
    assert volunteering.open_activities().count() >= 3
    mine = Instructor.objects.filter(user__isnull=False).get()
    assert mine.volunteer_signups.filter(activity__starts_at__gt=timezone.now()).exists()
    # One register of stations (B08): most fitness points are filed as organisations too, linked, counted once.
    organizations_demo.load(city, rng, community_groups=50)
    linked = Station.objects.exclude(organization=None).count()
    points = Organization.objects.filter(kind="fitness_point", active=True, review="approved").count()
    assert 0 < linked < Station.objects.filter(kind="point").count() + 1
    found = indicators.compute("fitness_stations", [city.code], timezone.localdate())[city.code]
    assert found == Station.objects.filter(active=True).count() + points - linked

