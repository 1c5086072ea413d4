"""Staff write plans for their own division: from scratch, or from a template (the city's plan for
a county's own measures, as 004 asks every county to write them)."""

import secrets

from django.db import transaction
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
