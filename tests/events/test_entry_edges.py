"""Entry rules at their edges, each pinned by what a person or an official sees: offers that are not
(or no longer) offered, an unpaid acceptance that is not yet a decision, open age groups, a
delegation's quota per competition, one competition's upkeep leaving the others alone, the race of
two captains naming the same member, withdrawal refused, and the messages and audit entries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts.models import AuditEntry, Notification
from quanmin.events import services_entries as entries
from quanmin.events.errors import EventError
from quanmin.events.models import Competition, Entry, Games

from .conftest import residents


def error_of(fn, *args, **kwargs) -> EventError:
    with pytest.raises(EventError) as exc:
        fn(*args, **kwargs)
    return exc.value


def _offered(world, ev, start):
    """The sprint full (3 places), one withdrawal: the first on the waiting list is offered the place."""
    people = residents(world, 5, start=start)
    for p in people[:3]:
        entries.enter(p, ev.sprint.pk)
    waiting = entries.join_waitlist(people[3], ev.sprint.pk)
    later = entries.join_waitlist(people[4], ev.sprint.pk)
    entries.withdraw(people[0], Entry.objects.get(user=people[0], competition=ev.sprint))
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    return people, waiting, later


def test_only_a_live_offer_can_be_accepted(world, ev):
    people, waiting, later = _offered(world, ev, 1000)
    # Still on the waiting list, never offered a place: nothing to accept, nothing changes.
    err = error_of(entries.accept_offer, people[4], later)
    assert err.code == "not_offered"
    later.refresh_from_db()
    assert later.status == "waiting" and later.decided_at is None
    # The offer ran out a minute ago and no tick has lapsed it yet: too late all the same.
    late = waiting.offer_expires_at + datetime.timedelta(minutes=1)
    assert error_of(entries.accept_offer, people[3], waiting, now=late).code == "not_offered"
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    # In time it is taken.
    assert entries.accept_offer(people[3], waiting).status == "confirmed"


def test_an_offer_taken_with_an_online_fee_is_decided_only_when_paid(world, ev, settings):
    """decided_at marks a confirmed entry (the points ledger credits entries that have one): an
    accepted offer still waiting for its online payment has none."""
    settings.QUANMIN_SIMULATED_PAYMENTS = True
    Games.objects.filter(pk=ev.games.pk).update(payment_provider="simulated")
    Competition.objects.filter(pk=ev.sprint.pk).update(fee=Decimal("50.00"), capacity=1)
    first, second = residents(world, 2, start=1100)
    unpaid = entries.enter(first, ev.sprint.pk)
    queued = entries.join_waitlist(second, ev.sprint.pk)
    assert entries.expire_offers(now=unpaid.pay_by + datetime.timedelta(minutes=1)) == 1
    queued.refresh_from_db()
    assert queued.status == "offered"
    taken = entries.accept_offer(second, queued, now=unpaid.pay_by + datetime.timedelta(minutes=2))
    taken.refresh_from_db()
    assert taken.status == "unpaid" and taken.decided_at is None and taken.pay_by is not None


def test_open_ended_age_groups_are_named_with_their_one_bound(world, ev):
    young = residents(world, 1, start=1200, birth="20150101")[0]
    adult = residents(world, 1, start=1210)[0]
    common = {"games": ev.games, "sport": "running", "capacity": 5, "starts_at": ev.sprint.starts_at,
              "ends_at": ev.sprint.ends_at, "closes_at": ev.sprint.closes_at}
    seniors = Competition.objects.create(name="成人健步走", min_age=18, **common)
    kids = Competition.objects.create(name="少儿跑", max_age=12, **common)
    too_young = error_of(entries.enter, young, seniors.pk)
    assert too_young.code == "age_group" and "18+" in str(too_young.message) and "None" not in str(too_young.message)
    too_old = error_of(entries.enter, adult, kids.pk)
    assert too_old.code == "age_group" and "≤12" in str(too_old.message) and "None" not in str(too_old.message)
    assert entries.age_group_label(ev.sprint) == "18–60"


def test_a_delegations_quota_counts_its_entries_in_that_competition_only(world, ev):
    relay = Competition.objects.create(games=ev.games, sport="tug_of_war", name="接力拔河", entries="delegation",
                                       capacity=10, delegation_quota=2, starts_at=ev.delegated.starts_at,
                                       ends_at=ev.delegated.ends_at, closes_at=ev.delegated.closes_at)
    a, b, c, d = residents(world, 4, start=1300)
    for person in (a, b):
        entries.enter(ev.leader, ev.delegated.pk, delegation_id=ev.township.pk, athlete=person)
    assert error_of(entries.enter, ev.leader, ev.delegated.pk, delegation_id=ev.township.pk,
                    athlete=c).code == "delegation_quota_full"
    # The same delegation's two places in another competition are untouched by those.
    assert entries.enter(ev.leader, relay.pk, delegation_id=ev.township.pk, athlete=c).status == "confirmed"
    assert entries.enter(ev.leader, relay.pk, delegation_id=ev.township.pk, athlete=d).status == "confirmed"


def test_entering_a_full_competition_lapses_its_own_run_out_offers_only(world, ev):
    # Another competition with an offer that ran out: left for the tick, not lapsed by the sprint's entry.
    solo = Competition.objects.create(games=ev.games, sport="running", name="健步走", capacity=1,
                                      starts_at=ev.sprint.starts_at, ends_at=ev.sprint.ends_at,
                                      closes_at=ev.sprint.closes_at)
    x, y = residents(world, 2, start=1400)
    entries.enter(x, solo.pk)
    elsewhere = entries.join_waitlist(y, solo.pk)
    entries.withdraw(x, Entry.objects.get(user=x, competition=solo))
    past = timezone.now() - datetime.timedelta(minutes=5)
    Entry.objects.filter(pk=elsewhere.pk).update(offer_expires_at=past)
    # The sprint: full, one of its places held by an offer that ran out, nobody else waiting.
    people = residents(world, 5, start=1410)
    for p in people[:3]:
        entries.enter(p, ev.sprint.pk)
    stale = entries.join_waitlist(people[3], ev.sprint.pk)
    entries.withdraw(people[0], Entry.objects.get(user=people[0], competition=ev.sprint))
    Entry.objects.filter(pk=stale.pk).update(offer_expires_at=past)
    # The next person finds the run-out offer lapsed and takes its place.
    assert entries.enter(people[4], ev.sprint.pk).status == "confirmed"
    stale.refresh_from_db()
    assert stale.status == "lapsed"
    elsewhere.refresh_from_db()
    assert elsewhere.status == "offered"
    solo.refresh_from_db()
    assert solo.taken == 1


def test_a_concurrent_team_entry_that_took_a_member_is_named(world, ev, monkeypatch):
    """Two captains name the same member at once: the second's check passes before the first
    commits, the database's constraint refuses the second, and its captain is told who and where."""
    a, b, c, d = residents(world, 4, start=1500)
    entries.enter(a, ev.team.pk, team_name="东关队", members=[b])
    real, calls = entries._check_not_in_other_team, []

    def check_before_the_other_commits(competition, team):
        calls.append(competition.pk)
        if len(calls) > 1:
            real(competition, team)

    monkeypatch.setattr(entries, "_check_not_in_other_team", check_before_the_other_commits)
    err = error_of(entries.enter, c, ev.team.pk, team_name="西关队", members=[b, d])
    assert err.code == "in_another_team" and "东关队" in str(err.message) and b.display_name in str(err.message)
    assert len(calls) == 2
    assert Entry.objects.filter(competition=ev.team).count() == 1
    ev.team.refresh_from_db()
    assert ev.team.taken == 1


def test_team_errors_name_the_member_and_the_size(world, ev):
    a, b, c = residents(world, 3, start=1600)
    entries.enter(a, ev.team.pk, team_name="东关队", members=[b])
    taken = error_of(entries.enter, c, ev.team.pk, team_name="西关队", members=[b])
    assert taken.code == "in_another_team" and b.display_name in str(taken.message)
    alone = error_of(entries.enter, c, ev.team.pk, team_name="西关队", members=[])
    assert alone.code == "team_size" and alone.status == 400
    assert "2" in str(alone.message) and "3" in str(alone.message)


def test_a_withdrawn_entry_cannot_be_withdrawn_again(world, ev):
    person = residents(world, 1, start=1700)[0]
    entry = entries.enter(person, ev.sprint.pk)
    entries.withdraw(person, entry)
    err = error_of(entries.withdraw, person, entry)
    assert err.code == "not_withdrawable" and err.status == 409
    assert str(err.message) == _("This entry cannot be withdrawn any more.")
    started = entries.enter(person, ev.sprint.pk)
    assert error_of(entries.withdraw, person, started, now=ev.sprint.starts_at).code == "not_withdrawable"
    started.refresh_from_db()
    assert started.status == "confirmed"


def test_a_leader_entering_an_athlete_is_audited(world, ev):
    athlete = residents(world, 1, start=1800)[0]
    entry = entries.enter(ev.leader, ev.delegated.pk, delegation_id=ev.township.pk, athlete=athlete)
    logged = AuditEntry.objects.get(action="enter_athlete", target_id=str(entry.pk))
    assert logged.actor == ev.leader and logged.detail == {"athlete": athlete.pk}


def test_a_rejected_athlete_is_told(world, ev):
    athlete = residents(world, 1, start=1900)[0]
    pending = entries.enter(athlete, ev.delegated.pk, delegation_id=ev.township.pk)
    entries.decide(ev.leader, pending, approve=False)
    note = Notification.objects.get(user=athlete)
    assert note.subject == _("Entry not approved") and note.text == str(ev.delegated)


def test_an_offer_tells_the_person_until_when(world, ev):
    _people, waiting, _later = _offered(world, ev, 2000)
    note = Notification.objects.get(user=waiting.user)
    assert note.subject == _("A place is free for you")
    deadline = timezone.localtime(waiting.offer_expires_at)
    stamp = f"{deadline.year:04d}-{deadline.month:02d}-{deadline.day:02d} {deadline.hour:02d}:{deadline.minute:02d}"
    assert ev.sprint.name in note.text and stamp in note.text
