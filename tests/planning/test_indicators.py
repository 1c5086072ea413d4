"""The planning register's indicators: joint meetings held in the year, counties with a plan of
their own, evaluations of the year; against a hand count on the small world."""

import datetime

from quanmin.core import indicators
from quanmin.planning.models import Evaluation, JointMeeting, Plan

AS_OF = datetime.date(2026, 6, 30)


def plan(key, region, issued_on=None):
    return Plan.objects.create(key=key, title=f"{region.name}全民健身实施计划", division_code=region.code,
                               division_name=region.name, starts_on=datetime.date(2026, 1, 1),
                               ends_on=datetime.date(2030, 12, 31), issued_on=issued_on)


def test_meetings_plans_and_evaluations(world):
    city = plan("city", world.city)
    county = plan("county", world.county, issued_on=datetime.date(2026, 2, 1))
    plan("later", world.other_county, issued_on=datetime.date(2026, 9, 1))  # issued after the date
    for p, day in ((city, datetime.date(2026, 3, 1)), (county, datetime.date(2026, 4, 1)),
                   (county, datetime.date(2026, 5, 1)), (county, datetime.date(2025, 12, 1)),
                   (county, datetime.date(2026, 8, 1))):
        JointMeeting.objects.create(plan=p, held_on=day, title="联席会议")
    Evaluation.objects.create(plan=county, kind="annual", year=2026)
    Evaluation.objects.create(plan=county, kind="annual", year=2025)
    Evaluation.objects.create(plan=city, kind="midterm", year=2026)
    wanted = [world.city.code, world.county.code, world.other_county.code]
    assert indicators.compute("joint_meetings", wanted, AS_OF) == {
        world.city.code: 3, world.county.code: 2, world.other_county.code: 0}
    assert indicators.compute("counties_with_plan", wanted, AS_OF) == {
        world.city.code: 1, world.county.code: 1, world.other_county.code: 0}
    assert indicators.compute("evaluations_held", wanted, AS_OF) == {
        world.city.code: 2, world.county.code: 1, world.other_county.code: 0}
