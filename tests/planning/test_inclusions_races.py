"""Many clicks at once on the four inclusions, as threads and as processes, on whichever database runs
the suite: a record awaiting confirmation is confirmed exactly once (the others get
inclusion_not_awaiting), and the first record of a division's inclusion for a year is one row however
many write it at once (the others update it, or are told someone recorded it meanwhile); no lock or
deadlock error reaches anybody. Run it on PostgreSQL too (DATABASE_URL=postgres://… pytest
tests/planning/test_inclusions_races.py)."""

from datetime import date

import pytest
from django.core.files.base import ContentFile

from quanmin.planning.errors import PlanningError
from quanmin.planning.models import Inclusion
from quanmin.planning.services import inclusions
from tests import races

CLIENTS = 8
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.race]


def _confirm(user_id, record_id):
    from quanmin.accounts.models import User

    return races.outcome(lambda: inclusions.decide(User.objects.get(pk=user_id),
                                                   Inclusion.objects.get(pk=record_id), confirm=True), PlanningError)


def _record(user_id, code):
    from quanmin.accounts.models import User

    return races.outcome(lambda: inclusions.record(User.objects.get(pk=user_id), code, 2023, "work_report",
                                                   included=True, document="2023年东昌府区政府工作报告",
                                                   dated=date(2023, 1, 9)), PlanningError)


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_a_record_is_confirmed_once(world, runner):
    made = inclusions.record(world.users["county"], world.county.code, 2023, "budget", included=True,
                             document="东昌府区2023年财政预算报告", dated=date(2023, 1, 10),
                             evidence=ContentFile(b"%PDF-1.4", name="预算.pdf"))
    results = races.RUNNERS[runner](_confirm, [(world.users["city"].pk, made.pk)] * CLIENTS)
    assert sorted(set(results)) == ["inclusion_not_awaiting", "ok"], results
    assert results.count("ok") == 1
    assert Inclusion.objects.get(pk=made.pk).status == "confirmed"


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_the_first_record_is_one_row(world, runner):
    results = races.RUNNERS[runner](_record, [(world.users["county"].pk, world.county.code)] * CLIENTS)
    assert "ok" in results and set(results) <= {"ok", "inclusion_conflict"}, results
    assert Inclusion.objects.filter(division_code=world.county.code, year=2023, kind="work_report").count() == 1
