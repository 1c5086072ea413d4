"""Exercise standard grades at once, as threads and as separate processes, on whichever database runs
the suite (the PostgreSQL pass too: DATABASE_URL=postgres://…).

Two stations' staff entering the same person's grade at once leave one grade and one certificate
(the others get `already_graded`); annulling one grade from several pages at once revokes its
certificate once (the others get `already_annulled`); no lock or deadlock error reaches anybody.
"""

import pytest

from quanmin.physique import services_exercise
from quanmin.physique.errors import PhysiqueError
from quanmin.physique.models import ExerciseCertificate, ExerciseGrade, ExerciseSession, Participant
from tests.matrix import physique as pm
from tests.races import RUNNERS, outcome

pytestmark = pytest.mark.django_db(transaction=True)


def _record(session_id, participant_id):
    return outcome(lambda: services_exercise.record_grade(
        ExerciseSession.objects.get(pk=session_id), Participant.objects.get(pk=participant_id), level="优秀"),
        PhysiqueError)


def _annul(grade_id):
    return outcome(lambda: services_exercise.annul_grade(ExerciseGrade.objects.get(pk=grade_id), reason="作废"),
                   PhysiqueError)


@pytest.mark.parametrize("runner", RUNNERS)
def test_one_person_graded_eight_times_at_once_has_one_grade(world, runner):
    session = pm.exercise_session(world)
    grade = pm.exercise_grade_of(world, "resident")
    person = grade.participant
    services_exercise.annul_grade(grade, reason="重测")
    results = RUNNERS[runner](_record, [(session.pk, person.pk)] * 8)
    assert results.count("ok") == 1 and set(results) == {"ok", "already_graded"}, results
    standing = ExerciseGrade.objects.filter(participant=person, annulled_at__isnull=True)
    assert standing.count() == 1
    assert ExerciseCertificate.objects.filter(participant=person, revoked_at__isnull=True).count() == 1


@pytest.mark.parametrize("runner", RUNNERS)
def test_one_grade_annulled_eight_times_at_once_is_annulled_once(world, runner):
    grade = pm.exercise_grade_of(world, "resident")
    results = RUNNERS[runner](_annul, [(grade.pk,)] * 8)
    assert results.count("ok") == 1 and set(results) == {"ok", "already_annulled"}, results
    cert = ExerciseCertificate.objects.get(grade=grade)
    assert cert.revoked_at is not None
