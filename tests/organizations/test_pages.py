"""Staff pages and the staff API, end to end through HTTP."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quanmin.organizations import credit
from quanmin.organizations.models import Organization

from .test_io import workbook


def test_register_through_the_page_then_list_detail_and_edit(world, client_for):
    client = client_for("county")
    code = credit.make("1", "371502", 11)
    response = client.post(reverse("organizations:staff_org_new"), {
        "name": "东昌府区游泳协会", "kind": "association", "sector": "general", "status": "registered",
        "credit_code": code, "region_code": world.county.code, "sport_list": ["swimming"], "join_policy": "approval",
        "officer_text": "会长:张三", "founded_on": "2015-04-01"})
    org = Organization.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("organizations:staff_org", args=[org.pk])
    page = client.get(reverse("organizations:staff_orgs"), {"kind": "association"}).content.decode()
    assert "东昌府区游泳协会" in page
    detail = client.get(reverse("organizations:staff_org", args=[org.pk])).content.decode()
    assert "游泳" in detail and code in detail and "张三" in detail
    response = client.post(reverse("organizations:staff_org_edit", args=[org.pk]), {
        "name": "东昌府区游泳协会", "kind": "association", "sector": "youth", "status": "registered",
        "credit_code": code[:-1] + ("0" if code[-1] != "0" else "1"), "region_code": world.county.code,
        "join_policy": "approval"})
    assert response.status_code == 400
    assert "GB 32100" in response.content.decode() or "校验" in response.content.decode()
    org.refresh_from_db()
    assert org.sector == "general"


def test_county_approves_a_filing_on_its_page(world, client_for):
    client_for("community").post(reverse("organizations:staff_org_new"), {
        "name": "东关社区广场舞队", "kind": "fitness_point", "sector": "general", "status": "filed",
        "region_code": world.community.code, "join_policy": "open"})
    org = Organization.objects.get()
    assert org.review == "pending"
    page = client_for("county").get(reverse("organizations:staff_org", args=[org.pk])).content.decode()
    assert reverse("organizations:staff_org_approve", args=[org.pk]) in page
    client_for("county").post(reverse("organizations:staff_org_approve", args=[org.pk]), {"decision": "approve"})
    org.refresh_from_db()
    assert org.review == "approved"


def test_import_page_dry_run_and_apply(world, client_for):
    data = workbook([["东关社区篮球协会", "单项体育协会", "民政登记", credit.make("1", "371502", 1),
                      world.community.code, "篮球", "是"]])
    client = client_for("county")
    response = client.post(reverse("organizations:import"), {"file": SimpleUploadedFile("o.xlsx", data), "mode": "dry_run"})
    assert response.status_code == 200 and not Organization.objects.exists()
    response = client.post(reverse("organizations:import"), {"file": SimpleUploadedFile("o.xlsx", data), "mode": "apply"})
    assert response.status_code == 200 and Organization.objects.count() == 1
    export = client.get(reverse("organizations:export"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert sheet.cell(2, 2).value == "东关社区篮球协会"


def test_api_register_grade_and_errors(world, client_for):
    client = client_for("county")
    body = {"name": "东昌府区足球协会", "kind": "association", "status": "registered", "region": world.county.code,
            "credit_code": "51371502MJ00000188", "sports": ["football"]}
    response = client.post("/api/v1/organizations", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "credit_code_invalid"
    body["credit_code"] = "51371502MJ00000189"
    response = client.post("/api/v1/organizations", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    org_id = response.json()["id"]
    response = client.post("/api/v1/organizations", body, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "name_taken"
    grading = {"grade": 6, "assessed_on": "2024-01-01", "valid_until": "2029-01-01", "assessor": "民政局"}
    response = client.post(f"/api/v1/organizations/{org_id}/gradings", grading, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "grade_out_of_range"
    grading.update(grade=4, valid_until="2023-01-01")
    response = client.post(f"/api/v1/organizations/{org_id}/gradings", grading, content_type="application/json")
    assert response.json()["code"] == "valid_until_before_start"
    grading.update(valid_until="2029-01-01")
    response = client.post(f"/api/v1/organizations/{org_id}/gradings", grading, content_type="application/json")
    assert response.status_code == 201 and response.json()["current"] is True
    history = client.get(f"/api/v1/organizations/{org_id}/history").json()
    assert [h["action"] for h in history["items"]] == ["grading", "create"]
    assert client_for("other_county").get(f"/api/v1/organizations/{org_id}").status_code == 404
