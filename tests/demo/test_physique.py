"""The demo step "physique monitoring" (quanmin/demo/physique.py): plausible results and the demo
resident's tests, and deterministic measurements."""

import random

from django.utils import timezone

from quanmin.core.indicators import compute
from quanmin.demo import physique as demo
from quanmin.physique import scoring, tables
from quanmin.physique.models import ExerciseCertificate, ExerciseGrade, Prescription, TestResult, TestSession
from tests.conftest import make_user


def test_demo_loads_plausible_data(world):
    resident = make_user("13900000001", "赵丽", home=world.community, birth="19850312", seq=21)
    out = demo.load(world.city, random.Random(3715), results=600)
    assert out["stations"] == 7 and out["resident"] == resident
    # The network has all four tiers (T0-28, T1-14): the city's centre, county centres, township and village points.
    assert compute("monitoring_network_levels", [world.city.code], timezone.localdate()) == {world.city.code: 4}
    adults = TestResult.objects.filter(standard="physique-2003")
    # The outcome is encrypted: count it in Python, as figures do.
    known = [r for r in adults if r.passed is not None]
    share = sum(r.passed for r in known) / len(known)
    assert 0.8 < share < 0.97, share
    students = list(TestResult.objects.filter(standard="student-2014"))
    assert len(students) == 100
    good = sum(r.rating in ("good", "excellent") for r in students) / len(students)
    assert 0.2 < good < 0.7, good
    mine = TestResult.objects.filter(participant__user=resident).order_by("tested_at")
    assert mine.count() == 3 and len({r.tested_at.date() for r in mine}) == 3
    assert Prescription.objects.filter(participant__user=resident).exists()
    assert any(not p.cleared for p in Prescription.objects.all())
    assert TestSession.objects.filter(slot__isnull=False, starts_at__gt=timezone.now()).exists()
    # Stored scores are the engine's.
    r = adults.filter(source="demo").exclude(age=None).first()
    assert float(r.total) == scoring.score("physique-2003", r.sex, age=r.age, measurements=r.measurements).total
    # The exercise standard: three sessions a county, graded walk-ins, certificates for 达标 or better,
    # and the demo resident's 良好 with its certificate.
    assert out["exercise_sessions"] == 6
    grades = list(ExerciseGrade.objects.all())
    passed = sum(g.level != "fail" for g in grades)
    assert 0.75 < passed / len(grades) < 0.97 and ExerciseCertificate.objects.count() == passed
    mine = ExerciseGrade.objects.get(participant__user=resident)
    assert mine.level == "good" and mine.certificate.number


def test_demo_measurements_are_deterministic():
    std = tables.load_standard("student-2014")
    a = demo.measurements_for(random.Random(1), std, "female", "senior-2", 17, 0.3)
    b = demo.measurements_for(random.Random(1), std, "female", "senior-2", 17, 0.3)
    assert a == b and {"run_800m_s", "situps_1min"} <= set(a) and "pullups" not in a
