"""Maintenance units (维修单位): who repairs a division's equipment, their staff, and which units
serve a division. Every write to units goes through here: pages, API, admin and the demo.

A unit serves its division and every division under it: a city's contractor serves every county.
"""

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.accounts.errors import AccountError
from quanmin.accounts.models import Membership, Role
from quanmin.accounts.phones import normalise_phone
from quanmin.accounts.services import active_user_by_phone, grant_membership
from quanmin.regions import codes
from quanmin.regions.models import Region

from .errors import MaintenanceError
from .models import HOLDING_STATUSES, OPEN_STATUSES, MaintenanceUnit

# --- which units serve a division ---------------------------------------------------------------------


def units_for(user, write: bool = False) -> QuerySet[MaintenanceUnit]:
    """The units this user may see (write: change)."""
    return scoping.scoped(user, MaintenanceUnit.objects.select_related("region"), write)


def units_serving(region_code: str) -> QuerySet[MaintenanceUnit]:
    """Active units that serve this division: those of the division itself or of a division above it
    (a city's contractor serves every county), whoever's scope they lie in; the nearest first."""
    return (MaintenanceUnit.objects.filter(active=True, region_id__in=codes.upward(region_code))
            .select_related("region").order_by("-region_id", "name"))


def responsible_unit(region_code: str) -> MaintenanceUnit | None:
    """The unit a work order in this division goes to when nobody names one: the first made of those
    serving the nearest division that has any."""
    return units_serving(region_code).order_by("-region_id", "pk").first()


def units_with_open_counts(qs: QuerySet[MaintenanceUnit]) -> QuerySet[MaintenanceUnit]:
    return qs.annotate(
        open_orders=Count("work_orders", filter=Q(work_orders__status__in=OPEN_STATUSES)),
        overdue_orders=Count("work_orders", filter=Q(work_orders__status__in=OPEN_STATUSES,
                                                     work_orders__due_at__lt=timezone.now())))


def check_serves(unit: MaintenanceUnit, region_code: str) -> None:
    # A unit serves its division and everything under it.
    if not unit.active or not codes.contains(unit.region_id, region_code):
        raise MaintenanceError("unit_not_serving", _("That maintenance unit does not serve this division."), "unit")


def unit_members(unit_id: int):
    return Membership.objects.filter(role=Role.ORG_STAFF, target_id=unit_id, target_type__app_label="maintenance",
                                     target_type__model="maintenanceunit")


UNIT_FIELDS = ("name", "contact", "phone")


def _unit_region(actor, region):
    if not isinstance(region, Region):
        region = Region.objects.filter(pk=str(region or "")).first()
    if region is None:
        raise MaintenanceError("region_invalid", _("Choose a division."), "region")
    if not scoping.can_write_region(actor, region.code):
        raise MaintenanceError("region_out_of_scope", _("This division is outside your scope."), "region",
                               status=403)
    return region


def _clean_unit_data(data: dict) -> dict:
    clean = {}
    for key in UNIT_FIELDS:
        if key in data and data[key] is not None:
            clean[key] = str(data[key]).strip()
    if "name" in clean and not clean["name"]:
        raise MaintenanceError("name_required", _("Give the unit a name."), "name")
    limits = {"name": 120, "contact": 60, "phone": 30}
    for key, value in clean.items():
        if len(value) > limits[key]:
            raise MaintenanceError(f"{key}_too_long", _("At most %(n)s characters.") % {"n": limits[key]}, key)
    if clean.get("phone"):
        phone = normalise_phone(clean["phone"])
        if not phone.replace("-", "").isdigit() or not 7 <= len(phone) <= 20:
            raise MaintenanceError("phone_invalid", _("Enter a telephone or mobile number."), "phone")
        clean["phone"] = phone
    return clean


@transaction.atomic
def create_unit(*, actor, region, name: str, contact: str = "", phone: str = "", request=None) -> MaintenanceUnit:
    """A maintenance unit serving a division the acting user may change (and every division under it)."""
    region = _unit_region(actor, region)
    data = _clean_unit_data({"name": name, "contact": contact, "phone": phone})
    unit = MaintenanceUnit.objects.create(region=region, **data)
    audit.record("maintenance_unit.create", request=request, actor=actor, obj=unit)
    return unit


@transaction.atomic
def update_unit(unit: MaintenanceUnit, data: dict, *, actor, request=None) -> MaintenanceUnit:
    """Change name, contact, phone, the division served (within the actor's scope) or `active`."""
    unit = MaintenanceUnit.objects.select_for_update().get(pk=unit.pk)
    _unit_region(actor, unit.region_id)
    changes = _clean_unit_data(data)
    if data.get("region") is not None and str(getattr(data["region"], "pk", data["region"])) != unit.region_id:
        region = _unit_region(actor, data["region"])
        stranded = unit.work_orders.filter(status__in=HOLDING_STATUSES).exclude(
            region__code__within=codes.prefix(region.code)).count()
        if stranded:
            raise MaintenanceError("unit_has_open_orders",
                                   _("The unit has %(n)s open work orders outside that division: reassign them first.")
                                   % {"n": stranded}, "region", status=409)
        changes["region"] = region
    if data.get("active") is not None and bool(data["active"]) != unit.active:
        if not data["active"]:
            check_can_deactivate(unit)
        changes["active"] = bool(data["active"])
    for key, value in changes.items():
        setattr(unit, key, value)
    if changes:
        unit.save()
        audit.record("maintenance_unit.update", request=request, actor=actor, obj=unit,
                     detail={"fields": sorted(changes)})
    return unit


def check_can_deactivate(unit: MaintenanceUnit) -> None:
    open_orders = unit.work_orders.filter(status__in=OPEN_STATUSES).count()
    if open_orders:
        raise MaintenanceError("unit_has_open_orders",
                               _("The unit still has %(n)s open work orders: reassign or close them first.")
                               % {"n": open_orders}, "active", status=409)


@transaction.atomic
def deactivate_unit(unit: MaintenanceUnit, *, actor, request=None) -> MaintenanceUnit:
    """A unit that no longer works for the division (a contract ended): it gets no new orders. Refused
    while it still has open orders; its history stays."""
    unit = MaintenanceUnit.objects.select_for_update().get(pk=unit.pk)
    _unit_region(actor, unit.region_id)
    if not unit.active:
        return unit
    check_can_deactivate(unit)
    unit.active = False
    unit.save(update_fields=["active"])
    audit.record("maintenance_unit.deactivate", request=request, actor=actor, obj=unit)
    return unit


def find_user_by_phone(phone: str):
    """The active account of a number (accounts' lookup), its refusal as this app's error."""
    try:
        return active_user_by_phone(phone)
    except AccountError as exc:
        raise MaintenanceError(exc.code, exc.message, exc.field, status=exc.status) from None


def unit_staff(unit: MaintenanceUnit):
    """The people who work for the unit (their memberships, with the user)."""
    return unit_members(unit.pk).select_related("user").order_by("created_at", "id")


@transaction.atomic
def add_unit_staff(unit: MaintenanceUnit, user, *, actor, request=None) -> Membership:
    """Make a person staff of the unit: the org_staff role bound to it (through accounts' own
    grant_membership, which audits the grant). Granting twice changes nothing."""
    _unit_region(actor, unit.region_id)
    if not unit.active:
        raise MaintenanceError("unit_inactive", _("This unit is no longer active."), "unit", status=409)
    membership = grant_membership(user, Role.ORG_STAFF, Region.objects.get(pk=unit.region_id), target=unit,
                                  request=request)
    user.__dict__.pop("_quanmin_memberships", None)
    return membership


@transaction.atomic
def remove_unit_staff(unit: MaintenanceUnit, user_id: int, *, actor, request=None) -> int:
    _unit_region(actor, unit.region_id)
    deleted, _detail = unit_members(unit.pk).filter(user_id=user_id).delete()
    if deleted:
        audit.record("revoke_role", request=request, actor=actor, obj=unit, region_code=unit.region_id,
                     detail={"role": Role.ORG_STAFF, "user": user_id})
    return deleted
