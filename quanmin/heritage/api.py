"""Sports tourism and heritage in the API (/api/v1/heritage).

- /tourism/…: the offered routes, demonstration bases and quality events residents see (public).
- /routes, /bases, /events, /holders, /items: division staff keep the registers of their divisions
  (404 outside them). Items show donors' phones masked and every read of them is logged.
- /items/{id}/reveal: a donor's whole phone (writing roles only), the read logged with its purpose.
- /items/{id}/log: a condition check, a loan or a return (409 `item_on_loan` / `item_not_on_loan`).
- /items/export.xlsx and /items/import: the catalogue in and out of Excel.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts import audit
from quanmin.accounts.api_auth import PUBLIC
from quanmin.core import imports
from quanmin.core.api import ArrayPaging, Day, ErrorOut, Paging

from . import figures, io, permissions, selectors, services
from .errors import HeritageError
from .models import Base, Holder, Item, ItemLog, Route

router = Router(tags=["heritage"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class HeritageFilters(Schema):
    q: str = Field("", max_length=60, description="Name (items: title, catalogue number or donor) contains.")
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$", description="A division: it and all below it.")
    level: str = Field("", max_length=10, description="Bases: national, provincial or city.")
    kind: str = Field("", max_length=12, description="Holders and items: their kind.")
    holder: str = Field("", max_length=9, pattern=r"^[0-9]*$", description="Items: of this holder.")


def _region(obj) -> str:
    return obj.region_id


def _site(obj) -> int | None:
    return obj.site_id


class _HeritageRecordOut(Schema):
    """What every register's record shows first: its id and its division (code and name)."""

    id: int
    region: str
    region_name: str

    resolve_region = staticmethod(_region)

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.name


def _register(kind: str, payload_type: type[Schema], out: type[Schema], save, *, listed: str, created: str,
              changed: str, data=lambda payload: payload.dict()) -> None:
    """A staff register's list (GET /<kind>s, paged and filtered, in the reader's scope), its new
    record (POST /<kind>s) and its change (PUT /<kind>s/{<kind>_id}, 404 outside the writer's
    scope): `save(user, data, record=None, request=...)` writes, `data(payload)` gives what it takes.
    The endpoints are named list_<kind>s, create_<kind> and update_<kind> (their operation ids)."""
    path = f"/{kind}s"

    def listing(request, filters: Query[HeritageFilters]):
        _require(permissions.can_read(request.user))
        return selectors.records_for(request.user, kind, filters.dict())

    def create(request, payload: payload_type):
        _require(permissions.can_write(request.user))
        return Status(201, save(request.user, data(payload), request=request))

    def update(request, payload: payload_type, record_id: int = Path(..., alias=f"{kind}_id")):
        _require(permissions.can_write(request.user))
        record = selectors.record_or_404(request.user, kind, record_id, write=True)
        return save(request.user, data(payload), record, request=request)

    for view, name in ((listing, f"list_{kind}s"), (create, f"create_{kind}"), (update, f"update_{kind}")):
        view.__name__ = view.__qualname__ = name
    router.get(path, response={200: list[out], **ERRORS}, summary=listed)(paginate(Paging)(listing))
    router.post(path, response={201: out, **ERRORS}, summary=created)(create)
    router.put(f"{path}/{{int:{kind}_id}}", response={200: out, **ERRORS}, summary=changed)(update)


# ---------------------------------------------------------------- routes


class HeritageStopIn(Schema):
    site: int | None = Field(None, description="a registered site of the route's city (its name and place are used)")
    name: str = Field("", max_length=120)
    lon: float | None = Field(None, ge=-180, le=180, description="WGS-84, for a place that is no registered site")
    lat: float | None = Field(None, ge=-90, le=90)


class HeritageStopOut(Schema):
    position: int
    site: int | None
    name: str
    lon: float
    lat: float

    resolve_site = staticmethod(_site)


class HeritageRouteIn(Schema):
    region: str = Field(max_length=12, description="12-digit code of its division")
    name: str = Field(max_length=120)
    length_km: Decimal = Field(gt=0, le=services.MAX_KM, decimal_places=2)
    season: str = Field("", max_length=60)
    description: str = Field("", max_length=services.MAX_TEXT)
    opened_on: Day
    active: bool = True
    stops: list[HeritageStopIn] = Field(min_length=2, max_length=services.MAX_STOPS)


class HeritageRouteOut(_HeritageRecordOut):
    name: str
    length_km: Decimal
    season: str
    description: str
    opened_on: datetime.date
    active: bool
    has_photo: bool
    stops: list[HeritageStopOut]

    @staticmethod
    def resolve_has_photo(obj: Route) -> bool:
        return bool(obj.photo)

    @staticmethod
    def resolve_stops(obj: Route) -> list:
        return list(obj.stops.all())


def _route_data(payload: HeritageRouteIn) -> dict:
    return {**payload.dict(), "stops": [s.dict() for s in payload.stops]}


@router.get("/tourism/routes", auth=PUBLIC, response={200: list[HeritageRouteOut], **ERRORS},
            summary="Quality sports-tourism routes offered near me (public)")
@paginate(ArrayPaging)
def public_routes(request):
    return selectors.public_routes(request.user)


_register("route", HeritageRouteIn, HeritageRouteOut, services.save_route, data=_route_data,
          listed="Routes in my scope (staff)", created="Register a route with its stops (staff)",
          changed="Change a route; its stops are replaced (staff)")


# ---------------------------------------------------------------- bases and events


class HeritageBaseIn(Schema):
    region: str = Field(max_length=12)
    name: str = Field(max_length=120)
    unit: str = Field(max_length=120, description="the unit running the base")
    level: str = Field(pattern=r"^(national|provincial|city)$", description="who named it")
    year_awarded: int = Field(ge=1990, le=2100)
    site: int | None = Field(None, description="the registered site it is, if any")
    description: str = Field("", max_length=services.MAX_TEXT)
    active: bool = Field(True, description="false once the title is withdrawn")


class HeritageBaseOut(_HeritageRecordOut):
    name: str
    unit: str
    level: str
    level_label: str
    year_awarded: int
    site: int | None
    description: str
    active: bool

    resolve_site = staticmethod(_site)

    @staticmethod
    def resolve_level_label(obj: Base) -> str:
        return str(obj.get_level_display())


class HeritageEventIn(Schema):
    region: str = Field(max_length=12)
    name: str = Field(max_length=120)
    first_day: Day
    last_day: Day | None = Field(None, description="the first day when left out")
    place: str = Field(max_length=120)
    organiser: str = Field("", max_length=120)
    site: int | None = None
    description: str = Field("", max_length=services.MAX_TEXT)


class HeritageEventOut(_HeritageRecordOut):
    name: str
    first_day: datetime.date
    last_day: datetime.date
    place: str
    organiser: str
    site: int | None
    description: str

    resolve_site = staticmethod(_site)


@router.get("/tourism/bases", auth=PUBLIC, response={200: list[HeritageBaseOut], **ERRORS},
            summary="Sports-tourism demonstration bases near me, the national first (public)")
@paginate(ArrayPaging)
def public_bases(request):
    return selectors.public_bases(request.user)


@router.get("/tourism/events", auth=PUBLIC, response={200: list[HeritageEventOut], **ERRORS},
            summary="Quality events near me not yet over, soonest first (public)")
@paginate(ArrayPaging)
def public_events(request):
    return selectors.public_events(request.user)


_register("base", HeritageBaseIn, HeritageBaseOut, services.save_base, listed="Demonstration bases in my scope (staff)",
          created="Register a demonstration base (staff)", changed="Change a demonstration base (staff)")
_register("event", HeritageEventIn, HeritageEventOut, services.save_event, listed="Quality events in my scope (staff)",
          created="Register a quality event (staff)", changed="Change a quality event (staff)")


# ---------------------------------------------------------------- holders, items, log


class HeritageHolderIn(Schema):
    region: str = Field(max_length=12)
    name: str = Field(max_length=120)
    kind: str = Field(pattern=r"^(museum|hall_of_fame|archive|room)$")
    site: int | None = None
    address: str = Field("", max_length=200)
    opened_on: Day | None = None


class HeritageHolderOut(_HeritageRecordOut):
    name: str
    kind: str
    kind_label: str
    site: int | None
    address: str
    opened_on: datetime.date | None

    resolve_site = staticmethod(_site)

    @staticmethod
    def resolve_kind_label(obj: Holder) -> str:
        return str(obj.get_kind_display())


_register("holder", HeritageHolderIn, HeritageHolderOut, services.save_holder,
          listed="Museums, halls of fame and archives in my scope (staff)",
          created="Register a collection holder (staff)", changed="Change a collection holder (staff)")


class HeritageItemIn(Schema):
    holder: int
    catalogue_no: str = Field(max_length=40, description="unique within the holder")
    title: str = Field(max_length=120)
    kind: str = Field(pattern=r"^(object|photo|document|medal|audio_video)$")
    era: str = Field("", max_length=40)
    donor: str = Field("", max_length=80, description="required for a donation")
    donor_phone: str = Field("", max_length=20, description="stored encrypted; the masked value read back keeps it")
    acquired_on: Day
    acquisition: str = Field(pattern=r"^(donation|purchase|transfer)$")
    location: str = Field("", max_length=120)
    condition: str = Field("good", pattern=r"^(good|fair|poor|damaged)$",
                           description="a new item's; afterwards changed by a condition check")
    note: str = Field("", max_length=300)


class HeritageItemOut(Schema):
    id: int
    holder: int
    holder_name: str
    region: str
    catalogue_no: str
    title: str
    kind: str
    kind_label: str
    era: str
    donor: str
    donor_phone_masked: str
    acquired_on: datetime.date
    acquisition: str
    location: str
    condition: str
    condition_label: str
    on_loan_to: str
    note: str

    resolve_region = staticmethod(_region)

    @staticmethod
    def resolve_holder(obj: Item) -> int:
        return obj.holder_id

    @staticmethod
    def resolve_holder_name(obj: Item) -> str:
        return obj.holder.name

    @staticmethod
    def resolve_kind_label(obj: Item) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_condition_label(obj: Item) -> str:
        return str(obj.get_condition_display())


class _LoggedItems:
    """The items' queryset, whose page, once cut, is logged as a read of personal data (donors' phones)."""

    def __init__(self, request, qs):
        self.request, self.qs = request, qs

    def __getitem__(self, page: slice):
        rows = list(self.qs[page])
        audit.list_personal(self.request, "heritage items", [r.pk for r in rows])
        return rows

    def __len__(self) -> int:
        return self.qs.count()


def _item(request, item_id: int, write: bool = False) -> Item:
    found = selectors.record_or_404(request.user, "item", item_id, write=write)
    audit.read_personal(request, found, ["masked"], "collection item")
    return found


@router.get("/items", response={200: list[HeritageItemOut], **ERRORS},
            summary="Collection items in my scope (donors' phones masked; the read is logged)")
@paginate(Paging)
def list_items(request, filters: Query[HeritageFilters]):
    _require(permissions.can_read(request.user))
    return _LoggedItems(request, selectors.records_for(request.user, "item", filters.dict()))


@router.post("/items", response={201: HeritageItemOut, **ERRORS}, summary="Catalogue an item (staff)")
def create_item(request, payload: HeritageItemIn):
    _require(permissions.can_write(request.user))
    item = services.save_item(request.user, payload.dict(), request=request)
    return Status(201, _item(request, item.pk))


@router.get("/items/{int:item_id}", response={200: HeritageItemOut, **ERRORS}, summary="One collection item (staff)")
def get_item(request, item_id: int):
    _require(permissions.can_read(request.user))
    return _item(request, item_id)


@router.put("/items/{int:item_id}", response={200: HeritageItemOut, **ERRORS},
            summary="Change a collection item (staff; its condition changes by a check)")
def update_item(request, item_id: int, payload: HeritageItemIn):
    _require(permissions.can_write(request.user))
    item = selectors.record_or_404(request.user, "item", item_id, write=True)
    services.save_item(request.user, payload.dict(), item, request=request)
    return _item(request, item_id)


class HeritageRevealIn(Schema):
    purpose: str = Field(max_length=200, description="why the whole number is needed (required; logged)")


class HeritageRevealOut(Schema):
    donor_phone: str


@router.post("/items/{int:item_id}/reveal", response={200: HeritageRevealOut, **ERRORS},
             summary="A donor's whole phone number (staff who may change the item; the read is logged with the purpose)")
def reveal_donor_phone(request, item_id: int, payload: HeritageRevealIn):
    """400 `purpose_required` without a purpose, 409 `donor_phone_none` when no phone is on record."""
    _require(permissions.can_write(request.user))
    item = selectors.record_or_404(request.user, "item", item_id, write=True)
    return {"donor_phone": services.reveal_donor_phone(request.user, item, payload.purpose, request=request)}


class HeritageLogIn(Schema):
    kind: str = Field(pattern=r"^(check|loan|return)$")
    day: Day
    condition: str = Field("", pattern=r"^(good|fair|poor|damaged)?$", description="required for a check")
    borrower: str = Field("", max_length=120, description="required for a loan")
    due_back: Day | None = None
    note: str = Field("", max_length=300)


class HeritageLogOut(Schema):
    id: int
    kind: str
    day: datetime.date
    condition: str
    borrower: str
    due_back: datetime.date | None
    note: str


@router.get("/items/{int:item_id}/log", response={200: list[HeritageLogOut], **ERRORS},
            summary="An item's condition checks, loans and returns, oldest first (staff)")
@paginate(ArrayPaging)
def item_log(request, item_id: int):
    _require(permissions.can_read(request.user))
    item = selectors.record_or_404(request.user, "item", item_id)
    return ItemLog.objects.filter(item=item).order_by("day", "pk")


@router.post("/items/{int:item_id}/log", response={201: HeritageLogOut, **ERRORS},
             summary="Record a condition check, a loan or a return (409 when the item is or is not on loan)")
def add_log(request, item_id: int, payload: HeritageLogIn):
    _require(permissions.can_write(request.user))
    item = selectors.record_or_404(request.user, "item", item_id, write=True)
    return Status(201, services.add_log(request.user, item, payload.dict(), request=request))


@router.get("/items/export.xlsx", response={200: None, **ERRORS},
            summary="Collection items in my scope (.xlsx, re-importable; phones masked, the read logged)")
def export_xlsx(request, filters: Query[HeritageFilters]):
    _require(permissions.can_read(request.user))
    return io.xlsx_response(request, selectors.records_for(request.user, "item", filters.dict()))


@imports.api_import(router, "/items/import", imports.import_schema("Heritage"), ERRORS, HeritageError, permissions.can_write,
                    summary="Import collection items from .xlsx or .csv (a dry run unless dry_run=false)")
def import_file(request, file, dry_run):
    return io.import_items(request.user, file, dry_run=dry_run, request=request)


class HeritageFiguresOut(Schema):
    region: str
    region_name: str
    routes: Decimal | None
    bases_national: Decimal | None
    bases_provincial: Decimal | None
    bases_city: Decimal | None
    items: Decimal | None


class HeritageFiguresQuery(Schema):
    as_of: Day | None = Field(None, description="The figures of this date (today by default).")


@router.get("/figures", response={200: list[HeritageFiguresOut], **ERRORS},
            summary="The indicators of my top division, then of each division right below it (staff)")
@paginate(ArrayPaging)
def get_figures(request, query: Query[HeritageFiguresQuery]):
    _require(permissions.can_read(request.user))
    top = selectors.top_region(request.user)
    if top is None:
        return []
    names = ("routes", "bases_national", "bases_provincial", "bases_city", "items")
    return [{"region": r.code, "region_name": r.name, **dict(zip(names, values, strict=True))}
            for r, values in figures.rollup(top, query.as_of or timezone.localdate())]
