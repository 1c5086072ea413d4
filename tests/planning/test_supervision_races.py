"""Many clicks at once on the same supervision object, as threads and as processes, on whichever
database runs the suite: a bulletin is published exactly once (the others get bulletin_published),
a rectification item is answered exactly once before it is verified (the others get
rectification_not_open), and no lock or deadlock error reaches anybody. Run it on PostgreSQL too
(DATABASE_URL=postgres://… pytest tests/planning/test_supervision_races.py): there the row lock of
the bulletin and of the item has to hold."""

from datetime import date

import pytest

from quanmin.planning.errors import PlanningError
from quanmin.planning.models import Bulletin, RectificationEntry
from quanmin.planning.services import supervision
from tests import races

CLIENTS = 8
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.race]


def _publish(user_id, bulletin_id):
    from quanmin.accounts.models import User

    return races.outcome(lambda: supervision.publish(User.objects.get(pk=user_id),
                                                     Bulletin.objects.get(pk=bulletin_id)), PlanningError)


def _respond(user_id, item_id):
    from quanmin.accounts.models import User
    from quanmin.planning.models import Rectification

    return races.outcome(lambda: supervision.respond(User.objects.get(pk=user_id),
                                                     Rectification.objects.get(pk=item_id), text="已整改。"),
                         PlanningError)


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_a_bulletin_is_published_once(world, liaocheng, runner):
    supervisor = world.users["supervisor"]
    bulletin = supervision.write_bulletin(supervisor, liaocheng, title="通报", period_start=date(2023, 1, 1),
                                          period_end=date(2023, 12, 31))
    results = races.RUNNERS[runner](_publish, [(supervisor.pk, bulletin.pk)] * CLIENTS)
    assert sorted(set(results)) == ["bulletin_published", "ok"], results
    assert results.count("ok") == 1
    assert Bulletin.objects.get(pk=bulletin.pk).status == "published"


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_an_item_is_answered_once(world, liaocheng, runner):
    supervisor = world.users["supervisor"]
    visit = supervision.plan_visit(supervisor, liaocheng, division_code=world.county.code, title="检查",
                                   schedule="regular", coverage="overall", kind="routine", manner="announced",
                                   planned_on=date(2023, 5, 10), visited_on=date(2023, 5, 10))
    finding = supervision.add_finding(supervisor, visit, text="器材损坏。")
    item = supervision.add_rectification(supervisor, finding, requirement="修复。", deadline=date(2023, 6, 1))
    results = races.RUNNERS[runner](_respond, [(world.users["county"].pk, item.pk)] * CLIENTS)
    assert sorted(set(results)) == ["ok", "rectification_not_open"], results
    assert results.count("ok") == 1 == RectificationEntry.objects.filter(rectification=item).count()
