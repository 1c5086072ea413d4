"""The outreach API over real HTTP: staff schedule a lecture in the city's time, residents see it
near them and take a place; the column serves only what is published; bad input is a 400 with a
code and a Chinese message, nothing written."""

from quanmin.outreach import services
from quanmin.outreach.models import Lecture, LectureSignup

from .conftest import lecture_data

P = "/api/v1/outreach"


def test_schedule_then_a_resident_signs_up_and_gives_it_back(world, client_for):
    staff = client_for("county")
    made = staff.post(f"{P}/lectures", lecture_data(world.community), content_type="application/json")
    assert made.status_code == 201, made.content
    lecture = made.json()
    assert lecture["starts_at"].endswith("T01:30:00Z")  # 09:30 in Liaocheng and lecture["topic_label"]
    resident = client_for("resident")
    listed = resident.get(f"{P}/upcoming").json()
    assert [x["id"] for x in listed["items"]] == [lecture["id"]] and not listed["items"][0]["signed_up_by_me"]
    # The other county's resident does not see a lecture of this county.
    assert client_for("other_resident").get(f"{P}/upcoming").json()["count"] == 0
    taken = resident.post(f"{P}/upcoming/{lecture['id']}/signup")
    assert taken.status_code == 201 and taken.json()["places_left"] == 1 and taken.json()["signed_up_by_me"]
    again = resident.post(f"{P}/upcoming/{lecture['id']}/signup", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert again.status_code == 409 and again.json()["code"] == "already_signed_up" and "已报名" in again.json()["message"]
    assert resident.delete(f"{P}/upcoming/{lecture['id']}/signup").status_code == 204
    assert client_for(None).post(f"{P}/upcoming/{lecture['id']}/signup").status_code == 401
    assert staff.get(f"{P}/lectures/{lecture['id']}").json()["signed_up"] == 0


def test_bad_lecture_answers_400_in_chinese_and_writes_nothing(world, client_for):
    answer = client_for("county").post(f"{P}/lectures", lecture_data(world.community, topic="dance"),
                                       content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400 and answer.json()["code"] == "topic_unknown"
    assert "请从" in answer.json()["message"] and not Lecture.objects.exists()
    full = services.save_lecture(world.users["county"], lecture_data(world.community, capacity=1))
    services.sign_up(world.users["other_resident"], full)
    answer = client_for("resident").post(f"{P}/upcoming/{full.pk}/signup", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 409 and answer.json()["code"] == "lecture_full"
    assert LectureSignup.objects.count() == 1


def test_the_column_serves_published_articles_only(world, client_for):
    staff = client_for("county")
    made = staff.post(f"{P}/articles", {"region": world.county.code, "title": "冬季锻炼注意事项",
                                        "category": "knowledge", "body": "<b>热身</b>要充分"},
                      content_type="application/json").json()
    assert client_for(None).get(f"{P}/column/{made['id']}").status_code == 404
    assert staff.post(f"{P}/articles/{made['id']}/publish", {"publish": True},
                      content_type="application/json").status_code == 200
    shown = client_for(None).get(f"{P}/column/{made['id']}").json()
    assert shown["body"] == "<b>热身</b>要充分" and shown["published_at"]
    assert client_for(None).get(f"{P}/column").json()["count"] == 1


def test_figures_show_the_counties_norm(world, client_for):
    rows = client_for("city").get(f"{P}/figures").json()
    by_code = {r["region"]: r for r in rows}
    assert by_code[world.city.code]["lecture_norm_met"] is None
    assert by_code[world.county.code]["lecture_norm_met"] is False
