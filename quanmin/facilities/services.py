"""Every write to the facilities register: views, API, admin, imports and the demo call these."""

from decimal import Decimal, InvalidOperation
from functools import cache

from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from quanmin.accounts import audit
from quanmin.core import bulk
from quanmin.regions.models import Region

from . import geo, types
from .errors import FacilityError
from .models import Facility, OpeningException, OpeningRule, Site

SITE_FIELDS = ["name", "address", "lon", "lat", "owner_kind", "manager", "contact_phone", "status",
               "accessible_entrance", "accessible_toilet", "accessible_parking", "school_rules", "description"]
FACILITY_FIELDS = ["type", "name", "area_m2", "length_km", "indoor", "lit", "smart", "year_built",
                   "year_refurbished", "access", "external_id"]


def check_point(lon, lat) -> tuple[float, float]:
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        raise FacilityError("coordinates_invalid", _("Coordinates must be numbers."), "lon") from None
    if not geo.in_china(lon, lat):
        raise FacilityError("coordinates_outside_china", _("The coordinates lie outside China."), "lon")
    return lon, lat


def check_region(region: Region | str) -> Region:
    if isinstance(region, Region):
        return region
    found = Region.objects.filter(code=str(region).strip()).first()
    if found is None:
        raise FacilityError("region_unknown", _("Unknown division code."), "region")
    return found


@cache
def _choice_values(choices) -> frozenset:
    return frozenset(choices.values)


def _check_choice(value, choices, code, field, message):
    # `choices` is a TextChoices class and `message` lazy: imports call this for every row, and
    # `.choices` / `.values` rebuild a list of translated labels on each access.
    if value not in _choice_values(choices):
        raise FacilityError(code, message, field)


def clean_site(data: dict) -> dict:
    data = {k: v for k, v in data.items() if k in SITE_FIELDS or k == "region"}
    if "name" in data and not str(data["name"]).strip():
        raise FacilityError("name_required", _("Enter a name."), "name")
    if "lon" in data or "lat" in data:
        data["lon"], data["lat"] = check_point(data.get("lon"), data.get("lat"))
    if "region" in data:
        data["region"] = check_region(data["region"])
    if "owner_kind" in data:
        _check_choice(data["owner_kind"], Site.OwnerKind, "owner_kind_invalid", "owner_kind", _lazy("Unknown owner kind."))
    if "status" in data:
        _check_choice(data["status"], Site.Status, "status_invalid", "status", _lazy("Unknown status."))
    return data


def _decimal(value, field):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise FacilityError("number_invalid", _("%(field)s must be a number.") % {"field": field}, field) from None
    if number < 0 or not number.is_finite():
        raise FacilityError("number_negative", _("%(field)s cannot be negative.") % {"field": field}, field)
    return number


def _year(value, field):
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise FacilityError("year_invalid", _("Enter a year such as 2021."), field) from None
    if not 1900 <= year <= 2100:
        raise FacilityError("year_invalid", _("Enter a year such as 2021."), field)
    return year


def _type(value, field):
    info = types.lookup(value)
    if info is None:
        raise FacilityError("type_unknown", _("Unknown facility type."), field)
    return info.code


def _access(value, field):
    _check_choice(value, Facility.Access, "access_invalid", field, _lazy("Unknown access kind."))
    return value


# Each field's own check, in the order clean_facility applies them (the first error is the one raised).
FACILITY_CHECKS = {"type": _type, "area_m2": _decimal, "length_km": _decimal, "year_built": _year,
                   "year_refurbished": _year, "access": _access}


def clean_facility_field(field: str, value):
    """One field as clean_facility cleans it. Imports call this once per distinct cell of a column."""
    check = FACILITY_CHECKS.get(field)
    return value if check is None else check(value, field)


def check_facility(data: dict) -> None:
    """The rule across cleaned fields: a trail needs its length."""
    info = types.TYPES.get(data.get("type", ""))
    if info and info.measure == "length" and data.get("length_km") is None and "length_km" in data:
        raise FacilityError("length_required", _("A trail needs its length in km."), "length_km")


def clean_facility(data: dict) -> dict:
    data = {k: v for k, v in data.items() if k in FACILITY_FIELDS}
    for name, value in data.items():
        if value is None and not Facility._meta.get_field(name).null:
            # An optional text (the name) given as null is cleared; a flag or the type is required.
            field = Facility._meta.get_field(name)
            if not (field.blank and isinstance(field, models.CharField)):
                raise FacilityError(f"{name}_required", _("This field is required."), name)
            data[name] = ""
    for field, check in FACILITY_CHECKS.items():
        if field in data:
            data[field] = check(data[field], field)
    check_facility(data)
    return data


def sync_facility(facility: Facility, site: Site) -> None:
    for name, value in _synced(site, facility.access).items():
        setattr(facility, name, value)


def _synced(site: Site, access: str) -> dict:
    """What a facility takes from its site: the place, and whether it is open to anyone."""
    return {"region_id": site.region_id, "lon": site.lon, "lat": site.lat,
            "open": site.status == Site.Status.OPEN and access != Facility.Access.CLOSED}


@transaction.atomic
def create_site(data: dict, *, request=None) -> Site:
    data = clean_site(data)
    for required in ("name", "lon", "lat", "region"):
        if data.get(required) in (None, ""):
            raise FacilityError(f"{required}_required", _("This field is required."), required)
    site = Site.objects.create(**data)
    audit.record("create", request=request, obj=site)
    return site


@transaction.atomic
def update_site(site: Site, data: dict, *, request=None) -> Site:
    data = clean_site(data)
    changed = [k for k, v in data.items() if getattr(site, k) != v]
    for k, v in data.items():
        setattr(site, k, v)
    site.save()
    if {"region", "lon", "lat", "status"} & set(changed):
        facilities = list(site.facilities.all())
        for f in facilities:
            sync_facility(f, site)
        Facility.objects.bulk_update(facilities, ["region", "lon", "lat", "open"])
    if changed:
        audit.record("update", request=request, obj=site, detail={"fields": changed})
    return site


def close_site(site: Site, *, status: str = Site.Status.CLOSED, reason: str = "", request=None) -> Site:
    if status not in (Site.Status.CLOSED, Site.Status.REPAIR):
        raise FacilityError("status_invalid", _("Unknown status."), "status")
    update_site(site, {"status": status}, request=request)
    audit.record("close", request=request, obj=site, detail={"status": status, "reason": reason})
    return site


@transaction.atomic
def add_facility(site: Site, data: dict, *, request=None) -> Facility:
    data = clean_facility(data)
    if not data.get("type"):
        raise FacilityError("type_required", _("Choose a facility type."), "type")
    facility = Facility(site=site, **data)
    sync_facility(facility, site)
    facility.save()
    audit.record("create", request=request, obj=facility)
    return facility


@transaction.atomic
def update_facility(facility: Facility, data: dict, *, request=None) -> Facility:
    data = clean_facility(data)
    changed = [k for k, v in data.items() if getattr(facility, k) != v]
    for k, v in data.items():
        setattr(facility, k, v)
    sync_facility(facility, facility.site)
    facility.save()
    if changed:
        audit.record("update", request=request, obj=facility, detail={"fields": changed})
    return facility


def remove_facility(facility: Facility, *, request=None) -> None:
    """Remove a facility entered by mistake. One with history (bookings, inspections) is kept:
    close its site or set its access instead."""
    try:
        with transaction.atomic():
            audit.record("delete", request=request, obj=facility)
            facility.delete()
    except ProtectedError:
        raise FacilityError("facility_in_use", _("This facility has bookings or other records and cannot be "
                                                 "removed; mark it not open to the public instead."), status=409) from None


@transaction.atomic
def set_opening_rules(site: Site, rules: list[dict], *, request=None) -> list[OpeningRule]:
    """Replace the site's weekly rules: [{weekday, opens, closes, kind, price_note, facility_id}]."""
    built = []
    for n, r in enumerate(rules, start=1):
        if r.get("weekday") not in range(8):
            raise FacilityError("weekday_invalid", _("Day must be 0 (Monday) to 7 (public holiday)."), f"rules.{n}")
        if not r.get("opens") or not r.get("closes") or r["closes"] <= r["opens"]:
            raise FacilityError("hours_invalid", _("Closing time must be after opening time."), f"rules.{n}")
        kind = r.get("kind", OpeningRule.Kind.REGULAR)
        _check_choice(kind, OpeningRule.Kind, "kind_invalid", f"rules.{n}", _lazy("Unknown kind of hours."))
        built.append(OpeningRule(site=site, weekday=r["weekday"], opens=r["opens"], closes=r["closes"], kind=kind,
                                 price_note=r.get("price_note", ""), facility_id=r.get("facility_id")))
    site.opening_rules.all().delete()
    OpeningRule.objects.bulk_create(built)
    audit.record("update", request=request, obj=site, detail={"fields": ["opening_rules"], "count": len(built)})
    return built


@transaction.atomic
def set_exception(site: Site, date, *, closed: bool = True, opens=None, closes=None, note: str = "",
                  request=None) -> OpeningException:
    if not closed and (not opens or not closes or closes <= opens):
        raise FacilityError("hours_invalid", _("Closing time must be after opening time."), "closes")
    ex, _created = OpeningException.objects.update_or_create(
        site=site, date=date, defaults={"closed": closed, "opens": opens, "closes": closes, "note": note})
    audit.record("update", request=request, obj=site, detail={"fields": ["opening_exception"], "date": str(date)})
    return ex


IMPORT_BATCH = 1000
NEW_SITE_FIELDS = ("name", "region_id", "address", "lon", "lat", "owner_kind", "manager", "contact_phone", "status")


def import_part(*, new_sites: list, changed_sites: list[tuple[Site, list[str]]],
                new_facilities: list[tuple[object, dict]], submit) -> None:
    """Write part of an Excel import, in the import's transaction, while io_import checks the rest:
    the statements are made here and run beside (`submit`: core.bulk.alongside's). io_import has
    validated these rows with clean_site / clean_facility and matched them, and nothing is kept
    unless every row of the file is good. New sites come as objects holding NEW_SITE_FIELDS and the
    key reserved for them (new_site_keys); new facilities as (site, cleaned fields), written as plain
    values (core.bulk: no model instance per row), in step with their sites as sync_facility keeps them."""
    bulk.insert_values(Site, ({"id": site.pk, **{f: getattr(site, f) for f in NEW_SITE_FIELDS}} for site in new_sites),
                       keyed=True, submit=submit)
    if changed_sites:
        now = timezone.now()
        for site, _fields in changed_sites:
            site.updated_at = now
        bulk.update_rows([s for s, _f in changed_sites], [*sorted({f for _s, fields in changed_sites for f in fields}),
                                                          "updated_at"], submit=submit)
    access = Facility._meta.get_field("access").get_default()
    bulk.insert_values(Facility, ({**data, "site_id": site.pk, **_synced(site, data.get("access", access))}
                                  for site, data in new_facilities), submit=submit)


def new_site_keys(count: int) -> list[int]:
    """Keys for the sites an import adds, reserved in its transaction before they are written."""
    return bulk.reserve_keys(Site, count)


@transaction.atomic
def import_finish(*, changed_sites: list[tuple[Site, list[str]]], changed_facilities: list[tuple[Facility, list[str], object]],
                  actor=None, request=None, region_code: str = "", detail: dict | None = None) -> None:
    """The end of an Excel import, once every part is written (import_part): the facilities it
    changes, each with its site (new ones have their keys now), and those it does not name that
    follow their site when it moves or changes status; one audit entry for the whole file."""
    now = timezone.now()
    touched = {}
    for f, _fields, site in changed_facilities:
        f.site_id = site.pk
        sync_facility(f, site)
        f.updated_at = now
        touched[f.pk] = f
    # Facilities the file does not name follow their site when it moves or changes status.
    moved = {s.pk: s for s, fields in changed_sites if {"region", "lon", "lat", "status"} & set(fields)}
    followers = []
    moved_ids = list(moved)
    for start in range(0, len(moved_ids), IMPORT_BATCH):
        for f in Facility.objects.filter(site_id__in=moved_ids[start:start + IMPORT_BATCH]):
            if f.pk not in touched:
                sync_facility(f, moved[f.site_id])
                f.updated_at = now
                followers.append(f)
    synced = ["region", "lon", "lat", "open", "updated_at"]
    facility_fields = sorted({f for _fac, fields, _site in changed_facilities for f in fields} | set(synced))
    bulk.update_rows(list(touched.values()), facility_fields)
    bulk.update_rows(followers, synced)
    audit.record("import", request=request, actor=actor, region_code=region_code, detail=detail or {})
