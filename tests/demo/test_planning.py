"""The demo step "plans, targets and task tables" (quanmin/demo/planning.py): the demo city's own plan
is seed 000, the other seed plans sit beside it, its departments' staff have reported, and the
city's targets have a year of history."""

import datetime
import random

import pytest
from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts.models import User
from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import planning as demo
from quanmin.planning.models import IndicatorSnapshot, Plan, TaskEntry
from quanmin.planning.services import tasks
from tests.conftest import small_city


@pytest.mark.django_db
def test_demo_city_has_its_plan():
    city = small_city(streets=2, villages=True)
    accounts_demo.load(city, random.Random(3715))
    demo.load(city, random.Random(3715))
    demo.load(city, random.Random(3715))  # load_demo may run again over the same database
    own = Plan.objects.get(division_code=city.code)
    assert own.title == "聊城市全民健身三年行动实施方案"
    assert (own.targets.count(), own.tasks.count()) == (29, 16 + 1)  # the joint meeting's decision
    # The seeds' five, and the first county's two: its measures from the city's plan as a template,
    # and its own implementation plan written from scratch.
    assert Plan.objects.count() == 7
    county = Plan.objects.get(division_code__startswith=city.code[:4], title__contains="全民健身实施计划")
    assert (county.phases.count(), county.targets.count(), county.tasks.count()) == (3, 3, 4)
    assert [t.priority for t in county.tasks.order_by("order")] == [1, 2, 3, None]
    assert county.targets.get(key="T1").indicator == "grounds" and county.tasks.get(number="2").recurrence == "yearly"
    assert TaskEntry.objects.filter(kind="report").count() == 4
    assert TaskEntry.objects.filter(kind="review", decision="accepted").count() == 1
    assert len(demo.describe()) == 3  # two departments' staff and the county's people's congress office
    # The 2021 meeting with its decision, and this year's: the joint-meetings indicator has a figure.
    assert own.meetings.count() == 2 and own.meetings.get(held_on__year=2021).decisions.get().task.plan == own
    year = timezone.localdate().year
    county = Plan.objects.get(division_code__startswith=city.code[:4], title__contains="实施措施")
    assert county.targets.count() == 29 and county.meetings.get().held_on.year == year
    today = timezone.localdate()
    assert indicators.compute("joint_meetings", [city.code, county.division_code], today) == {
        city.code: 2, county.division_code: 1}  # the city's and the county's working group's
    assert indicators.compute("counties_with_plan", [city.code], today) == {city.code: 1}
    assert own.meetings.get(held_on__year=year).members.count() == 3
    lead = User.objects.get(phone_hash=crypto.lookup_hash(demo.STAFF[0][0]))
    assert 0 < tasks.overdue_for(lead).count() < 17  # it leads all 16 tasks and the meeting's decision
    # Twelve month ends and today; the facilities register keeps no history: today's only.
    assert IndicatorSnapshot.objects.filter(indicator="instructors_per_10000", division_code=city.code).count() == 13
    assert IndicatorSnapshot.objects.filter(indicator="grounds", division_code=city.code).count() == 1


@pytest.mark.django_db
def test_demo_city_is_supervised():
    """Visits of every kind (one cancelled, one joint), items in each state (one overdue for the first county's
    township, one whose deadline was extended), a published bulletin of the city that ranks its
    counties, and a draft; loading again adds nothing."""
    from django.utils import timezone

    from quanmin.planning import selectors_supervision
    from quanmin.planning.models import Bulletin, Finding, Rectification, RectificationEntry, Visit

    city = small_city(streets=2, villages=True)
    accounts_demo.load(city, random.Random(3715))
    demo.load(city, random.Random(3715))
    demo.load(city, random.Random(3715))
    assert {v.manner for v in Visit.objects.all()} == {"announced", "unannounced"}
    assert Visit.objects.filter(status="planned").count() == 1
    assert Visit.objects.get(status="cancelled").cancel_reason  # a visit called off, its reason kept
    # A visit jointly with the people's congress and the government's supervision office, and the "三个一"
    # project followed by three tracking visits with them (D14).
    assert [v.joint_with for v in Visit.objects.exclude(joint_with=[]).exclude(kind="tracking")] == [
        ["congress", "government_office"]]
    tracked = Visit.objects.filter(kind="tracking").order_by("visited_on")
    assert [(v.target.key, len(v.joint_with)) for v in tracked] == [("T0-06", 2), ("T0-06", 2), ("T0-06", 4)]
    extended = RectificationEntry.objects.get(kind="extension")
    assert extended.deadline > timezone.localdate() > extended.deadline_was  # extended: no longer overdue
    assert set(Rectification.objects.values_list("status", flat=True)) == {"open", "submitted", "returned", "closed"}
    assert Finding.objects.filter(kind="practice").count() == 2
    published = Bulletin.objects.get(status="published")
    assert [r["name"] for r in published.content["ranking"]] != [] and published.content["findings"]
    assert Bulletin.objects.filter(status="draft").count() == 1
    township = User.objects.get(phone_hash=crypto.lookup_hash("13800000004"))
    assert selectors_supervision.overdue_to_answer(township, timezone.localdate()) == 1
    # The first county's people's congress office reads that county's visits only.
    congress = User.objects.get(phone_hash=crypto.lookup_hash("13800000008"))
    assert {v.division_code for v in selectors_supervision.visits_for(congress)} == {"371502000000"}


@pytest.mark.django_db
def test_demo_counties_record_their_four_inclusions():
    """Last year: the first county's four confirmed, the second's performance assessment not included;
    this year: the agenda, budget and work report recorded, one confirmed; loading again adds nothing."""
    from quanmin.planning import selectors_inclusions
    from quanmin.planning.models import Inclusion

    city = small_city(streets=2, villages=True)
    accounts_demo.load(city, random.Random(3715))
    demo.load(city, random.Random(3715))
    demo.load(city, random.Random(3715))
    year = timezone.localdate().year
    last = selectors_inclusions.overview(city, year - 1)
    assert [r.complete for r in last["rows"]] == [True, False]
    assert [c.state for c in last["rows"][1].cells] == ["confirmed", "confirmed", "confirmed", "not_included"]
    assert Inclusion.objects.filter(year=year - 1, status="confirmed").count() == 8
    assert [r.visits for r in last["rows"]] == [1, 1] and last["both"] == 1  # the year's supervision (一督查)
    this = selectors_inclusions.overview(city, year)
    assert (this["complete"], this["awaiting"]) == (0, 5)
    assert Inclusion.objects.filter(year=year).count() == 6
    assert indicators.compute("four_inclusions_share", [city.code], datetime.date(year - 1, 12, 31)) == {
        city.code: 50}
