"""Entering: the person's groups from the ID number, residence, guardian consent, quotas per
competition and delegation, teams, approval, waiting list with offers that run out, withdrawal."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from quanmin.accounts import services as accounts
from quanmin.events import services_entries as entries
from quanmin.events.errors import EventError
from quanmin.events.models import Competition, Entry

from .conftest import residents


def code_of(fn, *args, **kwargs):
    with pytest.raises(EventError) as exc:
        fn(*args, **kwargs)
    return exc.value.code


def test_quota_then_full_then_waiting_list_offer_and_lapse(world, ev):
    people = residents(world, 5)
    for p in people[:3]:
        assert entries.enter(p, ev.sprint.pk).status == "confirmed"
    assert code_of(entries.enter, people[3], ev.sprint.pk) == "quota_full"
    waiting = entries.join_waitlist(people[3], ev.sprint.pk)
    later = entries.join_waitlist(people[4], ev.sprint.pk)
    assert waiting.status == later.status == "waiting"
    first = Entry.objects.get(user=people[0], competition=ev.sprint)
    entries.withdraw(people[0], first)
    waiting.refresh_from_db()
    assert waiting.status == "offered" and waiting.offer_expires_at
    # The offer runs out: the place goes to the next in line.
    assert entries.expire_offers(now=waiting.offer_expires_at + datetime.timedelta(minutes=1)) == 1
    later.refresh_from_db()
    assert later.status == "offered"
    entries.accept_offer(people[4], later)
    later.refresh_from_db()
    assert later.status == "confirmed"
    ev.sprint.refresh_from_db()
    assert ev.sprint.taken == 3 == Entry.objects.filter(competition=ev.sprint, status__in=["confirmed", "offered"]).count()


def test_bad_entries_each_answer_a_code_and_write_nothing(world, ev):
    young = residents(world, 1, start=200, birth="20150101")[0]
    woman = residents(world, 1, start=210, male=False)[0]
    outsider = residents(world, 1, start=220, home=world.other_community)[0]
    adult = residents(world, 1, start=230)[0]
    assert code_of(entries.enter, young, ev.sprint.pk) == "age_group"
    assert code_of(entries.enter, woman, ev.sprint.pk) == "sex_group"
    assert code_of(entries.enter, outsider, ev.sprint.pk) == "residence"
    entries.enter(adult, ev.sprint.pk)
    assert code_of(entries.enter, adult, ev.sprint.pk) == "already_entered"
    assert code_of(entries.enter, adult, ev.delegated.pk) == "delegation_only"
    assert code_of(entries.enter, adult, ev.team.pk, team_name="") == "team_name"
    assert code_of(entries.enter, adult, ev.team.pk, team_name="A", members=[]) == "team_size"
    assert code_of(entries.enter, adult, ev.sprint.pk + 999) == "not_found"
    Competition.objects.filter(pk=ev.sprint.pk).update(closes_at=timezone.now() - datetime.timedelta(hours=1))
    assert code_of(entries.enter, residents(world, 1, start=240)[0], ev.sprint.pk) == "entries_closed"
    assert Entry.objects.count() == 1
    ev.sprint.refresh_from_db()
    assert ev.sprint.taken == 1


def test_child_needs_guardian_consent(world, ev):
    child = residents(world, 1, start=300, birth=f"{timezone.localdate().year - 10}0101")[0]
    kids = Competition.objects.create(games=ev.games, sport="rope_skipping", name="少儿跳绳", capacity=5,
                                      starts_at=ev.sprint.starts_at, ends_at=ev.sprint.ends_at,
                                      closes_at=ev.sprint.closes_at, max_age=12)
    assert code_of(entries.enter, child, kids.pk) == "guardian_consent"
    accounts.record_consent(child, "privacy", "2026-1", guardian_name="家长", guardian_relation="母亲",
                            guardian_id_number="")
    assert entries.enter(child, kids.pk).status == "confirmed"


def test_team_entry_with_members(world, ev):
    a, b, c, d = residents(world, 4, start=400)
    entry = entries.enter(a, ev.team.pk, team_name="东关队", members=entries.find_people([b.phone, c.phone]))
    assert entry.athletes == 3 and entry.members.count() == 3
    assert code_of(entries.enter, d, ev.team.pk, team_name="X",
                   members=entries.find_people([a.phone, b.phone, c.phone])) == "team_size"
    assert code_of(entries.find_people, ["13999999999"]) == "team_member_unknown"


def test_delegation_entries_need_the_leaders_approval_and_keep_the_quota(world, ev):
    a, b, c = residents(world, 3, start=500)
    pending = entries.enter(a, ev.delegated.pk, delegation_id=ev.township.pk)
    assert pending.status == "pending"
    assert code_of(entries.decide, a, pending, approve=True) == "not_leader"
    entries.decide(ev.leader, pending, approve=True)
    pending.refresh_from_db()
    assert pending.status == "confirmed"
    by_leader = entries.enter(ev.leader, ev.delegated.pk, delegation_id=ev.township.pk, athlete=b)
    assert by_leader.status == "confirmed"
    assert code_of(entries.enter, c, ev.delegated.pk, delegation_id=ev.township.pk) == "delegation_quota_full"
    # Another delegation still has its own places.
    assert entries.enter(c, ev.delegated.pk, delegation_id=ev.other.pk).status == "pending"


def test_unpublished_games_take_no_entries(world):
    from .conftest import make_games

    setup = make_games(world, publish=False)
    assert code_of(entries.enter, residents(world, 1, start=600)[0], setup.sprint.pk) == "not_published"


def test_one_person_plays_in_one_team_per_competition(world, ev):
    a, b, c, d = residents(world, 4, start=900)
    first = entries.enter(a, ev.team.pk, team_name="东关队", members=[b])
    # b in a second team, as a member or as its captain: refused, nothing written.
    with pytest.raises(EventError) as exc:
        entries.enter(c, ev.team.pk, team_name="西关队", members=[b, d])
    assert exc.value.code == "in_another_team" and exc.value.field == "members"
    assert "东关队" in str(exc.value.message)
    assert code_of(entries.enter, b, ev.team.pk, team_name="北关队", members=[c]) == "in_another_team"
    assert Entry.objects.filter(competition=ev.team).count() == 1
    ev.team.refresh_from_db()
    assert ev.team.taken == 1
    # Once the first team withdraws, b is free to play for another.
    entries.withdraw(a, first)
    assert entries.enter(c, ev.team.pk, team_name="西关队", members=[b, d]).athletes == 3


def _offer_that_ran_out(world, ev):
    people = residents(world, 4, start=800)
    for p in people[:3]:
        entries.enter(p, ev.sprint.pk)
    waiting = entries.join_waitlist(people[3], ev.sprint.pk)
    entries.withdraw(people[0], Entry.objects.get(user=people[0]))
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    return waiting


def test_events_tick_command_lapses_offers(world, ev):
    waiting = _offer_that_ran_out(world, ev)
    out = io.StringIO()
    call_command("events_tick", now=(waiting.offer_expires_at + datetime.timedelta(hours=1)).isoformat(), stdout=out)
    assert '"lapsed": 1' in out.getvalue()
    waiting.refresh_from_db()
    assert waiting.status == "lapsed"


def test_the_periodic_tick_lapses_offers(world, ev):
    """`manage.py tick` (cron, or --every beside the server) runs the events' upkeep too."""
    waiting = _offer_that_ran_out(world, ev)
    Entry.objects.filter(pk=waiting.pk).update(offer_expires_at=timezone.now() - datetime.timedelta(minutes=1))
    out = io.StringIO()
    call_command("tick", stdout=out, stderr=io.StringIO())
    assert '"lapsed": 1' in out.getvalue()
    waiting.refresh_from_db()
    assert waiting.status == "lapsed"
