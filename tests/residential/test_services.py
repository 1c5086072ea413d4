"""The register's stages: forward only, dates each stage needs, final once accepted; accepting a
project below the norm is refused without a reason and audited with it; scope is kept."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from quanmin.accounts.models import AuditEntry
from quanmin.residential import services
from quanmin.residential.errors import ResidentialError
from quanmin.residential.models import ResidentialProject, Status

from .conftest import project_data


def test_a_project_goes_through_its_stages(world):
    user = world.users["county"]
    p = services.save_project(user, project_data(world, status="planning", approved_on="", completed_on=""))
    assert p.status == Status.PLANNING
    p = services.save_project(user, project_data(world, status="approved", completed_on=""), p)
    p = services.save_project(user, project_data(world, status="built"), p)
    p = services.accept(user, p, {"accepted_on": "2025-11-01"})
    assert (p.status, p.accepted_on, p.accepted_by, p.shortfall_reason) == (
        Status.ACCEPTED, datetime.date(2025, 11, 1), user, "")
    entry = AuditEntry.objects.get(action="residential.project_accept")
    assert entry.detail["compliant"] is True and entry.target_id == str(p.pk)


@pytest.mark.parametrize(("extra", "code"), [
    ({"status": "approved", "approved_on": "", "completed_on": ""}, "approved_on_required"),
    ({"status": "built", "completed_on": ""}, "completed_on_required"),
    ({"completed_on": "2022-01-01"}, "dates_order"),
    ({"status": "approved"}, "completed_early"),
    ({"status": "accepted"}, "accept_separately"),
    ({"status": "finished"}, "status_unknown"),
    ({"approved_on": "2099-01-01"}, "approved_on_invalid"),
    ({"approved_on": "2023-02-30"}, "approved_on_invalid"),
    ({"region": "371500000000"}, "region_level"),
    ({"name": ""}, "name_required"),
    ({"name": "园" * 121}, "name_too_long"),
])
def test_refused_figures_change_nothing(world, extra, code):
    with pytest.raises(ResidentialError) as caught:
        services.save_project(world.users["county"], project_data(world, **extra))
    assert caught.value.code == code
    assert not ResidentialProject.objects.exists()


def test_a_stage_never_goes_back(world, project):
    with pytest.raises(ResidentialError) as caught:
        services.save_project(world.users["county"], project_data(world, status="approved", completed_on=""), project)
    assert caught.value.code == "status_backwards" and caught.value.status == 409
    project.refresh_from_db()
    assert project.status == Status.BUILT


def test_acceptance_only_of_a_built_project(world):
    user = world.users["county"]
    p = services.save_project(user, project_data(world, status="approved", completed_on=""))
    with pytest.raises(ResidentialError) as caught:
        services.accept(user, p, {"accepted_on": "2025-11-01"})
    assert caught.value.code == "project_not_built"


def test_acceptance_below_the_norm_needs_a_reason_which_is_audited(world):
    user = world.users["county"]
    p = services.save_project(user, project_data(world, indoor_area="99.99", outdoor_area="120"))
    assert not p.compliant
    with pytest.raises(ResidentialError) as caught:
        services.accept(user, p, {"accepted_on": "2025-11-01", "reason": "   "})
    assert caught.value.code == "norm_not_met" and "0.01" in str(caught.value.message)
    assert "180.00" in str(caught.value.message)  # 300 − 120 outdoor
    p.refresh_from_db()
    assert p.status == Status.BUILT and not AuditEntry.objects.filter(action="residential.project_accept").exists()
    p = services.accept(user, p, {"accepted_on": "2025-11-01", "reason": "用地受限，已在相邻公园配建健身步道"})
    assert p.status == Status.ACCEPTED and p.shortfall_reason.startswith("用地受限")
    entry = AuditEntry.objects.get(action="residential.project_accept")
    assert entry.detail == {"name": "东关花园", "compliant": False, "reason": p.shortfall_reason,
                            "indoor_short": "0.01", "outdoor_short": "180.00"}


def test_an_accepted_project_is_final(world, project):
    user = world.users["county"]
    services.accept(user, project, {"accepted_on": "2025-10-30"})
    with pytest.raises(ResidentialError) as caught:
        services.accept(user, project, {"accepted_on": "2025-10-30"})
    assert caught.value.code == "project_accepted"
    with pytest.raises(ResidentialError) as caught:
        services.save_project(user, project_data(world, residents=2000), project)
    assert caught.value.code == "project_accepted"


@pytest.mark.parametrize(("data", "code"), [({"accepted_on": ""}, "accepted_on_required"),
                                            ({"accepted_on": "2025-09-01"}, "dates_order"),
                                            ({"accepted_on": "2025-11-01", "reason": "理" * 501}, "reason_too_long")])
def test_bad_acceptance_is_refused(world, project, data, code):
    with pytest.raises(ResidentialError) as caught:
        services.accept(world.users["county"], project, data)
    assert caught.value.code == code


def test_scope(world, project):
    with pytest.raises(PermissionDenied):
        services.save_project(world.users["other_county"], project_data(world), project)
    with pytest.raises(PermissionDenied):
        services.accept(world.users["other_county"], project, {"accepted_on": "2025-11-01"})
    with pytest.raises(PermissionDenied):
        services.save_project(world.users["supervisor"], project_data(world, name="新城"))
    with pytest.raises(ResidentialError) as caught:
        services.save_project(world.users["other_county"], project_data(world, name="新城"))
    assert caught.value.code == "region_out_of_scope"


def test_a_name_twice_in_a_division_is_409(world, project):
    with pytest.raises(ResidentialError) as caught:
        services.save_project(world.users["county"], project_data(world))
    assert caught.value.code == "project_exists" and caught.value.status == 409
