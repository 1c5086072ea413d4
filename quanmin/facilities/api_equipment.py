"""The equipment register's API (mounted at /api/v1/equipment): list, detail, create, update,
status, QR tag, Excel export and import. Staff only (the types list is public); scoped."""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts import scoping
from quanmin.accounts.api_auth import PUBLIC
from quanmin.core import imports
from quanmin.core.api import MAX_ID, ArrayPaging, Day, ErrorOut, Paging
from quanmin.core.qr import qr_svg

from . import equipment_io, equipment_services, equipment_types, permissions
from .errors import EquipmentError
from .models import Equipment, Facility
from .views_equipment import public_url

router = Router(tags=["equipment"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut}


class EquipmentTypeOut(Schema):
    code: str
    name: str
    name_zh: str
    group: str
    design_life_years: int
    design_life_verified: bool = Field(description="The figure was read in the standard's own text.")
    design_life_source: str = Field(description="Where the figure comes from.")


class EquipmentOut(Schema):
    id: int
    tag: str
    kind: str
    kind_name: str
    facility_id: int
    site_id: int
    site_name: str
    region_code: str
    maker: str
    model: str
    serial: str
    install_date: datetime.date | None
    design_life_years: int
    replace_due: datetime.date | None
    past_design_life: bool
    status: str
    smart: bool
    external_id: str
    note: str
    lon: float
    lat: float
    report_path: str = Field(description="The public report page the QR tag opens.")

    @staticmethod
    def resolve_kind_name(obj):
        return obj.kind_label

    @staticmethod
    def resolve_site_name(obj):
        return obj.site.name

    @staticmethod
    def resolve_region_code(obj):
        return obj.region_id

    @staticmethod
    def resolve_past_design_life(obj):
        due = obj.replace_due
        return bool(due and due <= timezone.localdate())  # as the pages: the city's day, not the server's

    @staticmethod
    def resolve_report_path(obj):
        return equipment_services.public_report_path(obj.tag)


class ListQuery(Schema):
    q: str = Field("", max_length=60, description="Tag, register number, maker, model or serial contains.")
    kind: str = Field("", max_length=32, description="Equipment type code (see /equipment/types).")
    status: str = Field("", max_length=16, description="in_service, defective, out_of_service or removed; "
                                                       "without it removed pieces are left out.")
    region: str = Field("", max_length=12, description="Division code: the division and everything under it.")
    facility: int | None = Field(None, ge=1, le=MAX_ID)
    site: int | None = Field(None, ge=1, le=MAX_ID)
    due: bool = Field(False, description="Only pieces past their design life.")
    removed: bool = Field(False, description="Include removed pieces.")

    def params(self) -> dict:
        return {k: ("1" if v is True else "" if v in (None, False) else str(v)) for k, v in self.dict().items()}


class EquipmentIn(Schema):
    facility_id: int = Field(ge=1, le=MAX_ID)
    kind: str = Field(max_length=60, description="Type code, or its Chinese or English name.")
    maker: str = Field("", max_length=120)
    model: str = Field("", max_length=80)
    serial: str = Field("", max_length=60)
    install_date: Day | None = None
    design_life_years: int | None = Field(None, description="Empty: the type's figure (GB 19272: 8 years).")
    smart: bool = False
    external_id: str = Field("", max_length=40)
    note: str = Field("", max_length=200)


class EquipmentPatch(Schema):
    facility_id: int | None = Field(None, ge=1, le=MAX_ID, description="Moves the piece to this facility.")
    kind: str | None = Field(None, max_length=60)
    maker: str | None = Field(None, max_length=120)
    model: str | None = Field(None, max_length=80)
    serial: str | None = Field(None, max_length=60)
    install_date: Day | None = None
    design_life_years: int | None = None
    smart: bool | None = None
    external_id: str | None = Field(None, max_length=40)
    note: str | None = Field(None, max_length=200)


class StatusIn(Schema):
    status: Literal["in_service", "defective", "out_of_service", "removed"]
    reason: str = Field("", max_length=200, description="Needed unless the piece goes back into service.")




def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _queryset():
    return Equipment.objects.select_related("site", "facility")


def _readable(request, equipment_id: int) -> Equipment:
    _require(permissions.can_read(request.user))
    if equipment_id > MAX_ID:
        raise Http404
    return scoping.get_scoped_or_404(request.user, _queryset(), pk=equipment_id)


def _writable(request, equipment_id: int) -> Equipment:
    _require(permissions.can_write(request.user))
    if equipment_id > MAX_ID:
        raise Http404
    return scoping.get_scoped_or_404(request.user, _queryset(), write=True, pk=equipment_id)


def _facility(request, facility_id: int) -> Facility:
    facility = scoping.scoped(request.user, Facility.objects.select_related("site"), write=True).filter(
        pk=facility_id).first()
    if facility is None:
        raise EquipmentError("facility_unknown", _("Unknown facility, or outside the divisions you may change."),
                             "facility_id", status=404)
    return facility


@router.get("/types", response=list[EquipmentTypeOut], auth=PUBLIC, summary="Equipment types with their design life")
@paginate(ArrayPaging)
def list_types(request):
    return [{"code": t.code, "name": t.label, "name_zh": t.name_zh, "group": t.group,
             "design_life_years": t.design_life_years, "design_life_verified": t.life_verified,
             "design_life_source": t.life_source_label} for t in equipment_types.TYPES.values()]


@router.get("", response={200: list[EquipmentOut], **ERRORS}, summary="Equipment in my divisions (staff)")
@paginate(Paging)
def list_equipment(request, query: Query[ListQuery]):
    _require(permissions.can_read(request.user))
    return equipment_io.filtered(request.user, query.params()).select_related("site", "facility").order_by("id")


@router.post("", response={201: EquipmentOut, **ERRORS}, summary="Register a piece on a facility (staff)")
def create_equipment(request, payload: EquipmentIn):
    _require(permissions.can_write(request.user))
    data = payload.dict()
    facility = _facility(request, data.pop("facility_id"))
    piece = equipment_services.create_equipment(facility=facility, actor=request.user, request=request, **data)
    return Status(201, piece)


@router.get("/export.xlsx", response={200: None, **ERRORS},
            summary="Equipment in my divisions as .xlsx (the import template's columns: re-importable)")
def export_xlsx(request, query: Query[ListQuery]):
    _require(permissions.can_read(request.user))
    return equipment_io.xlsx_response(equipment_io.filtered(request.user, query.params()))


@router.get("/import-template.xlsx", response={200: None, **ERRORS}, summary="The import template (.xlsx)")
def import_template(request):
    _require(permissions.can_write(request.user))
    return equipment_io.template_response()


@imports.api_import(router, "/import", imports.import_schema("Equipment", "tag", "piece", typed=True, row_name="EquipmentRowOut",
                                                        rows_help=imports.ROWS_HELP),
                    ERRORS, EquipmentError, permissions.can_write, detail=("errors", "report"),
                    summary="Import the register from .xlsx or .csv (a dry run unless dry_run=false)")
def import_file(request, file, dry_run):
    """One row per piece. Rows match by tag code, then register number; others are new pieces.
    With dry_run=false the whole file is applied in one transaction or nothing is: any rejected
    row gives 400 `import_row_invalid` with every rejected row in `errors` and the `report`."""
    return equipment_io.import_rows(equipment_io.read_workbook(file), request.user, dry_run=dry_run, request=request)


@router.get("/{int:equipment_id}", response={200: EquipmentOut, **ERRORS}, summary="One piece (staff)")
def get_equipment(request, equipment_id: int):
    return _readable(request, equipment_id)


@router.patch("/{int:equipment_id}", response={200: EquipmentOut, **ERRORS},
              summary="Change a piece; a facility_id moves it (staff)")
def update_equipment(request, equipment_id: int, payload: EquipmentPatch):
    piece = _writable(request, equipment_id)
    data = payload.dict(exclude_unset=True)
    if "facility_id" in data:
        facility_id = data.pop("facility_id")
        if facility_id is not None:
            data["facility"] = piece.facility if facility_id == piece.facility_id else _facility(request, facility_id)
    for name in ("kind", "design_life_years", "smart"):
        if data.get(name, "") is None:
            data.pop(name)  # null leaves these as they are
    for name in ("maker", "model", "serial", "external_id", "note"):
        if name in data and data[name] is None:
            data[name] = ""
    equipment_services.update_equipment(piece, data, actor=request.user, request=request)
    return _queryset().get(pk=piece.pk)


@router.post("/{int:equipment_id}/status", response={200: EquipmentOut, **ERRORS},
             summary="Change a piece's status (staff); removed is final")
def set_status(request, equipment_id: int, payload: StatusIn):
    piece = _writable(request, equipment_id)
    equipment_services.set_status(piece, payload.status, reason=payload.reason, actor=request.user, request=request)
    return _queryset().get(pk=piece.pk)


@router.get("/{int:equipment_id}/tag.svg", response={200: None, **ERRORS},
            summary="The piece's QR tag (SVG): it holds the public report address")
def tag_svg(request, equipment_id: int):
    piece = _readable(request, equipment_id)

    svg = str(qr_svg(public_url(request, piece.tag), label=piece.tag))
    if "xmlns=" not in svg[:200]:
        svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return HttpResponse(svg, content_type="image/svg+xml")
