"""Instructors of the world: an active third-grade instructor in the county's community (who has the
resident's account), one in the neighbouring county, and a station at each county's site."""

import datetime

import pytest
from django.utils import timezone

from quanmin.demo.accounts import make_id_number
from quanmin.people import services, stations


def person(region, seq: int, name: str = "王芳", **extra) -> dict:
    return {"real_name": name, "id_number": make_id_number(region.code, "19750301", seq, False),
            "phone": f"1390000{seq:04d}", "region": region.code, "sports": ["taiji"], **extra}


def active(world, region, seq: int, *, by_role="county", user=None, **extra):
    """Apply, review and approve a third-grade instructor (thresholds lowered for the city first)."""
    services.set_rule(world.city, "third", {"min_services": 0}, by=world.users["city"])
    instructor = services.apply(person(region, seq, **extra), user=user, by=None if user else world.users[by_role])
    by = world.users[by_role]
    services.review(instructor, by=by)
    return services.approve(instructor, by=by, certificate_no=f"SD-{seq}")


@pytest.fixture
def people(world):
    w = world
    w.instructor = active(w, w.community, 301, user=w.users["resident"])
    w.other_instructor = active(w, w.other_community, 302, by_role="other_county", name="李强",
                                user=w.users["other_resident"])
    w.station = stations.save_station({"name": "东关太极站", "site": w.site.pk, "region": w.community.code,
                                       "sports": ["taiji"], "times": "每天 6:30-8:00",
                                       "instructors": [w.instructor.pk]}, by=w.users["county"])
    w.other_station = stations.save_station({"name": "新华健身站", "site": w.other_site.pk,
                                             "region": w.other_community.code, "sports": ["walking"],
                                             "instructors": [w.other_instructor.pk]}, by=w.users["other_county"])
    return w


def hours_ago(start: float, end: float):
    now = timezone.now()
    return now - datetime.timedelta(hours=start), now - datetime.timedelta(hours=end)
