"""The brand register (A08, A09): brands registered, changed, retired and reinstated; an event linked
to the brand it is one year of; the units of a subtree without a brand.

A brand is held by a division (a county may hold several: "一县多品"; a township "一镇一品"; a village
or community "一村一品") or by a sports association ("一协会一品牌"), whose division it carries. Staff
write the brands of their own divisions and of the associations in them (accounts.scoping); pages,
the API, the Excel import and the demo all call these.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.organizations.models import Organization
from quanmin.regions import codes
from quanmin.regions.models import Region

from .errors import EventError
from .models import Brand, Games, Sport
from .services import ASSOCIATION_KINDS

HOLDER_LEVELS = ("city", "county", "township", "community")
TEXT_LIMIT = 2000
FIELDS = ("name", "sport", "since", "description")
# The units the seeds give a brand each (T1-22): townships, villages and communities, associations.
UNIT_LEVELS = ("township", "community")


def _error(code: str, message, field: str | None = None, status: int = 400) -> EventError:
    return EventError(code, message, field=field, status=status)


def clean(data: dict) -> dict:
    """The brand's own fields checked and trimmed (those given)."""
    out = {}
    if "name" in data:
        name = " ".join(str(data["name"] or "").replace("\x00", "").split())
        if not name:
            raise _error("name_required", _("Give the brand's name."), "name")
        if len(name) > 120:
            raise _error("name_too_long", _("A brand's name has at most 120 characters."), "name")
        out["name"] = name
    if "sport" in data:
        sport = str(data["sport"] or "")
        if sport and sport not in Sport.values:
            raise _error("sport_unknown", _("Choose a sport from the list."), "sport")
        out["sport"] = sport
    if "since" in data:
        try:
            since = int(data["since"])
        except (TypeError, ValueError):
            since = 0
        if not 1949 <= since <= 2100:
            raise _error("since_invalid", _("Give the year it was first held, from 1949 to 2100."), "since")
        out["since"] = since
    if "description" in data:
        text = str(data["description"] or "").replace("\x00", "").strip()
        if len(text) > TEXT_LIMIT:
            raise _error("description_too_long", _("Write at most %(limit)s characters.") % {"limit": TEXT_LIMIT},
                         "description")
        out["description"] = text
    return out


def holder(user, *, region=None, organization: Organization | None = None) -> tuple[Region, Organization | None]:
    """The unit that holds a brand, checked: an association in the user's divisions (its division
    goes with it), else a division the user writes for."""
    if organization is not None:
        if organization.kind not in ASSOCIATION_KINDS or not organization.active:
            raise _error("not_association", _("Only an active sports association or federation holds a brand."),
                         "organization")
        if not scoping.can_write_region(user, organization.region_id):
            raise _error("region_out_of_scope", _("This association is outside your scope."), "organization",
                         status=403)
        return organization.region, organization
    found = scoping.region_to_write(user, region, error=EventError)
    if found.level not in HOLDER_LEVELS:
        raise _error("level_mismatch", _("A brand is held by a city, county, township, village or community."),
                     "region")
    return found, None


def _saved(brand: Brand) -> Brand:
    try:
        with transaction.atomic():
            brand.save()
    except IntegrityError:
        raise _error("brand_exists", _("This division already has a brand of that name."), "name",
                     status=409) from None
    return brand


def register_brand(user, data: dict, *, region=None, organization: Organization | None = None,
                   request=None) -> Brand:
    """A new brand held by `organization` (an association) or else by `region` (a division)."""
    if not scoping.is_division_staff(user, write=True):
        raise PermissionDenied
    where, association = holder(user, region=region, organization=organization)
    values = clean({"since": timezone.localdate().year, **{k: v for k, v in data.items() if k in FIELDS}})
    if "name" not in values:
        raise _error("name_required", _("Give the brand's name."), "name")
    brand = _saved(Brand(region=where, organization=association, created_by=user, **values))
    audit.record("register_brand", request=request, actor=user, obj=brand)
    return brand


def update_brand(user, brand: Brand, data: dict, *, request=None) -> list[str]:
    """Change a brand's name, sport, first year or description; the names of the fields changed."""
    if not scoping.can_write_region(user, brand.region_id):
        raise PermissionDenied
    values = clean({k: v for k, v in data.items() if k in FIELDS})
    changed = [k for k, v in values.items() if getattr(brand, k) != v]
    for key in changed:
        setattr(brand, key, values[key])
    if changed:
        _saved(brand)
        audit.record("update_brand", request=request, actor=user, obj=brand, detail={"fields": changed})
    return changed


def retire_brand(user, brand: Brand, reason: str = "", *, on: datetime.date | None = None, request=None) -> Brand:
    """The brand is no longer held from `on` (today): its unit counts as without a brand from then."""
    if not scoping.can_write_region(user, brand.region_id):
        raise PermissionDenied
    if brand.retired_on is not None:
        raise _error("brand_retired", _("This brand is already retired."), status=409)
    brand.retired_on = on or timezone.localdate()
    brand.retire_reason = " ".join(str(reason or "").replace("\x00", "").split())[:200]
    brand.save(update_fields=["retired_on", "retire_reason", "updated_at"])
    audit.record("retire_brand", request=request, actor=user, obj=brand)
    return brand


def reinstate_brand(user, brand: Brand, *, request=None) -> Brand:
    if not scoping.can_write_region(user, brand.region_id):
        raise PermissionDenied
    if brand.retired_on is None:
        raise _error("brand_active", _("This brand is held: there is nothing to reinstate."), status=409)
    brand.retired_on, brand.retire_reason = None, ""
    brand.save(update_fields=["retired_on", "retire_reason", "updated_at"])
    audit.record("reinstate_brand", request=request, actor=user, obj=brand)
    return brand


def link_games(user, games: Games, brand: Brand | None, *, request=None) -> Games:
    """Make `games` one year of `brand` (None: of no brand). A linked event is a brand event and
    names the brand's holder as its owner; the brand is held in the event's division or above it."""
    if not scoping.can_write_region(user, games.region_id):
        raise PermissionDenied
    if brand is not None:
        if not scoping.can_read_region(user, brand.region_id):
            raise _error("brand_unknown", _("No such brand in your scope."), "brand", status=404)
        if brand.retired_on is not None:
            raise _error("brand_retired", _("This brand is retired: reinstate it first."), "brand", status=409)
        if not codes.contains(brand.region_id, games.region_id):
            raise _error("brand_elsewhere", _("The brand is held in another division than the event's."), "brand")
        games.brand_series, games.brand = brand, True
        games.brand_owner = brand.holder[:120]
    else:
        games.brand_series = None
    games.save(update_fields=["brand_series", "brand", "brand_owner"])
    audit.record("link_brand", request=request, actor=user, obj=games,
                 detail={"brand": brand.pk if brand else None})
    return games


# ---------------------------------------------------------------- reading

def held_q(as_of: datetime.date, prefix: str = "") -> Q:
    """Brands held on `as_of` (first held that year or before, not retired by then), in the subtree."""
    q = Q(since__lte=as_of.year) & (Q(retired_on__isnull=True) | Q(retired_on__gt=as_of))
    return q & Q(region__code__within=prefix) if prefix else q


def staff_brands(user, *, region: str = "", status: str = "", q: str = ""):
    found = scoping.scoped(user, Brand.objects.select_related("region", "organization"))
    if region and codes.is_prefix(region):
        found = found.filter(region__code__within=codes.prefix(codes.pad(region)))
    if status == "active":
        found = found.filter(retired_on__isnull=True)
    elif status == "retired":
        found = found.filter(retired_on__isnull=False)
    if q:
        found = found.filter(name__icontains=q[:60])
    return found.order_by("region_id", "name", "pk")


def associations(prefix: str):
    """The subtree's active, approved associations and federations: the units of "一协会一品牌"."""
    return Organization.objects.filter(region__code__within=prefix, kind__in=ASSOCIATION_KINDS, active=True,
                                       review=Organization.Review.APPROVED)



def units_without_brand(prefix: str, as_of: datetime.date, limit: int = 500) -> dict:
    """The subtree's townships, villages and communities, and associations holding no brand on
    `as_of`, each list at most `limit` long, with how many there are in all (six queries)."""
    held = Brand.objects.filter(held_q(as_of, prefix))
    lo, hi = codes.subtree_range(prefix)
    out = {}
    for level in UNIT_LEVELS:
        rows = (Region.objects.filter(code__gte=lo, code__lte=hi, level=level)
                .exclude(code__in=held.filter(organization__isnull=True).values("region_id")))
        out[level] = {"count": rows.count(), "rows": list(rows.select_related("parent").order_by("code")[:limit])}
    rows = associations(prefix).exclude(pk__in=held.filter(organization__isnull=False).values("organization_id"))
    out["association"] = {"count": rows.count(),
                          "rows": list(rows.select_related("region").order_by("region_id", "name", "pk")[:limit])}
    return out


def brands_for(user, games: Games) -> list[Brand]:
    """The held brands an event may be one year of: those of its division and the divisions above it."""
    return list(scoping.scoped(user, Brand.objects.filter(
        region_id__in=codes.upward(games.region_id),
        retired_on__isnull=True).select_related("region", "organization")).order_by("region_id", "name")[:300])
