"""Titles over HTTP: the API takes a county's application from opening to the title (live values
beside the criteria), refuses out-of-turn steps with a code, and the staff pages show and act."""

import pytest

from quanmin.accounts.models import Role
from quanmin.planning.models import TitleApplication
from tests.conftest import make_user

P = "/api/v1/planning"


@pytest.fixture
def evaluator(world):
    return make_user("13700000031", "考核组", Role.EVALUATOR, world.city, seq=31)


def test_the_api_from_application_to_title(world, client_for, evaluator):
    county, city = client_for("county"), client_for("city")
    titles = county.get(f"{P}/titles").json()
    assert {t["key"] for t in titles} == {"sports_modern_county", "fitness_model_county"}
    made = county.post(f"{P}/title-applications", {"title": "sports_modern_county",
                                                    "division_code": world.county.code, "year": 2025},
                       content_type="application/json")
    assert made.status_code == 201, made.content
    found = made.json()
    assert found["status"] == "draft" and "area" in found["current_values"]
    url = f"{P}/title-applications/{found['id']}"
    early = county.post(f"{url}/submit", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert early.status_code == 400 and early.json()["code"] == "title_criteria_unanswered"
    answers = [{"key": c["key"], "met": True} for c in found["criteria"]]
    assert county.put(f"{url}/answers", {"answers": answers}, content_type="application/json").status_code == 200
    assert county.post(f"{url}/submit").json()["status"] == "submitted"
    assert city.post(f"{url}/decision", {"decision": "award"}, content_type="application/json").status_code == 409
    scorer = client_for(None)
    scorer.force_login(evaluator)
    scores = [{"key": c["key"], "score": 85} for c in found["criteria"]]
    assert scorer.put(f"{url}/scores", {"scores": scores}, content_type="application/json").status_code == 200
    done = city.post(f"{url}/decision", {"decision": "award", "awarded_on": "2025-12-01"},
                     content_type="application/json")
    assert done.status_code == 200 and done.json()["total"] == "85.00"
    holders = city.get(f"{P}/title-holders").json()
    assert holders["count"] == 1 and holders["items"][0]["division_name"] == "东昌府区"
    assert client_for("other_county").get(url).status_code == 404
    assert client_for("resident").get(f"{P}/title-applications").status_code == 403


def test_pages(world, client_for, evaluator):
    county, city = client_for("county"), client_for("city")
    page = county.get("/staff/plans/titles/")
    assert page.status_code == 200 and "体育现代化县" in page.content.decode()
    county.post("/staff/plans/titles/apply/", {"title": "fitness_model_county", "division": world.county.code,
                                               "year": "2025"})
    application = TitleApplication.objects.get()
    url = f"/staff/plans/titles/{application.pk}/"
    detail = county.get(url).content.decode()
    assert "全部建有“三个一”" in detail and 'name="met_area"' in detail
    data = {f"met_{c.key}": "1" for c in application.criteria.all()}
    assert county.post(url, data).status_code == 302
    county.post(f"{url}submit/")
    application.refresh_from_db()
    assert application.status == "submitted"
    assert 'name="decision"' in city.get(url).content.decode()
    city.post(f"{url}decision/", {"decision": "return", "note": "请补充佐证材料"})
    application.refresh_from_db()
    assert application.status == "returned" and application.decision_note == "请补充佐证材料"
    refused = city.post(f"{url}decision/", {"decision": "award"})  # not submitted: a message, nothing changes
    assert refused.status_code == 302
    application.refresh_from_db()
    assert application.status == "returned"
