import datetime

import pytest
from django.utils import timezone

from quanmin.surveys import services


def make_survey(world, kind="regular_exercise", region=None, status="open", **extra):
    today = timezone.localdate()
    survey = services.create_survey({
        "title": "2026年经常参加体育锻炼人数调查" if kind == "regular_exercise" else "2026年全民健身满意度调查",
        "kind": kind, "region": (region or world.city).code, "opens_on": today - datetime.timedelta(days=5),
        "closes_on": today + datetime.timedelta(days=25), **extra}, actor=world.users["superuser"])
    if status != "draft":
        services.set_status(survey, "open", actor=world.users["superuser"])
    survey.refresh_from_db()
    return survey


def exercise_answers(survey, regular=True) -> dict:
    """Answers of a regular exerciser (or of someone exercising twice a week)."""
    q = {x.key: str(x.pk) for x in survey.questions.all()}
    return {q["frequency"]: "3" if regular else "2", q["duration"]: "30_59", q["intensity"]: "moderate",
            q["activities"]: ["walking", "running"]}


def satisfaction_answers(survey, mark=4) -> dict:
    return {str(x.pk): mark for x in survey.questions.all() if x.kind == "scale"}


@pytest.fixture
def survey(world):
    return make_survey(world)
