"""The demo step "sports points and vouchers" (quanmin/demo/incentives.py) on a small demo city with
the accounts, facilities and booking demos before it, as load_demo runs them."""

import random

import pytest
from django.db.models import Sum

from quanmin.accounts.models import Role, User
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import booking as booking_demo
from quanmin.demo import facilities as facilities_demo
from quanmin.demo import incentives as demo
from quanmin.events import services as events
from quanmin.events.models import EntryFee
from quanmin.incentives import points
from quanmin.incentives.models import (
    Nomination,
    PointsAccount,
    PointsEntry,
    PointsSettings,
    Selection,
    Settlement,
    Voucher,
    VoucherCampaign,
)
from tests.conftest import small_city
from tests.events.conftest import CHECKLIST, at


@pytest.fixture
def demo_city(db):
    root = small_city(streets=2, villages=False)
    rng = random.Random(3715)
    accounts_demo.load(root, rng)
    facilities_demo.load(root, rng)
    booking_demo.load(root, rng)
    # The city's next games, taking entries (the events demo's are many; one is enough here).
    staff = User.objects.filter(memberships__role=Role.CITY_STAFF).order_by("pk").first()
    games = events.create_games(staff, {"name": "全民健身运动会", "organizer": "市体育局", **CHECKLIST}, region=root)
    events.add_competition(staff, games, {"sport": "running", "name": "健步走", "capacity": 100, "residents_only": False,
                                          "starts_at": at(20), "ends_at": at(20, 12), "closes_at": at(15)})
    events.publish(staff, games)
    return root


def test_demo_points_and_two_campaigns(demo_city):
    out = demo.load(demo_city, random.Random(3715))
    assert out["points"]["check_in"] > 50
    assert PointsEntry.objects.filter(kind="credit", points__gt=0).values("user_id").distinct().count() > 10
    sums = dict(PointsEntry.objects.values_list("user_id").annotate(s=Sum("points")).order_by())
    assert sums == {u: b for u, b in PointsAccount.objects.values_list("user_id", "balance")}
    done, open_ = VoucherCampaign.objects.order_by("claim_starts_at")
    assert done.status == "closed" and open_.status == "open"
    assert out["redeemed"] > 20 and out["returned"] > 0
    settled = Settlement.objects.filter(campaign=done)
    assert settled.count() >= 2 and set(settled.values_list("status", flat=True)) == {"approved"}
    assert not Voucher.objects.filter(campaign=done, status="redeemed", settlement__isnull=True).exists()
    assert done.venues.filter(commercial=True).exists()
    assert Voucher.objects.filter(campaign=open_).count() > 5
    # The city's rate is its own row; a paid race's fees partly paid with points.
    assert PointsSettings.objects.filter(city=demo_city).exists()
    assert out["points_on_entry_fees"] > 0
    assert EntryFee.objects.filter(discount_basis="points", discount__gt=0).count() == out["points_on_entry_fees"]
    # Honours: one selection published with winners, one in its public vote with votes.
    assert out["honours"]["votes"] > 10
    assert set(Selection.objects.values_list("status", flat=True)) == {"published", "voting"}
    assert Nomination.objects.filter(winner=True).count() == 3
    # Crediting again finds nothing new.
    assert all(v["credited"] == 0 for v in points.credit().values())
    assert demo.describe()
