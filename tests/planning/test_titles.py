"""Titles (G16): a county applies for 体育现代化县 or 全民健身运动模范县, answers the criteria (the
indicators' live values beside them), submits; an evaluator scores; the city awards or returns.
Every refused step changes nothing; the title holders are counted by the indicators in one query."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quanmin.accounts.models import AuditEntry, Role
from quanmin.core import indicators
from quanmin.planning import titles
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import TitleApplication
from quanmin.planning.services import titles as services
from tests.conftest import make_user

SEEDS = Path(__file__).resolve().parent / "seeds"
MODERN, MODEL = "sports_modern_county", "fitness_model_county"


@pytest.fixture
def evaluator(world):
    return make_user("13700000031", "考核组", Role.EVALUATOR, world.city, seq=31)


def answer_all(user, application, met=True):
    return services.save_answers(user, application, [{"key": c.key, "met": met, "note": "见附件"}
                                                     for c in application.criteria.all()])


def score_all(user, application, score="90"):
    return services.save_scores(user, application, [{"key": c.key, "score": score}
                                                    for c in application.criteria.all()])


def submitted(world, title=MODERN, year=2025, county="county"):
    user = world.users[county]
    code = world.county.code if county == "county" else world.other_county.code
    application = services.open_application(user, title=title, division_code=code, year=year)
    answer_all(user, application)
    return services.submit(user, application)


def test_the_titles_criteria_are_data_with_the_seeds_words():
    found = titles.titles()
    assert set(found) == {MODERN, MODEL}
    for title in found.values():
        text = (SEEDS / title.seed).read_text(encoding="utf-8")
        assert title.quote in text and title.target_quote in text
        assert sum(c.weight for c in title.criteria) == 100
        assert len({c.key for c in title.criteria}) == len(title.criteria)
        for c in title.criteria:
            assert c.quote in text, c.key
            assert not c.indicator or (c.indicator in indicators.registry() and c.comparator and c.value is not None)
    assert found[MODERN].target_quote == "体育现代化县（市、区）达到4个"


def test_the_whole_way_to_a_title(world, evaluator):
    county, city = world.users["county"], world.users["city"]
    application = services.open_application(county, title=MODERN, division_code=world.county.code, year=2025)
    assert application.criteria.count() == len(titles.titles()[MODERN].criteria)
    answer_all(county, application)
    application = services.submit(county, application)
    assert application.status == "submitted"
    area = application.criteria.get(key="area")
    assert area.live_value is not None  # the county's sports-ground area per resident, kept when submitted
    score_all(evaluator, application)
    application = services.decide(city, application, decision="award", awarded_on=datetime.date(2025, 12, 1))
    assert (application.status, application.total, application.awarded_on) == (
        "awarded", Decimal("90.00"), datetime.date(2025, 12, 1))
    actions = list(AuditEntry.objects.filter(target_type="planning.titleapplication").values_list("action", flat=True))
    assert actions.count("set_status") == 2 and "create" in actions


def test_a_returned_application_is_answered_again_and_resubmitted(world, evaluator):
    county, city = world.users["county"], world.users["city"]
    application = submitted(world)
    with pytest.raises(PlanningError) as caught:
        services.decide(city, application, decision="return", note=" ")
    assert caught.value.code == "note_required"
    application = services.decide(city, application, decision="return", note="请补充年度评估报告")
    assert application.status == "returned"
    answer_all(county, application, met=False)
    assert services.submit(county, application).status == "submitted"


@pytest.mark.parametrize(("step", "code", "status"), [
    ("submit_unanswered", "title_criteria_unanswered", 400),
    ("score_draft", "title_application_state", 409),
    ("decide_draft", "title_application_state", 409),
    ("award_unscored", "title_criteria_unscored", 409),
    ("award_below_pass", "title_below_pass", 409),
    ("answer_submitted", "title_application_state", 409),
    ("score_out_of_range", "title_score_invalid", 400),
    ("score_unknown_key", "title_criterion_unknown", 400),
    ("award_in_the_future", "title_award_date", 400),
    ("decide_nonsense", "title_decision", 400),
])
def test_refused_transitions_change_nothing(world, evaluator, step, code, status):
    county, city = world.users["county"], world.users["city"]
    draft = services.open_application(county, title=MODEL, division_code=world.county.code, year=2024)
    sent = submitted(world, MODERN, 2025)
    acts = {
        "submit_unanswered": lambda: services.submit(county, draft),
        "score_draft": lambda: score_all(evaluator, draft),
        "decide_draft": lambda: services.decide(city, draft, decision="award"),
        "award_unscored": lambda: services.decide(city, sent, decision="award"),
        "award_below_pass": lambda: (score_all(evaluator, sent, "79.99"),
                                     services.decide(city, sent, decision="award")),
        "answer_submitted": lambda: answer_all(county, sent, met=False),
        "score_out_of_range": lambda: services.save_scores(evaluator, sent, [{"key": "area", "score": "100.01"}]),
        "score_unknown_key": lambda: services.save_scores(evaluator, sent, [{"key": "nope", "score": "1"}]),
        "award_in_the_future": lambda: (score_all(evaluator, sent),
                                        services.decide(city, sent, decision="award",
                                                        awarded_on=datetime.date(2099, 1, 1))),
        "decide_nonsense": lambda: services.decide(city, sent, decision="maybe"),
    }
    before = {a.pk: (a.status, a.total) for a in TitleApplication.objects.all()}
    with pytest.raises(PlanningError) as caught:
        acts[step]()
    assert (caught.value.code, caught.value.status) == (code, status)
    assert {a.pk: (a.status, a.total) for a in TitleApplication.objects.all()} == before


def test_who_may_do_what(world, evaluator):
    county, city, other = world.users["county"], world.users["city"], world.users["other_county"]
    with pytest.raises(PlanningError) as caught:  # the city decides, it does not apply
        services.open_application(city, title=MODERN, division_code=world.county.code, year=2025)
    assert caught.value.status == 403
    with pytest.raises(PlanningError):
        services.open_application(other, title=MODERN, division_code=world.county.code, year=2025)
    with pytest.raises(PlanningError) as caught:  # a township is not a county
        services.open_application(county, title=MODERN, division_code=world.township.code, year=2025)
    assert caught.value.code == "title_division"
    with pytest.raises(PlanningError) as caught:
        services.open_application(county, title="best_county", division_code=world.county.code, year=2025)
    assert caught.value.code == "title_unknown"
    sent = submitted(world)
    with pytest.raises(PlanningError) as caught:  # a county's staff do not score themselves
        score_all(county, sent)
    assert caught.value.code == "title_not_evaluator"
    with pytest.raises(PlanningError) as caught:
        services.decide(county, sent, decision="award")
    assert caught.value.code == "title_not_city"
    with pytest.raises(PlanningError) as caught:
        services.open_application(county, title=MODERN, division_code=world.county.code, year=2025)
    assert caught.value.code == "title_application_exists" and caught.value.status == 409


def test_a_title_is_held_once(world, evaluator):
    county, city = world.users["county"], world.users["city"]
    sent = submitted(world)
    score_all(evaluator, sent)
    services.decide(city, sent, decision="award", awarded_on=datetime.date(2025, 12, 1))
    with pytest.raises(PlanningError) as caught:
        services.open_application(county, title=MODERN, division_code=world.county.code, year=2026)
    assert caught.value.code == "title_held"


def test_holders_counted_against_a_hand_count(world, evaluator):
    city = world.users["city"]
    for county, title, day in (("county", MODERN, datetime.date(2025, 6, 1)),
                               ("other_county", MODERN, datetime.date(2026, 3, 1)),
                               ("county", MODEL, datetime.date(2025, 9, 1))):
        sent = submitted(world, title, 2025, county)
        score_all(evaluator, sent)
        services.decide(city, sent, decision="award", awarded_on=day)
    submitted(world, MODEL, 2025, "other_county")  # submitted, not awarded: not counted
    wanted = [world.city.code, world.county.code, world.other_county.code, world.township.code]
    with CaptureQueriesContext(connection) as queries:
        modern = indicators.compute("sports_modern_counties", wanted, datetime.date(2026, 6, 30))
    assert len(queries) == 1
    assert modern == {world.city.code: 2, world.county.code: 1, world.other_county.code: 1, world.township.code: 0}
    assert indicators.compute("sports_modern_counties", [world.city.code], datetime.date(2025, 12, 31)) == {
        world.city.code: 1}  # the other county's title came in 2026
    assert indicators.compute("fitness_model_counties", [world.city.code], datetime.date(2026, 6, 30)) == {
        world.city.code: 1}
