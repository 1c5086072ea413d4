"""The demo step "games and events" (quanmin/demo/events.py) on a small demo city: two districts ×
4 townships × 8 communities with the people demo, as load_demo runs it."""

import datetime
import random

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import events as demo
from quanmin.events import services, services_alerts, services_results
from quanmin.events.models import HOLDING, Competition, Entry, Games, Notice, Result
from quanmin.facilities import services as facilities
from quanmin.regions.models import Region
from tests.conftest import small_city


@pytest.fixture
def demo_city(db):
    root = small_city(streets=2, villages=True)
    accounts_demo.load(root, random.Random(3715))
    return root


def test_demo_games_entries_and_results(demo_city):
    square = facilities.create_site({"name": "东昌府区1街道广场", "address": "1号", "lon": 115.98, "lat": 36.45,
                                     "region": Region.objects.get(code="371502001000")})
    out = demo.load(demo_city, random.Random(3715))
    year = timezone.localdate().year
    assert out["entries"] > 5000 and out["results"] > 1000
    this, last = (Games.objects.get(region=demo_city, edition=n) for n in (15, 14))
    assert this.year == year and last.year == year - 1
    assert services.rule_check(this).met and services.rule_check(last).met
    county_games = Games.objects.filter(parent=this, level="county")
    assert county_games.count() == 1  # every county but the last
    assert Games.objects.filter(level="township").count() >= 8
    called_off = Games.objects.get(status="cancelled")
    assert called_off.level == "county" and called_off.cancel_reason and called_off.cancelled_at
    share = indicators.compute("communities_with_games", [demo_city.code], datetime.date(year, 12, 31))[demo_city.code]
    assert 50 < share < 100
    assert indicators.compute("brand_events", [demo_city.code], datetime.date(year, 12, 31))[demo_city.code] >= 2
    # Places taken agree with the entries, never over the quota.
    for c in Competition.objects.annotate(n=Count("entry_set", filter=Q(entry_set__status__in=HOLDING))).filter(taken__gt=0):
        assert c.taken == c.n <= c.capacity
    assert Entry.objects.filter(status="pending").exists()
    medals = services_results.medal_table(last)
    assert sum(r.gold for r in medals) >= 10 and medals[0].gold >= medals[-1].gold
    online = Games.objects.get(mode="online")
    reviews = set(Result.objects.filter(competition__games=online).values_list("review", flat=True))
    assert reviews == {"accepted", "submitted"}
    figures = services_results.participation(last)
    assert figures.participants > 500 and set(figures.by_sex) == {"male", "female"}
    # Venues for the map of events near me: every on-site competition at the one site there is.
    assert set(Competition.objects.exclude(games=online).values_list("site", flat=True)) == {square.pk}
    assert not Competition.objects.filter(games=online, site__isnull=False).exists()
    # Alerts: the two fresh events are pushed to the athletes whose alerts match, once.
    assert out["alerted"] > 10 and Notice.objects.count() == out["alerted"]
    assert set(Notice.objects.values_list("games__name", flat=True)) <= {f"{year + 1}聊城市新春健步走",
                                                                        "东昌府区全民健身羽毛球公开赛"}
    assert services_alerts.push_due() == 0
    # The reports of A15, A19, A22 and A24 have something to show.
    as_of = datetime.date(year, 12, 31)
    for key in ("employee_leagues", "joint_events", "youth_competitions", "promoted_sports"):
        assert indicators.compute(key, [demo_city.code], as_of)[demo_city.code] >= 1, key
    assert demo.load(demo_city, random.Random(3715)) == {"games": 0}
