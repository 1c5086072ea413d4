"""Exports of the facilities register: .xlsx (the import template's columns, so an export can be
re-imported unchanged), CSV (UTF-8 with BOM for Excel) and GeoJSON. All stream: rows are read with
.iterator() and written as they come, never the whole table in memory."""

import json
import tempfile

from django.db.models import Count, QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from quanmin.accounts import scoping
from quanmin.core import excel
from quanmin.regions import codes

from . import permissions, types
from .io_read import CHOICES, COLUMNS
from .models import Facility, Site
from .selectors import Filters, filter_facilities

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "场地"
HELP_SHEET = "填写说明"
# One value per column of COLUMNS, read with values_list: no model instances, one join.
FIELDS = {
    "external_id": "external_id", "name": "name", "type": "type", "site_name": "site__name",
    "address": "site__address", "region": "site__region_id", "lon": "site__lon", "lat": "site__lat",
    "owner_kind": "site__owner_kind", "area_m2": "area_m2", "length_km": "length_km", "indoor": "indoor",
    "lit": "lit", "smart": "smart", "year_built": "year_built", "year_refurbished": "year_refurbished",
    "access": "access", "manager": "site__manager", "contact_phone": "site__contact_phone",
    "status": "site__status", "id": "id",
}
CHUNK = 2000


# ---------------------------------------------------------------- which rows


def _flag(params, name: str) -> bool:
    return str(params.get(name, "")).lower() in ("1", "true", "on", "yes")


def filters_from(params) -> Filters:
    """The finder's and register list's query parameters: type (repeatable), group, q, region,
    free, accessible, open_now (status is the staff list's: see staff_facilities)."""
    wanted = params.getlist("type") if hasattr(params, "getlist") else params.get("type") or []
    if isinstance(wanted, str):
        wanted = [wanted]
    return Filters(
        types=[t for t in wanted if t], group=str(params.get("group", "") or ""),
        open_at=timezone.now() if _flag(params, "open_now") else None,
        free_or_low_fee=_flag(params, "free"), accessible=_flag(params, "accessible"),
        region=_region_param(params.get("region", "")), q=str(params.get("q", "") or "").strip(),
    )


def _region_param(value) -> str:

    try:
        return codes.normalise(str(value or ""))
    except ValueError:
        return ""  # a bad code filters nothing rather than failing the export


def staff_facilities(user, params) -> QuerySet[Facility]:
    qs = scoping.scoped(user, Facility.objects.all())
    if params.get("status") in Site.Status.values:
        qs = qs.filter(site__status=params["status"])
    return filter_facilities(qs, filters_from(params))


def public_facilities(params) -> QuerySet[Facility]:
    """What anyone may see: facilities open to the public at open sites."""
    return filter_facilities(Facility.objects.filter(open=True), filters_from(params))


def sites_of(facilities: QuerySet[Facility], params, base: QuerySet[Site]) -> QuerySet[Site]:
    f = filters_from(params)
    if f.type_codes() or f.free_or_low_fee or f.accessible or f.region or f.q or f.open_at:
        base = base.filter(pk__in=facilities.values("site_id"))
    return base


# ---------------------------------------------------------------- rows as the sheet shows them


def _labels() -> dict:
    with override("zh-hans"):
        return {key: {code: str(label) for code, label in cls.choices} for key, cls in CHOICES.items()}


def sheet_rows(qs: QuerySet[Facility]):
    """Each facility as the template's cells, Chinese values (the import reads them back)."""
    labels = _labels()
    keys = [c.key for c in COLUMNS]
    qs = qs.order_by("site__region_id", "site__name", "site_id", "id").values_list(*[FIELDS[k] for k in keys])
    for record in qs.iterator(chunk_size=CHUNK):
        cells = []
        for key, value in zip(keys, record, strict=True):
            if key == "type":
                info = types.TYPES.get(value)
                value = info.name_zh if info else value
            elif key in labels:
                value = labels[key].get(value, value)
            elif key == "indoor":
                value = "室内" if value else "室外"
            elif key in ("lit", "smart"):
                value = "是" if value else "否"
            elif value is None:
                value = ""
            cells.append(value)
        yield cells


def headers() -> list[str]:
    return [c.zh for c in COLUMNS]


def _stamp(stem: str, ext: str) -> str:
    return f"{stem}-{timezone.localdate():%Y%m%d}.{ext}"


def xlsx_response(qs: QuerySet[Facility]) -> FileResponse:
    """Written row by row (openpyxl write-only) to an anonymous temp file, then streamed."""
    return excel.xlsx_response(_stamp("facilities", "xlsx"), [(SHEET, headers(), sheet_rows(qs))])


def csv_response(qs: QuerySet[Facility]) -> StreamingHttpResponse:
    return excel.csv_response(_stamp("facilities", "csv"), headers(), sheet_rows(qs))


# ---------------------------------------------------------------- GeoJSON


def _number(value):
    return None if value is None else float(value)


def facility_features(qs: QuerySet[Facility], public: bool):
    fields = ["id", "type", "name", "area_m2", "length_km", "indoor", "lit", "smart", "access", "year_built",
              "site_id", "site__name", "site__address", "site__status", "region_id", "lon", "lat", "external_id"]
    for r in qs.order_by("id").values(*fields).iterator(chunk_size=CHUNK):
        info = types.TYPES.get(r["type"])
        props = {
            "id": r["id"], "type": r["type"], "type_name": info.name_zh if info else r["type"],
            "type_name_en": info.name_en if info else r["type"], "name": r["name"],
            "area_m2": _number(r["area_m2"]), "length_km": _number(r["length_km"]), "indoor": r["indoor"],
            "lit": r["lit"], "smart": r["smart"], "access": r["access"], "year_built": r["year_built"],
            "site_id": r["site_id"], "site_name": r["site__name"], "address": r["site__address"],
            "region_code": r["region_id"],
        }
        if not public:
            props.update(external_id=r["external_id"], site_status=r["site__status"])
        yield _feature(r["lon"], r["lat"], props)


def site_features(qs: QuerySet[Site], public: bool):
    fields = ["id", "name", "address", "region_id", "owner_kind", "status", "lon", "lat", "accessible_entrance",
              "accessible_toilet", "accessible_parking", "manager", "contact_phone"]
    qs = qs.annotate(facility_count=Count("facilities")).order_by("id")
    for r in qs.values(*fields, "facility_count").iterator(chunk_size=CHUNK):
        props = {k: r[k] for k in fields if k not in ("lon", "lat", "region_id", "contact_phone")}
        props.update(region_code=r["region_id"], facility_count=r["facility_count"])
        if not public:
            props["contact_phone"] = r["contact_phone"]  # the venue's line; kept out of open data
        yield _feature(r["lon"], r["lat"], props)


def _feature(lon, lat, props) -> str:
    return json.dumps({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                       "properties": props}, ensure_ascii=False, default=str)


def geojson_response(features, stem: str) -> StreamingHttpResponse:
    def chunks():
        yield '{"type":"FeatureCollection","features":['
        for n, feature in enumerate(features):
            yield ("," if n else "") + feature
        yield "]}"

    response = StreamingHttpResponse((c.encode("utf-8") for c in chunks()), content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{_stamp(stem, "geojson")}"'
    return response


def geojson_for(user, params) -> StreamingHttpResponse:
    """Staff (division readers) get their scope, everyone else the open public data.
    ?of=sites gives sites instead of facilities; ?public=1 gives staff the public set too."""
    public = not (getattr(user, "is_authenticated", False) and permissions.can_read(user)) or _flag(params, "public")
    facilities = public_facilities(params) if public else staff_facilities(user, params)
    if params.get("of") == "sites":
        base = Site.objects.filter(status=Site.Status.OPEN) if public else scoping.scoped(user, Site.objects.all())
        return geojson_response(site_features(sites_of(facilities, params, base), public), "sites")
    return geojson_response(facility_features(facilities, public), "facilities")


# ---------------------------------------------------------------- the template


def template_response() -> FileResponse:
    """The import template: headers, the valid values, an example row and drop-down lists."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(headers())
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFEEF0F4")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    sheet.freeze_panes = "A2"
    for n, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, n).column_letter].width = max(10, len(column.zh) * 2 + 4)

    help_sheet = book.create_sheet(HELP_SHEET)
    help_sheet.append(["示例（复制到“场地”表填写，本表不导入）"])
    help_sheet.append(headers())
    help_sheet.append(EXAMPLE)
    help_sheet.append([])
    help_sheet.append(["说明"])
    for line in NOTES:
        help_sheet.append([line])
    help_sheet.append([])
    labels = _labels()
    lists = [("场地类型", [t.name_zh for t in types.TYPES.values()]),
             ("产权性质", list(labels["owner_kind"].values())), ("状态", list(labels["status"].values())),
             ("开放方式", list(labels["access"].values())), ("室内/室外", ["室内", "室外"]), ("是/否", ["是", "否"])]
    top = help_sheet.max_row + 1
    for col, (title, values) in enumerate(lists, start=1):
        help_sheet.cell(top, col, title).font = bold
        for n, value in enumerate(values, start=1):
            help_sheet.cell(top + n, col, value)
        help_sheet.column_dimensions[help_sheet.cell(top, col).column_letter].width = 18
        # A drop-down on the data sheet's column, fed from this list.
        letter = help_sheet.cell(top, col).column_letter
        source = f"'{HELP_SHEET}'!${letter}${top + 1}:${letter}${top + len(values)}"
        keys = {"场地类型": ["type"], "产权性质": ["owner_kind"], "状态": ["status"], "开放方式": ["access"],
                "室内/室外": ["indoor"], "是/否": ["lit", "smart"]}[title]
        for key in keys:
            index = [c.key for c in COLUMNS].index(key) + 1
            target = sheet.cell(2, index).column_letter
            rule = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=False)
            rule.add(f"{target}2:{target}20000")
            sheet.add_data_validation(rule)
    handle = tempfile.TemporaryFile()
    book.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename="facilities-import-template.xlsx", content_type=XLSX)


EXAMPLE = ["LC-0001", "1号篮球场", "篮球场", "东关社区文体广场", "东关街1号", "371502001001", 115.985, 36.457,
           "社区", 420, "", "室外", "是", "否", 2019, "", "免费", "东关社区居委会", "0635-0000000", "开放", ""]
NOTES = [
    "每行一个体育场地及其所在场馆；同一区划内场馆名称相同的行属于同一场馆，场馆信息可只在第一行填写。",
    "场地编号可选，填写后按编号匹配已有场地；未填写时按“场馆 + 场地类型 + 场地名称”匹配。系统ID由导出生成，新增场地留空。",
    "区划代码为12位统计用区划代码；经度、纬度为WGS-84坐标（GPS原始坐标）。",
    "面积单位为平方米，步道等长度类场地填写长度（公里）。年份填写四位数字，如2021。",
    "导入前可先“试导入”查看变化；只要有一行被拒绝，整个文件都不会导入。同一文件重复导入不会产生变化。",
    "也接受CSV文件（UTF-8或GB18030编码）和英文表头。",
]
