"""The rules of venue safety: a record's gaps and the shares per division; a check's hazards with
their default deadlines; bad input refused with nothing written; the rectification by the venue's
operator (with a photo), its confirmation or return; scope."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from quanmin.accounts.models import AuditEntry
from quanmin.facilities import services as fs
from quanmin.safety import figures, services
from quanmin.safety.errors import SafetyError
from quanmin.safety.models import Hazard, SafetyCheck, VenueSafety

from .conftest import complete_record, days


def png() -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 160, 60)).save(buf, "PNG")
    return SimpleUploadedFile("整改.png", buf.getvalue(), content_type="image/png")


def test_a_records_gaps_and_the_share_of_complete_records(world):
    county, township = world.users["county"], world.users["township"]
    codes = [world.city.code, world.county.code, world.township.code, world.other_county.code]
    # Two public venues in the city, none with a record yet; a school ground does not count.
    fs.create_site({"name": "东关小学操场", "lon": 115.98, "lat": 36.45, "region": world.community,
                    "owner_kind": "school"})
    assert figures.gap_codes(None, days(0)) == ["record"]
    found = figures.venue_totals(codes, days(0))
    assert (found[world.city.code].venues, found[world.city.code].record_share) == (2, 0)
    record = services.save_record(township, world.site, {**complete_record(), "insured_until": days(-1)})
    assert figures.gap_codes(record, days(0)) == ["insurance"]
    assert figures.venue_totals(codes, days(0))[world.county.code].complete == 0
    services.save_record(county, world.site, complete_record())
    found = figures.venue_totals(codes, days(0))
    assert found[world.county.code].record_share == 100 and found[world.city.code].record_share == 50
    assert found[world.other_county.code].record_share == 0
    # A year and more after the fire check it is overdue again.
    assert figures.venue_totals(codes, days(340))[world.county.code].complete == 0
    assert AuditEntry.objects.filter(action="safety.record_save").count() == 2
    with pytest.raises(PermissionDenied):
        services.save_record(county, world.other_site, complete_record())


@pytest.mark.parametrize("data, code", [
    ({"insured_until": "明年"}, "insured_until_invalid"),
    ({"fire_check_on": str(days(3))}, "fire_check_on_invalid"),
    ({"safety_officer": "王" * 61}, "safety_officer_too_long"),
])
def test_a_bad_record_is_refused_and_changes_nothing(world, data, code):
    with pytest.raises(SafetyError) as caught:
        services.save_record(world.users["county"], world.site, {**complete_record(), **data})
    assert caught.value.code == code
    assert not VenueSafety.objects.exists()


def test_a_check_and_its_hazards(world):
    township = world.users["township"]
    check = services.record_check(township, world.site, {"kind": "unannounced", "checked_on": str(days(-2))}, [
        {"description": "安全出口被杂物堵塞", "level": "major"},
        {"description": "", "level": "general"},  # a blank row of the form
        {"description": "灭火器压力不足", "deadline": str(days(10))}])
    major, general = check.hazards.order_by("pk")
    assert (major.level, major.deadline, major.site_id) == ("major", days(5), world.site.pk)
    assert (general.level, general.deadline) == ("general", days(10))
    assert check.kind == "unannounced" and check.checked_on == days(-2)


@pytest.mark.parametrize("check, hazard, code", [
    ({}, {"deadline": str(days(-1))}, "deadline_invalid"),  # before the check
    ({}, {"deadline": str(days(181))}, "deadline_invalid"),
    ({}, {"level": "大"}, "level_unknown"),
    ({"checked_on": str(days(1))}, {}, "checked_on_invalid"),
    ({"kind": "随便"}, {}, "kind_unknown"),
])
def test_a_bad_check_is_refused_and_writes_nothing(world, check, hazard, code):
    with pytest.raises(SafetyError) as caught:
        services.record_check(world.users["township"], world.site, check,
                              [{"description": "护栏松动"}, {"description": "照明损坏", **hazard}])
    assert caught.value.code == code
    assert not SafetyCheck.objects.exists() and not Hazard.objects.exists()
    with pytest.raises(PermissionDenied):
        services.record_check(world.users["county"], world.other_site, {}, [])


def test_rectified_by_the_operator_then_confirmed_or_sent_back(world, operator):
    county = world.users["county"]
    check = services.record_check(county, world.site, {}, [{"description": "护栏松动", "level": "major"},
                                                          {"description": "照明损坏"}])
    first, second = check.hazards.order_by("pk")
    with pytest.raises(SafetyError) as caught:
        services.rectify(operator, first, {"rectify_note": ""})
    assert caught.value.code == "rectify_note_required"
    done = services.rectify(operator, first, {"rectify_note": "已紧固并焊接"}, photo=png())
    assert done.status == "rectified" and done.rectified_on == days(0) and done.photo.name.endswith(".png")
    with pytest.raises(SafetyError) as caught:
        services.rectify(operator, first, {"rectify_note": "again"})
    assert caught.value.code == "hazard_not_open" and caught.value.status == 409
    with pytest.raises(PermissionDenied):
        services.confirm(operator, done, {"accepted": True})
    with pytest.raises(SafetyError):
        services.confirm(county, done, {"accepted": False, "note": ""})  # sending back needs the reason
    back = services.confirm(county, done, {"accepted": False, "note": "焊点开裂，重新整改"})
    assert (back.status, back.rectified_on, back.returned_note) == ("open", None, "焊点开裂，重新整改")
    services.rectify(operator, back, {"rectify_note": "已更换护栏"})
    closed = services.confirm(county, back, {"accepted": True})
    assert closed.status == "closed" and closed.confirmed_by == county
    found = figures.hazard_totals([world.county.code, world.city.code], days(30))
    assert (found[world.county.code].hazards_due, found[world.county.code].on_time) == (2, 1)
    assert found[world.city.code].on_time_share == 50
    # The operator of another venue may not touch these.
    other = services.record_check(world.users["other_county"], world.other_site, {}, [{"description": "地面湿滑"}])
    with pytest.raises(PermissionDenied):
        services.rectify(operator, other.hazards.get(), {"rectify_note": "x"})
    assert second.status == "open"
    assert set(AuditEntry.objects.filter(action__startswith="safety.hazard").values_list("action", flat=True)) == {
        "safety.hazard_rectify", "safety.hazard_confirm", "safety.hazard_return"}
