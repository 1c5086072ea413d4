"""The indicators count each division's subtree as of a date: routes launched, bases by level
named by that year and holding their title, items acquired."""

import datetime
from decimal import Decimal

from quanmin.core import indicators
from quanmin.heritage import services

from .conftest import item_data, route_data


def test_counts_per_division_as_of_a_date(world, holder, item):
    user = world.users["city"]
    services.save_route(user, route_data(world))
    services.save_route(user, route_data(world, name="铁塔—光岳楼古城定向", opened_on="2025-09-01"))
    services.save_route(user, route_data(world, name="停办线路", active=False))
    for name, level, year in (("东昌湖水上运动基地", "national", 2021), ("景阳冈户外运动基地", "provincial", 2024),
                              ("徒骇河骑行基地", "city", 2025)):
        services.save_base(user, {"region": world.county.code if level != "city" else world.other_county.code, "name": name,
                                  "unit": "管委会", "level": level, "year_awarded": year})
    services.save_item(user, item_data(holder, catalogue_no="LC-2", acquired_on="2025-10-01"))
    codes = [world.city.code, world.county.code, world.other_county.code]
    found = indicators.compute_many(["tourism_routes", "tourism_bases_national", "tourism_bases_provincial",
                                     "tourism_bases_city", "heritage_items"], codes, datetime.date(2024, 12, 31))
    d = Decimal
    assert found["tourism_routes"] == {world.city.code: d(1), world.county.code: d(1), world.other_county.code: d(0)}
    assert found["tourism_bases_national"][world.city.code] == d(1)
    assert found["tourism_bases_provincial"][world.county.code] == d(1)
    assert found["tourism_bases_city"][world.city.code] == d(0)
    assert found["heritage_items"] == {world.city.code: d(1), world.county.code: d(1), world.other_county.code: d(0)}
    later = indicators.compute_many(["tourism_routes", "tourism_bases_city", "heritage_items"], codes,
                                    datetime.date(2025, 12, 31))
    assert later["tourism_routes"][world.county.code] == d(2)
    assert later["tourism_bases_city"] == {world.city.code: d(1), world.county.code: d(0), world.other_county.code: d(1)}
    assert later["heritage_items"][world.city.code] == d(2)
