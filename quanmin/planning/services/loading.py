"""Loading plans from their data files (quanmin/core/data/plans/*.toml), as `manage.py load_plans` does.

A file holds one plan: [plan], [[phases]], [[targets]] and [[tasks]] (see quanmin/core/data/plans/README.md). Loading
is idempotent: a plan is found again by its key, its targets by their keys and its tasks by their
numbers, and updated in place; targets and tasks the file no longer has are removed. One file is
one transaction: a file with a bad row changes nothing.
"""

import tomllib
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from quanmin.core import plan_targets
from quanmin.regions import codes

from .. import deadlines
from ..errors import PlanningError
from ..models import Phase, Plan, Target, TaskItem, TaskUnit
from . import plans as plan_rules

DATA_DIR = plan_targets.DATA_DIR

PLAN_FIELDS = ("title", "issuer", "document_number", "issued_on", "division_code", "division_name", "starts_on",
               "ends_on", "convention", "participants", "quote")


def data_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.toml"))


def read(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PlanningError("plan_file_unreadable", _("The plan file cannot be read."), "file",
                            detail={"file": path.name, "reason": str(exc)})


def _required(row: dict, field: str, where: str):
    value = row.get(field)
    if value in (None, ""):
        raise PlanningError("plan_file_field_missing", _("A required field is missing from the plan file."), field,
                            detail={"where": where})
    return value


def _target(plan: Plan, order: int, row: dict) -> Target:
    key = _required(row, "key", f"target {order}")
    year = int(_required(row, "year", key))
    deadline = row.get("deadline") or date(year, 12, 31)
    target = Target(
        plan=plan, key=key, order=order, name=_required(row, "name", key),
        comparator=_required(row, "comparator", key),
        value=plan_rules.decimal_or_none(row.get("value")), unit=row.get("unit", "count"),
        unit_text=row.get("unit_text", ""), year=year, deadline=deadline,
        implied_year=bool(row.get("implied_year")), level=_required(row, "level", key), each=bool(row.get("each")),
        subject=row.get("subject", ""), kind=_required(row, "kind", key), indicator=row.get("indicator", ""),
        quote=_required(row, "quote", key),
    )
    bad = plan_rules.bad_choice(target)
    if bad is not None:
        raise PlanningError("plan_file_bad_choice", _("A field of the plan file has a value it cannot take."),
                            bad[0], detail={"where": key, "value": bad[1]})
    plan_rules.check_target(plan, target)
    return target


UNIT_ROLES = (("lead", TaskUnit.Role.LEAD), ("responsible", TaskUnit.Role.RESPONSIBLE),
              ("cooperating", TaskUnit.Role.COOPERATING))


@transaction.atomic
def load(data: dict, *, source: str = "") -> Plan:
    """Write one plan's data (a parsed file) and answer the plan."""
    head = data.get("plan") or {}
    key = _required(head, "key", "plan")
    values = {field: head.get(field, "") for field in PLAN_FIELDS}
    values["issued_on"] = head.get("issued_on") or None
    for field in ("title", "division_code", "division_name", "starts_on", "ends_on"):
        _required(head, field, "plan")
    if not codes.is_code(values["division_code"]):
        raise PlanningError("plan_division_code", _("Not a division code."), "division_code")
    plan_rules.check_period(values["starts_on"], values["ends_on"])
    if source:
        values["source"] = source
    plan, _created = Plan.objects.update_or_create(key=key, defaults=values)

    Phase.objects.filter(plan=plan).delete()
    phases = []
    for order, row in enumerate(data.get("phases", []), start=1):
        phase = Phase(plan=plan, order=order, name=_required(row, "name", f"phase {order}"),
                      starts_on=_required(row, "starts_on", f"phase {order}"),
                      ends_on=_required(row, "ends_on", f"phase {order}"), quote=row.get("quote", ""))
        plan_rules.check_period(phase.starts_on, phase.ends_on)
        phases.append(phase)
    Phase.objects.bulk_create(phases)

    targets = [_target(plan, order, row) for order, row in enumerate(data.get("targets", []), start=1)]
    if len({t.key for t in targets}) != len(targets):
        raise PlanningError("plan_file_duplicate", _("The plan file names a target twice."), "key")
    existing = {t.key: t for t in plan.targets.all()}
    for target in targets:
        if target.key in existing:
            target.pk = existing[target.key].pk
        target.save()
    plan.targets.exclude(key__in=[t.key for t in targets]).delete()

    cache: dict = {}
    numbers = []
    existing_tasks = {t.number: t for t in plan.tasks.all()}
    for order, row in enumerate(data.get("tasks", []), start=1):
        number = str(_required(row, "number", f"task {order}"))
        if number in numbers:
            raise PlanningError("plan_file_duplicate", _("The plan file names a task twice."), "number")
        numbers.append(number)
        deadline_text = row.get("deadline_text", "")
        try:
            deadline, recurrence = deadlines.parse(deadline_text)
        except ValueError:
            raise PlanningError("task_deadline_unreadable", _("The deadline cannot be read."), "deadline_text",
                                detail={"where": number})
        if deadline is None:
            deadline = values["ends_on"]
        if deadline < values["starts_on"]:
            raise PlanningError("task_deadline_before_plan", _("A task's deadline cannot be before the plan starts."),
                                "deadline_text", detail={"where": number})
        task = existing_tasks.get(number) or TaskItem(plan=plan, number=number)
        task.order = order
        task.group = row.get("group", "")
        task.subgroup = row.get("subgroup", "")
        task.title = _required(row, "title", number)
        task.content = row.get("content", "")
        task.lead_text = row.get("lead_text", "")
        task.responsible_text = row.get("responsible_text", "")
        task.cooperating_text = row.get("cooperating_text", "")
        task.deadline_text = deadline_text
        task.deadline = deadline
        task.recurrence = recurrence
        task.quote = row.get("quote") or task.title
        task.save()
        task.units.all().delete()
        units, seen = [], set()
        for field, role in UNIT_ROLES:
            for name in row.get(field, []):
                unit = plan_rules.department(plan.division_code, name, cache)
                if unit.pk in seen:
                    continue
                seen.add(unit.pk)
                units.append(TaskUnit(task=task, role=role, order=len(units) + 1, department=unit))
        if not units:
            raise PlanningError("task_without_unit", _("A task needs at least one unit."), "units",
                                detail={"where": number})
        TaskUnit.objects.bulk_create(units)
    # Tasks the plan's joint meetings decided are not the file's: they stay.
    plan.tasks.exclude(number__in=numbers).filter(decision__isnull=True).delete()
    return plan


def load_file(path: Path) -> Plan:
    data = read(path)
    head = data.get("plan") or {}
    source = head.get("note", "")
    if head.get("seed"):
        source = f"seed {head['seed']}: {source}"
    return load(data, source=source)
