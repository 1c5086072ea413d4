"""The register's sheet: its columns (the import template's, also the export's) and reading
.xlsx (openpyxl, read-only) and CSV files (UTF-8 with or without BOM, GB18030, UTF-16) into rows.
"""

import csv
import io
import re
from dataclasses import dataclass
from functools import cache

from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from .models import Facility, Site
from .services import FacilityError

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str

    @property
    def label(self) -> str:
        return self.en if (get_language() or "").startswith("en") else self.zh


# The sheet's columns, in the template's order. Headers are data (the register's format), not UI.
COLUMNS = [
    Column("external_id", "场地编号", "Register number"),
    Column("name", "场地名称", "Facility name"),
    Column("type", "场地类型", "Type"),
    Column("site_name", "场馆名称", "Site name"),
    Column("address", "地址", "Address"),
    Column("region", "区划代码", "Division code"),
    Column("lon", "经度", "Longitude"),
    Column("lat", "纬度", "Latitude"),
    Column("owner_kind", "产权性质", "Owner"),
    Column("area_m2", "面积（平方米）", "Area (m²)"),
    Column("length_km", "长度（公里）", "Length (km)"),
    Column("indoor", "室内/室外", "Indoor/outdoor"),
    Column("lit", "灯光", "Lit"),
    Column("smart", "智能", "Smart equipment"),
    Column("year_built", "建成年份", "Year built"),
    Column("year_refurbished", "改造年份", "Year refurbished"),
    Column("access", "开放方式", "Access"),
    Column("manager", "管理单位", "Managing unit"),
    Column("contact_phone", "联系电话", "Contact phone"),
    Column("status", "状态", "Status"),
    # Filled by exports so that a re-import matches even unnamed twins; blank for new facilities.
    Column("id", "系统ID", "System ID"),
]
BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED = ("type", "site_name", "region")
CHOICES = {"owner_kind": Site.OwnerKind, "status": Site.Status, "access": Facility.Access}
# Common words in local registers for the same values.
ALIASES = {
    "owner_kind": {"政府": "government", "机关": "government", "事业单位": "government", "学校": "school",
                   "企业": "enterprise", "社区": "community", "村集体": "community", "个人": "private",
                   "私人": "private", "民营": "private"},
    "status": {"规划": "planned", "规划中": "planned", "在建": "building", "开放": "open", "正常": "open",
               "维修": "repair", "停业维修": "repair", "关闭": "closed", "停用": "closed"},
    "access": {"免费": "free", "免费开放": "free", "低收费": "low_fee", "收费": "paid", "会员": "members",
               "仅会员": "members", "不开放": "not_open", "不对外开放": "not_open"},
}
HEADER_ALIASES = {"编号": "external_id", "名称": "name", "类型": "type", "场馆": "site_name", "区划": "region",
                  "面积": "area_m2", "面积(m2)": "area_m2", "面积(㎡)": "area_m2", "长度": "length_km",
                  "长度(km)": "length_km", "室内外": "indoor", "id": "id"}


def _norm_header(value) -> str:
    text = str(value or "").strip().lower().replace("（", "(").replace("）", ")").replace("／", "/")
    return re.sub(r"[\s*_\-]", "", text)


@cache
def _header_map() -> dict[str, str]:
    found = {_norm_header(k): v for k, v in HEADER_ALIASES.items()}
    for c in COLUMNS:
        found.update({_norm_header(c.key): c.key, _norm_header(c.zh): c.key, _norm_header(c.en): c.key})
    return found


@cache
def choice_map(key: str) -> dict[str, str]:
    """Code, Chinese label, English label or a common alias → code."""
    found = dict(ALIASES[key])
    for code, label in CHOICES[key].choices:
        found[code] = code
        for lang in ("en", "zh-hans"):
            with override(lang):
                found[str(label).lower()] = code
    return found


# ---------------------------------------------------------------- reading files


class Rows(list):
    """The data rows of a sheet: dicts of column key → cell value, with "_line" as Excel shows it."""

    ignored: list[str]


def read_workbook(file) -> Rows:
    """Rows of an .xlsx (first sheet with our headers) or .csv file (UTF-8, UTF-8 BOM, GB18030, UTF-16)."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise too_big()
    data = file.read(MAX_BYTES + 1) if hasattr(file, "read") else bytes(file)
    if len(data) > MAX_BYTES:
        raise too_big()
    if not data.strip():
        raise FacilityError("file_empty", _("The file is empty."), "file")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FacilityError("file_xls", _("Old Excel files (.xls) cannot be read: save the file as .xlsx and upload it again."), "file")
    return _read_csv(data)


def too_big():
    return FacilityError("file_too_large", _("The file is larger than %(mb)s MB: split it into several files.")
                         % {"mb": MAX_BYTES // (1024 * 1024)}, "file", status=413)


def _not_readable():
    return FacilityError("file_unreadable", _("This is not an Excel (.xlsx) or CSV file, or the file is damaged."), "file")


def _read_xlsx(data: bytes) -> Rows:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged file raises anything from zipfile, lxml or openpyxl: never a 500
        raise _not_readable() from None
    try:
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # some writers store a wrong size; read what is there
            lines = enumerate(sheet.iter_rows(values_only=True), start=1)
            rows = _rows_from_grid(lines, strict=False)
            if rows is not None:
                return rows
    except FacilityError:
        raise
    except Exception:
        raise _not_readable() from None
    finally:
        book.close()
    raise _header_error()


def _read_csv(data: bytes) -> Rows:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]  # Excel's "Unicode text"
    elif b"\x00" in data[:4096]:
        raise _not_readable()
    else:
        encodings = ["utf-8-sig", "gb18030"]  # GB18030: Excel's CSV on Chinese Windows
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _not_readable()
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text[:4096]):
        raise _not_readable()  # binary data that happened to decode: a picture, a PDF ...
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        lines = enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)
        return _rows_from_grid(lines, strict=True)
    except csv.Error:
        raise _not_readable() from None


def _header_error():
    return FacilityError("import_header_missing", _("The first row must hold the column headers of the template (%(columns)s).")
                         % {"columns": "、".join(BY_KEY[k].label for k in REQUIRED)}, "file")


TITLE_ROWS = 5  # a sheet may open with a title ("东昌府区体育场地登记表") above the headers


def _match_headers(values) -> tuple[dict[int, str], list[str]]:
    header_map = _header_map()
    mapping, ignored = {}, []
    for i, head in enumerate(values):
        norm = _norm_header(head)
        # "经度（WGS84）" → 经度: a unit or note in brackets does not change the column.
        key = header_map.get(norm) or header_map.get(re.sub(r"\(.*?\)$", "", norm))
        if key is None:
            if str(head or "").strip():
                ignored.append(str(head).strip())
        elif key in mapping.values():
            raise FacilityError("import_header_duplicate", _("The column %(column)s appears twice.")
                                % {"column": BY_KEY[key].label}, "file")
        else:
            mapping[i] = key
    return mapping, ignored


def _rows_from_grid(lines, strict: bool) -> Rows | None:
    """Headers on one of the first non-empty lines; None (not strict) when the sheet is not ours."""
    mapping = None
    rows = Rows()
    skipped = 0
    for line, values in lines:
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue
        if mapping is None:
            found, ignored = _match_headers(values)
            missing = [k for k in REQUIRED if k not in found.values()]
            if missing and len(found) < 3:
                skipped += 1
                if skipped <= TITLE_ROWS:
                    continue
                if strict:
                    raise _header_error()
                return None  # another sheet (the help sheet, say): try the next one
            if missing:
                raise FacilityError("import_header_missing", _("Columns missing: %(columns)s.")
                                    % {"columns": "、".join(BY_KEY[k].label for k in missing)}, "file")
            mapping, rows.ignored = found, ignored
            continue
        row = {key: _cell(values[i]) if i < len(values) else "" for i, key in mapping.items()}
        row["_line"] = line
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise FacilityError("import_too_many_rows", _("A file may hold at most %(rows)s rows.") % {"rows": MAX_ROWS}, "file")
    if mapping is None:
        if strict:
            raise _header_error()
        return None
    return rows


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value
