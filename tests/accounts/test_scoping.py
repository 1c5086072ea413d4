"""accounts.scoping on its own: who counts as what, which division prefixes and bound objects a user
has, and which rows each one's filter lets through. Pages and APIs test scoping through their views;
here each helper is asked directly, against the shared world (tests/conftest.py: a city, two counties,
their townships and communities, one site in each county), so that a rule changed in the helper is
caught by the helper's own test. The expected answers are written out from the world's codes."""

import pytest
from django.http import Http404

from quanmin.accounts import scoping, services
from quanmin.accounts.models import Role
from quanmin.facilities.models import Site
from quanmin.maintenance.models import MaintenanceUnit
from quanmin.regions.models import Region

from ..conftest import make_user


@pytest.fixture
def people(world):
    """Besides the world's roles: an operator of the other county's site, an org staff member of a
    maintenance unit in the other county, an evaluator, and a city admin who is also a county admin."""
    u = world.users
    u["operator"] = make_user("13700000020", "场馆运营", seq=20)
    services.grant_membership(u["operator"], Role.OPERATOR, world.other_community, target=world.other_site)
    world.unit_other = MaintenanceUnit.objects.create(name="茌平维修队", region=world.other_county)
    world.unit_mine = MaintenanceUnit.objects.create(name="东昌府维修队", region=world.county)
    u["org_staff"] = make_user("13700000021", "维修队员", seq=21)
    services.grant_membership(u["org_staff"], Role.ORG_STAFF, world.other_county, target=world.unit_other)
    u["evaluator"] = make_user("13700000022", "评估", Role.EVALUATOR, world.county, seq=22)
    u["city_and_county"] = make_user("13700000023", "市县兼任", Role.CITY_STAFF, world.city, seq=23)
    services.grant_membership(u["city_and_county"], Role.COUNTY_STAFF, world.county)
    u["inactive_superuser"] = make_user("13700000024", "停用的超级管理员", is_superuser=True, is_staff=True, seq=24)
    u["inactive_superuser"].is_active = False
    u["inactive_superuser"].save(update_fields=["is_active"])
    return u


def test_an_anonymous_user_has_no_memberships(world):
    from django.contrib.auth.models import AnonymousUser

    assert scoping.memberships(AnonymousUser()) == []
    assert scoping.memberships(None) == []  # a background task acts for nobody
    assert scoping.roles(AnonymousUser()) == set()
    assert scoping.division_prefixes(AnonymousUser()) == []


def test_memberships_are_read_once_per_user_object(world, django_assert_num_queries):
    county = world.users["county"]
    with django_assert_num_queries(1):
        first = scoping.memberships(county)
    with django_assert_num_queries(0):
        again = scoping.memberships(county)
        # The region and the bound object's type came with them.
        assert [(m.role, m.region.code, m.target_type) for m in again] == [(Role.COUNTY_STAFF, "371502000000", None)]
    assert again is first
    assert scoping.roles(county) == {Role.COUNTY_STAFF}
    assert scoping.memberships(world.users["resident"]) == []


def test_only_an_active_superuser_is_one(people):
    assert scoping.is_superuser(people["superuser"]) is True
    assert scoping.is_superuser(people["inactive_superuser"]) is False
    assert scoping.is_superuser(people["city"]) is False
    assert scoping.is_superuser(None) is False


@pytest.mark.parametrize("name, read, write", [
    ("superuser", True, True),
    ("city", True, True),
    ("county", True, True),
    ("community", True, True),
    ("supervisor", True, False),  # supervisors and evaluators read, never write
    ("evaluator", True, False),
    ("operator", False, False),  # a site's operator is not division staff
    ("org_staff", False, False),
    ("resident", False, False),
])
def test_division_staff_read_and_write(people, name, read, write):
    assert scoping.is_division_staff(people[name]) is read
    assert scoping.is_division_staff(people[name], write=True) is write


@pytest.mark.parametrize("name, city, backoffice", [
    ("superuser", True, True),
    ("city", True, True),
    ("city_and_county", True, True),
    ("county", False, True),
    ("supervisor", False, True),
    ("operator", False, True),
    ("org_staff", False, True),
    ("resident", False, False),
])
def test_city_staff_and_backoffice(people, name, city, backoffice):
    assert scoping.is_city_staff(people[name]) is city
    assert scoping.is_backoffice(people[name]) is backoffice


@pytest.mark.parametrize("name, read, write", [
    ("city", ["3715"], ["3715"]),
    ("county", ["371502"], ["371502"]),
    ("township", ["371502001"], ["371502001"]),
    ("community", ["371502001001"], ["371502001001"]),
    ("supervisor", ["3715"], []),
    ("evaluator", ["371502"], []),
    ("city_and_county", ["3715"], ["3715"]),  # the county lies inside the city: only the city is kept
    ("operator", [], []),
    ("resident", [], []),
])
def test_division_prefixes(people, name, read, write):
    assert scoping.division_prefixes(people[name]) == read
    assert scoping.division_prefixes(people[name], write=True) == write


def test_targets_are_the_bound_objects_of_the_roles_asked(world, people):
    operator, org_staff = people["operator"], people["org_staff"]
    assert scoping.targets(operator, scoping.SITE_ROLES) == [world.other_site.pk]
    assert scoping.targets(operator, scoping.SITE_ROLES, "facilities.Site") == [world.other_site.pk]
    assert scoping.targets(operator, scoping.SITE_ROLES, "people.Station") == []
    assert scoping.targets(operator, scoping.ORG_ROLES) == []
    assert scoping.targets(org_staff, scoping.ORG_ROLES, "maintenance.MaintenanceUnit") == [world.unit_other.pk]
    # A division role is bound to no object: it is never a target, whatever roles are asked.
    assert scoping.targets(people["county"], {Role.COUNTY_STAFF}) == []


def site_names(user, write=False) -> set[str]:
    # Reading is the default: asked without `write` when reading.
    sites = scoping.scoped(user, Site.objects.all(), write=True) if write else scoping.scoped(user, Site.objects.all())
    return set(sites.values_list("name", flat=True))


def test_scoped_sites(world, people):
    mine, other = {world.site.name}, {world.other_site.name}
    assert site_names(people["superuser"]) == mine | other
    assert scoping.scope_q(people["superuser"], Site) is None
    assert set(Site.objects.filter(scoping.scope_q(people["supervisor"], Site))) == {world.site, world.other_site}
    assert site_names(people["city"]) == mine | other
    assert site_names(people["county"]) == mine
    assert site_names(people["other_county"]) == other
    assert site_names(people["township"]) == mine
    assert site_names(people["supervisor"]) == mine | other
    assert site_names(people["supervisor"], write=True) == set()
    assert site_names(people["evaluator"]) == mine
    assert site_names(people["evaluator"], write=True) == set()
    # A site's operator sees their own site only, by its id (not by division).
    assert site_names(people["operator"]) == other
    assert site_names(people["operator"], write=True) == other
    assert site_names(people["resident"]) == set()
    assert site_names(people["org_staff"]) == set()


def test_scoped_is_any_of_the_user_roles(world, people):
    """A county admin of one county who also operates the other county's site sees both."""
    services.grant_membership(people["county"], Role.OPERATOR, world.other_community, target=world.other_site)
    county = type(people["county"]).objects.get(pk=people["county"].pk)  # memberships are read again
    assert site_names(county) == {world.site.name, world.other_site.name}


def test_scoped_organisations(world, people):
    units = MaintenanceUnit.objects.all()
    assert set(scoping.scoped(people["org_staff"], units)) == {world.unit_other}
    assert set(scoping.scoped(people["county"], units)) == {world.unit_mine}
    assert set(scoping.scoped(people["operator"], units)) == set()
    assert set(scoping.scoped(people["city"], units)) == {world.unit_mine, world.unit_other}


def test_regions_are_scoped_by_their_own_code(world, people):
    codes = set(scoping.scoped(people["township"], Region.objects.all()).values_list("code", flat=True))
    assert codes == {"371502001000", "371502001001"}


def test_get_scoped_or_404(world, people):
    county = people["county"]
    sites = Site.objects.all()
    assert scoping.get_scoped_or_404(county, sites, pk=world.site.pk) == world.site
    for lookup in ({"pk": world.other_site.pk}, {"pk": 10**9}, {"pk": "abc"}, {"pk": ["x"]}):
        with pytest.raises(Http404):
            scoping.get_scoped_or_404(county, sites, **lookup)
    # Read is not write: a supervisor reads the site and may not change it.
    assert scoping.get_scoped_or_404(people["supervisor"], sites, pk=world.site.pk) == world.site
    with pytest.raises(Http404):
        scoping.get_scoped_or_404(people["supervisor"], sites, write=True, pk=world.site.pk)


@pytest.mark.parametrize("name, code, read, write", [
    ("superuser", "371503001001", True, True),
    ("county", "371502001001", True, True),
    ("county", "371502000000", True, True),
    ("county", "371503001001", False, False),
    ("county", "371500000000", False, False),  # the city is above a county admin
    ("supervisor", "371503001001", True, False),
    ("evaluator", "371502001001", True, False),
    ("operator", "371503001001", False, False),
    ("resident", "371502001001", False, False),
])
def test_can_read_and_write_region(people, name, code, read, write):
    assert scoping.can_read_region(people[name], code) is read
    assert scoping.can_write_region(people[name], code) is write


def test_top_regions(world, people):
    def top(name, write=False):
        found = scoping.top_regions(people[name], write=True) if write else scoping.top_regions(people[name])
        return sorted(found.values_list("code", flat=True))

    assert top("superuser") == ["371500000000"]
    assert top("city_and_county") == ["371500000000"]
    assert top("county") == ["371502000000"]
    assert top("community") == ["371502001001"]
    assert top("supervisor") == ["371500000000"]
    assert top("supervisor", write=True) == []
    assert top("evaluator", write=True) == []
    assert top("resident") == []


def _twins(world, region, county):
    """A site and a maintenance unit with the same id."""
    site = Site.objects.create(pk=90001, name="同号场馆", region=region, lon=world.site.lon, lat=world.site.lat)
    unit = MaintenanceUnit.objects.create(pk=90001, name="同号维修队", region=county)
    return site, unit


def test_a_site_role_bound_to_another_kind_of_object_opens_no_site(world, people):
    """A site role's binding names an object by type and id: an inspector bound to a maintenance unit
    whose id equals a site's id must not see that site (nor change it)."""
    site, unit = _twins(world, world.site.region, world.county)
    inspector = make_user("13700000030", "绑错对象的巡检员", seq=30)
    services.grant_membership(inspector, Role.INSPECTOR, world.county, target=unit)
    assert scoping.targets(inspector, scoping.SITE_ROLES) == [site.pk]  # the id alone would match
    assert site.name not in site_names(inspector)
    assert site.name not in site_names(inspector, write=True)


def test_an_org_role_bound_to_another_kind_of_object_opens_no_unit(world, people):
    """Likewise an org_staff role bound to a site: the maintenance unit with the site's id stays closed."""
    site, unit = _twins(world, world.other_site.region, world.other_county)
    staff = make_user("13700000031", "绑错对象的队员", seq=31)
    services.grant_membership(staff, Role.ORG_STAFF, world.other_county, target=site)
    assert set(scoping.scoped(staff, MaintenanceUnit.objects.all())) == set()
    assert set(scoping.scoped(people["org_staff"], MaintenanceUnit.objects.all())) == {world.unit_other}
