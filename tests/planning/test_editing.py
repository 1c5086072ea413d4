"""The plan's owners edit it and bind or unbind a target's indicator (pages and API), and grant a
department's staff their role from the departments register, outside the admin."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from quanmin.accounts.models import AuditEntry, Membership, Role
from quanmin.planning import selectors
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import Department
from quanmin.planning.services import authoring
from tests.conftest import make_user


def test_owners_edit_the_plan_and_nothing_half_written(world, client_for, liaocheng):
    client = client_for("city")
    url = reverse("planning:plan_edit", args=[liaocheng.key])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "聊城市全民健身三年行动实施方案（修订）", "issuer": "聊城市人民政府",
                                 "document_number": "聊政字〔2021〕1号", "issued_on": "2021-06-01",
                                 "starts_on": "2021-01-01", "ends_on": "2023-12-31"})
    assert response.status_code == 302
    liaocheng.refresh_from_db()
    assert liaocheng.title.endswith("（修订）") and liaocheng.issued_on == date(2021, 6, 1)
    assert AuditEntry.objects.filter(action="update", target_id=str(liaocheng.pk)).exists()
    # A start after a target's deadline is refused, with the field, and nothing changes.
    response = client.post(url, {"title": "改", "starts_on": "2024-01-01", "ends_on": "2025-12-31"})
    assert response.status_code == 200 and "完成期限不能早于" in response.content.decode()
    liaocheng.refresh_from_db()
    assert liaocheng.title.endswith("（修订）") and liaocheng.starts_on == date(2021, 1, 1)
    # A county works to the city's plan but does not own it.
    assert client_for("county").get(url).status_code == 403
    with pytest.raises(PlanningError) as caught:
        authoring.update_plan(world.users["county"], liaocheng, {"title": "越权"})
    assert caught.value.status == 403
    # The API: the owners' PATCH, the county's 403.
    api = f"/api/v1/planning/plans/{liaocheng.key}"
    assert client.patch(api, {"issuer": "市政府"}, content_type="application/json").json()["issuer"] == "市政府"
    assert client_for("county").patch(api, {"issuer": "x"}, content_type="application/json").status_code == 403


def test_bind_and_unbind_a_target_indicator(world, client_for, liaocheng):
    today = timezone.localdate()
    target = liaocheng.targets.get(key="T0-02")  # 体育场地达15000余块: grounds
    client = client_for("city")
    page = client.get(reverse("planning:target", args=[liaocheng.key, target.pk])).content.decode()
    assert 'name="indicator"' in page and 'value="grounds" selected' in page
    url = reverse("planning:target_indicator", args=[liaocheng.key, target.pk])
    assert client.post(url, {"indicator": ""}).status_code == 302
    target.refresh_from_db()
    assert target.indicator == ""
    row = next(r for r in selectors.dashboard(liaocheng, today)["rows"] if r.target.pk == target.pk)
    assert row.source == "none"
    # An indicator of another unit is refused; the binding stays as it was.
    client.post(url, {"indicator": "area_per_resident"})
    target.refresh_from_db()
    assert target.indicator == ""
    assert client.put(f"/api/v1/planning/plans/{liaocheng.key}/targets/{target.pk}/indicator",
                      {"indicator": "grounds"}, content_type="application/json").json()["indicator"] == "grounds"
    response = client.put(f"/api/v1/planning/plans/{liaocheng.key}/targets/{target.pk}/indicator",
                          {"indicator": "area_per_resident"}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "target_indicator_unit")
    # Readers who do not own the plan see no form and change nothing.
    county = client_for("county")
    assert 'name="indicator"' not in county.get(reverse("planning:target", args=[liaocheng.key, target.pk])).content.decode()
    county.post(url, {"indicator": ""})
    target.refresh_from_db()
    assert target.indicator == "grounds"


def test_division_staff_grant_department_staff(world, client_for, liaocheng):
    department = Department.objects.get(division_code=world.city.code, name="市教育体育局")
    person = make_user("13900000021", "王小明", seq=52)
    client = client_for("city")
    add = reverse("planning:department_staff_add", args=[department.pk])
    assert client.post(add, {"phone": "13900000021"}).status_code == 302
    membership = Membership.objects.get(user=person, role=Role.DEPARTMENT_STAFF)
    assert membership.target_id == department.pk
    assert "王小明" in client.get(reverse("planning:departments")).content.decode()
    # An unknown number is told, nothing granted; a county's staff cannot grant the city's.
    client.post(add, {"phone": "13900000099"})
    assert Membership.objects.filter(role=Role.DEPARTMENT_STAFF).count() == 1
    assert client_for("county").post(add, {"phone": "13900000021"}).status_code == 404
    remove = reverse("planning:department_staff_remove", args=[department.pk])
    assert client.post(remove, {"user": str(person.pk)}).status_code == 302
    assert not Membership.objects.filter(user=person, role=Role.DEPARTMENT_STAFF).exists()
