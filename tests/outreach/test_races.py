"""Twelve residents take the last places of a lecture with five at once, as threads and as
processes: five get a place, seven `lecture_full`, and no lock or unique-constraint error reaches
anybody (the lecture's row lock serialises the counting). A race test: it must run in the
PostgreSQL pass too (DATABASE_URL=postgres://…)."""

import pytest

from quanmin.accounts.models import User
from quanmin.outreach import services
from quanmin.outreach.errors import OutreachError
from quanmin.outreach.models import Lecture, LectureSignup
from tests.conftest import make_user
from tests.races import outcome, run_processes, run_threads

from .conftest import lecture_data

CLIENTS = 12
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.race]


def _attempt(user_id, lecture_id):
    user, lecture = User.objects.get(pk=user_id), Lecture.objects.get(pk=lecture_id)
    return outcome(lambda: services.sign_up(user, lecture), OutreachError)


@pytest.mark.parametrize("run", [run_threads, run_processes], ids=["threads", "processes"])
def test_five_places_for_twelve_at_once(world, run):
    lecture = services.save_lecture(world.users["county"], lecture_data(world.community, capacity=5))
    people = [make_user(f"1380000{i:04d}", "居民", home=world.community, seq=200 + i) for i in range(CLIENTS)]
    results = run(_attempt, [(p.pk, lecture.pk) for p in people])
    assert sorted(results) == sorted(["ok"] * 5 + ["lecture_full"] * 7)
    assert LectureSignup.objects.filter(lecture=lecture).count() == 5
