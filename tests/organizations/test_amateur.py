"""Amateur sport grades (C10): awarded by an association in its sport, shown on the resident's page."""

import pytest
from django.urls import reverse

from quanmin.organizations import amateur
from quanmin.organizations.errors import OrganizationError
from quanmin.organizations.models import AmateurGrade


@pytest.fixture
def association(make_org):
    return make_org("东关社区乒乓球协会", sports=["table_tennis"])


def test_award_and_the_resident_sees_it(world, association, client_for):
    grade = amateur.award(association, phone="13700000007", sport="乒乓球", level=2, certificate_no="LC-2025-001",
                          actor=world.users["county"])
    assert grade.user == world.users["resident"] and grade.sport == "table_tennis"
    page = client_for("resident").get(reverse("organizations:my_groups")).content.decode()
    assert "LC-2025-001" in page and "东关社区乒乓球协会" in page
    api = client_for("resident").get("/api/v1/groups/my-grades").json()
    assert api[0]["level"] == 2


@pytest.mark.parametrize("data,code", [
    ({"level": 4}, "grade_out_of_range"),
    ({"level": 0}, "grade_out_of_range"),
    ({"sport": "足球"}, "sport_not_of_association"),
    ({"phone": "13799990000"}, "user_not_found"),
    ({"awarded_on": "2999-01-01"}, "awarded_on_future"),
])
def test_bad_awards_are_refused(world, association, data, code):
    with pytest.raises(OrganizationError) as exc:
        amateur.award(association, **{"phone": "13700000007", "sport": "table_tennis", "level": 1, **data},
                      actor=world.users["county"])
    assert exc.value.code == code
    assert not AmateurGrade.objects.exists()


def test_only_associations_award_and_only_their_staff(world, association, make_org):
    group = make_org("东关社区健步走群", kind="community_group", status="filed")
    with pytest.raises(OrganizationError) as exc:
        amateur.award(group, phone="13700000007", sport="walking", level=1, actor=world.users["county"])
    assert exc.value.code == "not_an_association"
    with pytest.raises(OrganizationError) as exc:
        amateur.award(association, phone="13700000007", sport="table_tennis", level=1,
                      actor=world.users["other_county"])
    assert exc.value.status == 403
