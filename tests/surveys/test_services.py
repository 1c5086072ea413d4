"""Surveys' services on a real database: making a survey, its questions and quotas, answering once."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from quanmin.surveys import services
from quanmin.surveys.errors import SurveyError
from quanmin.surveys.models import Question, Quota, Respondent, Response, Survey
from tests.conftest import make_user

from .conftest import exercise_answers, make_survey, satisfaction_answers


def _code(call) -> str:
    with pytest.raises(SurveyError) as caught:
        call()
    return caught.value.code


def _nothing_written(survey, responses=0):
    survey.refresh_from_db()
    assert survey.response_count == Response.objects.filter(survey=survey).count() == responses
    assert Respondent.objects.filter(survey=survey).count() == responses
    if not responses:
        assert not any(q.filled for q in survey.quotas.all())


def test_a_survey_starts_with_its_standard_questionnaire(world):
    survey = make_survey(world, status="draft")
    assert survey.status == "draft"
    assert [q.key for q in survey.questions.all()] == ["frequency", "duration", "intensity", "activities", "place"]
    satisfaction = make_survey(world, kind="satisfaction", status="draft")
    assert sum(q.kind == "scale" for q in satisfaction.questions.all()) == 7
    assert satisfaction.min_age == 16 and survey.min_age == 7


@pytest.mark.parametrize("data, code", [
    ({"kind": "poll"}, "kind_invalid"),
    ({"region": "999999999999"}, "region_unknown"),
    ({"title": ""}, "title_invalid"),
    ({"closes_on": "2020-01-01"}, "closes_before_opens"),
    ({"opens_on": "2026-13-01"}, "opens_on_invalid"),
    ({"min_age": "3"}, "min_age_invalid"),
])
def test_bad_surveys_are_refused_and_nothing_is_made(world, data, code):
    base = {"title": "调查", "kind": "regular_exercise", "region": world.county.code, "opens_on": "2026-01-01",
            "closes_on": "2026-02-01"}
    assert _code(lambda: services.create_survey({**base, **data}, actor=world.users["county"])) == code
    assert not Survey.objects.exists() and not Question.objects.exists()


def test_a_county_surveys_only_its_own_division(world):
    data = {"title": "调查", "kind": "satisfaction", "region": world.other_county.code, "opens_on": "2026-01-01",
            "closes_on": "2026-02-01"}
    assert _code(lambda: services.create_survey(data, actor=world.users["county"])) == "region_out_of_scope"
    survey = services.create_survey({**data, "region": world.county.code}, actor=world.users["county"])
    assert survey.weighting == "township"  # a county's answers are weighted by its townships
    assert _code(lambda: services.set_status(survey, "open", actor=world.users["other_county"])) == "forbidden"
    assert _code(lambda: services.set_status(survey, "open", actor=world.users["supervisor"])) == "forbidden"


def test_questions_and_quotas_change_only_in_a_draft(world):
    survey = make_survey(world, status="draft")
    staff = world.users["city"]
    question = services.add_question(survey, {"text": "您家附近有健身路径吗？", "kind": "single",
                                              "choices": "有\n没有\n不清楚"}, actor=staff)
    assert question.position == 6 and [c["label"] for c in question.choices] == ["有", "没有", "不清楚"]
    assert _code(lambda: services.add_question(survey, {"text": "x", "kind": "single", "choices": "仅一项"},
                                               actor=staff)) == "choices_invalid"
    assert _code(lambda: services.delete_question(survey.questions.get(key="frequency"), actor=staff)) \
        == "question_standard"
    quota = services.add_quota(survey, {"region": world.county.code, "sex": "female", "target": 50}, actor=staff)
    assert _code(lambda: services.add_quota(survey, {"region": world.county.code, "sex": "female", "target": 5},
                                            actor=staff)) == "quota_exists"
    assert _code(lambda: services.add_quota(survey, {"target": 0}, actor=staff)) == "target_invalid"
    other_city = Survey.objects.create(title="x", kind="satisfaction", region=world.county, opens_on="2026-01-01",
                                       closes_on="2026-01-02")
    assert _code(lambda: services.add_quota(other_city, {"region": world.other_community.code, "target": 5},
                                            actor=staff)) == "region_outside_survey"
    services.set_status(survey, "open", actor=staff)
    survey.refresh_from_db()
    assert _code(lambda: services.add_question(survey, {"text": "y", "kind": "text"}, actor=staff)) == "survey_not_draft"
    assert _code(lambda: services.delete_quota(quota, actor=staff)) == "survey_not_draft"
    services.set_status(survey, "closed", actor=staff)
    assert _code(lambda: services.set_status(survey, "open", actor=staff)) == "status_change"


def test_a_resident_answers_once(world, survey):
    resident = world.users["resident"]
    response = services.answer(survey, resident, exercise_answers(survey))
    assert response.regular is True and response.region_id == world.community.code
    assert response.sex == resident.sex and response.age_band == "40_59"
    assert services.has_answered(survey, resident)
    assert _code(lambda: services.answer(survey, resident, exercise_answers(survey, regular=False))) \
        == "already_answered"
    _nothing_written(survey, responses=1)
    # Nothing in the answer row says who gave it.
    assert not {f.name for f in Response._meta.get_fields()} & {"user", "person_hash", "respondent"}


def test_a_twice_a_week_exerciser_is_not_regular(world, survey):
    assert services.answer(survey, world.users["resident"], exercise_answers(survey, regular=False)).regular is False


@pytest.mark.parametrize("change, code", [
    (lambda a, q: a.pop(q["frequency"]), "answer_required"),
    (lambda a, q: a.update({q["frequency"]: "7"}), "answer_invalid"),
    (lambda a, q: a.update({q["activities"]: ["walking", "flying"]}), "answer_invalid"),
    (lambda a, q: a.update({"999999": "3"}), "question_unknown"),
    (lambda a, q: a.update({q["duration"]: ["30_59"]}), "answer_invalid"),
])
def test_bad_answers_are_refused_and_nothing_is_written(world, survey, change, code):
    answers = exercise_answers(survey)
    change(answers, {x.key: str(x.pk) for x in survey.questions.all()})
    assert _code(lambda: services.answer(survey, world.users["resident"], answers)) == code
    _nothing_written(survey)


def test_scale_and_text_answers_are_checked(world):
    survey = make_survey(world, kind="satisfaction")
    answers = satisfaction_answers(survey)
    scale = next(iter(answers))
    for bad in (0, 6, "4.5", True):
        assert _code(lambda bad=bad: services.answer(survey, world.users["resident"], {**answers, scale: bad})) \
            == "answer_invalid"
    text = str(survey.questions.get(key="suggestions").pk)
    assert _code(lambda: services.answer(survey, world.users["resident"], {**answers, text: "长" * 501})) \
        == "answer_too_long"
    response = services.answer(survey, world.users["resident"], {**answers, scale: 2, text: "多建篮球场"})
    # Six marks of 4 and one of 2: (6 × 75 + 25) ÷ 7.
    assert response.score == Decimal("67.86")
    _nothing_written(survey, responses=1)


def test_who_may_answer(world, survey):
    resident = world.users["resident"]
    county_survey = make_survey(world, region=world.other_county)
    assert _code(lambda: services.answer(county_survey, resident, exercise_answers(county_survey))) == "outside_survey"
    resident.id_number_hash = ""
    assert _code(lambda: services.answer(survey, resident, exercise_answers(survey))) == "real_name_required"
    resident.refresh_from_db()
    draft = make_survey(world, status="draft")
    assert _code(lambda: services.answer(draft, world.users["resident"], exercise_answers(draft))) == "survey_not_open"
    late = make_survey(world)
    Survey.objects.filter(pk=late.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    late.refresh_from_db()
    assert _code(lambda: services.answer(late, world.users["resident"], exercise_answers(late))) == "survey_not_open"
    old = make_survey(world, min_age="60")
    assert _code(lambda: services.answer(old, world.users["resident"], exercise_answers(old))) == "too_young"
    for s in (survey, county_survey, draft, late, old):
        _nothing_written(s)


def test_an_answer_takes_a_place_in_every_quota_it_falls_in(world):
    survey = make_survey(world, status="draft")
    staff = world.users["superuser"]
    by_county = services.add_quota(survey, {"region": world.county.code, "target": 10}, actor=staff)
    by_sex = services.add_quota(survey, {"region": world.city.code, "sex": "male", "age_band": "40_59", "target": 1},
                                actor=staff)
    other = services.add_quota(survey, {"region": world.city.code, "sex": "female", "target": 1}, actor=staff)
    services.set_status(survey, "open", actor=staff)
    survey.refresh_from_db()
    services.answer(survey, world.users["resident"], exercise_answers(survey))
    assert [Quota.objects.get(pk=q.pk).filled for q in (by_county, by_sex, other)] == [1, 1, 0]
    # The city's quota of men aged 40–59 is full: the next such man is turned away, nothing taken.
    neighbour = make_user("13600000001", "邻居", home=world.community, birth="19750505", seq=31)
    assert _code(lambda: services.answer(survey, neighbour, exercise_answers(survey))) == "quota_full"
    assert [Quota.objects.get(pk=q.pk).filled for q in (by_county, by_sex, other)] == [1, 1, 0]
    _nothing_written(survey, responses=1)
