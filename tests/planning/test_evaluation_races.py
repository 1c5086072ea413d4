"""An evaluator's score against the plan owners' approval of the same county, at once, as threads and
as processes, on whichever database runs the suite (run it on PostgreSQL too: DATABASE_URL=postgres://…
pytest tests/planning/test_evaluation_races.py). Both take the county's row lock (services/evaluation
._locked), so each score either lands before the result is frozen — and then the frozen total counts
it — or is refused with 409 evaluation_approved: never a score changed after approval, and no lock
or deadlock error reaches anybody."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from quanmin.accounts.models import Role
from quanmin.planning import scoring
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import CountyScore, EvaluationItem, ItemScore, Plan
from quanmin.planning.services import evaluation as services
from tests import races
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.race]

ITEMS = [{"name": "体育场地数量", "weight": "40", "method": "computed", "target": "T0-02"},
         {"name": "社会满意度", "weight": "60", "method": "entered"}]
SCORES = ("50", "60", "70", "80")


def _attempt(kind, user_id, county_id, item_id, value):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from quanmin.accounts.models import User

    def call():
        user, county = User.objects.get(pk=user_id), CountyScore.objects.get(pk=county_id)
        if kind == "approve":
            services.approve(user, county)
        else:
            services.score(user, county, EvaluationItem.objects.get(pk=item_id), value=value,
                           evidence=SimpleUploadedFile("评分依据.pdf", b"%PDF-1.4 evidence"))

    return races.outcome(call, PlanningError)


@pytest.fixture
def scored(world, liaocheng):
    """This year's evaluation of seed 000, the county's entered item scored 90 (so it can be approved)."""
    Plan.objects.filter(pk=liaocheng.pk).update(ends_on=datetime.date(timezone.localdate().year, 12, 31))
    liaocheng.refresh_from_db()
    services.set_items(world.users["city"], liaocheng, ITEMS)
    opened = services.open_evaluation(world.users["city"], liaocheng, kind="annual", year=timezone.localdate().year)
    evaluator = make_user("13700000021", "考核办", Role.EVALUATOR, world.county, seq=21)
    county = opened.counties.get(division_code=world.county.code)
    item = EvaluationItem.objects.get(plan=liaocheng, name="社会满意度")
    _attempt("score", evaluator.pk, county.pk, item.pk, "90")
    return evaluator, county, item


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_a_score_lands_before_approval_or_is_refused(world, scored, runner):
    evaluator, county, item = scored
    approver = world.users["city"]
    jobs = []
    for value in SCORES:  # scores and approvals interleaved, released together
        jobs += [("score", evaluator.pk, county.pk, item.pk, value), ("approve", approver.pk, county.pk, None, None)]
    results = races.RUNNERS[runner](_attempt, jobs)
    scores, approvals = results[0::2], results[1::2]
    assert set(scores) <= {"ok", "evaluation_approved"}, scores
    assert sorted(approvals) == ["evaluation_approved"] * (len(SCORES) - 1) + ["ok"], approvals
    county.refresh_from_db()
    assert county.status == "approved"
    entered = ItemScore.objects.get(county=county, item=item, source="official")
    # The score kept is 90 or one that was accepted, written before the approval froze the result…
    accepted = {Decimal(value) for value, result in zip(SCORES, scores) if result == "ok"}
    assert entered.score in accepted | {Decimal(90)}
    assert entered.scored_at <= county.approved_at
    # …and the frozen total is the one of the scores stored: none changed after it.
    stored = {s.item_id: s.score for s in ItemScore.objects.filter(county=county, source="official")}
    items = list(EvaluationItem.objects.filter(plan=item.plan))
    assert set(stored) == {i.pk for i in items}
    assert county.total == scoring.total([(i.weight, stored[i.pk]) for i in items])
    # Once approved, one more score is refused and nothing moves.
    assert _attempt("score", evaluator.pk, county.pk, item.pk, "10") == "evaluation_approved"
    assert ItemScore.objects.get(pk=entered.pk).score == entered.score
