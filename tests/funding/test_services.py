import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from quanmin.accounts.models import AuditEntry
from quanmin.core import indicators
from quanmin.funding import services
from quanmin.funding.errors import FundingError
from quanmin.funding.models import Amount, LotteryFund, Project

from .conftest import project_data

AS_OF = datetime.date(2026, 12, 31)


def test_project_saved_with_its_amounts(world, project):
    assert project.site == world.site
    got = {(a.kind, a.item): (a.planned, a.actual) for a in project.amounts.all()}
    assert got[("source", "donation")] == (Decimal("50000.00"), Decimal("60000.00"))
    assert len(got) == 5
    assert AuditEntry.objects.filter(action="funding.project_save", target_id=str(project.pk)).exists()


def test_changing_a_project_replaces_its_amounts(world, project):
    data = project_data(world.county, amounts=[{"kind": "source", "item": "own_funds", "planned": "1.5万", "actual": ""}])
    services.save_project(world.users["city"], data, project)
    assert [(a.item, a.planned, a.actual) for a in project.amounts.all()] == [("own_funds", Decimal("15000.00"),
                                                                                Decimal("0.00"))]


@pytest.mark.parametrize(("entry", "code"), [
    ({"kind": "source", "item": "lottery", "planned": "-1"}, "amount_negative"),
    ({"kind": "line", "item": "events", "actual": "-0.01"}, "amount_negative"),
    ({"kind": "line", "item": "grounds", "planned": "5"}, "item_twice"),
    ({"kind": "source", "item": "lottery_jackpot", "planned": "10"}, "source_unknown"),
    ({"kind": "line", "item": "banquets", "planned": "10"}, "line_unknown"),
    ({"kind": "budget", "item": "central", "planned": "10"}, "kind_unknown"),
    ({"kind": "source", "item": "sponsorship", "planned": "12.345"}, "planned_invalid"),
    ({"kind": "source", "item": "sponsorship", "planned": "NaN"}, "planned_invalid"),
    ({"kind": "source", "item": "sponsorship", "planned": "1e9"}, "planned_invalid"),
    ({"kind": "source", "item": "sponsorship", "planned": "1000000000000"}, "planned_invalid"),
])
def test_bad_amounts_write_nothing(world, entry, code):
    data = project_data(world.county)
    data["amounts"] = [*data["amounts"], entry]
    with pytest.raises(FundingError) as caught:
        services.save_project(world.users["county"], data)
    assert caught.value.code == code
    assert not Project.objects.exists() and not Amount.objects.exists()


def test_source_not_in_the_list_names_the_list(world):
    from django.utils import translation

    data = project_data(world.county, amounts=[{"kind": "source", "item": "彩票大奖", "planned": "10"}])
    with translation.override("zh-hans"), pytest.raises(FundingError) as caught:
        services.save_project(world.users["county"], data)
    assert "不是清单中的资金来源" in str(caught.value.message) and "中央支持" in str(caught.value.message)


def test_a_project_in_another_county_is_refused(world, project):
    with pytest.raises(FundingError) as caught:
        services.save_project(world.users["other_county"], project_data(world.county, title="越界项目"))
    assert caught.value.code == "region_out_of_scope"
    with pytest.raises(PermissionDenied):
        services.save_project(world.users["other_county"], project_data(world.other_county), project)
    with pytest.raises(PermissionDenied):
        services.delete_project(world.users["other_county"], project)
    assert Project.objects.count() == 1 and project.amounts.count() == 5


def test_township_staff_and_supervisors_keep_no_accounts(world):
    for role in ("township", "supervisor", "resident"):
        with pytest.raises(FundingError):
            services.save_project(world.users[role], project_data(world.township))


def test_a_site_outside_the_division_is_refused(world):
    with pytest.raises(FundingError) as caught:
        services.save_project(world.users["county"], project_data(world.county, site=world.other_site.pk))
    assert caught.value.code == "site_unknown" and not Project.objects.exists()


def test_same_title_twice_is_a_conflict(world, project):
    with pytest.raises(FundingError) as caught:
        services.save_project(world.users["county"], project_data(world.county))
    assert caught.value.code == "project_exists" and Project.objects.count() == 1


def test_lottery_fund_share_within_100(world):
    fund = services.save_lottery_fund(world.users["county"], {"region": world.county.code, "year": 2026,
                                                              "received": "8,000,000", "fitness": "5200000"})
    assert fund.share == Decimal("65.0")
    with pytest.raises(FundingError) as caught:
        services.save_lottery_fund(world.users["county"], {"region": world.county.code, "year": 2026,
                                                           "received": "100", "fitness": "100.01"})
    assert caught.value.code == "share_over_100"
    fund.refresh_from_db()
    assert fund.received == Decimal("8000000.00")
    with pytest.raises(FundingError) as caught:
        services.save_lottery_fund(world.users["other_county"], {"region": world.county.code, "year": 2026,
                                                                 "received": "1", "fitness": "1"})
    assert caught.value.code == "region_out_of_scope"
    with pytest.raises(FundingError) as caught:
        services.save_lottery_fund(world.users["county"], {"region": world.county.code, "year": 2026,
                                                           "received": "-5", "fitness": "0"})
    assert caught.value.code == "amount_negative"
    assert LotteryFund.objects.count() == 1


def test_indicators_roll_up_to_the_city(world, project):
    city = world.users["city"]
    services.save_lottery_fund(city, {"region": world.county.code, "year": 2026, "received": "800", "fitness": "600"})
    services.save_lottery_fund(city, {"region": world.other_county.code, "year": 2026, "received": "200",
                                      "fitness": "100"})
    services.save_lottery_fund(city, {"region": world.city.code, "year": 2025, "received": "999", "fitness": "1"})
    share = lambda c, d: indicators.compute("lottery_fund_fitness_share", c, d)  # noqa: E731
    assert share([world.city.code, world.county.code, world.other_county.code], AS_OF) == {
        world.city.code: Decimal("70.0"), world.county.code: Decimal("75.0"), world.other_county.code: Decimal("50.0")}
    assert share([world.county.code], datetime.date(2024, 6, 1)) == {world.county.code: None}
    social = lambda c, d: indicators.compute("funding_social_share", c, d)  # noqa: E731
    # 60,000 donated of 350,000 actually spent.
    assert social([world.city.code, world.other_county.code], AS_OF) == {
        world.city.code: Decimal("17.1"), world.other_county.code: None}
