"""The demo step "plan evaluations" (quanmin/demo/evaluation.py): the city's plan has its indicator
system, an approved annual evaluation and a final one with a third party beside the evaluator."""

import random

from django.utils import timezone

from quanmin.demo import evaluation as demo
from quanmin.planning import report, selectors_evaluation
from quanmin.planning.models import CountyScore, Evaluation, EvaluationItem, ItemScore, Plan, SpecialEvaluation


def test_demo_city_has_evaluations(planned_city):
    city = planned_city
    demo.load(city, random.Random(3715))
    demo.load(city, random.Random(3715))  # load_demo may run again over the same database
    plan = Plan.objects.get(division_code=city.code)
    items = EvaluationItem.objects.filter(plan=plan)
    assert sum(i.weight for i in items) == 100 and {i.method for i in items} == {"computed", "entered"}
    annual = Evaluation.objects.get(plan=plan, kind="annual")
    assert not annual.counties.exclude(status=CountyScore.Status.APPROVED).exists()
    final = Evaluation.objects.get(plan=plan, kind="final")
    assert final.third_party and ItemScore.objects.filter(county__evaluation=final, source="third_party").exists()
    ranked = selectors_evaluation.ranking(final, timezone.localdate())
    assert [r["place"] for r in ranked] == [1, 2] and ranked[0]["total"] >= ranked[1]["total"]
    assert len(demo.describe()) == 1
    assert annual.published_at is not None and final.published_at is None
    specials = {s.subject: s for s in SpecialEvaluation.objects.filter(plan=plan)}
    assert {k: (s.status, s.published_at is not None) for k, s in specials.items()} == {
        "target": ("concluded", True), "task": ("concluded", False), "project": ("open", False)}
    assert specials["target"].target.key == "T0-03" and specials["task"].task.number == "(一)2"
    found = report.annual(plan, 2022, timezone.localdate())
    assert found["evaluations"] and found["figures"]["targets"] == 29
