"""Every write of sports tourism and sports heritage: routes and their stops, demonstration bases,
quality events, collection holders, items and their condition/loan log. Pages, API, the Excel
import and the demo call these; each write is one transaction, audited.

A route's stops are a list of places in order: a registered Site (by its id, or by its exact name
within the route's city) gives its name and coordinates; any other place is a name with
coordinates. An item's catalogue number is unique within its holder (a constraint). The log goes
forward in time under a lock on the item's row: a loan only of an item not on loan, a return
only of one that is; a condition check sets the item's condition.
"""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from quanmin.accounts import audit, crypto, scoping
from quanmin.core import cleaning, photos
from quanmin.core.forms import DayField
from quanmin.facilities.models import Site
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import permissions
from .errors import HeritageError
from .models import (
    Acquisition,
    Base,
    BaseLevel,
    Condition,
    Holder,
    HolderKind,
    Item,
    ItemKind,
    ItemLog,
    LogKind,
    QualityEvent,
    Route,
    RouteStop,
)

MAX_STOPS = 40
MAX_KM = Decimal("99999.99")
MAX_TEXT = 4000
LON, LAT = (73.0, 136.0), (3.0, 54.0)  # China's extent: a swapped or mistyped pair is caught


def label(model, field: str) -> str:
    return capfirst(str(model._meta.get_field(field).verbose_name))


def text(data: dict, field: str, limit: int, what: str, required: bool = False) -> str:
    return cleaning.plain_text(data, field, limit, what, required, error=HeritageError)


def choice(value, choices, field: str, what: str) -> str:
    found = str(value or "").strip()
    if found not in choices.values:
        raise HeritageError(f"{field}_unknown", _("%(what)s: choose one of %(choices)s.")
                            % {"what": what, "choices": "、".join(str(c.label) for c in choices)}, field)
    return found


def day(value, field: str, what: str, required: bool = True, past: bool = False) -> datetime.date | None:
    """A date from a form, a body or a cell (2025-03-01, 2025/3/1, a cell's date); `past`: not after today."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if value in (None, ""):
        if required:
            raise HeritageError(f"{field}_required", _("%(what)s is required.") % {"what": what}, field)
        return None
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value).strip().replace("/", "-").split(" ")[0]
    try:
        found = DayField().clean(value)
    except ValidationError as exc:
        raise HeritageError(f"{field}_invalid", f"{what}: {' '.join(exc.messages)}", field) from None
    if past and found > timezone.localdate():
        raise HeritageError(f"{field}_future", _("%(what)s cannot be after today.") % {"what": what}, field)
    return found


def decimal(value, field: str, what: str, maximum: Decimal) -> Decimal:
    """A positive number with two decimals at most: 12, "12.5", "１２.５", "12.5km"."""
    raw = unicodedata.normalize("NFKC", repr(value) if isinstance(value, float) else str(value or "")).strip()
    raw = raw.lower().removesuffix("公里").removesuffix("km").strip().replace(",", "")
    try:
        found = Decimal(raw) if re.fullmatch(r"[0-9]{1,7}(\.[0-9]*)?", raw) else None
    except InvalidOperation:
        found = None
    if found is None or found <= 0 or found > maximum or found != found.quantize(Decimal("0.01")):
        raise HeritageError(f"{field}_invalid", _("%(what)s: write a number above 0 with two decimals at most.")
                            % {"what": what}, field)
    return found


def region(actor, value, field: str = "region") -> Region:
    """The division named by its code, which the actor may write for."""
    return scoping.region_to_write(actor, value, field, error=HeritageError)


def _staff(actor, region_code: str | None = None) -> None:
    if not permissions.can_write(actor):
        raise PermissionDenied
    if region_code is not None and not permissions.can_write_region(actor, region_code):
        raise PermissionDenied


def _city_prefix(region_code: str) -> str:
    top = region_code if codes.level(region_code) in ("province", "city") else codes.ancestor_at(region_code, "city")
    return codes.prefix(top)


def site(value, where: Region, field: str = "site") -> Site | None:
    """A registered Site of the record's city, by its id (empty: none)."""
    raw = str(value if value is not None else "").strip().lstrip("#")
    if not raw:
        return None
    found = Site.objects.filter(pk=int(raw), region__code__within=_city_prefix(where.code)).first() \
        if raw.isdigit() and len(raw) < 10 else None
    if found is None:
        raise HeritageError("site_unknown", _("No registered site of that number in this city."), field)
    return found


def save_row(model, values: dict, obj, lock: bool = True):
    if obj is None:
        return model.objects.create(**values)
    obj = model.objects.select_for_update().get(pk=obj.pk) if lock else obj
    for key, value in values.items():
        setattr(obj, key, value)
    obj.save()
    return obj


def _write(model, values: dict, obj, exists: HeritageError, audited):
    """Create or change one record in a transaction, `audited(obj)` recording it; `exists` answers a
    unique clash."""
    try:
        with transaction.atomic():
            obj = save_row(model, values, obj)
            audited(obj)
    except IntegrityError:
        raise exists from None
    return obj


# ---------------------------------------------------------------- routes


def _point(value, field: str, bounds: tuple[float, float], what: str) -> float:
    try:
        found = float(unicodedata.normalize("NFKC", str(value)).strip())
    except (TypeError, ValueError):
        found = None
    if found is None or not bounds[0] <= found <= bounds[1]:
        raise HeritageError(f"{field}_invalid", _("%(what)s must be a number from %(low)s to %(high)s.")
                            % {"what": what, "low": bounds[0], "high": bounds[1]}, "stops")
    return round(found, 6)


def parse_stops(value: str) -> list[dict]:
    """A form's stops, one a line: a registered site as "#12" or by its name, any other place as
    "name, longitude, latitude" (commas, full-width commas or tabs)."""
    out = []
    for line in unicodedata.normalize("NFKC", str(value or "")).splitlines():
        parts = [p.strip() for p in re.split(r"[,\t]", line) if p.strip()]
        if not parts:
            continue
        if len(parts) == 1:
            out.append({"site": parts[0][1:]} if parts[0].startswith("#") else {"name": parts[0]})
        elif len(parts) == 3:
            out.append({"name": parts[0], "lon": parts[1], "lat": parts[2]})
        else:
            raise HeritageError("stops_invalid", _("Stop \"%(line)s\": write a registered site, or a place with its "
                                                   "longitude and latitude, as 光岳楼, 115.99, 36.45.")
                                % {"line": line.strip()[:40]}, "stops")
    return out


def stops_text(route: Route) -> str:
    return "\n".join(f"#{s.site_id}" if s.site_id else f"{s.name}, {s.lon}, {s.lat}" for s in route.stops.all())


def stop_values(stops, where: Region) -> list[dict]:
    """The checked stops, in order: at least two, at most MAX_STOPS."""
    if isinstance(stops, str):
        stops = parse_stops(stops)
    stops = list(stops or [])
    if len(stops) < 2 or len(stops) > MAX_STOPS:
        raise HeritageError("stops_count", _("A route has from 2 to %(max)s stops.") % {"max": MAX_STOPS}, "stops")
    prefix = _city_prefix(where.code)
    out = []
    for raw in stops:
        raw = raw if isinstance(raw, dict) else dict(raw)
        name = text(raw, "name", 120, str(label(RouteStop, "name")))
        found = site(raw.get("site") or raw.get("site_id"), where, "stops")
        if found is None and raw.get("lon") in (None, "") and name:
            matches = list(Site.objects.filter(name=name, region__code__within=prefix)[:2])
            if len(matches) != 1:
                raise HeritageError("stop_unknown", _("\"%(name)s\" is not one registered site of this city: give its "
                                                      "longitude and latitude.") % {"name": name}, "stops")
            found = matches[0]
        if found is not None:
            out.append({"site": found, "name": name or found.name, "lon": found.lon, "lat": found.lat})
            continue
        if not name:
            raise HeritageError("stop_name", _("Every stop has a name."), "stops")
        out.append({"site": None, "name": name, "lon": _point(raw.get("lon"), "lon", LON, _("Longitude")),
                    "lat": _point(raw.get("lat"), "lat", LAT, _("Latitude"))})
    return out


def route_values(actor, data: dict) -> dict:
    L = lambda f: label(Route, f)  # noqa: E731
    where = region(actor, data.get("region"))
    return {"region": where, "name": text(data, "name", 120, L("name"), required=True),
            "length_km": decimal(data.get("length_km"), "length_km", L("length_km"), MAX_KM),
            "season": text(data, "season", 60, L("season")),
            "description": text(data, "description", MAX_TEXT, L("description")),
            "opened_on": day(data.get("opened_on"), "opened_on", L("opened_on")),
            "active": data.get("active") not in (False, "0", "", None) if "active" in data else True,
            "stops": stop_values(data.get("stops"), where)}


def save_route(actor, data: dict, route: Route | None = None, photo=None, request=None) -> Route:
    """Register a route with its stops (or change one: its stops are replaced); a photo if given."""
    _staff(actor, route.region_id if route else None)
    values = route_values(actor, data)
    stops = values.pop("stops")
    ext = photos.check(photo) if photo is not None else None
    try:
        with transaction.atomic():
            route = save_row(Route, values, route)
            route.stops.all().delete()
            RouteStop.objects.bulk_create([RouteStop(route=route, position=n, **s) for n, s in enumerate(stops, 1)])
            if ext:
                photos.store(route.photo, photo, ext)
                route.save(update_fields=["photo"])
            audit.record("heritage.route_save", request=request, actor=actor, obj=route, region_code=route.region_id,
                         detail={"name": route.name, "stops": len(stops)})
    except IntegrityError:
        raise HeritageError("route_exists", _("The division already has a route of that name."), "name",
                            status=409) from None
    return route


# ---------------------------------------------------------------- bases and quality events


def base_values(actor, data: dict) -> dict:
    L = lambda f: label(Base, f)  # noqa: E731
    where = region(actor, data.get("region"))
    year = cleaning.whole_number(data.get("year_awarded"), "year_awarded", L("year_awarded"),
                                 timezone.localdate().year, 1990, error=HeritageError)
    return {"region": where, "name": text(data, "name", 120, L("name"), required=True),
            "unit": text(data, "unit", 120, L("unit"), required=True),
            "level": choice(data.get("level"), BaseLevel, "level", L("level")), "year_awarded": year,
            "site": site(data.get("site"), where), "description": text(data, "description", MAX_TEXT, L("description")),
            "active": data.get("active") not in (False, "0", "", None) if "active" in data else True}


def save_base(actor, data: dict, base: Base | None = None, request=None) -> Base:
    _staff(actor, base.region_id if base else None)
    return _write(Base, base_values(actor, data), base, HeritageError(
        "base_exists", _("A base of that name was already named at that level."), "name", status=409),
        lambda obj: audit.record("heritage.base_save", request=request, actor=actor, obj=obj,
                                 region_code=obj.region_id, detail={"name": str(obj)}))


def event_values(actor, data: dict) -> dict:
    L = lambda f: label(QualityEvent, f)  # noqa: E731
    where = region(actor, data.get("region"))
    first = day(data.get("first_day"), "first_day", L("first_day"))
    last = day(data.get("last_day") or first, "last_day", L("last_day"))
    if last < first:
        raise HeritageError("days_order", _("An event ends on or after its first day."), "last_day")
    return {"region": where, "name": text(data, "name", 120, L("name"), required=True), "first_day": first,
            "last_day": last, "place": text(data, "place", 120, L("place"), required=True),
            "organiser": text(data, "organiser", 120, L("organiser")), "site": site(data.get("site"), where),
            "description": text(data, "description", MAX_TEXT, L("description"))}


def save_event(actor, data: dict, event: QualityEvent | None = None, request=None) -> QualityEvent:
    _staff(actor, event.region_id if event else None)
    return _write(QualityEvent, event_values(actor, data), event, HeritageError(
        "event_exists", _("The division already has this event on that day."), "name", status=409),
        lambda obj: audit.record("heritage.event_save", request=request, actor=actor, obj=obj,
                                 region_code=obj.region_id, detail={"name": str(obj)}))


# ---------------------------------------------------------------- holders, items and their log


def holder_values(actor, data: dict) -> dict:
    L = lambda f: label(Holder, f)  # noqa: E731
    where = region(actor, data.get("region"))
    return {"region": where, "name": text(data, "name", 120, L("name"), required=True),
            "kind": choice(data.get("kind"), HolderKind, "kind", L("kind")), "site": site(data.get("site"), where),
            "address": text(data, "address", 200, L("address")),
            "opened_on": day(data.get("opened_on"), "opened_on", L("opened_on"), required=False, past=True)}


def save_holder(actor, data: dict, holder: Holder | None = None, request=None) -> Holder:
    _staff(actor, holder.region_id if holder else None)
    values = holder_values(actor, data)
    try:
        with transaction.atomic():
            holder = save_row(Holder, values, holder)
            Item.objects.filter(holder=holder).exclude(region=holder.region).update(region=holder.region)
            audit.record("heritage.holder_save", request=request, actor=actor, obj=holder,
                         region_code=holder.region_id, detail={"name": holder.name})
    except IntegrityError:
        raise HeritageError("holder_exists", _("The division already has a holder of that name."), "name",
                            status=409) from None
    return holder


def phone(value, old: Item | None) -> str:
    """A donor's phone, encrypted: a mobile or a landline ("0635-8241234"); the masked form an
    export wrote back unchanged keeps the number on record; empty clears it."""
    raw = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    if old is not None and "*" in raw and raw == old.donor_phone_masked:
        return old.donor_phone_enc
    number = re.sub(r"[\s()]", "", raw).removeprefix("+86")
    if not number:
        return ""
    if not re.fullmatch(r"1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}", number):
        raise HeritageError("donor_phone_invalid", _("Write the donor's phone as a mobile number (13812345678) or "
                                                     "a landline with its area code (0635-8241234)."), "donor_phone")
    return crypto.encrypt(number)


def holder_for(actor, value, field: str = "holder") -> Holder:
    """A holder the actor writes for, by its id."""
    raw = str(value.pk if isinstance(value, Holder) else value or "").strip()
    found = scoping.scoped(actor, Holder.objects.select_related("region"), write=True).filter(pk=int(raw)).first() \
        if raw.isdigit() and len(raw) < 10 else None
    if found is None:
        raise HeritageError("holder_unknown", _("Choose a holder of your divisions."), field)
    return found


def item_values(actor, data: dict, item: Item | None = None, holder: Holder | None = None) -> dict:
    """An item's checked fields (not its condition log): what a form, the API and a row of the import give."""
    L = lambda f: label(Item, f)  # noqa: E731
    holder = holder or holder_for(actor, data.get("holder"))
    number = text(data, "catalogue_no", 40, L("catalogue_no"), required=True)
    values = {"holder": holder, "region": holder.region, "catalogue_no": number,
              "title": text(data, "title", 120, L("title"), required=True),
              "kind": choice(data.get("kind"), ItemKind, "kind", L("kind")), "era": text(data, "era", 40, L("era")),
              "donor": text(data, "donor", 80, L("donor")),
              "donor_phone_enc": phone(data.get("donor_phone"), item),
              "acquired_on": day(data.get("acquired_on"), "acquired_on", L("acquired_on"), past=True),
              "acquisition": choice(data.get("acquisition"), Acquisition, "acquisition", L("acquisition")),
              "location": text(data, "location", 120, L("location")), "note": text(data, "note", 300, L("note"))}
    if item is None:
        values["condition"] = choice(data.get("condition") or Condition.GOOD, Condition, "condition", L("condition"))
    if values["acquisition"] == Acquisition.DONATION and not values["donor"]:
        raise HeritageError("donor_required", _("A donated item names its donor."), "donor")
    return values


def save_item(actor, data: dict, item: Item | None = None, request=None) -> Item:
    """Catalogue an item (or change one; its condition changes only through a check in its log)."""
    _staff(actor, item.region_id if item else None)
    values = item_values(actor, data, item)
    return _write(Item, values, item, HeritageError(
        "catalogue_no_taken", _("This holder already has an item of that catalogue number."), "catalogue_no",
        status=409), lambda obj: audit.record("heritage.item_save", request=request, actor=actor, obj=obj,
                                              region_code=obj.region_id,
                                              detail={"catalogue_no": values["catalogue_no"], "title": values["title"]}))


def reveal_donor_phone(actor, item: Item, purpose: str, request=None) -> str:
    """A donor's whole phone, for division staff with a writing role over the item's division (as for
    an instructor's numbers: read-only roles see it masked), who say why they need it; the read is
    audited (its code, the item and the purpose)."""
    _staff(actor, item.region_id)
    purpose = " ".join(str(purpose or "").split())[:200]
    if not purpose:
        raise HeritageError("purpose_required", _("Say why you need the donor's whole phone number."), "purpose")
    if not item.donor_phone_enc:
        raise HeritageError("donor_phone_none", _("No donor's phone is on record for this item."), status=409)
    audit.record("read_personal", request=request, actor=actor, obj=item, region_code=item.region_id,
                 detail={"fields": ["phone"], "purpose": purpose})  # as every whole-number read is logged
    return item.donor_phone


def add_log(actor, item: Item, data: dict, request=None) -> ItemLog:
    """Record a condition check, a loan or a return, on or after the item's last entry and not after today."""
    _staff(actor, item.region_id)
    L = lambda f: label(ItemLog, f)  # noqa: E731
    kind = choice(data.get("kind"), LogKind, "kind", L("kind"))
    when = day(data.get("day"), "day", L("day"), past=True)
    values = {"kind": kind, "day": when, "note": text(data, "note", 300, L("note"))}
    if kind == LogKind.CHECK:
        values["condition"] = choice(data.get("condition"), Condition, "condition", L("condition"))
    if kind == LogKind.LOAN:
        values["borrower"] = text(data, "borrower", 120, L("borrower"), required=True)
        values["due_back"] = day(data.get("due_back"), "due_back", L("due_back"), required=False)
        if values["due_back"] and values["due_back"] < when:
            raise HeritageError("due_back_invalid", _("An item is due back after it is lent."), "due_back")
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        last = item.logs.order_by("-day", "-pk").values_list("day", flat=True).first()
        if when < max(filter(None, (last, item.acquired_on))):
            raise HeritageError("day_too_early", _("An entry is dated on or after the item's acquisition and its "
                                                   "last entry."), "day")
        if kind == LogKind.LOAN and item.on_loan_to:
            raise HeritageError("item_on_loan", _("This item is on loan to %(who)s: record its return first.")
                                % {"who": item.on_loan_to}, status=409)
        if kind == LogKind.RETURN and not item.on_loan_to:
            raise HeritageError("item_not_on_loan", _("This item is not on loan."), status=409)
        entry = ItemLog.objects.create(item=item, **values)
        if kind == LogKind.CHECK:
            item.condition = values["condition"]
        item.on_loan_to = values["borrower"] if kind == LogKind.LOAN else ("" if kind == LogKind.RETURN
                                                                             else item.on_loan_to)
        item.save(update_fields=["condition", "on_loan_to", "updated_at"])
        audit.record("heritage.item_log", request=request, actor=actor, obj=item, region_code=item.region_id,
                     detail={"kind": kind, "day": when.isoformat(), "condition": values.get("condition", ""),
                             "borrower": values.get("borrower", "")})
    return entry
