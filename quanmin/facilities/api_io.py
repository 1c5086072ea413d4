"""API for the register's Excel/CSV import and its exports (mounted at /api/v1/facilities)."""

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile

from quanmin.accounts.api_auth import PUBLIC
from quanmin.core.api import ErrorOut

from . import io_export, io_import, permissions
from .errors import FacilityError

router = Router(tags=["facilities"])


class RowErrorOut(Schema):
    column: str
    code: str
    message: str


class FacilityRowOut(Schema):
    line: int
    action: Literal["new", "updated", "unchanged", "rejected"]
    site: str
    facility: str
    changes: list[str]
    errors: list[RowErrorOut]


class FacilityImportCountsOut(Schema):
    rows: int
    sites_new: int
    sites_updated: int
    facilities_new: int
    facilities_updated: int
    unchanged: int
    rejected: int


class FacilityImportOut(Schema):
    dry_run: bool
    applied: bool
    counts: FacilityImportCountsOut
    ignored_columns: list[str]
    rows: list[FacilityRowOut] = Field(description="Every row except the unchanged ones, by line.")


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


@router.post("/import", response={200: FacilityImportOut, **ERRORS},
             summary="Import the register from .xlsx or .csv (a dry run unless dry_run=false)")
def import_file(request, file: File[UploadedFile] = None, dry_run: Form[bool] = True):
    """One row per facility with its site, in the template's columns. With dry_run=false the
    whole file is applied in one transaction, or nothing is: any rejected row gives 400
    `import_row_invalid` with every rejected row in `errors` and the full `report`."""
    _require(permissions.can_write(request.user))
    if file is None:
        raise FacilityError("file_required", _("Choose a file to upload."), "file")
    rows = io_import.read_workbook(file)
    report = io_import.import_rows(rows, request.user, dry_run=dry_run, request=request)
    if not dry_run and not report.applied:
        errors = [dict(line=r.line, **e) for r in report.rejected for e in r.errors]
        raise FacilityError("import_row_invalid", _("%(count)s rows were rejected; nothing was applied.")
                            % {"count": len(report.rejected)}, "file",
                            detail={"errors": errors, "report": report.as_dict()})
    return report.as_dict()


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
