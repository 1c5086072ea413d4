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

from .. import measures, permissions
from ..errors import PlanningError
from ..models import Plan, Target, TaskItem, TaskUnit
from . import plans as plan_rules
from .tasks import ensure_periods


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

