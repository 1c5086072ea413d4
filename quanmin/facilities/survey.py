"""The annual sports-ground statistics survey (体育场地统计调查) table of a division, as Excel.

Counties send the survey's figures up every year. This puts the register's facilities of one division
(the register's state on the day of the export: sites that exist, not planned or closed) into the
survey's categories (data/survey_categories.csv; a facility counts under its type's category, indoors or
out) and writes one workbook: the table in the survey's order (section, group, category) with counts,
areas and trail lengths; the same per child division with population and area per resident; and a sheet
saying where the categories come from and which local types were counted under which category.
"""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass, field

from django.db.models import Count, FloatField, Sum
from django.db.models.functions import Substr
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from quanmin.regions import codes
from quanmin.regions.models import Region

from . import figures, types

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@")


@dataclass
class Figures:
    count: int = 0
    area_m2: float = 0.0
    length_km: float = 0.0

    def add(self, n: int, area: float, length: float) -> None:
        self.count += n
        self.area_m2 += area
        self.length_km += length


@dataclass
class SurveyTable:
    region: Region
    on: datetime.date
    children: list[Region]
    categories: dict[str, Figures] = field(default_factory=dict)  # survey category -> figures
    child_groups: dict[str, dict[str, Figures]] = field(default_factory=dict)  # child code -> group -> figures
    child_totals: dict[str, Figures] = field(default_factory=dict)
    local_types: dict[str, int] = field(default_factory=dict)  # local type code -> facilities counted

    @property
    def total(self) -> Figures:
        out = Figures()
        for f in self.categories.values():
            out.add(f.count, f.area_m2, f.length_km)
        return out

    def population(self) -> int | None:
        if self.region.population:
            return self.region.population
        pops = [c.population for c in self.children]
        return sum(pops) if pops and all(pops) else None


def groups() -> list[str]:
    """The survey's groups in its order (田径场地, 游泳场地, 足球场地 …)."""
    return list(dict.fromkeys(c.group for c in types.SURVEY.values()))


def survey_table(region: Region, on: datetime.date | None = None) -> SurveyTable:
    """The division's facilities by survey category and by child division: one GROUP BY query."""
    child = codes.child_level(region.level)
    key_length = codes.PREFIX_LENGTH[child] if child else 12
    children = list(Region.objects.filter(parent_id=region.code).order_by("code")) if child else []
    table = SurveyTable(region, on or timezone.localdate(), children,
                        categories={code: Figures() for code in types.SURVEY})
    rows = (figures.existing_facilities(codes.prefix(region.code))
            .annotate(key=Substr("region_id", 1, key_length))
            .values_list("key", "type", "indoor")
            .annotate(n=Count("id"), area=Sum("area_m2", output_field=FloatField()),
                      length=Sum("length_km", output_field=FloatField())))
    for key, type_code, indoor, n, area, length in rows:
        category = types.survey_category(type_code, indoor)
        table.categories[category.code].add(n, area or 0.0, length or 0.0)
        child_code = codes.pad(key)
        table.child_groups.setdefault(child_code, {}).setdefault(category.group, Figures()).add(
            n, area or 0.0, length or 0.0)
        table.child_totals.setdefault(child_code, Figures()).add(n, area or 0.0, length or 0.0)
        info = types.TYPES.get(type_code)
        if info is not None and info.local:
            table.local_types[type_code] = table.local_types.get(type_code, 0) + n
    return table


# --- Excel ------------------------------------------------------------------------------------------------

def _cell(ws, row: int, col: int, value, bold: bool = False):
    """Write one cell; text that a spreadsheet would read as a formula stays text."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _figures_cells(ws, row: int, col: int, f: Figures, measure: str | None, bold: bool = False) -> None:
    _cell(ws, row, col, f.count, bold)
    _cell(ws, row, col + 1, round(f.area_m2, 2) if measure != "length" else None, bold)
    _cell(ws, row, col + 2, round(f.length_km, 3) if measure != "area" else None, bold)


def _per_capita(area: float, population: int | None) -> float | None:
    return round(area / population, 2) if population else None


def _table_sheet(ws, t: SurveyTable) -> None:
    ws.title = "体育场地统计调查表"
    _cell(ws, 1, 1, f"{t.region.name}体育场地统计调查表", bold=True)
    _cell(ws, 2, 1, f"区划代码：{t.region.code}　标准时点：{t.on:%Y年%m月%d日}　计量单位：个、平方米、公里")
    headers = ["序号", "场地分类", "场地类别", "场地类型", "第六次全国体育场地普查类型代码",
               "场地数量（个）", "场地面积（平方米）", "长度（公里）"]
    for i, h in enumerate(headers, start=1):
        _cell(ws, 4, i, h, bold=True)
    row, number = 5, 0
    sections = list(dict.fromkeys(c.section for c in types.SURVEY.values()))
    for section in sections:
        cats = [c for c in types.SURVEY.values() if c.section == section]
        sub = Figures()
        for c in cats:
            f = t.categories[c.code]
            sub.add(f.count, f.area_m2, f.length_km)
        _cell(ws, row, 2, section, bold=True)
        _cell(ws, row, 4, "小计", bold=True)
        measures = {c.measure for c in cats}
        _figures_cells(ws, row, 6, sub, measures.pop() if len(measures) == 1 else None, bold=True)
        row += 1
        for c in cats:
            number += 1
            _cell(ws, row, 1, number)
            _cell(ws, row, 2, c.section)
            _cell(ws, row, 3, c.group)
            _cell(ws, row, 4, c.name_zh)
            _cell(ws, row, 5, " ".join(c.census_codes))
            _figures_cells(ws, row, 6, t.categories[c.code], c.measure)
            row += 1
    total = t.total
    _cell(ws, row, 2, "合计", bold=True)
    _figures_cells(ws, row, 6, total, None, bold=True)
    row += 2
    population = t.population()
    _cell(ws, row, 2, "常住人口（人）")
    _cell(ws, row, 6, population)
    _cell(ws, row + 1, 2, "人均体育场地面积（平方米）")
    _cell(ws, row + 1, 6, _per_capita(total.area_m2, population))
    for col, width in zip("ABCDEFGH", (6, 14, 18, 30, 20, 14, 18, 14), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A5"


def _children_sheet(ws, t: SurveyTable) -> None:
    group_names = groups()
    headers = ["区划代码", "区划名称", "常住人口（人）", "场地数量（个）", "场地面积（平方米）",
               "人均体育场地面积（平方米）", *[f"{g}（个）" for g in group_names], "健身步道长度（公里）"]
    for i, h in enumerate(headers, start=1):
        _cell(ws, 1, i, h, bold=True)
    for r, child in enumerate(t.children, start=2):
        total = t.child_totals.get(child.code, Figures())
        by_group = t.child_groups.get(child.code, {})
        _cell(ws, r, 1, child.code)
        _cell(ws, r, 2, child.name)
        _cell(ws, r, 3, child.population)
        _cell(ws, r, 4, total.count)
        _cell(ws, r, 5, round(total.area_m2, 2))
        _cell(ws, r, 6, _per_capita(total.area_m2, child.population))
        for i, g in enumerate(group_names, start=7):
            _cell(ws, r, i, by_group.get(g, Figures()).count)
        _cell(ws, r, 7 + len(group_names), round(total.length_km, 3))
    ws.freeze_panes = "C2"


def _notes_sheet(ws, t: SurveyTable) -> None:
    lines = [
        "场地类别与名称：依全国体育场地统计调查制度（国统字〔2020〕41号，国统制〔2023〕131号修订）公布的调查数据所用分类"
        "（体育总局《2022年全国体育场地统计调查数据》及省、县调查数据公报）。调查制度表式原件未能查阅，类别代码以第六次全国"
        "体育场地普查类型代码对照。",
        "统计口径：本平台场地登记中、场馆状态为现存（非规划、在建或关闭）的体育场地，按导出当日状态；室内场地计入相应的"
        "“馆”类（如篮球场标为室内计入室内篮球馆）。",
        "地方规划类型（调查无单列类别）计入的调查类别：",
    ]
    for code, n in sorted(t.local_types.items()):
        info = types.TYPES[code]
        outdoor = types.SURVEY[info.survey].name_zh
        indoor = types.SURVEY[info.survey_indoor].name_zh
        where = outdoor if outdoor == indoor else f"{outdoor}（室内：{indoor}）"
        lines.append(f"　{info.name_zh}：{n} 个，计入 {where}")
    if not t.local_types:
        lines.append("　（本区划无此类场地）")
    for r, text in enumerate(lines, start=1):
        cell = _cell(ws, r, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 120


def workbook(t: SurveyTable):
    wb = Workbook()
    _table_sheet(wb.active, t)
    _children_sheet(wb.create_sheet("分区划"), t)
    _notes_sheet(wb.create_sheet("说明"), t)
    fh = tempfile.TemporaryFile()
    wb.save(fh)
    fh.seek(0)
    return fh


def xlsx_response(region: Region) -> FileResponse:
    t = survey_table(region)
    return FileResponse(workbook(t), as_attachment=True, content_type=XLSX,
                        filename=f"sports-ground-survey-{region.code}-{t.on:%Y%m%d}.xlsx")
