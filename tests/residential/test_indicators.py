"""The residential_norm_share indicator against a hand count, in one query for a whole tree; and
the Jiaxing plan's targets T1-09 / T1-10 bound to it."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from quanmin.core import indicators
from quanmin.residential import services

from .conftest import project_data


def test_share_per_division_against_a_hand_count(world):
    county, other = world.users["county"], world.users["other_county"]
    make = services.save_project
    # 东昌府区: 古楼街道 has A (meets, indoor), B (short), C (meets, outdoor; approved before the norm's
    # date: not new), D (being planned: not counted); the county itself has E (meets).
    make(county, project_data(world, name="A"))
    make(county, project_data(world, name="B", indoor_area="99.99", outdoor_area="0"))
    make(county, project_data(world, name="C", indoor_area="0", outdoor_area="300", approved_on="2020-12-31",
                              completed_on="2021-12-01"))
    make(county, project_data(world, name="D", status="planning", approved_on="", completed_on="", indoor_area="0"))
    make(county, project_data(world, name="E", region=world.county.code, status="approved", completed_on="",
                              approved_on="2026-03-01"))
    # 茌平区: F short.
    make(other, project_data(world, name="F", region=world.other_township.code, indoor_area="10", outdoor_area="10"))
    wanted = [world.city.code, world.county.code, world.township.code, world.other_county.code,
              world.community.code]
    with CaptureQueriesContext(connection) as queries:
        found = indicators.compute("residential_norm_share", wanted, datetime.date(2026, 12, 1))
    assert len(queries) == 1
    assert found == {world.city.code: Decimal("50.0"),  # A, E of A, B, E, F
                     world.county.code: Decimal("66.7"),  # A, E of A, B, E
                     world.township.code: Decimal("50.0"),  # A of A, B
                     world.other_county.code: Decimal("0.0"),
                     world.community.code: None}  # nothing there
    # As of a date before E's approval, E is not yet new.
    earlier = indicators.compute("residential_norm_share", [world.county.code], datetime.date(2026, 1, 1))
    assert earlier == {world.county.code: Decimal("50.0")}
