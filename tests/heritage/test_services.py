"""The registers' rules: a route's stops (a registered site or a named point), scope, a donor's
phone encrypted and masked, catalogue numbers unique per holder, and the item's log in order."""

import pytest
from django.core.exceptions import PermissionDenied

from quanmin.accounts.models import AuditEntry
from quanmin.heritage import services
from quanmin.heritage.errors import HeritageError
from quanmin.heritage.models import Item

from .conftest import item_data, route_data


def test_a_route_takes_registered_sites_and_named_points(world):
    route = services.save_route(world.users["county"], route_data(world))
    stops = list(route.stops.all())
    assert [(s.position, s.name, s.site_id) for s in stops] == [
        (1, "东关社区文体广场", world.site.pk), (2, "光岳楼", None), (3, "铁塔", None)]
    assert (stops[0].lon, stops[0].lat) == (world.site.lon, world.site.lat) and stops[1].lat == 36.4537
    # Changing it replaces its stops; a site is also given by its number.
    route = services.save_route(world.users["county"], route_data(world, stops=f"#{world.site.pk}\n铁塔, 115.985, 36.44"),
                                route)
    assert [s.name for s in route.stops.all()] == ["东关社区文体广场", "铁塔"]


@pytest.mark.parametrize(("stops", "code"), [
    ("光岳楼, 115.9886, 36.4537", "stops_count"),
    ("不存在的地方\n光岳楼, 115.9886, 36.4537", "stop_unknown"),
    ("光岳楼, 36.4537, 115.9886\n铁塔, 115.985, 36.44", "lon_invalid"),
    ("光岳楼, 115.9, 36.4, 1\n铁塔, 115.985, 36.44", "stops_invalid"),
    ("#999999\n铁塔, 115.985, 36.44", "site_unknown"),
])
def test_bad_stops_are_refused_and_nothing_is_written(world, stops, code):
    with pytest.raises(HeritageError) as exc:
        services.save_route(world.users["county"], route_data(world, stops=stops))
    assert exc.value.code == code
    assert not AuditEntry.objects.filter(action="heritage.route_save").exists()


def test_staff_write_only_in_their_divisions(world, holder):
    with pytest.raises(HeritageError) as exc:
        services.save_route(world.users["other_county"], route_data(world))
    assert exc.value.code == "region_out_of_scope"
    with pytest.raises(HeritageError) as exc:
        services.save_item(world.users["other_county"], item_data(holder))
    assert exc.value.code == "holder_unknown"
    with pytest.raises(PermissionDenied):
        services.save_base(world.users["supervisor"], {})


def test_a_donors_phone_is_encrypted_and_masked(world, holder, item):
    assert "13812345678" not in item.donor_phone_enc and item.donor_phone == "13812345678"
    assert item.donor_phone_masked == "138****5678"
    # The masked value sent back keeps the number; a new one replaces it; a bad one is refused.
    kept = services.save_item(world.users["county"], item_data(holder, donor_phone="138****5678"), item)
    assert kept.donor_phone == "13812345678"
    changed = services.save_item(world.users["county"], item_data(holder, donor_phone="0635-8241234"), item)
    assert Item.objects.get(pk=changed.pk).donor_phone == "0635-8241234"
    with pytest.raises(HeritageError) as exc:
        services.save_item(world.users["county"], item_data(holder, donor_phone="12345"), item)
    assert exc.value.code == "donor_phone_invalid"


def test_a_catalogue_number_is_unique_within_its_holder(world, holder, item):
    with pytest.raises(HeritageError) as exc:
        services.save_item(world.users["county"], item_data(holder, title="另一件"))
    assert (exc.value.code, exc.value.status) == ("catalogue_no_taken", 409)
    other = services.save_holder(world.users["county"], {"region": world.township.code, "name": "古楼体育名人堂",
                                                          "kind": "hall_of_fame"})
    assert services.save_item(world.users["county"], item_data(other)).catalogue_no == "LC-0001"
    with pytest.raises(HeritageError) as exc:
        services.save_item(world.users["county"], item_data(holder, catalogue_no="LC-2", donor=""))
    assert exc.value.code == "donor_required"


def test_the_log_lends_returns_and_checks_in_order(world, item):
    user = world.users["county"]
    services.add_log(user, item, {"kind": "loan", "day": "2025-05-01", "borrower": "山东省体育博物馆",
                                  "due_back": "2025-08-01"})
    with pytest.raises(HeritageError) as exc:
        services.add_log(user, item, {"kind": "loan", "day": "2025-05-02", "borrower": "别处"})
    assert (exc.value.code, exc.value.status) == ("item_on_loan", 409)
    with pytest.raises(HeritageError) as exc:
        services.add_log(user, item, {"kind": "return", "day": "2025-04-01"})
    assert exc.value.code == "day_too_early"
    services.add_log(user, item, {"kind": "return", "day": "2025-08-01"})
    services.add_log(user, item, {"kind": "check", "day": "2025-08-02", "condition": "fair", "note": "绶带褪色"})
    item.refresh_from_db()
    assert (item.on_loan_to, item.condition) == ("", "fair")
    assert list(item.logs.values_list("kind", flat=True)) == ["loan", "return", "check"]
    with pytest.raises(HeritageError) as exc:
        services.add_log(user, item, {"kind": "return", "day": "2025-08-03"})
    assert exc.value.code == "item_not_on_loan"
