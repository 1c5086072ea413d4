"""Work-order fixtures shared by the work-order test files (services, pages, API)."""

import pytest

from quanmin.maintenance import services, units
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def media_and_quiet(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.NOTIFY_BACKENDS = ["quanmin.accounts.notify.InAppBackend"]


@pytest.fixture
def unit(equipment):
    return units.create_unit(actor=equipment.users["county"], region=equipment.county, name="东昌府区器材维修队",
                                contact="王师傅", phone="13900000001")


@pytest.fixture
def other_unit(equipment):
    """A second unit in the same county: its staff must not see the first unit's orders."""
    return units.create_unit(actor=equipment.users["county"], region=equipment.county, name="古楼街道维修组")


@pytest.fixture
def unit_staff(equipment, unit):
    user = make_user("13700000020", "维修工", seq=20)
    units.add_unit_staff(unit, user, actor=equipment.users["county"])
    return user


@pytest.fixture
def other_unit_staff(equipment, other_unit):
    user = make_user("13700000021", "另一维修工", seq=21)
    units.add_unit_staff(other_unit, user, actor=equipment.users["county"])
    return user


@pytest.fixture
def order(equipment, unit):
    """A normal repair of the air walker, assigned to the unit."""
    return services.create_work_order(actor=equipment.users["county"], description="踏板松动",
                                      equipment=equipment.pieces[0], unit=unit)


