"""The people of the people's congress, CPPCC and supervision offices (Role.OVERSIGHT): granted by
mobile number by the staff of a division, bound to it, and taken away again; each
grant and removal audited by accounts. What the role reads: permissions.py."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import scoping
from quanmin.accounts.models import Membership, Role, User
from quanmin.accounts.services import grant_membership, revoke_membership
from quanmin.regions import codes
from quanmin.regions.models import Region

from .. import permissions
from ..errors import PlanningError


def people(user):
    """The oversight roles of the divisions this user grants them for (by division)."""
    found = Membership.objects.filter(role=Role.OVERSIGHT).select_related("user", "region").order_by("region_id", "pk")
    if scoping.is_superuser(user):
        return found
    q = Q(pk__in=[])
    for p in scoping.division_prefixes(user, write=True):
        q |= Q(region__code__within=p)
    return found.filter(q)


@transaction.atomic
def grant(actor, person: User, division_code: str, *, request=None) -> Membership:
    """Let `person` read the supervision of the division (twice changes nothing)."""
    code = str(division_code or "").strip()
    region = Region.objects.filter(code=codes.pad(code)).first() if codes.is_prefix(code) else None
    if region is None:
        raise PlanningError("region_unknown", _("Unknown division code."), "division_code")
    if not permissions.can_grant_oversight(actor, region.code):
        raise PlanningError("oversight_not_yours", _("Only the division's staff grant this role."),
                            "division_code", status=403)
    membership = grant_membership(person, Role.OVERSIGHT, region, request=request)
    person.__dict__.pop("_quanmin_memberships", None)
    return membership


@transaction.atomic
def revoke(actor, membership_id, *, request=None) -> bool:
    """Take the role away; False when the actor grants no such role (nothing changed)."""
    try:
        pk = int(membership_id)
    except (TypeError, ValueError):
        return False
    membership = people(actor).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if membership is None:
        return False
    revoke_membership(membership, request=request)
    return True
