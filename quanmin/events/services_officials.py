"""Officials of a games, appointed from the events' own staff pages and API: judges (Role.JUDGE bound
to one competition, or to the whole games as its chief judges) and delegation leaders
(Role.DELEGATION_LEADER bound to a delegation). The roles are accounts' memberships, granted and
revoked through accounts' services (which audit them); this module decides who may appoint whom.

Staff who may write in the games' division appoint its judges and any of its delegations' leaders;
staff of a delegation's own division (a county appointing the leader of its delegation to the city
games) may appoint that delegation's leader too.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.accounts.models import Membership, Role, User
from quanmin.accounts.services import grant_membership, revoke_membership
from quanmin.regions.models import Region

from .errors import EventError, fail, invalid
from .models import Competition, Delegation, Games
from .services_entries import find_people

OFFICIAL_ROLES = (Role.JUDGE, Role.DELEGATION_LEADER)


def may_appoint_judges(user, games: Games) -> bool:
    return scoping.can_write_region(user, games.region_id)


def may_appoint_leader(user, delegation: Delegation) -> bool:
    return scoping.can_write_region(user, delegation.games.region_id) or scoping.can_write_region(
        user, delegation.region_id)


def _types() -> dict[str, ContentType]:
    return ContentType.objects.get_for_models(Games, Competition, Delegation)


def officials_q(games: Games) -> Q:
    """The memberships that make someone an official of this games (one query's filter)."""
    types = _types()
    return (Q(role=Role.JUDGE, target_type=types[Games], target_id=games.pk)
            | Q(role=Role.JUDGE, target_type=types[Competition],
                target_id__in=Competition.objects.filter(games=games).values("pk"))
            | Q(role=Role.DELEGATION_LEADER, target_type=types[Delegation],
                target_id__in=Delegation.objects.filter(games=games).values("pk")))


def officials(games: Games) -> list[dict]:
    """The games' judges and leaders, each with what they serve: three queries however many."""
    rows = list(Membership.objects.filter(officials_q(games)).select_related("user", "target_type")
                .order_by("role", "target_id", "pk"))
    names = {Games: {games.pk: str(_("The whole games"))},
             Competition: dict(Competition.objects.filter(games=games).values_list("pk", "name")),
             Delegation: dict(Delegation.objects.filter(games=games).values_list("pk", "name"))}
    out = []
    for m in rows:
        model = m.target_type.model_class()
        out.append({"membership": m, "id": m.pk, "role": m.role, "role_label": m.get_role_display(),
                    "user": m.user, "user_id": m.user_id, "name": m.user.display_name, "phone": m.user.phone_masked,
                    "target_kind": model._meta.model_name, "target_id": m.target_id,
                    "target_name": names.get(model, {}).get(m.target_id, "")})
    return out


def _person(phone: str) -> User:
    try:
        return find_people([phone])[0]
    except EventError:
        raise invalid(_("No account has this mobile number: the person signs up first."), "phone") from None


@transaction.atomic
def appoint_judge(actor, games: Games, phone: str, *, competition: Competition | None = None,
                  request=None) -> Membership:
    """A judge of one competition of the games, or (no competition) of all of it."""
    if not may_appoint_judges(actor, games):
        raise PermissionDenied
    if competition is not None and competition.games_id != games.pk:
        raise fail("not_found")
    person = _person(phone)
    membership = grant_membership(person, Role.JUDGE, Region.objects.get(pk=games.region_id),
                                  target=competition or games, request=request)
    audit.record("appoint_judge", request=request, actor=actor, obj=games,
                 detail={"user": person.pk, "competition": competition.pk if competition else None})
    person.__dict__.pop("_quanmin_memberships", None)
    return membership


@transaction.atomic
def appoint_leader(actor, delegation: Delegation, phone: str, *, request=None) -> Membership:
    """The leader (领队) of a delegation: approves its athletes' entries and enters athletes."""
    if not may_appoint_leader(actor, delegation):
        raise PermissionDenied
    person = _person(phone)
    membership = grant_membership(person, Role.DELEGATION_LEADER, Region.objects.get(pk=delegation.region_id),
                                  target=delegation, request=request)
    audit.record("appoint_leader", request=request, actor=actor, obj=delegation.games,
                 detail={"user": person.pk, "delegation": delegation.pk})
    return membership


def official_of(games: Games, membership_id: int) -> Membership:
    """One of the games' official memberships (any other id: not_found)."""
    membership = Membership.objects.filter(officials_q(games), pk=membership_id).select_related(
        "user", "target_type").first()
    if membership is None:
        raise fail("not_found")
    return membership


@transaction.atomic
def dismiss(actor, games: Games, membership_id: int, *, request=None) -> None:
    """Take a judge's or leader's role for this games away (their account and other roles stay)."""
    membership = official_of(games, membership_id)
    if membership.role == Role.DELEGATION_LEADER:
        allowed = may_appoint_leader(actor, Delegation.objects.select_related("games").get(pk=membership.target_id))
    else:
        allowed = may_appoint_judges(actor, games)
    if not allowed:
        raise PermissionDenied
    audit.record("dismiss_official", request=request, actor=actor, obj=games,
                 detail={"user": membership.user_id, "role": membership.role})
    revoke_membership(membership, request=request)
