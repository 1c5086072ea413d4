"""The demo step "experience exchange" (quanmin/demo/planning_exchange.py): two counties' cases,
three recommended, one changed after being returned and one awaiting the city, and the city's
on-site meetings showing the recommended cases."""

import random

import pytest
from django.utils import timezone

from quanmin.accounts.models import User
from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import planning_exchange as demo
from quanmin.planning import selectors_exchange
from quanmin.planning.models import ExperienceCase, SiteMeeting
from tests.conftest import small_city


@pytest.mark.django_db
def test_demo_city_has_typical_cases_and_on_site_meetings():
    city = small_city(streets=2, villages=True)
    accounts_demo.load(city, random.Random(3715))
    demo.load(city, random.Random(3715))
    demo.load(city, random.Random(3715))  # load_demo may run again over the same database
    statuses = sorted(ExperienceCase.objects.values_list("status", flat=True))
    assert statuses == ["recommended"] * 3 + ["submitted"] * 2
    changed = ExperienceCase.objects.get(title="学校体育场地夜间向社会开放")
    assert changed.status == "submitted" and "8.6 万人次" in changed.results
    meetings = list(SiteMeeting.objects.order_by("held_on"))
    assert 1 <= len(meetings) <= 2
    assert {c.status for m in meetings for c in m.cases.all()} == {"recommended"}
    today = timezone.localdate()
    last_year = indicators.compute("typical_cases", [city.code], today.replace(month=12, day=31, year=today.year - 1))
    assert last_year == {city.code: 3}
    # A county's staff read their own cases and the city's recommended ones.
    neighbour = User.objects.get(real_name="王芳")
    seen = set(selectors_exchange.cases_for(neighbour).values_list("title", flat=True))
    assert "卫生院开设运动健康门诊" in seen and "见缝插绿建设口袋体育公园" in seen
    assert "学校体育场地夜间向社会开放" not in seen
