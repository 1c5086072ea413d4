"""The register over HTTP: the API registers, reads with the norm check, refuses a stage going
back and an acceptance below the norm without a reason (400 in Chinese, nothing written); the
staff pages list, show the check and accept."""

from quanmin.residential.models import ResidentialProject, Status

from .conftest import project_data

P = "/api/v1/residential"


def body(world, **extra):
    data = project_data(world, **extra)
    data["indoor_area"], data["outdoor_area"] = float(data["indoor_area"]), float(data["outdoor_area"])
    return data


def test_register_read_and_accept_over_the_api(world, client_for):
    client = client_for("county")
    made = client.post(f"{P}/projects", body(world, indoor_area="50"), content_type="application/json")
    assert made.status_code == 201, made.content
    found = made.json()
    assert found["norm_check"]["compliant"] is False and found["norm_check"]["indoor_short"] == "50.00"
    url = f"{P}/projects/{found['id']}"
    back = client.put(url, body(world, status="approved", completed_on=None), content_type="application/json")
    assert back.status_code == 409 and back.json()["code"] == "status_backwards"
    refused = client.post(f"{url}/accept", {"accepted_on": "2025-11-01"}, content_type="application/json",
                          HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 400 and refused.json()["code"] == "norm_not_met"
    assert "理由" in refused.json()["message"]
    assert ResidentialProject.objects.get().status == Status.BUILT
    accepted = client.post(f"{url}/accept", {"accepted_on": "2025-11-01", "reason": "配建于社区中心"},
                           content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    listed = client.get(f"{P}/projects?compliant=0&limit=10").json()
    assert listed["count"] == 1 and listed["items"][0]["shortfall_reason"] == "配建于社区中心"
    rows = client.get(f"{P}/figures?as_of=2026-06-30").json()
    assert rows[0]["region"] == world.county.code and rows[0]["projects"] == 1 and rows[0]["accepted_below"] == 1
    norm = client.get(f"{P}/norm").json()
    assert norm["indoor_quote"] == "室内人均建筑面积不低于0.1平方米"


def test_zero_residents_is_refused_at_the_api(world, client_for):
    answer = client_for("county").post(f"{P}/projects", body(world, residents=0), content_type="application/json")
    assert answer.status_code == 422 or answer.status_code == 400
    assert not ResidentialProject.objects.exists()


def test_others_are_refused(world, client_for, project):
    assert client_for("other_county").get(f"{P}/projects/{project.pk}").status_code == 404
    assert client_for("resident").get(f"{P}/projects").status_code == 403
    answer = client_for("supervisor").post(f"{P}/projects/{project.pk}/accept", {"accepted_on": "2025-11-01"},
                                           content_type="application/json")
    assert answer.status_code == 403


def test_pages(world, client_for, project):
    client = client_for("county")
    listed = client.get("/staff/residential/")
    assert listed.status_code == 200 and "东关花园" in listed.content.decode()
    page = client.get(f"/staff/residential/{project.pk}/").content.decode()
    assert "accepted_on" in page  # the acceptance form of a built project
    short = client.post(f"/staff/residential/{project.pk}/", {**project_data(world, indoor_area="1"), "households": ""})
    assert short.status_code == 302
    refused = client.post(f"/staff/residential/{project.pk}/accept/", {"accepted_on": "2025-11-01"})
    assert refused.status_code == 302
    project.refresh_from_db()
    assert project.status == Status.BUILT and not project.compliant
    client.post(f"/staff/residential/{project.pk}/accept/", {"accepted_on": "2025-11-01", "reason": "用地受限"})
    project.refresh_from_db()
    assert project.status == Status.ACCEPTED
    assert client.get("/staff/residential/figures/").status_code == 200
    assert client.get("/staff/residential/export.xlsx").status_code == 200
    assert client.post("/staff/residential/import/", {}).status_code == 400
