"""API for the register's Excel/CSV import and its exports (mounted at /api/v1/facilities)."""

from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema

from quanmin.accounts.api_auth import PUBLIC
from quanmin.core import imports
from quanmin.core.api import ErrorOut

from . import io_export, io_import, permissions
from .errors import FacilityError

router = Router(tags=["facilities"])


class FacilityImportCountsOut(Schema):
    rows: int
    sites_new: int
    sites_updated: int
    facilities_new: int
    facilities_updated: int
    unchanged: int
    rejected: int


class ExportFilters(Schema):
    type: list[str] = Field(default_factory=list, description="Facility type codes (repeatable).")
    group: str = Field("", description="A type group: ball, football, water, trail ...")
    q: str = Field("", description="Facility or site name contains.")
    region: str = Field("", description="Division code: the division and everything under it.")
    free: bool = Field(False, description="Free or low fee, or with public-benefit hours.")
    accessible: bool = False
    open_now: bool = False


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 413: ErrorOut}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@imports.api_import(router, "/import", imports.import_schema("Facility", "site", "facility", typed=True,
                                                        row_name="FacilityRowOut", counts=FacilityImportCountsOut,
                                                        rows_help=imports.ROWS_HELP),
                    ERRORS, FacilityError, permissions.can_write, detail=("errors", "report"),
                    summary="Import the register from .xlsx or .csv (a dry run unless dry_run=false)")
def import_file(request, file, dry_run):
    """One row per facility with its site, in the template's columns. With dry_run=false the
    whole file is applied in one transaction, or nothing is: any rejected row gives 400
    `import_row_invalid` with every rejected row in `errors` and the full `report`."""
    return io_import.import_rows(io_import.read_workbook(file), request.user, dry_run=dry_run, request=request)


@router.get("/import-template.xlsx", response={200: None, **ERRORS}, summary="The import template (.xlsx)")
def import_template(request):
    _require(permissions.can_write(request.user))
    return io_export.template_response()


@router.get("/export.xlsx", response={200: None, **ERRORS},
            summary="Facilities in my divisions as .xlsx (the template's columns: re-importable)")
def export_xlsx(request, filters: Query[ExportFilters]):
    _require(permissions.can_read(request.user))
    return io_export.xlsx_response(io_export.staff_facilities(request.user, request.GET))


@router.get("/export.csv", response={200: None, **ERRORS},
            summary="Facilities in my divisions as CSV (UTF-8 with BOM)")
def export_csv(request, filters: Query[ExportFilters]):
    _require(permissions.can_read(request.user))
    return io_export.csv_response(io_export.staff_facilities(request.user, request.GET))


class GeoFilters(ExportFilters):
    of: Literal["facilities", "sites"] = "facilities"
    public: bool = Field(False, description="Staff: the public data instead of their own divisions.")


@router.get("/export.geojson", auth=PUBLIC, response={200: None, **ERRORS},
            summary="GeoJSON: open public facilities for everyone; staff get their divisions")
def export_geojson(request, filters: Query[GeoFilters]):
    return io_export.geojson_for(request.user, request.GET)
