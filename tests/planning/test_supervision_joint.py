"""Tracking research with the people's congress, the CPPCC and the supervision offices (seed 002,
task 8: 「建立与区人大、区政协和区委督查室、区政府督查室协调联动的重大体育工作跟踪调研和督查机制」): a visit names
the bodies it is carried out with, by the pages or the API, and shows them by name, never by code;
a body not offered is refused and writes nothing."""

from datetime import date

import pytest
from django.urls import reverse

from quanmin.planning.errors import PlanningError
from quanmin.planning.models import Visit
from quanmin.planning.services import supervision

VISIT = {"title": "全民健身工作联合跟踪调研", "schedule": "regular", "coverage": "overall", "kind": "special",
         "manner": "announced", "planned_on": date(2023, 6, 1)}


def test_a_visit_keeps_the_bodies_once_in_their_order(world, liaocheng):
    visit = supervision.plan_visit(world.users["supervisor"], liaocheng, division_code=world.county.code,
                                   joint_with=["government_office", "congress", "congress"], **VISIT)
    assert Visit.objects.get(pk=visit.pk).joint_with == ["congress", "government_office"]
    assert supervision.plan_visit(world.users["supervisor"], liaocheng, division_code=world.county.code,
                                  **VISIT).joint_with == []
    with pytest.raises(PlanningError) as refused:
        supervision.plan_visit(world.users["supervisor"], liaocheng, division_code=world.county.code,
                               joint_with=["congress", "press"], **VISIT)
    assert (refused.value.code, refused.value.field) == ("supervision_choice", "joint_with")
    assert Visit.objects.count() == 2


def test_the_api_takes_and_names_the_bodies(world, client_for, liaocheng):
    boss = client_for("supervisor")
    body = {**VISIT, "planned_on": "2023-06-01", "plan_key": liaocheng.key, "division_code": world.county.code,
            "joint_with": ["cppcc", "congress"]}
    made = boss.post("/api/v1/planning/supervision/visits", body, content_type="application/json",
                     HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert made.status_code == 201, made.json()
    assert (made.json()["joint_with"], made.json()["joint_with_labels"]) == (["congress", "cppcc"], ["人大办", "政协办"])
    bad = boss.post("/api/v1/planning/supervision/visits", {**body, "joint_with": ["press"]},
                    content_type="application/json")
    assert (bad.status_code, bad.json()["code"]) == (400, "supervision_choice")
    listed = client_for("county").get("/api/v1/planning/supervision/visits").json()["items"]
    assert [v["joint_with"] for v in listed] == [["congress", "cppcc"]]


def test_the_pages_take_and_show_the_bodies_by_name(world, client_for, liaocheng):
    boss = client_for("supervisor")
    form = boss.get(reverse("planning:supervision")).content.decode()
    assert 'name="joint_with"' in form and "党委督查室" in form
    response = boss.post(reverse("planning:supervision"), {
        **VISIT, "planned_on": "2023-06-01", "plan": liaocheng.key, "division_code": world.county.code,
        "joint_with": ["party_office", "congress"]})
    visit = Visit.objects.get()
    assert response.status_code == 302 and visit.joint_with == ["congress", "party_office"]
    page = client_for("county").get(reverse("planning:visit", args=[visit.pk])).content.decode()
    assert "联合开展单位" in page and "人大办、党委督查室" in page and "party_office" not in page
    assert "人大办、党委督查室" in client_for("county").get(reverse("planning:supervision")).content.decode()


def test_the_admin_shows_the_bodies_by_name(world, client_for, liaocheng):
    visit = supervision.plan_visit(world.users["supervisor"], liaocheng, division_code=world.county.code,
                                   joint_with=["cppcc"], **VISIT)
    page = client_for("superuser").get(reverse("admin:planning_visit_change", args=[visit.pk])).content.decode()
    assert "政协办" in page and '"cppcc"' not in page
