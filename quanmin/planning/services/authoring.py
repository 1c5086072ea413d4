"""Staff write plans for their own division: from scratch, or from a template (the city's plan for
a county's own measures, as 004 asks every county to write them); then its targets one by one
(add, change, remove: the same rules as the data files, through plans.check_target).

Every write here is the plan's owners' (permissions.can_manage), checked before anything changes,
audited, and refused whole when any rule fails."""

import secrets
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import audit, scoping
from quanmin.core import indicators
from quanmin.regions import codes
from quanmin.regions.models import Region

from .. import deadlines, measures, permissions
from .. import units as unit_names
from ..errors import PlanningError
from ..models import Phase, Plan, Target, TaskEntry, TaskItem, TaskPeriod, TaskUnit
from . import plans as plan_rules
from .tasks import ensure_periods, periods_for


def _key(division_code: str, starts_on) -> str:
    return f"{codes.prefix(division_code)}-{starts_on.year}-{secrets.token_hex(3)}"


@transaction.atomic
def create_plan(user, data: dict, *, template: Plan | None = None) -> Plan:
    code = (data.get("division_code") or "").strip()
    try:
        code = codes.normalise(code)
    except ValueError:
        raise PlanningError("plan_division_code", _("Not a division code."), "division_code")
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise PlanningError("plan_division_code", _("Not a division code."), "division_code")
    if not scoping.can_write_region(user, code):
        raise PlanningError("plan_not_yours", _("Staff write plans for their own divisions only."), "division_code",
                            status=403)
    title = (data.get("title") or "").strip()
    if not title:
        raise PlanningError("plan_title_missing", _("Give the plan a title."), "title")
    plan_rules.check_period(data["starts_on"], data["ends_on"])
    plan = Plan.objects.create(
        key=_key(code, data["starts_on"]), title=title[:200], issuer=(data.get("issuer") or "")[:100],
        document_number=(data.get("document_number") or "")[:60], division_code=code, division_name=region.name,
        starts_on=data["starts_on"], ends_on=data["ends_on"], created_by=user, quote=title[:200],
        convention=template.convention if template else Plan.Convention.LEAD_RESPONSIBLE,
        source=(_("Written from the template “%(title)s”.") % {"title": template.title}) if template else "",
    )
    if template is not None:
        _copy(template, plan, region.level)
        ensure_periods(plan)
    return plan


def _copy(template: Plan, plan: Plan, level: str) -> None:
    """The template's targets (moved down to the new division's level where they stood above it,
    deadlines kept inside the new plan's period) and its tasks with their units."""
    order = list(codes.LEVELS)
    for t in template.targets.all():
        target = Target(
            plan=plan, key=t.key, order=t.order, name=t.name, comparator=t.comparator, value=t.value, unit=t.unit,
            unit_text=t.unit_text, year=min(max(t.year, plan.starts_on.year), plan.ends_on.year),
            implied_year=t.implied_year, each=t.each, subject=t.subject, kind=t.kind, indicator=t.indicator,
            quote=t.quote,
            level=t.level if level not in order or order.index(t.level) >= order.index(level) else level,
        )
        target.deadline = min(max(t.deadline, plan.starts_on), plan.ends_on)
        target.year = target.deadline.year
        if target.each and target.level == level:
            target.each = False
        try:
            plan_rules.check_target(plan, target)
        except PlanningError:
            target.indicator = ""  # the indicator is not computed at the new level: figures by hand
        target.save()
    cache = {}
    for task in template.tasks.prefetch_related("units__department"):
        copy = TaskItem.objects.create(
            plan=plan, number=task.number, order=task.order, group=task.group, subgroup=task.subgroup,
            title=task.title, content=task.content, deadline_text=task.deadline_text,
            deadline=min(max(task.deadline or plan.ends_on, plan.starts_on), plan.ends_on),
            recurrence=task.recurrence, quote=task.quote)
        TaskUnit.objects.bulk_create([
            TaskUnit(task=copy, role=u.role, order=u.order,
                     department=plan_rules.department(plan.division_code, u.department.name, cache))
            for u in task.units.all()])


PLAN_FIELDS = {"title": 200, "issuer": 100, "document_number": 60}


@transaction.atomic
def update_plan(user, plan: Plan, data: dict, *, request=None) -> Plan:
    """The plan's owners change its title, issuer, document number, date of issue and period: the
    period must still hold every target's deadline that lies in it (a target due before the new
    start is refused, as when it is written)."""
    if not permissions.can_manage(user, plan):
        raise PlanningError("plan_not_yours", _("Only the plan's owners change it."), status=403)
    changed = []
    for name, length in PLAN_FIELDS.items():
        if name in data and data[name] is not None:
            value = " ".join(str(data[name]).split())[:length]
            if name == "title" and not value:
                raise PlanningError("plan_title_missing", _("Give the plan a title."), "title")
            if value != getattr(plan, name):
                setattr(plan, name, value)
                changed.append(name)
    for name in ("issued_on", "starts_on", "ends_on"):
        if name in data and (data[name] is not None or name == "issued_on") and data[name] != getattr(plan, name):
            setattr(plan, name, data[name])
            changed.append(name)
    plan_rules.check_period(plan.starts_on, plan.ends_on)
    check_phases_inside(plan)
    early = plan.targets.filter(deadline__lt=plan.starts_on).first()
    if early is not None:
        raise PlanningError("target_deadline_before_plan", _("A target's deadline cannot be before the plan starts."),
                            "starts_on", detail={"target": early.key})
    if changed:
        plan.save(update_fields=[*changed, "updated_at"])
        audit.record("update", request=request, actor=user, obj=plan, region_code=plan.division_code,
                     detail={"fields": changed})
    return plan


def indicator_choices(target: Target) -> list:
    """The registry's indicators that measure the target's unit at the level it is computed at."""
    plan = target.plan
    level = target.level if target.each else codes.level(plan.division_code)
    return [found for found in indicators.registry().values()
            if measures.compatible(target.unit, found.unit) and level in found.levels]


@transaction.atomic
def bind_indicator(user, target: Target, key: str, *, request=None) -> Target:
    """Bind the target to an indicator of the registry (its values then come from the registers) or,
    with an empty key, unbind it (figures are then entered by hand): the plan's owners only, an
    indicator of the target's unit and level only."""
    if not permissions.can_manage(user, target.plan):
        raise PlanningError("plan_not_yours", _("Only the plan's owners change it."), status=403)
    key = (key or "").strip()[:60]
    before = target.indicator
    target.indicator = key
    plan_rules.check_target(target.plan, target)
    if key != before:
        target.save(update_fields=["indicator"])
        audit.record("update", request=request, actor=user, obj=target.plan, region_code=target.plan.division_code,
                     detail={"target": target.key, "indicator": key, "was": before})
    return target


@transaction.atomic
def mark_core_indicator(user, target: Target, core: bool, *, request=None) -> Target:
    """Mark the target as a core indicator of economic and social development (纳入经济社会发展核心指标
    体系), or take the mark off: the plan's owners only. An unchanged mark writes nothing."""
    if not permissions.can_manage(user, target.plan):
        raise PlanningError("plan_not_yours", _("Only the plan's owners change it."), status=403)
    core = bool(core)
    if Target.objects.filter(pk=target.pk, core_indicator=core).exists():
        target.core_indicator = core
        return target
    target.core_indicator = core
    target.save(update_fields=["core_indicator"])
    audit.record("update", request=request, actor=user, obj=target.plan, region_code=target.plan.division_code,
                 detail={"target": target.key, "core_indicator": core})
    return target


def fitting_indicators(plan: Plan) -> list:
    """The registry's indicators computed at the plan's level or below it, by label: those a target of
    the plan could be bound to (check_target then holds the chosen one to the target's unit and level)."""
    order = list(codes.LEVELS)
    level = codes.level(plan.division_code)
    below = set(order[order.index(level):]) if level in order else set(order)
    return sorted((found for found in indicators.registry().values() if below & set(found.levels)),
                  key=lambda found: str(found.label))


def _owned(user, plan: Plan) -> Plan:
    """The plan, locked for the write, if the user owns it; refused otherwise."""
    if not permissions.can_manage(user, plan):
        raise PlanningError("plan_not_yours", _("Only the plan's owners change it."), status=403)
    return Plan.objects.select_for_update().get(pk=plan.pk)


def _text(data: dict, name: str, length: int, *, required=None) -> str:
    """A text field, spaces collapsed; refused when too long, or empty where `required` says why."""
    value = " ".join(str(data.get(name) or "").split())
    if len(value) > length:
        raise PlanningError("text_too_long", _("The text is too long."), name)
    if not value and required:
        raise PlanningError(required[0], required[1], name)
    return value


def _flag(value) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "on", "yes")


TARGET_TEXTS = {"unit_text": 40, "subject": 120, "indicator": 60}
TARGET_CHOICES = ("comparator", "unit", "level", "kind")


def _apply_target(plan: Plan, target: Target, data: dict) -> list[str]:
    """Write `data` (any of the target's fields) onto the unsaved target and check every rule;
    answer the fields that changed. Nothing is saved here."""
    before = {f: getattr(target, f) for f in (*TARGET_FIELDS, "deadline")}
    if "key" in data:
        key = _text(data, "key", 20)
        if not key or any(c.isspace() for c in key):
            raise PlanningError("target_key", _("Give the target a short key without spaces (T1-01)."), "key")
        target.key = key
    if "name" in data:
        target.name = _text(data, "name", 120, required=("target_name_missing", _("Give the target a name.")))
    if "quote" in data:
        target.quote = _text(data, "quote", 200, required=(
            "target_quote_missing", _("Give the target's words as the plan writes them.")))
    for name, length in TARGET_TEXTS.items():
        if name in data:
            setattr(target, name, _text(data, name, length))
    for name in TARGET_CHOICES:
        if name in data:
            setattr(target, name, str(data[name] or "").strip())
    for name in ("each", "implied_year"):
        if name in data:
            setattr(target, name, _flag(data[name]))
    if "value" in data:
        target.value = plan_rules.decimal_or_none(data["value"])
    if "order" in data and data["order"] not in (None, ""):
        try:
            target.order = int(data["order"])
        except (TypeError, ValueError):
            raise PlanningError("not_a_number", _("Not a number."), "order")
        if not 0 < target.order < 1000:
            raise PlanningError("target_order", _("The order is a number from 1 to 999."), "order")
    _apply_deadline(target, data)
    if not target.name:
        raise PlanningError("target_name_missing", _("Give the target a name."), "name")
    if not target.quote:
        raise PlanningError("target_quote_missing", _("Give the target's words as the plan writes them."), "quote")
    bad = plan_rules.bad_choice(target)
    if bad is not None:
        raise PlanningError("target_bad_choice", _("Choose one of the values offered."), bad[0],
                            detail={"value": bad[1][:40]})
    if target.each and target.level == codes.level(plan.division_code):
        raise PlanningError("target_each_own_level",
                            _("“Every division must meet it” needs a level below the plan's own."), "each")
    if target.comparator in (Target.Comparator.ACHIEVED, Target.Comparator.INCREASE):
        target.value = None
    clash = plan.targets.filter(key=target.key).exclude(pk=target.pk).exists()
    if clash:
        raise PlanningError("target_key_taken", _("The plan has a target with that key already."), "key",
                            detail={"target": target.key})
    plan_rules.check_target(plan, target)
    return [f for f, was in before.items() if getattr(target, f) != was]


def _apply_deadline(target: Target, data: dict) -> None:
    """The deadline (a date) or the year (its last day); both given, they must agree."""
    deadline = data.get("deadline") or None
    year = data.get("year")
    if year not in (None, ""):
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise PlanningError("not_a_number", _("Not a number."), "year")
        if not 1900 < year < 2200:
            raise PlanningError("target_year", _("The year is not one a plan runs in."), "year")
    else:
        year = None
    if deadline is not None:
        if not isinstance(deadline, date):
            raise PlanningError("not_a_date", _("Not a date."), "deadline")
        if year is not None and year != deadline.year:
            raise PlanningError("target_year_deadline", _("The deadline falls in another year than the year given."),
                                "deadline")
        target.deadline, target.year = deadline, deadline.year
    elif year is not None:
        target.deadline, target.year = date(year, 12, 31), year
    elif target.deadline is None:
        raise PlanningError("target_deadline_missing", _("Give the target's year or deadline."), "year")


TARGET_FIELDS = ("key", "order", "name", "comparator", "value", "unit", "unit_text", "year", "implied_year", "level",
                 "each", "subject", "kind", "indicator", "quote")


def _next_key(plan: Plan) -> str:
    taken = set(plan.targets.values_list("key", flat=True))
    number = len(taken) + 1
    while f"T{number:02d}" in taken:
        number += 1
    return f"T{number:02d}"


@transaction.atomic
def add_target(user, plan: Plan, data: dict, *, request=None) -> Target:
    """A new target of the plan, last in its order unless `order` says where; `key` made when not
    given. Refused whole when any rule of a target fails (plans.check_target and the choices)."""
    plan = _owned(user, plan)
    target = Target(plan=plan, key=_next_key(plan), deadline=None, year=None,
                    order=(plan.targets.aggregate(last=Max("order"))["last"] or 0) + 1,
                    comparator=Target.Comparator.AT_LEAST, unit="count", level=codes.level(plan.division_code),
                    kind=Target.Kind.COUNT)
    if not data.get("key"):
        data = {k: v for k, v in data.items() if k != "key"}
    _apply_target(plan, target, {"name": "", "quote": "", **data})
    target.save()
    audit.record("planning.target_add", request=request, actor=user, obj=plan, region_code=plan.division_code,
                 detail={"target": target.key, "name": target.name})
    return target


@transaction.atomic
def update_target(user, target: Target, data: dict, *, request=None) -> Target:
    """Change any of the target's fields (those `data` holds); the same rules as a new target."""
    plan = _owned(user, target.plan)
    target = Target.objects.select_for_update().get(pk=target.pk)
    changed = _apply_target(plan, target, data)
    if changed:
        target.save()
        audit.record("planning.target_update", request=request, actor=user, obj=plan,
                     region_code=plan.division_code, detail={"target": target.key, "fields": changed})
    return target


def referrers(obj, *, own=()) -> list[str]:
    """What refers to `obj` (the translated plural names of the records that do), leaving out the
    models in `own`: the parts that go with it."""
    found = []
    for relation in obj._meta.related_objects:
        model = relation.related_model
        if model in own:
            continue
        if model._default_manager.filter(**{relation.field.name: obj}).exists():
            found.append(str(model._meta.verbose_name_plural))
    return found


def _refuse_if_referred(code: str, message, found: list[str], what: str) -> None:
    if found:
        raise PlanningError(code, message % {"records": "、".join(found)}, status=409,
                            detail={what: found})


@transaction.atomic
def remove_target(user, target: Target, *, request=None) -> None:
    """Remove a target nothing refers to: a target with figures entered, evaluation items, visits,
    findings or special evaluations stays (it is their record)."""
    plan = _owned(user, target.plan)
    _refuse_if_referred("target_in_use", _("The target cannot be removed: %(records)s refer to it."),
                        referrers(target), "referred_by")
    key, name = target.key, target.name
    target.delete()
    audit.record("planning.target_remove", request=request, actor=user, obj=plan, region_code=plan.division_code,
                 detail={"target": key, "name": name})


# Phases (启动阶段, 实施阶段, 提升阶段: D15): each inside the plan's period, none overlapping another,
# numbered in the order of their dates.

def _apply_phase(plan: Plan, phase: Phase, data: dict) -> list[str]:
    before = {f: getattr(phase, f) for f in ("name", "starts_on", "ends_on", "quote")}
    if "name" in data:
        phase.name = _text(data, "name", 60, required=("phase_name_missing", _("Give the phase a name.")))
    if "quote" in data:
        phase.quote = _text(data, "quote", 200)
    for name in ("starts_on", "ends_on"):
        if name in data:
            if not isinstance(data[name], date):
                raise PlanningError("phase_dates_missing", _("Give the phase's first and last day."), name)
            setattr(phase, name, data[name])
    if not phase.name:
        raise PlanningError("phase_name_missing", _("Give the phase a name."), "name")
    if phase.starts_on is None or phase.ends_on is None:
        raise PlanningError("phase_dates_missing", _("Give the phase's first and last day."), "starts_on")
    if phase.ends_on < phase.starts_on:
        raise PlanningError("phase_period_reversed", _("A phase cannot end before it starts."), "ends_on")
    if phase.starts_on < plan.starts_on or phase.ends_on > plan.ends_on:
        raise PlanningError("phase_outside_plan", _("A phase lies inside the plan's period."), "starts_on")
    overlap = plan.phases.exclude(pk=phase.pk).filter(starts_on__lte=phase.ends_on, ends_on__gte=phase.starts_on).first()
    if overlap is not None:
        raise PlanningError("phase_overlap", _("The phase overlaps “%(name)s”.") % {"name": overlap.name}, "starts_on",
                            detail={"phase": overlap.pk})
    return [f for f, was in before.items() if getattr(phase, f) != was]


def _renumber_phases(plan: Plan) -> None:
    """Number the plan's phases 1, 2, 3… in the order of their dates (through numbers above any in
    use, as (plan, order) is unique)."""
    phases = list(plan.phases.order_by("starts_on", "pk"))
    top = max([p.order for p in phases] + [0]) + 1
    for step, phase in enumerate(phases):
        phase.order = top + step
    Phase.objects.bulk_update(phases, ["order"])
    for step, phase in enumerate(phases, start=1):
        phase.order = step
    Phase.objects.bulk_update(phases, ["order"])


@transaction.atomic
def add_phase(user, plan: Plan, data: dict, *, request=None) -> Phase:
    plan = _owned(user, plan)
    phase = Phase(plan=plan, order=0, name="", starts_on=None, ends_on=None)
    _apply_phase(plan, phase, {"name": "", **data})
    phase.order = 32000
    phase.save()
    _renumber_phases(plan)
    phase.refresh_from_db()
    audit.record("planning.phase_add", request=request, actor=user, obj=plan, region_code=plan.division_code,
                 detail={"phase": phase.name, "starts_on": str(phase.starts_on), "ends_on": str(phase.ends_on)})
    return phase


@transaction.atomic
def update_phase(user, phase: Phase, data: dict, *, request=None) -> Phase:
    plan = _owned(user, phase.plan)
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    changed = _apply_phase(plan, phase, data)
    if changed:
        phase.save()
        _renumber_phases(plan)
        phase.refresh_from_db()
        audit.record("planning.phase_update", request=request, actor=user, obj=plan, region_code=plan.division_code,
                     detail={"phase": phase.name, "fields": changed})
    return phase


@transaction.atomic
def remove_phase(user, phase: Phase, *, request=None) -> None:
    plan = _owned(user, phase.plan)
    name = phase.name
    phase.delete()
    _renumber_phases(plan)
    audit.record("planning.phase_remove", request=request, actor=user, obj=plan, region_code=plan.division_code,
                 detail={"phase": name})


def check_phases_inside(plan: Plan) -> None:
    """The plan's period still holds every phase (when the period changes)."""
    outside = plan.phases.exclude(starts_on__gte=plan.starts_on, ends_on__lte=plan.ends_on).first()
    if outside is not None:
        raise PlanningError("phase_outside_plan", _("A phase lies inside the plan's period."), "starts_on",
                            detail={"phase": outside.name})


# Tasks one at a time (a plan's 任务书 written on the platform, beside the Excel import): the units by
# department (the division's register, a new name registered as the importer does), the deadline as
# the importer reads it (2025年底前, 每年, 持续实施), the priority order (优先序: 1 first).

UNIT_FIELDS = (("lead", TaskUnit.Role.LEAD), ("responsible", TaskUnit.Role.RESPONSIBLE),
               ("cooperating", TaskUnit.Role.COOPERATING))
TASK_TEXTS = {"group": 120, "subgroup": 200, "content": 4000}


def _names(value) -> list[str]:
    """Unit names from a cell as offices write it (split as the importer splits) or from a list."""
    if isinstance(value, str):
        return unit_names.split(value)
    return list(dict.fromkeys(" ".join(str(v).split()) for v in value or [] if str(v).strip()))


def _apply_task(plan: Plan, task: TaskItem, data: dict) -> tuple[list[str], list | None]:
    """Write `data` onto the unsaved task and check it; answer the fields that changed and the units
    ([(role, name)], None when `data` names none)."""
    before = {f: getattr(task, f) for f in TASK_FIELDS}
    if "number" in data:
        number = _text(data, "number", 20)
        if not number:
            raise PlanningError("task_number_missing", _("Give the task a number."), "number")
        task.number = number
    if "title" in data:
        task.title = _text(data, "title", 200, required=("task_title_missing", _("Give the task a title.")))
    for name, length in TASK_TEXTS.items():
        if name in data:
            value = str(data.get(name) or "").strip()
            if len(value) > length:
                raise PlanningError("text_too_long", _("The text is too long."), name)
            setattr(task, name, value)
    if "deadline_text" in data:
        task.deadline_text = _text(data, "deadline_text", 60)
        try:
            deadline, task.recurrence = deadlines.parse(task.deadline_text)
        except ValueError:
            raise PlanningError("task_deadline_unreadable", _("The deadline cannot be read."), "deadline_text")
        task.deadline = deadline or plan.ends_on
    if data.get("recurrence") not in (None, ""):
        if data["recurrence"] not in TaskItem.Recurrence.values:
            raise PlanningError("task_bad_recurrence", _("Choose one of the values offered."), "recurrence")
        task.recurrence = data["recurrence"]
    if "priority" in data:
        task.priority = _priority(data["priority"])
    if task.deadline is None:
        task.deadline = plan.ends_on
    if task.deadline < plan.starts_on:
        raise PlanningError("task_deadline_before_plan", _("A task's deadline cannot be before the plan starts."),
                            "deadline_text")
    if not task.title:
        raise PlanningError("task_title_missing", _("Give the task a title."), "title")
    task.quote = task.quote or task.title
    if plan.tasks.filter(number=task.number).exclude(pk=task.pk).exists():
        raise PlanningError("task_number_taken", _("The plan has a task with that number already."), "number")
    units = None
    if any(field in data for field, _role in UNIT_FIELDS):
        current = list(task.units.select_related("department")) if task.pk else []
        units, seen = [], set()
        for field, role in UNIT_FIELDS:
            names = _names(data[field]) if field in data else [u.department.name for u in current if u.role == role]
            for name in names:
                if len(name) > 80:
                    raise PlanningError("task_unit_too_long", _("A unit name is longer than 80 characters."), field)
                if name not in seen:
                    seen.add(name)
                    units.append((role, name))
        if not units:
            raise PlanningError("task_without_unit", _("A task needs at least one unit."), "lead")
        for field, role in UNIT_FIELDS:
            setattr(task, f"{field}_text", "、".join(n for r, n in units if r == role)[:200 if field == "lead" else 4000])
    changed = [f for f, was in before.items() if getattr(task, f) != was]
    return changed, units


TASK_FIELDS = ("number", "title", "group", "subgroup", "content", "deadline_text", "deadline", "recurrence",
               "priority", "lead_text", "responsible_text", "cooperating_text")


def _priority(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        found = int(value)
    except (TypeError, ValueError):
        raise PlanningError("not_a_number", _("Not a number."), "priority")
    if not 0 < found < 100:
        raise PlanningError("task_priority", _("The priority is a number from 1 (first) to 99."), "priority")
    return found


def _write_units(plan: Plan, task: TaskItem, units: list) -> None:
    cache: dict = {}
    task.units.all().delete()
    TaskUnit.objects.bulk_create([
        TaskUnit(task=task, role=role, order=order, department=plan_rules.department(plan.division_code, name, cache))
        for order, (role, name) in enumerate(units, start=1)])


def _sync_periods(task: TaskItem) -> None:
    """The task's periods as its deadline and recurrence now say: due days moved, periods of years it
    no longer runs in removed unless someone reported in them, missing ones made."""
    wanted = dict(periods_for(task, task.plan))
    for period in task.periods.all():
        if period.year in wanted:
            if period.due_on != wanted[period.year]:
                period.due_on = wanted[period.year]
                period.save(update_fields=["due_on", "updated_at"])
        elif period.status == TaskPeriod.Status.OPEN and not period.entries.exists():
            period.delete()
    ensure_periods(task.plan)


def _next_number(plan: Plan) -> str:
    taken = set(plan.tasks.values_list("number", flat=True))
    number = len(taken) + 1
    while str(number) in taken:
        number += 1
    return str(number)


@transaction.atomic
def add_task(user, plan: Plan, data: dict, *, request=None) -> TaskItem:
    """A new task of the plan, last in its order; `number` made when not given."""
    plan = _owned(user, plan)
    task = TaskItem(plan=plan, number=_next_number(plan), title="", quote="",
                    order=(plan.tasks.aggregate(last=Max("order"))["last"] or 0) + 1)
    if not data.get("number"):
        data = {k: v for k, v in data.items() if k != "number"}
    _changed, units = _apply_task(plan, task, {"title": "", "lead": [], **data})
    task.save()
    _write_units(plan, task, units)
    _sync_periods(task)
    audit.record("planning.task_add", request=request, actor=user, obj=plan, region_code=plan.division_code,
                 detail={"task": task.number, "title": task.title})
    return task


@transaction.atomic
def update_task(user, task: TaskItem, data: dict, *, request=None) -> TaskItem:
    """Change any of the task's fields (those `data` holds); its units when `data` names any."""
    plan = _owned(user, task.plan)
    task = TaskItem.objects.select_for_update().select_related("plan").get(pk=task.pk)
    changed, units = _apply_task(plan, task, data)
    if units is not None and [(u.role, u.department.name) for u in task.units.select_related("department")] != units:
        changed.append("units")
    if changed:
        task.save()
        if units is not None:
            _write_units(plan, task, units)
        _sync_periods(task)
        audit.record("planning.task_update", request=request, actor=user, obj=plan, region_code=plan.division_code,
                     detail={"task": task.number, "fields": changed})
    return task


@transaction.atomic
def remove_task(user, task: TaskItem, *, request=None) -> None:
    """Remove a task nothing refers to: one reported on, assessed, decided at a joint meeting, visited
    or evaluated stays (it is their record)."""
    plan = _owned(user, task.plan)
    found = referrers(task, own={TaskUnit, TaskPeriod})
    if TaskEntry.objects.filter(period__task=task).exists():
        found.append(str(TaskEntry._meta.verbose_name_plural))
    _refuse_if_referred("task_in_use", _("The task cannot be removed: %(records)s refer to it."), found, "referred_by")
    number, title = task.number, task.title
    task.delete()
    audit.record("planning.task_remove", request=request, actor=user, obj=plan, region_code=plan.division_code,
                 detail={"task": number, "title": title})
