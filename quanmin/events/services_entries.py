"""Entries, like pretix's quotas: individual and team entries with the real-name account, delegation
entries approved by the delegation's leader, quotas per competition and per delegation, closing
dates, a waiting list whose offers run out, and withdrawal.

Race-free on SQLite and PostgreSQL, as booking's holds are:
- a place is taken by one conditional UPDATE (``taken = taken + 1 WHERE taken + 1 <= capacity``),
  and a CHECK constraint keeps ``taken <= capacity`` whatever the code does;
- one open entry per person and competition is a partial unique constraint;
- a delegation's quota is counted while holding a lock on the delegation's row (PostgreSQL: SELECT
  … FOR UPDATE; SQLite: transactions begin IMMEDIATE, so writers are serialised).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, crypto, scoping
from quanmin.accounts.models import Consent, Role, User
from quanmin.accounts.phones import normalise_phone
from quanmin.core.notify import notify
from quanmin.regions import codes

from . import services_fees
from .errors import fail
from .models import HOLDING, OPEN, Competition, Delegation, Entry, Games, TeamMember

OFFER_HOURS = 24  # how long a place offered from the waiting list is kept
GUARDIAN_UNDER = 14  # PIPL art. 31: a child's data needs a guardian's consent


def leads(user, delegation_id: int) -> bool:
    return delegation_id in scoping.targets(user, {Role.DELEGATION_LEADER}, "events.Delegation")


def may_manage_delegation(user, delegation: Delegation) -> bool:
    return leads(user, delegation.pk) or scoping.can_write_region(user, delegation.games.region_id)


def find_people(phones: list[str]) -> list[User]:
    """The accounts of the mobile numbers given (a team's members), in order; unknown ones fail."""
    people = []
    for raw in phones:
        try:
            phone = normalise_phone(raw)
        except (ValueError, TypeError):
            raise fail("team_member_unknown", status=400) from None
        person = User.objects.filter(phone_hash=crypto.lookup_hash(phone), is_active=True).first()
        if person is None:
            raise fail("team_member_unknown", status=400)
        if person not in people:
            people.append(person)
    return people


def age_group_label(competition: Competition) -> str:
    low, high = competition.min_age, competition.max_age
    if low is not None and high is not None:
        return f"{low}–{high}"
    if low is not None:
        return f"{low}+"
    return f"≤{high}" if high is not None else ""


def check_person(person: User, competition: Competition) -> None:
    """Whether `person` may compete: real name, age and sex group from the ID number, residence,
    a guardian's consent under 14."""
    if not person.id_number_hash or not person.real_name or not person.birth_date:
        raise fail("real_name_required", status=403)
    age = person.age(timezone.localtime(competition.starts_at).date())
    if (competition.min_age is not None and age < competition.min_age) or (
            competition.max_age is not None and age > competition.max_age):
        raise fail("age_group", group=age_group_label(competition), age=age)
    if competition.sex in (Competition.Sex.MALE, Competition.Sex.FEMALE) and person.sex != competition.sex:
        raise fail("sex_group")
    games = competition.games
    if competition.residents_only and not (person.home_region_id and codes.contains(games.region_id, person.home_region_id)):
        raise fail("residence", division=games.region.name)
    if age < GUARDIAN_UNDER and not Consent.objects.filter(user=person, withdrawn_at__isnull=True).exclude(
            guardian_name="").exists():
        raise fail("guardian_consent", status=403)


def _check_open(competition: Competition, now) -> None:
    if competition.games.status != Games.Status.PUBLISHED:
        raise fail("not_published")
    if now > competition.closes_at:
        raise fail("entries_closed")


def _team(competition: Competition, captain: User, members: list[User], team_name: str) -> list[User]:
    if competition.format == Competition.Format.INDIVIDUAL:
        return [captain]
    if not team_name.strip():
        raise fail("team_name", status=400)
    team = [captain, *[m for m in members if m.pk != captain.pk]]
    if not competition.team_min <= len(team) <= competition.team_max:
        raise fail("team_size", status=400, min=competition.team_min, max=competition.team_max)
    return team


def _check_not_in_other_team(competition: Competition, team: list[User]) -> None:
    """A person plays in one team per competition (the partial unique constraint on open team
    members makes this hold under concurrent entries too)."""
    if competition.format == Competition.Format.INDIVIDUAL:
        return
    taken = (TeamMember.objects.filter(competition=competition, user__in=team, open=True)
             .select_related("entry", "user").first())
    if taken is not None:
        raise fail("in_another_team", name=taken.user.display_name,
                   team=taken.entry.team_name)


def _close(entry_id: int) -> None:
    """The entry left the open statuses: its members are free to join another team."""
    TeamMember.objects.filter(entry_id=entry_id).update(open=False)


def _snapshot(person: User) -> dict:
    return {"sex": person.sex, "birth_year": person.birth_date.year if person.birth_date else None,
            "region_code": person.home_region_id or ""}


def _take(competition_id: int) -> bool:
    return bool(Competition.objects.filter(pk=competition_id, taken__lt=F("capacity")).update(taken=F("taken") + 1))


def _release(competition_id: int) -> None:
    Competition.objects.filter(pk=competition_id, taken__gt=0).update(taken=F("taken") - 1)


def _load(competition_id: int) -> Competition:
    competition = Competition.objects.select_related("games__region").filter(pk=competition_id).first()
    if competition is None:
        raise fail("not_found")
    return competition


def enter(user, competition_id: int, *, delegation_id: int | None = None, team_name: str = "",
          members: list[User] | None = None, athlete: User | None = None, waitlist: bool = False,
          now=None, request=None) -> Entry:
    """Enter a competition. The athlete is `user` (a resident entering themself) or `athlete` (a
    delegation's leader or staff entering someone). An athlete's own entry through a delegation
    waits for the leader's approval (holding its place); the leader's or staff's is confirmed.
    With `waitlist`, a full competition puts the entry on the waiting list instead of failing."""
    now = now or timezone.now()
    competition = _load(competition_id)
    person = athlete or user
    by_manager = athlete is not None
    delegation = None
    if delegation_id is not None:
        delegation = Delegation.objects.select_related("games").filter(pk=delegation_id, games_id=competition.games_id).first()
        if delegation is None:
            raise fail("not_found")
        if by_manager and not may_manage_delegation(user, delegation):
            raise PermissionDenied
    elif by_manager and not scoping.can_write_region(user, competition.games.region_id):
        raise PermissionDenied
    if competition.entries == Competition.Entries.DELEGATION and delegation is None:
        raise fail("delegation_only")
    if competition.entries == Competition.Entries.OPEN and delegation is not None:
        raise fail("open_only")
    _check_open(competition, now)
    team = _team(competition, person, members or [], team_name)
    for member in team:
        check_person(member, competition)
    status = Entry.Status.PENDING if delegation is not None and not by_manager else Entry.Status.CONFIRMED
    provider = services_fees.provider_for(competition, delegation=delegation, by_manager=by_manager)
    try:
        with transaction.atomic():
            if Entry.objects.filter(competition=competition, user=person, status__in=OPEN).exists():
                raise fail("already_entered")
            _check_not_in_other_team(competition, team)
            if delegation is not None and competition.delegation_quota:
                Delegation.objects.select_for_update().filter(pk=delegation.pk).first()
                used = Entry.objects.filter(competition=competition, delegation=delegation, status__in=HOLDING).count()
                if used >= competition.delegation_quota:
                    raise fail("delegation_quota_full")
            # The competition's row lock first: a games cancelled meanwhile is seen here (its cancel
            # takes the same lock before withdrawing the entries), so no entry slips in after it.
            Competition.objects.select_for_update().filter(pk=competition.pk).first()
            if not Games.objects.filter(pk=competition.games_id, status=Games.Status.PUBLISHED).exists():
                raise fail("not_published")
            if not _take(competition.pk):
                expire_offers(competition.pk, now=now)
                if not _take(competition.pk):
                    if not waitlist:
                        raise fail("quota_full")
                    status = Entry.Status.WAITING
            status, pay_by = services_fees.status_after(provider, status, now)
            entry = Entry.objects.create(competition=competition, games_id=competition.games_id, user=person,
                                         delegation=delegation, team_name=team_name.strip()[:60],
                                         athletes=len(team), status=status, pay_by=pay_by,
                                         decided_at=now if status == Entry.Status.CONFIRMED else None,
                                         **_snapshot(person))
            if provider is not None and status != Entry.Status.WAITING:
                services_fees.charge(provider, entry, competition)
            if competition.format != Competition.Format.INDIVIDUAL:
                TeamMember.objects.bulk_create([TeamMember(entry=entry, competition=competition, user=m, **_snapshot(m))
                                                for m in team])
    except IntegrityError:
        # A concurrent entry won the constraint: say which one (outside the failed transaction).
        if competition.format != Competition.Format.INDIVIDUAL:
            _check_not_in_other_team(competition, team)
        raise fail("already_entered") from None
    if by_manager:
        audit.record("enter_athlete", request=request, actor=user, obj=entry, detail={"athlete": person.pk})
    return entry


def join_waitlist(user, competition_id: int, **kwargs) -> Entry:
    """The waiting list of a full competition (a free place is entered instead: not_full)."""
    competition = _load(competition_id)
    if competition.taken < competition.capacity:
        raise fail("not_full")
    return enter(user, competition_id, waitlist=True, **kwargs)


def decide(leader, entry: Entry, *, approve: bool, now=None, request=None) -> Entry:
    """The delegation leader approves an athlete's entry (it keeps its place) or not (freed)."""
    now = now or timezone.now()
    if entry.delegation_id is None or not may_manage_delegation(leader, entry.delegation):
        raise fail("not_leader", status=403)
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        if entry.status != Entry.Status.PENDING:
            raise fail("not_pending")
        entry.status = Entry.Status.CONFIRMED if approve else Entry.Status.REJECTED
        entry.decided_at = now
        entry.save(update_fields=["status", "decided_at"])
        if not approve:
            _close(entry.pk)
            _release(entry.competition_id)
            offer_next(entry.competition_id, now=now)
    audit.record("approve_entry" if approve else "reject_entry", request=request, actor=leader, obj=entry)
    notify(entry.user, _("Entry approved") if approve else _("Entry not approved"), str(entry.competition))
    return entry


def may_change(user, entry: Entry) -> bool:
    return entry.user_id == user.pk or (entry.delegation_id is not None and may_manage_delegation(user, entry.delegation)) \
        or scoping.can_write_region(user, entry.games.region_id)


def withdraw(user, entry: Entry, *, now=None, request=None) -> Entry:
    """Withdraw before the competition starts: the place goes to the next on the waiting list."""
    now = now or timezone.now()
    if not may_change(user, entry):
        raise fail("not_found")
    with transaction.atomic():
        entry = Entry.objects.select_for_update().select_related("competition").get(pk=entry.pk)
        if entry.status not in OPEN or entry.competition.starts_at <= now:
            raise fail("not_withdrawable")
        held = entry.status in HOLDING
        entry.status, entry.withdrawn_at = Entry.Status.WITHDRAWN, now
        entry.save(update_fields=["status", "withdrawn_at"])
        _close(entry.pk)
        refunded = services_fees.refund_on_withdrawal(entry, entry.competition, now)
        if held:
            _release(entry.competition_id)
            offer_next(entry.competition_id, now=now)
    audit.record("withdraw_entry", request=request, actor=user, obj=entry, detail={"refunded": str(refunded)})
    return entry


def withdraw_cancelled(entry_id: int, *, now) -> tuple[Entry, object] | None:
    """Withdraw an open entry of a cancelled games, refunding its fee in full, exactly once: under
    the entry's lock (then its fee's, as every writer takes them), an entry already withdrawn or
    lapsed is left. Returns the entry and the amount refunded, or None."""
    with transaction.atomic():
        entry = (Entry.objects.select_for_update(of=("self",)).select_related("competition", "user")
                 .filter(pk=entry_id).first())
        if entry is None or entry.status not in OPEN:
            return None
        held = entry.status in HOLDING
        entry.status, entry.withdrawn_at = Entry.Status.WITHDRAWN, now
        entry.save(update_fields=["status", "withdrawn_at"])
        _close(entry.pk)
        refunded = services_fees.refund_on_withdrawal(entry, entry.competition, now, cancelled=True)
        if held:
            _release(entry.competition_id)
    return entry, refunded


def offer_next(competition_id: int, *, now=None) -> list[Entry]:
    """Offer freed places to the waiting list in order; each offer runs out after OFFER_HOURS."""
    now = now or timezone.now()
    offered = []
    if not Games.objects.filter(competitions=competition_id, status=Games.Status.PUBLISHED).exists():
        return offered  # a cancelled games offers nothing: its entries are being withdrawn
    for entry in Entry.objects.filter(competition_id=competition_id, status=Entry.Status.WAITING).select_related(
            "competition").order_by("created_at", "pk"):
        if entry.competition.starts_at <= now or not _take(competition_id):
            break
        deadline = min(now + datetime.timedelta(hours=OFFER_HOURS), entry.competition.starts_at)
        Entry.objects.filter(pk=entry.pk).update(status=Entry.Status.OFFERED, offer_expires_at=deadline)
        entry.status, entry.offer_expires_at = Entry.Status.OFFERED, deadline
        notify(entry.user, _("A place is free for you"),
               _("%(competition)s: accept by %(deadline)s or it goes to the next person.") % {
                   "competition": entry.competition.name,
                   "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")})
        offered.append(entry)
    return offered


def accept_offer(user, entry: Entry, *, now=None) -> Entry:
    """Take the place offered; where the competition charges a fee, it is paid now (online: the
    entry waits for the payment, PAY_MINUTES)."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = Entry.objects.select_for_update().select_related("competition__games").get(pk=entry.pk)
        if entry.user_id != user.pk:
            raise fail("not_found")
        if entry.status != Entry.Status.OFFERED or (entry.offer_expires_at and entry.offer_expires_at < now):
            raise fail("not_offered")
        provider = services_fees.provider_for(entry.competition, delegation=entry.delegation_id)
        status, pay_by = services_fees.status_after(provider, Entry.Status.CONFIRMED, now)
        entry.status, entry.offer_expires_at, entry.pay_by = status, None, pay_by
        entry.decided_at = now if status == Entry.Status.CONFIRMED else None
        entry.save(update_fields=["status", "decided_at", "offer_expires_at", "pay_by"])
        if provider is not None:
            services_fees.charge(provider, entry, entry.competition)
    return entry


def expire_offers(competition_id: int | None = None, *, now=None) -> int:
    """Offers that ran out, and entries whose online payment did not come in time, lapse, each
    exactly once (a conditional UPDATE from its status: a payment arriving at the same moment either
    confirms the entry first or finds it lapsed and is refunded); their places go to the next in line."""
    now = now or timezone.now()
    stale = Entry.objects.filter(Q(status=Entry.Status.OFFERED, offer_expires_at__lt=now)
                                 | Q(status=Entry.Status.UNPAID, pay_by__lt=now))
    if competition_id is not None:
        stale = stale.filter(competition_id=competition_id)
    lapsed = 0
    for pk, comp, status in stale.values_list("pk", "competition_id", "status"):
        with transaction.atomic():
            if Entry.objects.filter(pk=pk, status=status).update(status=Entry.Status.LAPSED):
                _close(pk)
                services_fees.drop_pending(pk)
                _release(comp)
                lapsed += 1
                offer_next(comp, now=now)
    return lapsed
