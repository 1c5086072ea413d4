import datetime

import pytest
from django.utils import timezone

from quanmin.accounts import services as accounts
from quanmin.accounts.models import Role
from tests.conftest import make_user


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def complete_record() -> dict:
    return {"responsible_unit": "东关社区居委会", "responsible_person": "李建国", "safety_officer": "王磊",
            "emergency_plan_on": days(-200), "fire_check_on": days(-30), "insured_until": days(150)}


@pytest.fixture
def operator(world):
    """The operator of 东关社区文体广场 (world.site)."""
    user = make_user("13700000031", "场馆运营", seq=31)
    accounts.grant_membership(user, Role.OPERATOR, world.community, world.site)
    return user
