"""The demo step "science-fitness outreach" (quanmin/demo/outreach.py) on a small demo city."""

import random

from django.utils import timezone

from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import outreach as demo
from quanmin.demo.management.commands import load_demo
from quanmin.outreach import figures
from quanmin.outreach.models import Article, Lecture, Setting, SkillActivity, Workplace
from tests.conftest import small_city


def test_demo_outreach_loads_every_register(db):
    root = small_city(streets=1, villages=True)
    rng = random.Random(3715)
    accounts_demo.load(root, rng)
    out = demo.load(root, rng)
    assert out["lectures"] == Lecture.objects.count() > 10
    today = timezone.localdate()
    rows = {r.region: r for r in figures.rollup(root, today)}
    counties = [c for c in rows if c != root.code]
    # One county lags behind the ≥4 norm, the other meets it.
    assert sorted(rows[c].lecture_norm_met for c in counties) == [False, True]
    assert Lecture.objects.filter(starts_at__gt=timezone.now()).exists()
    assert not Lecture.objects.filter(starts_at__lte=timezone.now(), audience__isnull=True).exists()
    assert Article.objects.filter(status="published").count() == 8 and Article.objects.filter(status="draft").exists()
    assert set(SkillActivity.objects.values_list("setting", flat=True)) <= set(Setting.values)
    assert Workplace.objects.count() >= 6
    share = indicators.compute("five_into_township_share", [root.code], today)[root.code]
    assert 0 < share <= 100
    assert demo.load(root, rng) == {}  # a second run adds nothing


def test_demo_step_runs_before_the_plans():
    labels = [label for label, _step in load_demo._steps()]
    assert labels.index("science-fitness outreach") < labels.index("plans, targets and task tables")
    assert dict(load_demo._steps())["science-fitness outreach"] is demo.load
