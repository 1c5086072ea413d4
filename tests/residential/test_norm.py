"""The facility norm at its edges: exactly 0.1 m² indoor or 0.3 m² outdoor per resident meets it,
a hundredth of a m² less does not, either alternative is enough, and a project of no residents is
refused before any per-resident figure is asked for. The thresholds sit in data/norm.toml beside
the seed's exact words."""

from decimal import Decimal
from pathlib import Path

import pytest

from quanmin.residential import norm, services
from quanmin.residential.errors import ResidentialError

from .conftest import project_data

SEED = Path(__file__).resolve().parents[1] / "planning" / "seeds" / "001_5a25809e68d15fbc.txt"


def test_the_thresholds_come_with_the_seeds_words():
    rule = norm.norm()
    assert (rule.indoor_per_resident, rule.outdoor_per_resident) == (Decimal("0.1"), Decimal("0.3"))
    text = SEED.read_text(encoding="utf-8")
    assert rule.indoor_quote in text and rule.outdoor_quote in text
    assert "0.1" in rule.indoor_quote and "0.3" in rule.outdoor_quote


@pytest.mark.parametrize(("residents", "indoor", "outdoor", "compliant", "indoor_short", "outdoor_short"), [
    (1000, "100", "0", True, "0", "300"),          # exactly 0.1 m² indoor per resident
    (1000, "99.99", "0", False, "0.01", "300"),     # a hundredth short
    (1000, "0", "300", True, "100", "0"),           # exactly 0.3 m² outdoor
    (1000, "0", "299.99", False, "100", "0.01"),
    (1000, "99.99", "299.99", False, "0.01", "0.01"),  # short both ways: both shortfalls told
    (3, "0.3", "0", True, "0", "0.9"),              # 0.1 × 3 is 0.3 exactly (no float 0.30000000000000004)
    (3, "0", "0.9", True, "0.3", "0"),
    (7, "0.69", "2.09", False, "0.01", "0.01"),
    (1, "0.1", "0", True, "0", "0.3"),
])
def test_the_edges(residents, indoor, outdoor, compliant, indoor_short, outdoor_short):
    found = norm.check(residents, Decimal(indoor), Decimal(outdoor))
    assert found.compliant is compliant
    assert (found.indoor_short, found.outdoor_short) == (Decimal(indoor_short), Decimal(outdoor_short))


def test_no_residents_has_no_per_resident_figure():
    with pytest.raises(ValueError):
        norm.check(0, Decimal(0), Decimal(0))


@pytest.mark.parametrize("residents", [0, "0", "-5", "", "1.5", "一千"])
def test_a_project_of_no_or_unreadable_residents_is_refused(world, residents):
    with pytest.raises(ResidentialError) as caught:
        services.save_project(world.users["county"], project_data(world, residents=residents))
    assert caught.value.field == "residents"


def test_the_stored_check_follows_the_figures(world):
    user = world.users["county"]
    at = services.save_project(user, project_data(world, indoor_area="100"))
    assert at.compliant
    below = services.save_project(user, project_data(world, indoor_area="99.99"), at)
    assert not below.compliant
    again = services.save_project(user, project_data(world, indoor_area="0", outdoor_area="300.00"), below)
    assert again.compliant


@pytest.mark.parametrize(("value", "found"), [("1,200.5", "1200.50"), ("１２００㎡", "1200.00"), ("300平方米", "300.00"),
                                              ("", "0.00"), (12.25, "12.25")])
def test_areas_as_people_write_them(value, found):
    assert services.area(value, "indoor_area") == Decimal(found)


@pytest.mark.parametrize("value", ["-1", "1.234", "abc", "1e3", "NaN", "99999999999"])
def test_unreadable_areas_are_refused(value):
    with pytest.raises(ResidentialError):
        services.area(value, "indoor_area")
