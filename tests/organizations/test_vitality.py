"""The vitality index (C08) and the promotion measure (C09)."""

import datetime

from quanmin.booking import services as booking
from quanmin.events.models import Games
from quanmin.organizations import amateur, memberships, vitality

from ..conftest import make_user
from ..people.conftest import active


def test_vitality_is_normalised_within_kind_and_county(world, make_org, settings):
    busy = make_org("东关社区篮球群", kind="community_group", status="filed", join_policy="open", sports=["basketball"])
    quiet = make_org("东关社区棋友群", kind="community_group", status="filed", join_policy="open", sports=["chess"])
    other_kind = make_org("东关社区篮球俱乐部", kind="club", sports=["basketball"])
    memberships.join(world.users["resident"], busy.pk)
    memberships.join(make_user("13700000080", "甲", home=world.community, seq=80), busy.pk)
    memberships.join(make_user("13700000081", "乙", home=world.community, seq=81), quiet.pk)
    memberships.announce(busy, "周六", "周六活动", actor=world.users["county"])
    activity = memberships.add_activity(busy, facility_id=world.facility.pk, title="训练", weekday=3,
                                        start=datetime.time(19), end=datetime.time(20), places=10,
                                        actor=world.users["county"])
    booking.book(world.users["other_resident"], activity.unit.slots.order_by("start").first().pk)
    found = vitality.of(busy)
    # members 2/2·0.25 + participation 1/1·0.15 + announcements 1/1·0.10, no grade, awards, events, instructors
    assert found["index"] == 50.0 and found["rank"] == 1 and found["of"] == 2
    assert vitality.of(quiet)["index"] == 12.5  # 1/2 of the members' weight
    assert vitality.of(other_kind)["index"] == 0.0  # alone among clubs, with nothing
    settings.QUANMIN_VITALITY_WEIGHTS = {key: 0 for key in vitality.DEFAULT_WEIGHTS} | {"members": 1}
    assert vitality.of(quiet)["index"] == 50.0


def test_events_and_instructors_count_through_their_keepers_facts(world, make_org, settings):
    """Games it organised and entries in them (events' facts), members who are active instructors
    (people's fact about their accounts): read by key, organisations import neither app."""
    busy = make_org("东关社区太极群", kind="community_group", status="filed", join_policy="open", sports=["taiji"])
    quiet = make_org("东关社区毽球群", kind="community_group", status="filed", join_policy="open", sports=["walking"])
    instructor_account = world.users["resident"]
    active(world, world.community, 401, user=instructor_account)
    memberships.join(instructor_account, busy.pk)
    memberships.join(make_user("13700000082", "丙", home=world.community, seq=82), quiet.pk)
    day = datetime.date.today()
    Games.objects.create(name="东关社区太极展示赛", level="community", region=world.community, year=day.year,
                                 organizer="东关社区太极群", organization=busy, first_day=day - datetime.timedelta(days=3))
    Games.objects.create(name="去年的比赛", level="community", region=world.community, year=day.year - 2,
                         organizer="东关社区太极群", organization=quiet, first_day=day - datetime.timedelta(days=400))
    found = vitality.of(busy)["components"]
    assert found["events"] == 1 and found["instructors"] == 1
    assert vitality.of(quiet)["components"]["events"] == 0  # its only games lies outside the year
    assert vitality.of(quiet)["components"]["instructors"] == 0
    settings.QUANMIN_VITALITY_WEIGHTS = {key: 0 for key in vitality.DEFAULT_WEIGHTS} | {"events": 1, "instructors": 1}
    assert vitality.of(busy)["index"] == 100.0 and vitality.of(quiet)["index"] == 0.0


def test_promotion_of_a_single_sport_association(world, make_org, client_for):
    association = make_org("东昌府区篮球协会", region=world.county, sports=["basketball"])
    group = make_org("东关社区篮球群", kind="community_group", status="filed", join_policy="open", sports=["basketball"])
    make_org("东关社区棋友群", kind="community_group", status="filed", sports=["chess"])
    make_org("新华社区篮球群", kind="community_group", region=world.other_community, sports=["basketball"])
    memberships.join(world.users["resident"], group.pk)
    amateur.award(association, phone="13700000007", sport="basketball", level=3, actor=world.users["county"])
    found = vitality.promotion(association)
    assert found == {"organizations": 1, "members": 1, "communities": 1, "participation": 0, "amateur_grades": 1}
    api = client_for("county").get(f"/api/v1/organizations/{association.pk}/vitality").json()
    assert api["promotion"]["organizations"] == 1 and 0 <= api["index"] <= 100
