"""The sport–medicine and monitoring-network indicators against hand counts on the world's tree
(city 聊城市 → counties 东昌府区, 茌平区 → one township each → one community each)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from quanmin.core import indicators
from quanmin.physique import services, sportmed
from quanmin.physique.models import PrescriptionTemplate
from tests.physique.test_sportmed import make_practitioner, make_site, refer_resident

pytestmark = pytest.mark.django_db


def compute(key, w):
    codes = [w.city.code, w.county.code, w.other_county.code, w.township.code, w.community.code]
    levels = indicators.get(key).levels
    codes = [c for c, level in zip(codes, ["city", "county", "county", "township", "community"], strict=True)
             if level in levels]
    return indicators.compute(key, codes, timezone.localdate())


def test_sites_and_pilots_per_division(world):
    make_site(world, pilot="慢性病人群运动推广与处方库建设")
    make_site(world, name="社区运动健康促进站", pilot="慢性病人群运动推广与处方库建设")  # the same project
    make_site(world, other=True, name="体医康复中心", pilot="体医康复中心")
    inactive = make_site(world, name="停用站")
    sportmed.save_site({"name": "停用站", "kind": "hospital_centre", "active": False}, region=world.community,
                       by=world.users["county"], site=inactive)
    sites = compute("sport_medicine_sites", world)
    assert sites == {world.city.code: 3, world.county.code: 2, world.other_county.code: 1, world.township.code: 2,
                     world.community.code: 2}
    pilots = compute("sport_medicine_pilots", world)
    assert pilots == {world.city.code: 2, world.county.code: 1, world.other_county.code: 1}


def test_practitioners_per_10000(world):
    site = make_site(world)
    make_practitioner(world, site, seq=41)
    make_practitioner(world, site, seq=42)
    lapsed = make_practitioner(world, site, seq=43)
    sportmed.update_practitioner(lapsed, {"real_name": lapsed.real_name, "status": "lapsed", "site": site},
                                 region=lapsed.region, by=world.users["county"])
    values = compute("prescription_practitioners_per_10000", world)
    # 2 active: city 2 / 5,952,128 × 10,000 = 0.0034 → 0.00; county 2 / 1,229,768 → 0.02; township 2 / 90,000 → 0.22
    assert values == {world.city.code: Decimal("0.00"), world.county.code: Decimal("0.02"),
                      world.other_county.code: Decimal("0.00"), world.township.code: Decimal("0.22")}


def test_referrals_completed_in_the_year(world):
    sportmed.load_templates()
    site = make_site(world)
    practitioner = make_practitioner(world, site)
    template = PrescriptionTemplate.objects.get(key="who2020-hypertension")
    done, old, pending = refer_resident(world, site), refer_resident(world, site), refer_resident(world, site)
    for r in (done, old):
        sportmed.accept(r, by=world.users["county"])
        sportmed.prescribe(r, practitioner=practitioner, template=template, by=world.users["county"])
    type(old).objects.filter(pk=old.pk).update(completed_at=timezone.now() - datetime.timedelta(days=400))
    values = compute("sport_medicine_referrals_completed", world)
    assert values[world.city.code] == 1 and values[world.community.code] == 1 and values[world.other_county.code] == 0
    assert pending.status == "referred"


def test_network_tiers_and_coverage(world):
    # Divisions: city 1, counties 2, townships 2, communities 2 = 7.
    services.create_station(name="市体质监测中心", region=world.city)
    services.create_station(name="东昌府区体质监测站", region=world.county)
    services.create_station(name="古楼街道体质监测站", region=world.township)
    off = services.create_station(name="东关社区监测点", region=world.community)
    assert compute("monitoring_network_levels", world)[world.city.code] == 4  # all four tiers
    type(off).objects.filter(pk=off.pk).update(active=False)
    levels = compute("monitoring_network_levels", world)
    assert levels == {world.city.code: 3, world.county.code: 2, world.other_county.code: 0, world.township.code: 1}
    coverage = compute("monitoring_network_coverage", world)
    # city: covered city, 东昌府区, 古楼街道 = 3 of 7; 东昌府区: itself and its township = 2 of 3.
    assert coverage[world.city.code] == Decimal("42.9") and coverage[world.county.code] == Decimal("66.7")
    assert coverage[world.other_county.code] == Decimal("0.0") and coverage[world.community.code] == Decimal("0.0")
