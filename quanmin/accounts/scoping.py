"""The one scoping helper: what a user may see and change.

Division roles see (and, unless read-only, change) their division and everything under it: a
subtree is a prefix of the 12-digit code. Site and organisation roles see what belongs to their
site or organisation. Models say where their division, site and organisation are through a
`scope_fields` mapping, e.g. {"region": "site__region__code", "site": "site_id"}.
Anything outside a user's scope answers 404, the same as a missing object.
"""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from quanmin.core.errors import ServiceError
from quanmin.regions import codes
from quanmin.regions.models import Region

from .models import DIVISION_ROLES, NARROW_ROLES, ORG_ROLES, READ_ONLY_ROLES, SITE_ROLES, Membership, Role

DEFAULT_SCOPE_FIELDS = {"region": "region__code"}


def memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_quanmin_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("region", "target_type"))
        user._quanmin_memberships = cached
    return cached


def roles(user) -> set[str]:
    return {m.role for m in memberships(user)}


def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def is_division_staff(user, write: bool = False) -> bool:
    """Division staff (and, for reading, supervisors and evaluators)."""
    if is_superuser(user):
        return True
    allowed = set(DIVISION_ROLES) | (set() if write else READ_ONLY_ROLES)
    return bool(roles(user) & allowed)


def is_city_staff(user) -> bool:
    return is_superuser(user) or Role.CITY_STAFF in roles(user)


def is_backoffice(user) -> bool:
    """Anyone with a working role: staff, supervisors, operators, inspectors, organisation staff (not
    a narrow role, which reads one app's subject only: models.NARROW_ROLES)."""
    return is_superuser(user) or any(m.role not in NARROW_ROLES for m in memberships(user))


def division_prefixes(user, write: bool = False) -> list[str]:
    allowed = set(DIVISION_ROLES) | (set() if write else READ_ONLY_ROLES)
    return codes.outermost(codes.prefix(m.region_id) for m in memberships(user) if m.role in allowed)


def targets(user, role_set, model_label: str | None = None) -> list[int]:
    """The ids of the objects (sites, organisations, stations, competitions…) the user serves in
    one of `role_set`, optionally only those of one model ("people.Station")."""
    return [
        m.target_id for m in memberships(user)
        if m.role in role_set and m.target_id is not None
        and (model_label is None or m.target_type.model_class()._meta.label == model_label)
    ]


def scope_q(user, model, write: bool = False) -> Q | None:
    """The filter for `model` rows this user may see (or change). None means everything."""
    if is_superuser(user):
        return None
    fields = getattr(model, "scope_fields", DEFAULT_SCOPE_FIELDS)
    parts = []
    region_field = fields.get("region")
    if region_field:
        parts += [Q(**{f"{region_field}__within": p}) for p in division_prefixes(user, write)]
    site_field = fields.get("site")
    if site_field:
        sites = targets(user, SITE_ROLES, fields.get("site_model"))
        if sites:
            parts.append(Q(**{f"{site_field}__in": sites}))
    org_field = fields.get("organization")
    if org_field:
        orgs = targets(user, ORG_ROLES, fields.get("organization_model"))
        if orgs:
            parts.append(Q(**{f"{org_field}__in": orgs}))
    if not parts:
        return Q(pk__in=[])
    return reduce(or_, parts)


def scoped(user, queryset: QuerySet, write: bool = False) -> QuerySet:
    q = scope_q(user, queryset.model, write)
    return queryset if q is None else queryset.filter(q)


def get_scoped_or_404(user, queryset: QuerySet, write: bool = False, **lookup):
    try:
        return scoped(user, queryset, write).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_write_region(user, region_code: str) -> bool:
    if is_superuser(user):
        return True
    return any(codes.in_subtree(region_code, p) for p in division_prefixes(user, write=True))


def region_to_write(user, value, field: str = "region", *, error: type[ServiceError] = ServiceError) -> Region:
    """The division a form, body or cell names by its code (or a Region), which `user` writes for:
    `region_unknown` for a code of no division, `region_out_of_scope` (403) for one outside the
    user's divisions, raised as the caller's error type."""
    if isinstance(value, Region):
        found = value
    else:
        raw = str(value or "").strip()
        found = Region.objects.filter(code=codes.pad(raw)).first() if codes.is_prefix(raw) else None
    if found is None:
        raise error("region_unknown", _("Unknown division code."), field)
    if not can_write_region(user, found.code):
        raise error("region_out_of_scope", _("This division is outside your scope."), field, status=403)
    return found


def can_read_region(user, region_code: str) -> bool:
    if is_superuser(user):
        return True
    return any(codes.in_subtree(region_code, p) for p in division_prefixes(user))


def top_region(user, write: bool = False) -> Region | None:
    """The first division at the top of the user's scope (by code): where a figures page starts."""
    return top_regions(user, write).order_by("code").first()


def top_regions(user, write: bool = False):
    """The divisions at the top of the user's scope, for pickers and dashboards."""

    if is_superuser(user):
        return Region.objects.filter(parent__isnull=True)
    return Region.objects.filter(code__in=[codes.pad(p) for p in division_prefixes(user, write)])
