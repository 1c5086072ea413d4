"""The demo step "county returns" (quanmin/demo/planning_returns.py): last year's round closed with
every return accepted, this year's open and past due with returns in every state."""

import random

import pytest

from quanmin.demo import accounts as accounts_demo
from quanmin.demo import planning_returns as demo
from quanmin.planning.models import CountyReturn, ReturnEntry, ReturnRound
from quanmin.planning.services import returns
from tests.conftest import small_city


@pytest.mark.django_db
def test_demo_city_has_a_closed_and_an_open_round(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    city = small_city(streets=1, villages=True)
    accounts_demo.load(city, random.Random(3715))
    demo.load(city, random.Random(3715))
    demo.load(city, random.Random(3715))  # load_demo may run again over the same database
    closed, current = ReturnRound.objects.order_by("period_end")
    assert (closed.status, current.status) == ("closed", "open")
    assert set(closed.returns.values_list("status", flat=True)) == {"accepted"}
    assert ReturnEntry.objects.filter(ret__round=closed, kind="returned").count() == 1
    assert dict(current.returns.values_list("division_name", "status")) == {"东昌府区": "accepted",
                                                                            "茌平区": "submitted"}
    assert not returns.overdue(current.due_on).exists() and CountyReturn.objects.filter(round=current).count() == 2
    # Every figure of a submitted return is given, computed or entered, and the evidence is attached.
    for ret in CountyReturn.objects.exclude(status="draft"):
        assert all(f.value is not None for f in ret.figures.all()) and ret.attachments.count() == 1
