"""The surveys' pages and API over real HTTP: staff make, fill and open a survey; a resident answers
it on the phone page once; results and the Excel export read back what was answered."""

import io

import openpyxl
from django.urls import reverse

from quanmin.surveys import services
from quanmin.surveys.models import Quota, Response, Survey

from .conftest import exercise_answers, make_survey


def test_staff_make_a_survey_add_a_quota_and_open_it(world, client_for):
    client = client_for("county")
    response = client.post(reverse("surveys:staff_new"), {
        "title": "东昌府区经常参加体育锻炼人数调查", "kind": "regular_exercise", "region": world.county.code,
        "opens_on": "2026-01-01", "closes_on": "2099-12-31", "weighting": "county", "sample_target": "300"})
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("surveys:staff_survey", args=[survey.pk])
    assert survey.weighting == "township" and survey.questions.count() == 5
    client.post(reverse("surveys:staff_quota_add", args=[survey.pk]),
                {"region": world.township.code, "sex": "female", "age_band": "", "target": "40"})
    client.post(reverse("surveys:staff_question_add", args=[survey.pk]),
                {"text": "您家附近有健身路径吗？", "kind": "single", "choices": "有\n没有", "required": "on"})
    assert Quota.objects.get(survey=survey).target == 40 and survey.questions.count() == 6
    page = client.get(reverse("surveys:staff_survey", args=[survey.pk])).content.decode()
    assert "您家附近有健身路径吗？" in page and "古楼街道" in page and "One choice<" not in page  # translated
    client.post(reverse("surveys:staff_status", args=[survey.pk]), {"status": "open"})
    assert Survey.objects.get(pk=survey.pk).status == "open"
    # The neighbouring county's staff do not see it at all.
    assert client_for("other_county").get(reverse("surveys:staff_survey", args=[survey.pk])).status_code == 404


def test_a_bad_new_survey_is_shown_again_with_the_reason(world, client_for):
    response = client_for("county").post(reverse("surveys:staff_new"), {
        "title": "调查", "kind": "satisfaction", "region": world.other_county.code, "opens_on": "2026-01-01",
        "closes_on": "2026-02-01", "weighting": "county"})
    assert response.status_code == 400 and "region" in response.context["form"].errors
    assert not Survey.objects.exists()


def test_a_resident_answers_on_the_phone_page_once(world, client_for):
    survey = make_survey(world)
    client = client_for("resident")
    url = reverse("surveys:answer", args=[survey.pk])
    page = client.get(url).content.decode()
    assert page.count('type="radio"') == 5 + 3 + 3 + 6 and 'type="checkbox"' in page
    q = {x.key: x.pk for x in survey.questions.all()}
    # A required question left out: the page comes back with the reason and the choices kept.
    short = client.post(url, {f"q{q['frequency']}": "3", f"q{q['duration']}": "30_59"})
    assert short.status_code == 400 and Response.objects.count() == 0
    assert 'value="3" checked' in short.content.decode()
    done = client.post(url, {f"q{q['frequency']}": "5", f"q{q['duration']}": "60_plus",
                             f"q{q['intensity']}": "vigorous", f"q{q['activities']}": ["running", "swimming"]})
    assert done.status_code == 302
    answer = Response.objects.get()
    assert answer.regular is True and answer.answers[str(q["activities"])] == ["running", "swimming"]
    again = client.post(url, {f"q{q['frequency']}": "0", f"q{q['duration']}": "lt30", f"q{q['intensity']}": "light"})
    assert again.status_code == 409 and Response.objects.count() == 1
    assert client.get(url).context["answered"] is True
    listing = client.get(reverse("surveys:open"))
    assert survey in listing.context["surveys"] and survey.pk in listing.context["answered"]


def test_the_api_answers_once_and_reports_results(world, client_for):
    survey = make_survey(world)
    resident = client_for("resident")
    url = f"/api/v1/surveys/open/{survey.pk}/answers"
    ok = resident.post(url, {"answers": exercise_answers(survey)}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["regular"] is True
    twice = resident.post(url, {"answers": exercise_answers(survey)}, content_type="application/json")
    assert twice.status_code == 409 and twice.json()["code"] == "already_answered"
    bad = client_for("other_resident").post(url, {"answers": {"1": {"x": 1}}}, content_type="application/json")
    assert bad.status_code == 422
    staff = client_for("city")
    found = staff.get(f"/api/v1/surveys/{survey.pk}/results").json()
    assert found["divisions"][0]["answers"] == 1 and found["divisions"][0]["value"] is None  # too few
    assert staff.get("/api/v1/surveys").json()["items"][0]["response_count"] == 1


def test_the_export_holds_results_and_anonymous_answers(world, client_for):
    survey = make_survey(world)
    services.answer(survey, world.users["resident"], exercise_answers(survey))
    response = client_for("city").get(reverse("surveys:staff_export", args=[survey.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheetnames) == 5
    answers = list(book.worksheets[4].values)
    assert len(answers) == 2 and "东关社区" in answers[1]
    assert "是" in answers[1]  # a regular exerciser, in the site's language
    assert "跑步、健步走" in answers[1]  # choices by their labels
    # Nothing in the sheet names the person.
    flat = " ".join(str(v) for row in answers for v in row)
    assert "居民" not in flat and world.users["resident"].id_number_hash not in flat
