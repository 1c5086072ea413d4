"""The register's sheet: its columns (the import template's, also the export's) and reading
.xlsx and CSV files into rows with the shared reader (core.tabular).
"""

from dataclasses import dataclass
from functools import cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from quanmin.core import tabular

from .errors import FacilityError
from .models import Facility, Site

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000


@dataclass(frozen=True)
class Column:
    """A register sheet's column: its key, its Chinese and English headers; a read-only column is
    written by exports for people to read and ignored by imports. Every register uses this type."""
    key: str
    zh: str
    en: str
    read_only: bool = False

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


@cache
def _header_map() -> dict[str, str]:
    found = {tabular.norm_header(k): v for k, v in HEADER_ALIASES.items()}
    for c in COLUMNS:
        found.update({tabular.norm_header(c.key): c.key, tabular.norm_header(c.zh): c.key,
                      tabular.norm_header(c.en): c.key})
    return found


@cache
def choice_map(key: str) -> dict[str, str]:
    """Code, Chinese label, English label or a common alias → code."""
    return tabular.choice_words(CHOICES[key], ALIASES[key])


# ---------------------------------------------------------------- reading files


Rows = tabular.Rows


def read_workbook(file) -> Rows:
    """Rows of an .xlsx (first sheet with our headers) or .csv file (UTF-8, UTF-8 BOM, GB18030, UTF-16)."""
    try:
        return tabular.read_rows(file, names=_header_map(), label=lambda key: BY_KEY[key].label,
                                 is_header=_is_header, expected=[BY_KEY[k].label for k in REQUIRED],
                                 max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    except tabular.TableError as exc:
        raise FacilityError(exc.code, exc.message, "file", status=exc.status) from None


def too_big():
    return FacilityError("file_too_large", tabular.too_big(MAX_BYTES).message, "file", status=413)


def _is_header(found: set) -> bool:
    """A line is the header when it names every required column; one that names three columns or
    more but not all the required ones is a header with columns missing."""
    missing = [k for k in REQUIRED if k not in found]
    if missing and len(found) >= 3:
        raise FacilityError("import_header_missing", _("Columns missing: %(columns)s.")
                            % {"columns": "、".join(BY_KEY[k].label for k in missing)}, "file")
    return not missing
