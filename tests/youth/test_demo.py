"""The demo step "youth sports in schools" (quanmin/demo/youth.py) on a small demo city, after the
facilities demo that makes the schools' grounds."""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from quanmin.accounts.models import AuditEntry
from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import facilities as facilities_demo
from quanmin.demo import youth as demo
from quanmin.youth import figures
from quanmin.youth.models import School, Term, TermReturn, term_starts
from quanmin.youth.selectors import grounds_open
from tests.conftest import small_city


def _load(seed: int):
    root = small_city(streets=1, villages=True)
    rng = random.Random(seed)
    accounts_demo.load(root, rng)
    facilities_demo.load(root, rng)
    demo.load(root, rng)
    return root


@pytest.fixture
def demo_city(db):
    return _load(3715)


def test_every_county_registers_a_believable_set_of_schools(demo_city):
    for county in demo_city.children.filter(level="county"):
        schools = list(School.objects.filter(region__code__within=county.prefix).select_related("site"))
        assert 7 <= len(schools) <= 12
        assert {s.stage for s in schools} == {"primary", "junior", "senior", "combined"}
        linked = [s for s in schools if s.site]
        assert len(linked) == len(schools) - 1  # the nine-year school has no grounds in the register
        assert all(s.site.owner_kind == "school" and s.site.name == s.name for s in linked)
        named = [s for s in schools if s.named_for_opening]
        assert 1 <= len(named) <= 3 and any(grounds_open(s) for s in named)
        assert all(s.site for s in named)
    senior = School.objects.filter(stage="senior").order_by("students").first()
    primary = School.objects.filter(stage="primary").order_by("-students").first()
    assert senior.students > 1000 and primary.students <= 1600


def test_two_terms_each_within_its_counts_and_through_the_services(demo_city):
    today = timezone.localdate()
    terms = demo.last_terms(today)
    assert len({TermReturn.objects.filter(school_year=y, term=t).count() for y, t in terms}) == 1
    assert TermReturn.objects.count() == 2 * School.objects.count()
    assert max(TermReturn.objects.values_list("starts_on", flat=True)) <= today
    assert AuditEntry.objects.filter(action="youth.return_save").count() == TermReturn.objects.count()
    for r in TermReturn.objects.all():
        assert 50 <= r.minutes_in_school <= 75 and 35 <= r.minutes_out_of_school <= 70
        assert 0.549 <= r.skills_two_plus / r.students <= 0.851
        assert r.skills_two_plus <= r.skills_assessed <= r.students
        assert r.myopia_intervened <= r.myopia_found <= r.myopia_screened <= r.students
        assert r.obesity_found < r.myopia_found and r.scoliosis_found < r.obesity_found + 1


@pytest.mark.parametrize("today", [datetime.date(2026, 12, 6), datetime.date(2026, 3, 1),
                                   datetime.date(2026, 1, 15), datetime.date(2026, 9, 1)])
def test_last_terms_have_started_and_follow_each_other(today):
    (y0, t0), (y1, t1) = demo.last_terms(today)
    assert term_starts(y0, t0) < term_starts(y1, t1) <= today
    assert (t0, t1) in ((Term.AUTUMN, Term.SPRING), (Term.SPRING, Term.AUTUMN))
    assert (y1 - y0) == (1 if t1 == Term.AUTUMN else 0)
    assert today - term_starts(y1, t1) < datetime.timedelta(days=215)


def test_indicators_give_sensible_values(demo_city):
    today = timezone.localdate()
    wanted = [demo_city.code, *demo_city.children.values_list("code", flat=True)]
    found = {key: indicators.compute(key, wanted, today) for key in (
        "student_daily_pe_hours", "students_pe_both_hours_share", "students_two_skills_share",
        "youth_intervention_share", "school_grounds_open", "school_grounds_open_share")}
    for code in wanted:
        assert Decimal("0.55") <= found["student_daily_pe_hours"][code] < Decimal(1)  # the target is not met yet
        assert Decimal(5) < found["students_pe_both_hours_share"][code] < Decimal(60)
        assert Decimal(55) <= found["students_two_skills_share"][code] <= Decimal(85)
        assert Decimal(60) <= found["youth_intervention_share"][code] <= Decimal(95)
        assert found["school_grounds_open"][code] >= 1
        assert Decimal(50) <= found["school_grounds_open_share"][code] < Decimal(100)
    city = found["school_grounds_open"][demo_city.code]
    assert city == sum(found["school_grounds_open"][c] for c in wanted[1:])
    # The later term is a little better than the one before it, city-wide.
    (y0, t0), _later = demo.last_terms(today)
    before = figures.returns_totals([demo_city.code], term_starts(y0, t0))[demo_city.code]
    now = figures.returns_totals([demo_city.code], today)[demo_city.code]
    assert before.schools_reporting == now.schools_reporting == School.objects.count()
    assert before.skills_share < now.skills_share and before.minutes_in < now.minutes_in


def test_deterministic_and_loads_once(demo_city):
    county = demo_city.children.order_by("code").first()
    assert demo._candidates(county, random.Random(5)) == demo._candidates(county, random.Random(5))
    usual = demo._school(random.Random(5), "junior")
    figures_of = [demo._figures(random.Random(seed), usual, 1000, 1) for seed in (5, 5, 6)]
    assert figures_of[0] == figures_of[1] != figures_of[2]
    count = TermReturn.objects.count()
    demo.load(demo_city, random.Random(8))
    assert TermReturn.objects.count() == count


def test_load_demo_runs_it_before_the_plans_read_its_indicators():
    from quanmin.demo.management.commands import load_demo
    labels = [label for label, _step in load_demo._steps()]
    assert labels.index("facilities register") < labels.index("youth sports in schools") \
        < labels.index("plans, targets and task tables")
    assert dict(load_demo._steps())["youth sports in schools"] is demo.load
