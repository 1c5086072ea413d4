"""Results with a correction trail, rankings, medal and points tables, participation, online
submissions with review, awards."""

import pytest
from django.core.exceptions import PermissionDenied

from quanmin.events import services_entries as entries
from quanmin.events import services_results as results
from quanmin.events.errors import EventError
from quanmin.events.models import Award, Correction, Games, Result

from .conftest import residents


@pytest.fixture
def field(world, ev):
    people = residents(world, 3)
    made = [entries.enter(p, ev.sprint.pk) for p in people]
    # Put two of them in delegations for the medal table.
    made[0].delegation = ev.township
    made[0].save()
    made[1].delegation = ev.other
    made[1].save()
    return made


def test_results_rank_medal_and_correct(world, ev, field):
    judge = ev.judge
    for entry, value in zip(field, ("12.5", "11.9", "13.0"), strict=True):
        results.record_result(judge, ev.sprint, entry.bib, value=value)
    ranks = dict(Result.objects.values_list("entry_id", "rank"))
    assert ranks == {field[1].pk: 1, field[0].pk: 2, field[2].pk: 3}
    with pytest.raises(EventError) as exc:
        results.record_result(judge, ev.sprint, field[0].bib, value="11.0")
    assert exc.value.code == "reason_required"
    corrected = results.record_result(judge, ev.sprint, field[0].bib, value="11.0", reason="计时复核")
    assert corrected.rank == 1 and corrected.medal == "gold" and corrected.points == 9
    assert Correction.objects.get(result=corrected).old_value == pytest.approx(12.5)
    table = results.medal_table(ev.games)
    assert [(r.name, r.gold, r.silver) for r in table][:2] == [("古楼街道代表团", 1, 0), ("区直机关代表团", 0, 1)]


def test_result_for_someone_not_entered_is_refused(world, ev, field):
    stranger = residents(world, 1, start=700)[0]
    with pytest.raises(EventError) as exc:
        results.record_result(ev.judge, ev.sprint, stranger.pk + 100000, value="10")
    assert exc.value.code == "not_entered"
    with pytest.raises(PermissionDenied):
        results.record_result(ev.judge, ev.team, field[0].bib, value="10")  # judges only their competition
    assert not Result.objects.exists()


def test_online_submission_waits_for_review(world, ev, field):
    with pytest.raises(EventError):
        results.submit_result(field[0].user, field[0], value="12", evidence_url="https://v.example/1")
    Games.objects.filter(pk=ev.games.pk).update(mode="online")
    field[0].refresh_from_db()
    submitted = results.submit_result(field[0].user, field[0], value="12", evidence_url="https://v.example/1")
    assert submitted.review == "submitted" and submitted.rank is None
    results.review_result(ev.judge, submitted, accept=True)
    submitted.refresh_from_db()
    assert submitted.rank == 1


def test_participation_and_awards(world, ev, field):
    figures = results.participation(ev.games)
    assert figures.participants == 3 and figures.person_times == 3
    assert figures.by_sex == {"male": 3} and figures.by_county == {world.county.code: 3}
    results.record_result(ev.judge, ev.sprint, field[0].bib, value="12")
    issued = results.issue_awards(world.users["county"], ev.games)
    assert issued["cards"] == 3 and issued["certificates"] == 1
    assert results.issue_awards(world.users["county"], ev.games)["cards"] == 0
    assert Award.objects.filter(kind="card").count() == 3
