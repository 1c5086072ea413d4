import pytest

from quanmin.facilities import services as fs
from quanmin.inclusive import services


def make_site(region, name, lon=115.98, lat=36.45):
    site = fs.create_site({"name": name, "lon": lon, "lat": lat, "region": region})
    facility = fs.add_facility(site, {"type": "fitness_path", "area_m2": "200"})
    return site, facility


@pytest.fixture
def care_home(world):
    """An elderly-care institution of the county's community with its own site and fitness path."""
    site, facility = make_site(world.community, "东关社区日间照料中心")
    found = services.save_institution(world.users["county"], {
        "region": world.community.code, "name": "东关社区日间照料中心", "kind": "elderly_care", "site": site.pk})
    found.test_facility = facility
    return found


@pytest.fixture
def other_village(world):
    return services.save_institution(world.users["other_county"], {
        "region": world.other_township.code, "name": "振兴回族村", "kind": "ethnic_village", "ethnic_group": "回族"})
