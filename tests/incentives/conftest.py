"""Incentives fixtures: the city's points rules, residents with real names, a checked-in booking, a
voucher campaign at the world's site with a venue operator."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from quanmin.accounts.models import Role
from quanmin.booking import services as bs
from quanmin.incentives import points, vouchers
from tests.conftest import make_user


def residents(world, n: int, start: int = 0):
    return [make_user(f"1391{start + i:07d}", f"居民{start + i}", home=world.community, seq=100 + start + i)
            for i in range(n)]


@pytest.fixture
def rules(world):
    su = world.users["superuser"]
    return {fact: points.save_rule(world.city, {"fact": fact, "points": pts, "daily_cap": daily, "yearly_cap": yearly}, by=su)
            for fact, pts, daily, yearly in (("check_in", 10, 20, 1000), ("event_entry", 20, None, None),
                                              ("event_finish", 30, None, None), ("physique_test", 50, None, 100))}


def check_in(world, booking):
    """Check the booking in at its start (the venue's gate) and answer the time it happened."""
    return bs.check_in(booking.code, now=booking.slot.start)


def later(world):
    """A moment after every slot of the world's window: crediting "now" then sees every check-in."""
    return timezone.now() + datetime.timedelta(days=40)


@pytest.fixture
def operator(world):
    from quanmin.accounts import services as accounts
    user = make_user("13700000050", "场馆操作员", home=world.community, seq=50)
    accounts.grant_membership(user, Role.OPERATOR, world.community, target=world.site)
    return user


def make_campaign(world, *, total=10, per_person=1, face="30", threshold="100", bands=None, benefit=False,
                  starts=None, publish=True, **extra):
    now = timezone.now()
    starts = starts or now - datetime.timedelta(hours=1)
    data = {"name": "聊城市体育消费券第一期", "budget": str(Decimal(face) * total), "face_value": face, "threshold": threshold,
            "total": total, "per_person": per_person, "claim_starts_at": starts, "claim_ends_at": starts + datetime.timedelta(days=7),
            "use_until": now + datetime.timedelta(days=60), "bands": bands or [], "benefit_hours_only": benefit, **extra}
    campaign = vouchers.create_campaign(world.users["city"], world.city, data)
    vouchers.add_venue(world.users["city"], campaign, world.site, commercial=True)
    if publish:
        campaign = vouchers.publish(world.users["city"], campaign)
    return campaign


def give(user, n: int, key: str = "") -> None:
    """Credit `n` points to `user` at once (a ledger line and the balance, as crediting writes them)."""
    points._write([{"user_id": user.pk, "kind": "credit", "points": n, "fact": "check_in", "region_code": "",
                    "source_key": key or f"test:{user.pk}:{n}", "day": timezone.localdate(),
                    "expires_on": points.expiry_for(timezone.localdate())}])


def fee_games(world, provider="on_site", fee="50.00"):
    """The events tests' county games with a fee on its 100 m (entered by a man of 18-60), and entrants."""
    from quanmin.events.models import Competition, Games
    from tests.events.conftest import make_games
    from tests.events.conftest import residents as athletes

    ev = make_games(world, capacity=10)
    Games.objects.filter(pk=ev.games.pk).update(payment_provider=provider)
    Competition.objects.filter(pk=ev.sprint.pk).update(fee=Decimal(fee))
    ev.people = athletes(world, 3)
    return ev
