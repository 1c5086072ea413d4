"""Task tables from Excel, as offices write them (任务分解表, 工作任务清单).

The header row may sit under a title; its columns are recognised by name:

- 序号 (number; rows without one are numbered in order);
- the task: 任务内容 / 主要内容 / 具体任务 / 工作内容, else 重点任务, else 工作任务 — the most specific
  one present is the task, the others are its group (工作任务) and key task (重点任务);
- units: 牵头单位 (lead), 责任单位 / 责任部门 (responsible; under the plan's "first listed leads"
  convention the first of them leads when there is no 牵头单位 column), 配合单位 (cooperating),
  each cell split on 、，, ； and new lines (not inside brackets);
- the deadline: 完成时限 / 时间进度 / 完成时间 / 时限 (2022年底前, 2025年12月底前, 每年, 持续实施…).

Group cells merged over several rows arrive filled on the first row only and carry down. A dry run
reports every row (new, updated, rejected with its line and reasons) and writes nothing; an apply
writes every row or, if any is rejected, nothing.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quanmin.core import tabular
from quanmin.core.imports import ImportReport

from .. import deadlines, units
from ..errors import PlanningError
from ..models import Plan, TaskItem, TaskUnit
from . import plans as plan_rules

MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024
TASK_COLUMNS = ("content", "key_task", "work")  # most specific first

HEADERS = {
    "number": ("序号", "编号", "number"),
    "work": ("工作任务", "任务类别", "work area"),
    "key_task": ("重点任务", "key task"),
    "content": ("任务内容", "主要内容", "具体任务", "工作内容", "task"),
    "lead": ("牵头单位", "牵头部门", "lead unit"),
    "responsible": ("责任单位", "责任部门", "responsible units"),
    "cooperating": ("配合单位", "配合部门", "协助单位", "cooperating units"),
    "deadline": ("完成时限", "时间进度", "完成时间", "时限", "时间节点", "deadline"),
    "note": ("备注", "note"),
}
NAMES = {tabular.norm_header(h): key for key, heads in HEADERS.items() for h in heads}
LABELS = {"number": gettext_lazy("序号"), "work": gettext_lazy("工作任务"), "key_task": gettext_lazy("重点任务"),
          "content": gettext_lazy("任务内容"), "lead": gettext_lazy("牵头单位"), "responsible": gettext_lazy("责任单位"),
          "cooperating": gettext_lazy("配合单位"), "deadline": gettext_lazy("完成时限"), "note": gettext_lazy("备注")}


@dataclass
class RowReport:
    line: int
    number: str = ""
    title: str = ""
    action: str = "new"
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def _is_header(keys: set) -> bool:
    if not keys & set(TASK_COLUMNS):
        if len(keys) >= 2:  # a header row (序号, 牵头单位…) without any task column
            raise PlanningError("task_column_missing", _("The table has no task column (任务内容, 重点任务 or 工作任务)."),
                                "file")
        return False
    return True


def _read(file):
    return tabular.read_rows(file, names=NAMES, label=lambda k: str(LABELS[k]), is_header=_is_header,
                             expected=[str(LABELS[k]) for k in ("number", "content", "lead", "deadline")],
                             max_rows=MAX_ROWS, max_bytes=MAX_BYTES)


def _text(value) -> str:
    return str(value if value is not None else "").strip()


def import_tasks(user, plan: Plan, file, *, dry_run: bool = True) -> ImportReport:
    rows = _read(file)
    present = set().union(*(r.keys() for r in rows)) if rows else set()
    task_key = next(k for k in TASK_COLUMNS if k in present) if present & set(TASK_COLUMNS) else None
    if task_key is None:
        raise PlanningError("task_column_missing", _("The table has no task column (任务内容, 重点任务 or 工作任务)."), "file")
    group_keys = [k for k in ("work", "key_task") if k in present and k != task_key]
    first_leads = plan.convention == Plan.Convention.FIRST_LEADS and "lead" not in present
    report = ImportReport(dry_run=dry_run, ignored_columns=list(getattr(rows, "ignored", [])))
    existing = {t.number: t for t in plan.tasks.all()}
    carried = dict.fromkeys(group_keys, "")
    seen, parsed, order = set(), [], plan.tasks.count()
    for row in rows:
        line = row["_line"]
        cells = {k: _text(row.get(k)) for k in HEADERS}
        for key in group_keys:
            if cells[key]:
                carried[key] = cells[key]
        title = cells[task_key]
        if not title:
            if any(cells[k] for k in ("lead", "responsible", "cooperating", "deadline")):
                report.rows.append(RowReport(line, cells["number"], "", "rejected", errors=[_("The task cell is empty.")]))
            continue  # a group heading on a row of its own, or a blank row
        order += 1
        number = cells["number"] or str(order)
        item = RowReport(line, number, title[:60])
        if len(title) > 2000:
            item.errors.append(_("The task text is too long."))
        if number in seen:
            item.errors.append(_("The number %(number)s appears twice.") % {"number": number})
        seen.add(number)
        lead, responsible, cooperating = (units.split(cells[k]) for k in ("lead", "responsible", "cooperating"))
        if first_leads and responsible:
            lead, responsible = responsible[:1], responsible[1:]
        if not (lead or responsible):
            item.errors.append(_("No lead or responsible unit."))
        if any(len(name) > 80 for name in lead + responsible + cooperating):
            item.errors.append(_("A unit name is longer than 80 characters."))
        try:
            deadline, recurrence = deadlines.parse(cells["deadline"])
        except ValueError:
            item.errors.append(_("The deadline “%(text)s” cannot be read.") % {"text": cells["deadline"][:40]})
            deadline, recurrence = None, ""
        deadline = deadline or plan.ends_on
        if deadline < plan.starts_on:
            item.errors.append(_("The deadline is before the plan starts."))
        if len(cells["deadline"]) > 60:
            item.errors.append(_("The deadline text is too long."))
        if item.errors:
            item.action = "rejected"
        elif number in existing:
            item.action = "updated"
        report.rows.append(item)
        parsed.append((item, {
            "number": number, "order": order, "title": title[:200], "content": title if len(title) > 200 else "",
            "group": carried.get("work", "") if "work" in group_keys else "",
            "subgroup": carried.get("key_task", "") if "key_task" in group_keys else "",
            "lead_text": cells["lead"][:200], "responsible_text": cells["responsible"],
            "cooperating_text": cells["cooperating"], "deadline_text": cells["deadline"][:60], "deadline": deadline,
            "recurrence": recurrence, "quote": title[:200],
        }, (lead, responsible, cooperating)))
    if not parsed and not report.rows:
        raise PlanningError("task_table_empty", _("The table has no task rows."), "file")
    if dry_run or not report.ok:
        return report
    _apply(plan, parsed, existing)
    report.applied = True
    return report


@transaction.atomic
def _apply(plan: Plan, parsed, existing: dict) -> None:
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    cache = {}
    new_tasks, updated = [], []
    for _item, values, _units in parsed:
        task = existing.get(values["number"])
        if task is None:
            task = TaskItem(plan=plan, **values)
            new_tasks.append(task)
        else:
            for key, value in values.items():
                setattr(task, key, value)
            updated.append(task)
    TaskItem.objects.bulk_create(new_tasks)
    if updated:
        TaskItem.objects.bulk_update(updated, [k for k in parsed[0][1] if k != "number"])
        TaskUnit.objects.filter(task__in=updated).delete()
    by_number = {t.number: t for t in new_tasks + updated}
    task_units = []
    for _item, values, (lead, responsible, cooperating) in parsed:
        task, seen = by_number[values["number"]], set()
        for role, names in ((TaskUnit.Role.LEAD, lead), (TaskUnit.Role.RESPONSIBLE, responsible),
                            (TaskUnit.Role.COOPERATING, cooperating)):
            for name in names:
                department = plan_rules.department(plan.division_code, name, cache)
                if department.pk not in seen:
                    seen.add(department.pk)
                    task_units.append(TaskUnit(task=task, role=role, order=len(seen), department=department))
    TaskUnit.objects.bulk_create(task_units)
