"""Gradings 1A–5A: validity, the current grade, expiry warnings, bad input."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from quanmin.organizations import gradings
from quanmin.organizations.errors import OrganizationError
from quanmin.organizations.models import Grading


def today() -> datetime.date:
    """The city's date when it is asked (not the machine's, nor the date at collection: a run may cross
    midnight in Asia/Shanghai)."""
    return timezone.localdate()


def grade(org, n, start, end, actor):
    return gradings.add_grading(org, {"grade": n, "assessed_on": start, "valid_until": end,
                                      "assessor": "聊城市民政局"}, actor=actor)


def test_current_grade_and_expiry_warning(world, make_org):
    org = make_org("东关社区篮球协会")
    actor = world.users["county"]
    old = grade(org, 3, today() - datetime.timedelta(days=2000), today() - datetime.timedelta(days=200), actor)
    assert gradings.current(org) is None
    new = grade(org, "4A", today() - datetime.timedelta(days=1700), today() + datetime.timedelta(days=30), actor)
    assert gradings.current(org) == new and old.label == "3A"
    assert list(gradings.expiring(world.users["county"])) == [new]
    assert list(gradings.expiring(world.users["other_county"])) == []
    # A newer assessment ends the warning.
    grade(org, 5, today() - datetime.timedelta(days=1), today() + datetime.timedelta(days=1800), actor)
    assert list(gradings.expiring(world.users["county"])) == []
    assert org.changes.filter(action="grading").count() == 3


@pytest.mark.parametrize("data,code", [
    ({"grade": 6}, "grade_out_of_range"),
    ({"grade": "0A"}, "grade_out_of_range"),
    ({"grade": "x"}, "grade_out_of_range"),
    ({"valid_until": "2020-01-01"}, "valid_until_before_start"),
    ({"valid_until": "2024-01-10"}, "valid_until_before_start"),
    ({"assessed_on": "2024-13-01"}, "assessed_on_invalid"),
    ({"assessor": ""}, "assessor_required"),
])
def test_bad_gradings_are_refused_and_nothing_is_written(world, make_org, data, code):
    org = make_org("东关社区篮球协会")
    good = {"grade": 3, "assessed_on": "2024-01-10", "valid_until": "2029-01-09", "assessor": "聊城市民政局"}
    with pytest.raises(OrganizationError) as exc:
        gradings.add_grading(org, {**good, **data}, actor=world.users["county"])
    assert exc.value.code == code
    assert not Grading.objects.exists()


def test_only_division_staff_grade(world, make_org):
    org = make_org("东关社区篮球协会")
    good = {"grade": 3, "assessed_on": "2024-01-10", "valid_until": "2029-01-09", "assessor": "聊城市民政局"}
    for role in ("supervisor", "other_county", "resident"):
        with pytest.raises(OrganizationError):
            gradings.add_grading(org, good, actor=world.users[role])


def test_gradings_export_says_which_grade_is_in_force(world, make_org, client_for):
    org = make_org("东关社区篮球协会")
    other = make_org("新华社区足球协会", region=world.other_community)
    actor = world.users["superuser"]
    grade(org, 3, today() - datetime.timedelta(days=2000), today() - datetime.timedelta(days=200), actor)
    grade(org, 4, today() - datetime.timedelta(days=1700), today() + datetime.timedelta(days=30), actor)
    grade(other, 5, today() - datetime.timedelta(days=10), today() + datetime.timedelta(days=1800), actor)
    response = client_for("county").get("/staff/organizations/gradings.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0].values)
    assert rows[0][0] == "组织ID" and rows[0][-1] == "当前状态"
    assert [(r[1], r[5], r[-1]) for r in rows[1:]] == [("东关社区篮球协会", "4A", "即将到期"),
                                                      ("东关社区篮球协会", "3A", "已过期")]  # not the other county's
    response = client_for("city").get("/staff/organizations/gradings.xlsx?kind=association&q=足球")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0].values)
    assert [(r[1], r[5], r[-1]) for r in rows[1:]] == [("新华社区足球协会", "5A", "有效")]
