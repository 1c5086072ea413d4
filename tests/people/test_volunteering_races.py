"""Residents sign up for the last places of a volunteer activity at once, as threads and as
processes, on whichever database runs the suite: the places are never oversold and nobody gets a
lock error. Run it on PostgreSQL too (DATABASE_URL=postgres://… pytest tests/people/test_volunteering_races.py)."""

import pytest

from quanmin.people.errors import PeopleError
from quanmin.people.models import VolunteerSignup
from tests import races

from .test_volunteering import activity, resident

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.race]


def _sign_up(activity_id, user_id):
    from quanmin.accounts.models import User
    from quanmin.people import volunteering
    from quanmin.people.models import VolunteerActivity

    return races.outcome(lambda: volunteering.sign_up(VolunteerActivity.objects.get(pk=activity_id),
                                                      User.objects.get(pk=user_id)), PeopleError)


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_the_last_places_are_never_oversold(people, runner):
    found = activity(people, places=3)
    users = [resident(people, 40 + n, f"志愿者{n}") for n in range(8)]
    results = races.RUNNERS[runner](_sign_up, [(found.pk, u.pk) for u in users])
    assert sorted(results) == ["activity_full"] * 5 + ["ok"] * 3, results
    assert VolunteerSignup.objects.filter(activity=found).count() == 3
