import pytest

from quanmin.accounts.models import AuditEntry
from quanmin.people import services
from quanmin.people.errors import PeopleError
from quanmin.people.models import GradeRecord, Instructor

from .conftest import active, person


def test_apply_review_approve_records_history(world):
    services.set_rule(world.city, "third", {"min_services": 0}, by=world.users["city"])
    i = services.apply(person(world.community, 1), by=world.users["community"])
    assert i.status == "applied" and i.id_number_masked.startswith("3715") and "*" in i.id_number_masked
    assert i.id_number not in (i.id_number_enc, i.id_number_hash)
    services.review(i, by=world.users["community"])
    with pytest.raises(PeopleError) as exc:
        services.approve(i, by=world.users["community"])
    assert exc.value.code == "approval_above_level"
    i = services.approve(Instructor.objects.get(pk=i.pk), by=world.users["county"], certificate_no="SD-1")
    assert (i.status, i.approval_level, i.certificate_no) == ("active", "county", "SD-1")
    assert list(i.history.order_by("id").values_list("action", flat=True)) == ["applied", "reviewed", "approved"]


def test_county_cannot_approve_second_grade_but_city_can(world):
    services.set_rule(world.city, "second", {"min_years": 0}, by=world.users["city"])
    i = active(world, world.community, 2)
    with pytest.raises(PeopleError) as exc:
        services.promote(i, grade="second", by=world.users["county"])
    assert exc.value.code == "approval_above_level" and exc.value.status == 403
    i = services.promote(i, grade="second", by=world.users["city"], certificate_no="SD2-2")
    assert (i.grade, i.approval_level) == ("second", "city")
    assert i.history.filter(action=GradeRecord.Action.PROMOTED).count() == 1
    # A first grade is approved by the province: city staff record it.
    services.set_rule(world.city, "first", {"min_years": 0}, by=world.users["city"])
    i = services.promote(i, grade="first", by=world.users["city"])
    assert i.approval_level == "province"


def test_other_county_cannot_approve(world):
    services.set_rule(world.city, "third", {"min_services": 0}, by=world.users["city"])
    i = services.apply(person(world.community, 3), by=world.users["county"])
    services.review(i, by=world.users["county"])
    with pytest.raises(PeopleError) as exc:
        services.approve(i, by=world.users["other_county"])
    assert exc.value.code == "approval_above_level"


def test_duplicate_id_number_is_refused(world):
    services.apply(person(world.community, 4), by=world.users["county"])
    with pytest.raises(PeopleError) as exc:
        services.apply(person(world.community, 4, name="另一个"), by=world.users["county"])
    assert exc.value.code == "id_number_taken"
    assert Instructor.objects.count() == 1


def test_unknown_grade_and_division(world):
    with pytest.raises(PeopleError) as exc:
        services.apply(person(world.community, 5, grade="fifth"), by=world.users["county"])
    assert exc.value.code == "grade_unknown"
    with pytest.raises(PeopleError) as exc:
        services.apply({**person(world.community, 5), "region": "371599999999"}, by=world.users["county"])
    assert exc.value.code == "region_unknown"
    assert not Instructor.objects.exists()


def test_national_threshold_needs_services_unless_the_city_lowers_it(world):
    i = services.apply(person(world.community, 6), by=world.users["county"])
    with pytest.raises(PeopleError) as exc:
        services.review(i, by=world.users["county"])
    assert exc.value.code == "threshold_not_met" and "30" in exc.value.message
    services.set_rule(world.city, "third", {"min_services": 0}, by=world.users["city"])
    assert services.review(i, by=world.users["county"]).status == "reviewed"
    with pytest.raises(PeopleError) as exc:
        services.set_rule(world.city, "third", {"min_services": 5}, by=world.users["county"])
    assert exc.value.code == "rule_city_only"


def test_status_changes_and_own_edits(world):
    i = active(world, world.community, 7, user=world.users["resident"])
    services.update(i, {"sports": ["walking", "taiji"], "core": True, "phone": "13911112222"},
                    by=world.users["resident"])
    i.refresh_from_db()
    assert i.sports == ",walking,taiji," and i.core is False and i.phone == "13911112222"
    services.set_status(i, "lapsed", by=world.users["county"], reason="no service")
    assert Instructor.objects.get(pk=i.pk).status == "lapsed"
    with pytest.raises(PeopleError):
        services.update(i, {"sports": []}, by=world.users["other_resident"])


def test_reveal_is_audited(world):
    i = active(world, world.community, 8)
    with pytest.raises(PeopleError):
        services.reveal(i, by=world.users["other_county"], purpose="x")
    found = services.reveal(i, by=world.users["county"], purpose="certificate check")
    assert found["id_number"] == i.id_number
    assert AuditEntry.objects.filter(action="read_personal", target_id=str(i.pk)).count() == 1
