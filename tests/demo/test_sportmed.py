"""The demo step "sport–medicine sites and referrals" (quanmin/demo/sportmed.py)."""

import random

from quanmin.demo import sportmed as demo
from quanmin.physique.models import HealthSite, Practitioner, Referral
from tests.conftest import make_user


def test_demo_sportmed_loads_sites_practitioners_and_referrals(world):
    resident = make_user("13900000001", "赵丽", home=world.community, birth="19850312", seq=21)
    for i in range(25):
        make_user(f"139{10000000 + i:08d}", f"居民{i}", home=world.other_community if i % 2 else world.community,
                  birth="19700101", seq=100 + i)
    out = demo.load(world.city, random.Random(3715))
    assert out["templates"] == 3 and out["referrals"] == 20
    # Two counties in the test world: a monitoring station, a hospital centre and a township station each,
    # and the 高新区 pilot in 东昌府区.
    assert out["sites"] == 7 == HealthSite.objects.count()
    assert set(HealthSite.objects.exclude(pilot="").values_list("pilot", flat=True)) == {
        "慢性病人群运动推广与处方库建设", "健身气功与康养结合"}
    assert all(1 <= s.practitioners.count() <= 3 for s in HealthSite.objects.all())
    assert out["practitioners"] == Practitioner.objects.count()
    states = set(Referral.objects.values_list("status", flat=True))
    assert states == {"referred", "accepted", "prescribed", "declined"}
    mine = Referral.objects.get(user=resident)
    assert mine.status == "prescribed" and mine.prescription["source"] and mine.prescription["parts"]
