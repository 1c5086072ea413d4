"""Issue 15, item 2: health data (measurements, item scores such as the BMI band, total, rating, pass;
PAR-Q answers, clearance, the plan and the weak components) is encrypted at rest; the migration
encrypts rows written before it; figures per division still count outcomes."""

import datetime
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.physique import figures, services, tally
from quanmin.physique.models import Participant, Prescription, TestResult
from tests.matrix import physique as pm


def raw_row(table: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])
        return " ".join(str(v) for v in cur.fetchone())


def test_results_and_prescriptions_are_stored_encrypted(world):
    session = pm.session(world)
    user = world.users["resident"]
    services.give_health_consent(user)
    person = services.participant_for_user(user, world.community)
    result = services.record_result(session, person, standard="physique-2003", measurements=pm.ADULT)
    rx = services.make_prescription(result, [True] + [False] * 6)
    stored = raw_row("physique_testresult", result.pk)
    for key in [*pm.ADULT, "bmi", "score", result.rating, "true", "false"]:
        assert f'"{key}"' not in stored and f"{key}:" not in stored, key
    assert str(result.total) not in stored
    stored = raw_row("physique_prescription", rx.pk)
    assert "doctor_first" not in stored and "weak" not in stored and "[true" not in stored.lower()
    # The model reads it back whole.
    again = TestResult.objects.get(pk=result.pk)
    assert again.measurements == result.measurements and set(again.measurements) <= set(pm.ADULT)
    assert again.total == result.total and again.rating == result.rating and again.passed == result.passed
    assert Prescription.objects.get(pk=rx.pk).plan == rx.plan and rx.parq_answers[0] is True
    assert rx.plan.get("doctor_first") is True


def test_figures_count_encrypted_outcomes(world):
    session = pm.session(world)
    for n, passed in enumerate((True, True, False)):
        person = Participant.objects.create(real_name=f"人{n}", region=world.community)
        TestResult.objects.create(participant=person, session=session, region=world.community,
                                  standard="physique-2003", sex="female", age_group="40-49", passed=passed,
                                  rating="pass" if passed else "fail", total=0, tested_at=timezone.now())
    tally.rebuild()  # the figures' roll-up, counted from the encrypted outcomes
    counts = figures.division_figures(world.community).total
    assert counts.tests == 3 and counts.pass_share == pytest.approx(200 / 3, abs=0.1)


def original_migrations() -> MigrationExecutor:
    """An executor on the migrations as written, not their squash: a fresh database (this one) is made by
    physique's squashed migration, which leaves out the data migrations (it has no rows to change), but a
    database with rows from before 0002 runs 0002 itself. The squash stays recorded as applied; the loader
    uses it again once 0001-0006 are all applied."""
    executor = MigrationExecutor(connection)
    executor.loader = MigrationLoader(connection, replace_migrations=False)
    return executor


@pytest.mark.django_db(transaction=True)
def test_migration_encrypts_rows_written_before_it(world):
    session = pm.session(world)  # made by today's models, before the schema goes back (0005 added a column)
    executor = original_migrations()
    executor.migrate([("physique", "0001_initial")])
    old = executor.loader.project_state([("physique", "0001_initial")]).apps
    Participant = old.get_model("physique", "Participant")
    person = Participant.objects.create(real_name="旧", region_id=world.community.pk, sex="male")
    row = old.get_model("physique", "TestResult").objects.create(
        participant_id=person.pk, session_id=session.pk, region_id=world.community.pk, standard="physique-2003",
        sex="male", age_group="40-49", measurements={"height_cm": 171.5}, scores=[{"key": "bmi", "band": "obese"}],
        total="61.50", rating="fail", passed=False, tested_at=timezone.now() - datetime.timedelta(days=1))
    rx = old.get_model("physique", "Prescription").objects.create(
        result_id=row.pk, participant_id=person.pk, region_id=world.community.pk, parq_answers=[True],
        cleared=False, component_scores={}, weak_components=["cardio"], plan={"doctor_first": True})
    assert "obese" in raw_row("physique_testresult", row.pk)
    executor = original_migrations()
    executor.migrate(executor.loader.graph.leaf_nodes())
    usual = MigrationExecutor(connection)  # with the squash: nothing left to apply
    assert not usual.migration_plan(usual.loader.graph.leaf_nodes())
    stored = raw_row("physique_testresult", row.pk) + raw_row("physique_prescription", rx.pk)
    assert "obese" not in stored and "171.5" not in stored and "doctor_first" not in stored and "cardio" not in stored
    result = TestResult.objects.get(pk=row.pk)
    assert result.measurements == {"height_cm": 171.5} and result.scores[0]["band"] == "obese"
    assert str(result.total) == "61.50" and result.rating == "fail" and result.passed is False
    prescription = Prescription.objects.get(pk=rx.pk)
    assert prescription.plan == {"doctor_first": True} and prescription.cleared is False
    assert json.loads(crypto.decrypt(result.outcome_enc)) == {"rating": "fail", "passed": False}
