import random

import pytest

from quanmin.demo import accounts as accounts_demo
from quanmin.demo import planning as planning_demo
from tests.conftest import small_city


@pytest.fixture(autouse=True)
def media_and_quiet(settings, tmp_path):
    """The demo's photos and certificates go to a temporary folder; its messages (answers, escalations)
    stay in the in-app inbox, as load_demo keeps them."""
    settings.MEDIA_ROOT = tmp_path
    settings.NOTIFY_BACKENDS = ["quanmin.accounts.notify.InAppBackend"]


@pytest.fixture
def planned_city(db, monkeypatch):
    """A small city with the demo's accounts, its plan and departments; not the year of snapshots,
    which the plans' later demo steps do not read."""
    city = small_city(streets=2, villages=True)
    accounts_demo.load(city, random.Random(3715))
    monkeypatch.setattr(planning_demo.snapshots, "take", lambda *a, **k: None)
    planning_demo.load(city, random.Random(3715))
    return city
