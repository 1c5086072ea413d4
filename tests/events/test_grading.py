"""Graded control of events (G14, 赛事活动分级管控): the people expected set the lowest risk grade, and
a medium- or high-risk event opens for entries only with its safety plan and health measures on file."""

import pytest

from quanmin.events import services
from quanmin.events.errors import EventError

from .conftest import make_games


@pytest.mark.parametrize("people, grade", [(None, "low"), (999, "low"), (1000, "medium"), (4999, "medium"),
                                           (5000, "high")])
def test_attendance_sets_the_lowest_grade(people, grade):
    assert services.risk_floor(people) == grade


def test_a_graded_event_needs_its_plan_before_it_opens(world):
    setup = make_games(world, publish=False)
    county, games = world.users["county"], setup.games
    with pytest.raises(EventError) as caught:
        services.update_games(county, games, {"expected_attendance": 6000})
    assert caught.value.code == "risk_below_attendance" and caught.value.status == 400
    games.refresh_from_db()
    assert games.expected_attendance is None and games.risk == "low"
    services.update_games(county, games, {"expected_attendance": 6000, "risk": "high", "safety_plan": "分区安保、疏散引导"})
    with pytest.raises(EventError) as caught:
        services.publish(county, games)
    assert caught.value.code == "safety_plan_missing" and "卫生与疫情防控措施" in str(caught.value.message)
    games.refresh_from_db()
    assert games.status == "draft"
    services.update_games(county, games, {"health_measures": "设医疗点两处，执行属地防疫要求"})
    assert services.publish(county, games).status == "published"
