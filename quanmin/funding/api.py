"""Funding in the API (/api/v1/funding): city and county staff keep the projects' funding and the
sports-lottery fund, read the year's figures rolled up city → county, and move the year's project
funding table in and out of Excel. Nobody else reaches any of it (permissions.py)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from quanmin.core import imports
from quanmin.core.api import ArrayPaging, ErrorOut, Paging

from . import figures, io, permissions, selectors, services
from .errors import FundingError
from .models import Amount, LotteryFund, Project

router = Router(tags=["funding"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _require(request) -> None:
    if not permissions.can_read(request.user):
        raise PermissionDenied


class AmountIn(Schema):
    kind: str = Field(description="source or line")
    item: str = Field(description="a source (central, matching, department, lottery, donation, own_funds, "
                                  "sponsorship) or a line (equipment, grounds, events, training, smart, other)")
    planned: Decimal = Field(Decimal(0), description="yuan, two decimals at most, not negative")
    actual: Decimal = Field(Decimal(0), description="yuan, two decimals at most, not negative")


class AmountOut(Schema):
    kind: str
    item: str
    item_label: str
    planned: Decimal
    actual: Decimal


class ProjectIn(Schema):
    region: str = Field(description="12-digit division code")
    year: int
    title: str = Field(max_length=120)
    builds: str = Field("", max_length=500)
    site_id: int | None = None
    amounts: list[AmountIn] = Field(default_factory=list, max_length=26)


class ProjectOut(Schema):
    id: int
    region: str
    region_name: str
    year: int
    title: str
    builds: str
    site_id: int | None
    site_name: str
    planned: Decimal
    actual: Decimal
    amounts: list[AmountOut]


class LotteryIn(Schema):
    region: str
    year: int
    received: Decimal
    fitness: Decimal = Field(description="the part of `received` spent on national fitness")
    note: str = Field("", max_length=300)


class LotteryOut(Schema):
    id: int
    region: str
    region_name: str
    year: int
    received: Decimal
    fitness: Decimal
    share: Decimal | None
    note: str


class TotalsOut(Schema):
    region: str
    region_name: str
    planned: Decimal
    actual: Decimal
    social_share: Decimal | None
    lottery_received: Decimal | None
    lottery_fitness: Decimal | None
    lottery_share: Decimal | None
    sources: dict[str, list[Decimal]]
    lines: dict[str, list[Decimal]]


class YearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


class ProjectQuery(YearQuery):
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$", description="a division's code or prefix")


FundingImportOut = imports.import_schema("Funding", loose=True, counts=dict[str, int])


def _project_out(p: Project) -> dict:
    rows = list(p.amounts.all())
    sources = [a for a in rows if a.kind == Amount.Kind.SOURCE]
    return {"id": p.pk, "region": p.region_id, "region_name": p.region.name, "year": p.year, "title": p.title,
            "builds": p.builds, "site_id": p.site_id, "site_name": p.site.name if p.site else "",
            "planned": sum((a.planned for a in sources), Decimal(0)), "actual": sum((a.actual for a in sources), Decimal(0)),
            "amounts": [{"kind": a.kind, "item": a.item, "item_label": a.item_label, "planned": a.planned,
                         "actual": a.actual} for a in rows]}


def _fund_out(f: LotteryFund) -> dict:
    return {"id": f.pk, "region": f.region_id, "region_name": f.region.name, "year": f.year, "received": f.received,
            "fitness": f.fitness, "share": f.share, "note": f.note}


def _data(payload: ProjectIn) -> dict:
    data = payload.dict()
    data["site"] = data.pop("site_id")
    return data


@router.get("/projects", response={200: list[ProjectOut], **ERRORS}, summary="Funded projects in my scope")
@paginate(Paging)
def list_projects(request, query: Query[ProjectQuery]):
    _require(request)
    return [_project_out(p) for p in selectors.projects_for(request.user, query.year, query.region)]


@router.post("/projects", response={201: ProjectOut, **ERRORS}, summary="Record a funded project")
def create_project(request, payload: ProjectIn):
    _require(request)
    project = services.save_project(request.user, _data(payload), request=request)
    return Status(201, _project_out(selectors.project_or_404(request.user, project.pk)))


@router.get("/projects/{int:project_id}", response={200: ProjectOut, **ERRORS}, summary="One funded project")
def get_project(request, project_id: int):
    _require(request)
    return _project_out(selectors.project_or_404(request.user, project_id))


@router.put("/projects/{int:project_id}", response={200: ProjectOut, **ERRORS},
            summary="Change a project; its amounts are replaced by those given")
def update_project(request, project_id: int, payload: ProjectIn):
    _require(request)
    project = selectors.project_or_404(request.user, project_id, write=True)
    services.save_project(request.user, _data(payload), project, request=request)
    return _project_out(selectors.project_or_404(request.user, project_id))


@router.delete("/projects/{int:project_id}", response={204: None, **ERRORS}, summary="Remove a project")
def delete_project(request, project_id: int):
    _require(request)
    services.delete_project(request.user, selectors.project_or_404(request.user, project_id, write=True),
                            request=request)
    return Status(204, None)


@router.get("/lottery", response={200: list[LotteryOut], **ERRORS}, summary="Sports-lottery funds in my scope")
@paginate(Paging)
def list_funds(request, query: Query[YearQuery]):
    _require(request)
    return [_fund_out(f) for f in selectors.funds_for(request.user, query.year)]


@router.post("/lottery", response={201: LotteryOut, **ERRORS},
             summary="Record a division's sports-lottery fund for a year (replaces that year's)")
def save_fund(request, payload: LotteryIn):
    _require(request)
    return Status(201, _fund_out(services.save_lottery_fund(request.user, payload.dict(), request=request)))


@router.get("/figures", response={200: list[TotalsOut], **ERRORS},
            summary="The year's funding per division: my top division first, then the divisions below it")
@paginate(ArrayPaging)
def get_figures(request, query: Query[YearQuery]):
    _require(request)
    top = selectors.top_region(request.user)
    if top is None:
        return []
    year = query.year or figures.default_year()
    return [{"region": r.region.code, "region_name": r.region.name, "planned": r.planned, "actual": r.actual,
             "social_share": r.social_share, "lottery_received": r.received if r.has_fund else None,
             "lottery_fitness": r.fitness if r.has_fund else None, "lottery_share": r.lottery_share,
             "sources": r.sources, "lines": r.lines} for r in figures.rollup(top, year)]


@router.get("/export.xlsx", response={200: None, **ERRORS}, summary="The year's project funding table (.xlsx)")
def export_xlsx(request, query: Query[YearQuery]):
    _require(request)
    year = query.year or figures.default_year()
    top = selectors.top_region(request.user)
    return io.xlsx_response(selectors.projects_for(request.user, year), year,
                            figures.rollup(top, year) if top else None)


@router.post("/import", response={200: FundingImportOut, **ERRORS},
             summary="Import the year's project funding table (.xlsx or .csv; a dry run unless dry_run=false)")
def import_table(request, file: File[UploadedFile] = None, year: Form[int | None] = None, dry_run: Form[bool] = True):
    """With dry_run=false the whole file is applied or nothing is: any rejected row gives 400
    `import_row_invalid` with each rejected row's line and reasons."""
    _require(request)
    if file is None:
        raise FundingError("file_required", _("Choose a file to upload."), "file")
    report = io.import_table(request.user, year or figures.default_year(), file, dry_run=dry_run, request=request)
    return imports.api_answer(report, dry_run, FundingError)
