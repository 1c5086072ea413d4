"""Twelve people save the same school's first return for a term at once, as threads and as processes:
every save succeeds (the later ones correct the earlier: the school's row lock serialises them),
one return is left, with one of the figures sent, and no lock or unique-constraint error reaches
anybody. A race test: it must run in the PostgreSQL pass too (DATABASE_URL=postgres://…)."""

import pytest

from quanmin.accounts.models import User
from quanmin.youth import services
from quanmin.youth.errors import YouthError
from quanmin.youth.models import School, TermReturn
from tests.races import outcome, run_processes, run_threads

from .conftest import return_data

CLIENTS = 12
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.race]


def _attempt(user_id, school_id, minutes):
    user, school = User.objects.get(pk=user_id), School.objects.get(pk=school_id)
    return outcome(lambda: services.save_return(user, school, return_data(minutes_in_school=minutes)), YouthError)


@pytest.mark.parametrize("run", [run_threads, run_processes], ids=["threads", "processes"])
def test_one_return_a_term_whoever_saves_it_at_once(world, run):
    school = services.save_school(world.users["county"], {"region": world.community.code, "name": "东关小学",
                                                          "stage": "primary", "students": 1000})
    jobs = [(world.users["county"].pk, school.pk, 40 + i) for i in range(CLIENTS)]
    results = run(_attempt, jobs)
    assert results == ["ok"] * CLIENTS
    found = TermReturn.objects.get(school=school)
    assert 40 <= found.minutes_in_school < 40 + CLIENTS
