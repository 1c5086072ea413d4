"""Booking's permission rules (the can_* checks) and the scope they apply to, over
quanmin.accounts.scoping.

Venue operators (role "operator", target a Site) run their own sites; division staff run every
site in their divisions; supervisors and evaluators read. Equipment inspectors are site roles too,
but they inspect equipment and do not run bookings, so their sites are left out here. Certificates
are checked by division staff with write rights in the holder's division.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from quanmin.accounts import scoping
from quanmin.accounts.models import Role
from quanmin.facilities.models import Site


def _site_targets(user, role: str) -> set[int]:
    return {m.target_id for m in scoping.memberships(user)
            if m.role == role and m.target_id is not None and (m.target_type.app_label, m.target_type.model) == ("facilities", "site")}


def is_operator(user) -> bool:
    return bool(_site_targets(user, Role.OPERATOR))


def can_read(user) -> bool:
    return scoping.is_division_staff(user) or is_operator(user)


def can_write(user) -> bool:
    return scoping.is_division_staff(user, write=True) or is_operator(user)


def can_write_site(user, site) -> bool:
    """May change this site's units, times and bookings (not only read them)."""
    return can_write(user) and scoped(user, Site.objects.filter(pk=site.pk), write=True).exists()


def can_check_certificates(user) -> bool:
    return scoping.is_division_staff(user, write=True)


def scoped(user, queryset: QuerySet, write: bool = False) -> QuerySet:
    qs = scoping.scoped(user, queryset, write)
    inspected_only = _site_targets(user, Role.INSPECTOR) - _site_targets(user, Role.OPERATOR)
    fields = getattr(queryset.model, "scope_fields", {})
    if inspected_only and fields.get("site"):
        in_divisions = Q(pk__in=[])
        for p in scoping.division_prefixes(user, write):
            in_divisions |= Q(**{f"{fields['region']}__within": p})
        qs = qs.exclude(Q(**{f"{fields['site']}__in": inspected_only}) & ~in_divisions)
    return qs


def get_or_404(user, queryset: QuerySet, write: bool = False, **lookup):
    try:
        return scoped(user, queryset, write).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
