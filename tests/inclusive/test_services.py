"""The register's rules: scope, what suits an institution's kind, a facility at its site, dates not
in the future, programmes of their own group; each write audited, a bad one changing nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from quanmin.accounts.models import AuditEntry
from quanmin.inclusive import services
from quanmin.inclusive.errors import InclusiveError
from quanmin.inclusive.models import Activity, Fitting, Institution

from .conftest import make_site

TODAY = timezone.localdate


def test_register_and_fit_an_institution(world, care_home):
    fitting = services.record_fitting(world.users["township"], care_home, {
        "kind": "elderly_equipment", "pieces": "８件", "fitted_on": "2025年6月1日", "facility": care_home.test_facility.pk})
    assert fitting.pieces == 8 and fitting.fitted_on == datetime.date(2025, 6, 1)
    assert fitting.site_id == care_home.site_id and fitting.region_id == world.community.code
    assert AuditEntry.objects.filter(action="inclusive.fitting_save").count() == 1
    assert AuditEntry.objects.filter(action="inclusive.institution_save").count() == 1


@pytest.mark.parametrize(("data", "code"), [
    ({"kind": "preschool_equipment"}, "fitting_kind_unsuited"),
    ({"kind": "rocket"}, "kind_unknown"),
    ({"pieces": "0"}, "pieces_invalid"),
    ({"pieces": "many"}, "pieces_invalid"),
    ({"fitted_on": "2999-01-01"}, "fitted_on_future"),
    ({"fitted_on": "2025-02-30"}, "fitted_on_invalid"),
    ({"fitted_on": ""}, "fitted_on_required"),
    ({"facility": "999999"}, "facility_unknown"),
])
def test_a_bad_fitting_is_refused_and_writes_nothing(world, care_home, data, code):
    good = {"kind": "elderly_equipment", "pieces": 4, "fitted_on": "2025-06-01"}
    with pytest.raises(InclusiveError) as caught:
        services.record_fitting(world.users["county"], care_home, {**good, **data})
    assert caught.value.code == code and not Fitting.objects.exists()


def test_a_facility_elsewhere_is_refused(world, care_home):
    _site, elsewhere = make_site(world.community, "东关广场")
    with pytest.raises(InclusiveError) as caught:
        services.record_fitting(world.users["county"], care_home, {"kind": "elderly_equipment", "fitted_on": "2025-06-01",
                                                                   "facility": elsewhere.pk})
    assert caught.value.code == "facility_elsewhere"


def test_scope_and_kind_rules(world, care_home, other_village):
    with pytest.raises(InclusiveError) as caught:
        services.save_institution(world.users["county"], {"region": world.other_community.code, "name": "新华幸福院",
                                                          "kind": "elderly_care"})
    assert caught.value.code == "region_out_of_scope" and caught.value.status == 403
    with pytest.raises(PermissionDenied):
        services.record_fitting(world.users["county"], other_village, {"kind": "fitness_equipment", "fitted_on": "2025-01-01"})
    with pytest.raises(InclusiveError) as caught:
        services.save_institution(world.users["county"], {"region": world.community.code, "name": "回族村",
                                                          "kind": "ethnic_village"})
    assert caught.value.code == "ethnic_group_required"
    with pytest.raises(InclusiveError) as caught:
        services.save_institution(world.users["county"], {"region": world.community.code,
                                                          "name": "东关社区日间照料中心", "kind": "elderly_care"})
    assert caught.value.code == "institution_exists" and caught.value.status == 409
    services.record_fitting(world.users["county"], care_home, {"kind": "elderly_equipment", "fitted_on": "2025-06-01"})
    with pytest.raises(InclusiveError) as caught:  # what was fitted no longer suits a kindergarten
        services.save_institution(world.users["county"], {"region": world.community.code, "name": care_home.name,
                                                          "kind": "preschool"}, care_home)
    assert caught.value.code == "kind_conflicts_fittings"
    assert Institution.objects.get(pk=care_home.pk).kind == "elderly_care"


def test_an_institution_out_of_the_register_is_not_fitted(world, care_home):
    services.save_institution(world.users["county"], {"region": world.community.code, "name": care_home.name,
                                                      "kind": "elderly_care", "active": False}, care_home)
    with pytest.raises(InclusiveError) as caught:
        services.record_fitting(world.users["county"], care_home, {"kind": "elderly_equipment", "fitted_on": "2025-06-01"})
    assert caught.value.code == "institution_inactive" and caught.value.status == 409


def test_activities_belong_to_their_group(world, care_home):
    data = {"region": world.township.code, "group": "elderly", "programme": "changqing_kele", "title": "常青可乐柔力球展示",
            "held_on": TODAY().isoformat(), "participants": "120人", "institution": care_home.pk}
    found = services.record_activity(world.users["county"], data)
    assert found.participants == 120 and found.institution == care_home
    with pytest.raises(InclusiveError) as caught:
        services.record_activity(world.users["county"], {**data, "group": "preschool"})
    assert caught.value.code == "programme_other_group"
    with pytest.raises(InclusiveError) as caught:
        services.record_activity(world.users["county"], {**data, "held_on": TODAY() + datetime.timedelta(days=1)})
    assert caught.value.code == "held_on_future"
    with pytest.raises(InclusiveError) as caught:
        services.record_activity(world.users["county"], {**data, "title": "x" * 121})
    assert caught.value.code == "title_too_long"
    assert Activity.objects.count() == 1
    services.delete_activity(world.users["county"], found)
    assert not Activity.objects.exists()
    assert AuditEntry.objects.filter(action="inclusive.activity_delete").count() == 1
