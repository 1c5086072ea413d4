"""Answers at once, as threads and as separate processes, on whichever database runs the suite
(the PostgreSQL pass too: DATABASE_URL=postgres://…).

The same person answering from several phones at once leaves one answer and one respondent, every
other attempt gets `already_answered`; 40 people answering a quota of 15 at once leave exactly 15,
the others get `quota_full`; no lock or deadlock error reaches anybody.
"""

import pytest

from quanmin.accounts import services as accounts
from quanmin.accounts.models import User
from quanmin.demo.accounts import make_id_number
from quanmin.surveys import services
from quanmin.surveys.errors import SurveyError
from quanmin.surveys.models import Quota, Respondent, Response, Survey
from tests.races import RUNNERS, outcome

from .conftest import exercise_answers, make_survey

pytestmark = pytest.mark.django_db(transaction=True)


def _attempt(survey_id, user_id):
    def call():
        survey = Survey.objects.get(pk=survey_id)
        services.answer(survey, User.objects.get(pk=user_id), exercise_answers(survey))

    return outcome(call, SurveyError)


@pytest.mark.parametrize("runner", RUNNERS)
def test_one_person_answering_twelve_times_at_once_leaves_one_answer(world, runner):
    survey = make_survey(world)
    results = RUNNERS[runner](_attempt, [(survey.pk, world.users["resident"].pk)] * 12)
    assert results.count("ok") == 1 and set(results) == {"ok", "already_answered"}, results
    survey.refresh_from_db()
    assert survey.response_count == 1 == Response.objects.filter(survey=survey).count()
    assert Respondent.objects.filter(survey=survey).count() == 1


@pytest.mark.parametrize("runner", RUNNERS)
def test_forty_people_answering_a_quota_of_fifteen_leave_fifteen(world, runner):
    survey = make_survey(world, status="draft")
    quota = services.add_quota(survey, {"region": world.community.code, "target": 15}, actor=world.users["superuser"])
    services.set_status(survey, "open", actor=world.users["superuser"])
    people = [accounts.create_user(phone=f"1350001{i:04d}", password=None, real_name=f"居民{i}",
                                   id_number=make_id_number(world.community.code, "19900101", 300 + i, i % 2 == 0),
                                   home_region=world.community).pk for i in range(40)]
    results = RUNNERS[runner](_attempt, [(survey.pk, p) for p in people])
    assert results.count("ok") == 15 and set(results) == {"ok", "quota_full"}, results
    survey.refresh_from_db()
    assert Quota.objects.get(pk=quota.pk).filled == 15 == survey.response_count
    assert Response.objects.filter(survey=survey).count() == 15 == Respondent.objects.filter(survey=survey).count()
