"""The demo step "brand register" (quanmin/demo/brands.py) on the small city: brands for most
townships, villages and associations, a few without (the gap page lists them), this year's brand
events linked to their series."""

import random

from django.test import Client
from django.utils import timezone

from quanmin.accounts.models import Role, User
from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import brands as demo
from quanmin.events.models import Brand, Games
from quanmin.organizations.models import Organization
from quanmin.regions.models import Region
from tests.conftest import small_city


def test_most_units_hold_a_brand_and_the_rest_are_listed(db):
    city = small_city(streets=2, villages=True)
    accounts_demo.load(city, random.Random(3715))
    year = timezone.localdate().year
    marathon = Games.objects.create(name=f"{year}聊城环东昌湖国际马拉松", level="city", region=city, year=year,
                                    organizer="聊城市体育局", kind="event", status="published", brand=True)
    townships = list(Region.objects.filter(level="township").order_by("code"))
    for t in townships:
        Games.objects.create(name=f"{t.name}拔河比赛", level="township", region=t, year=year, organizer="街道",
                             kind="event", status="published")
    for county in Region.objects.filter(level="county").order_by("code"):
        for sport in ("篮球", "门球", "太极拳"):
            Organization.objects.create(name=f"{county.name}{sport}协会", kind="association", status="registered",
                                        region=county)
    out = demo.load(city, random.Random(3715))
    assert out["brands"] > 20 and demo.load(city, random.Random(3715)) == {"brands": 0}  # once only
    marathon.refresh_from_db()
    assert marathon.brand_series.name == "聊城环东昌湖国际马拉松" and marathon.brand_series.region == city
    assert Brand.objects.filter(region__level="county", organization__isnull=True).count() >= 1  # 一县多品
    held = Brand.objects.filter(region__level="township", organization__isnull=True)
    assert 0 < held.count() < len(townships)
    # each township brand has this year's edition linked
    assert Games.objects.filter(brand_series__in=held, year=year).count() == held.count()
    assert Brand.objects.filter(organization__isnull=False).count() == 5  # 5 of the 6 associations
    today = timezone.localdate()
    found = {key: indicators.compute(key, [city.code], today)[city.code]
             for key in ("townships_with_brand", "communities_with_brand", "associations_with_brand")}
    assert all(0 < v < 100 for v in found.values()), found
    staff = User.objects.filter(memberships__role=Role.CITY_STAFF).first()
    client = Client()
    client.force_login(staff)
    page = client.get("/staff/events/brands/missing/").content.decode()
    without = next(t for t in townships if not held.filter(region=t).exists())
    assert without.name in page
