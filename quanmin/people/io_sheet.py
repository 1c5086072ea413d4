"""The register's sheet: its columns (the import template's and the export's), the words a local
register uses for grades, statuses and sports, and the written workbook (template and export).

Exports show ID numbers and phones masked (a full value only through an audited reveal) and carry
the system ID, so that an exported sheet, corrected, imports back onto the same records.
"""

import datetime
import itertools
from functools import cache

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from quanmin.accounts import crypto
from quanmin.accounts.idnumber import check_character
from quanmin.core import excel, tabular
from quanmin.facilities.io_read import Column  # the registers' one column type

from . import selectors
from .errors import PeopleError
from .models import Grade, Instructor, Level, Sport, sports_list

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
SHEET = "社会体育指导员"
CHUNK = 2000


COLUMNS = [
    Column("real_name", "姓名", "Name"),
    Column("id_number", "身份证号", "ID number"),
    Column("phone", "手机号", "Mobile"),
    Column("region", "区划代码", "Division code"),
    Column("kind", "人员类型", "Type"),
    Column("grade", "等级", "Grade"),
    Column("certificate_no", "证书编号", "Certificate number"),
    Column("approval_level", "批准机关级别", "Approved by"),
    Column("approved_on", "批准日期", "Approval date"),
    Column("sports", "指导项目", "Sports taught"),
    Column("association", "所属组织", "Organisation"),
    Column("status", "状态", "Status"),
    Column("core", "骨干", "Core team"),
    Column("id", "系统ID", "System ID"),
]
# The export's record columns after the register's (B01, B12): courses, service hours and contest
# results. An import reads them as known and leaves them: the record is kept by its own pages.
RECORD_COLUMNS = [
    Column("courses", "培训次数", "Courses"),
    Column("training_hours", "培训学时", "Training hours"),
    Column("services", "服务次数", "Confirmed services"),
    Column("service_hours", "服务时长（小时）", "Service hours"),
    Column("volunteer_hours", "志愿服务时长（小时）", "Volunteer hours"),
    Column("contests", "技能大比武成绩", "Skills contest results"),
]
BY_KEY = {c.key: c for c in COLUMNS + RECORD_COLUMNS}
REQUIRED = ("real_name", "id_number", "region", "grade")
CHOICES = {"grade": Grade, "status": Instructor.Status, "kind": Instructor.Kind, "sports": Sport,
           "approval_level": Level}
ALIASES = {
    "grade": {"三级": "third", "二级": "second", "一级": "first", "国家级": "national",
              "三级社会体育指导员": "third", "二级社会体育指导员": "second", "一级社会体育指导员": "first",
              "国家级社会体育指导员": "national", "3": "third", "2": "second", "1": "first", "国家": "national"},
    "status": {"在册": "active", "在岗": "active", "有效": "active", "正常": "active", "失效": "lapsed", "过期": "lapsed",
               "注销": "revoked", "撤销": "revoked"},
    "kind": {"社会体育指导员": "instructor", "全民健身志愿者": "volunteer", "科学健身指导员": "scientific",
             "基层文体管理员": "administrator", "体育专业大学生": "pe_student", "指导员": "instructor", "志愿者": "volunteer",
             "体育专业学生": "pe_student", "大学生": "pe_student"},
    "sports": {"广场舞": "square_dance", "太极拳": "taiji", "太极": "taiji", "健身气功": "qigong", "气功": "qigong",
               "健身操": "aerobics", "健步走": "walking", "跑步": "running", "篮球": "basketball", "足球": "football",
               "乒乓球": "table_tennis", "羽毛球": "badminton", "游泳": "swimming", "瑜伽": "yoga", "门球": "gateball",
               "柔力球": "rouliqiu", "武术": "wushu", "健身器材": "equipment", "其他": "other"},
    "approval_level": {"国家体育总局": "national", "县": "county", "县级": "county", "市": "city", "市级": "city", "省": "province",
                       "省级": "province", "国家": "national", "国家级": "national"},
}


@cache
def header_map() -> dict[str, str]:
    found = {}
    for c in COLUMNS + RECORD_COLUMNS:
        found.update({tabular.norm_header(c.key): c.key, tabular.norm_header(c.zh): c.key,
                      tabular.norm_header(c.en): c.key})
    found.update({tabular.norm_header(k): v for k, v in {"身份证": "id_number", "电话": "phone", "项目": "sports",
                                                       "协会": "association", "区划": "region"}.items()})
    return found


@cache
def choice_map(key: str) -> dict[str, str]:
    """Code, Chinese label, English label or a local word → code."""
    return tabular.choice_words(CHOICES[key], ALIASES[key])


def read(file) -> tabular.Rows:
    try:
        return tabular.read_rows(file, names=header_map(), label=lambda key: BY_KEY[key].label,
                                 is_header=is_header, expected=[BY_KEY[k].label for k in REQUIRED],
                                 max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    except tabular.TableError as exc:
        raise PeopleError(exc.code, exc.message, "file", status=exc.status) from None


def is_header(found: set) -> bool:
    missing = [k for k in REQUIRED if k not in found]
    if missing and len(found) >= 3:
        raise PeopleError("import_header_missing", _columns_missing(missing), "file")
    return not missing


def _columns_missing(missing) -> str:
    return _("Columns missing: %(columns)s.") % {"columns": "、".join(BY_KEY[k].label for k in missing)}


# ---------------------------------------------------------------- writing


def _labels() -> dict:
    with override("zh-hans"):
        return {key: {code: str(label) for code, label in cls.choices} for key, cls in CHOICES.items()}


def _contest_text(result) -> str:
    place = f" 第{result.rank}名" if result.rank else ""
    award = f" {result.award}" if result.award else ""
    return f"{result.contest.held_on:%Y-%m-%d} {result.contest.title}{place}{award}"


def sheet_rows(qs: QuerySet[Instructor]):
    """Each instructor as the template's cells, Chinese values, personal numbers masked, then the
    record's columns: a chunk of people at a time, their record in three queries per chunk."""
    labels = _labels()
    fields = ["real_name", "id_number_enc", "phone_enc", "region_id", "kind", "grade", "certificate_no",
              "approval_level", "approved_on", "sports", "association", "status", "core", "id"]
    rows = qs.order_by("region_id", "id").values_list(*fields).iterator(chunk_size=CHUNK)
    while chunk := list(itertools.islice(rows, CHUNK)):
        ids = [r[-1] for r in chunk]
        service, training = selectors.service_totals(ids), selectors.training_totals(ids)
        contests = selectors.contest_results(ids)
        for r in chunk:
            (name, id_enc, phone_enc, region, kind, grade, cert, level, on, sports, association, status, core, pk) = r
            served, trained = service.get(pk, selectors.NO_SERVICE), training.get(pk, selectors.NO_TRAINING)
            yield [name, crypto.mask_id_number(crypto.decrypt(id_enc)), crypto.mask_phone(crypto.decrypt(phone_enc)),
                   region, labels["kind"].get(kind, kind), labels["grade"].get(grade, grade), cert,
                   labels["approval_level"].get(level, ""), on or "",
                   "、".join(labels["sports"].get(s, s) for s in sports_list(sports)), association,
                   labels["status"].get(status, status), "是" if core else "否", pk,
                   trained["courses"], trained["hours"] or 0, served["services"], served["hours"] or 0,
                   served["volunteer_hours"], "；".join(_contest_text(c) for c in contests.get(pk, []))]


def headers(record: bool = False) -> list[str]:
    return [c.zh for c in COLUMNS + (RECORD_COLUMNS if record else [])]


def filename(stem: str) -> str:
    return f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"


def export_response(qs: QuerySet[Instructor]):
    return excel.xlsx_response(filename("instructors"), [(SHEET, headers(record=True), sheet_rows(qs))])


def template_response():
    example = ["张三", "37150219900101123" + check_character("37150219900101123"), "13800000000", "371502001001", "社会体育指导员", "三级", "SD2024-0001",
               "县级", datetime.date(2024, 5, 1), "太极拳、健身气功", "东昌府区社会体育指导员协会", "在岗", "否", ""]
    with override("zh-hans"):
        help_rows = [[c.zh, "必填" if c.key in REQUIRED else "选填"] for c in COLUMNS]
        help_rows += [["等级", "、".join(str(label) for _c, label in Grade.choices)],
                      ["指导项目", "、".join(str(label) for _c, label in Sport.choices)]]
    return excel.xlsx_response("instructors-template.xlsx",
                               [(SHEET, headers(), [example]), ("填写说明", ["列", "说明"], help_rows)])
