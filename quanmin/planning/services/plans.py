"""Plans and their targets: the checks every way of writing them shares (data files, pages, API)."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from quanmin.core import indicators
from quanmin.core.errors import NotFound
from quanmin.regions import codes

from .. import measures
from ..errors import PlanningError
from ..models import Department, Plan, Target
from ..units import is_division_group


def check_period(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise PlanningError("plan_period_reversed", _("A plan cannot end before it starts."), "ends_on")


CHOICE_FIELDS = ("comparator", "unit", "level", "kind")


def bad_choice(target: Target) -> tuple[str, str] | None:
    """(field, value) of the first of the target's choice fields holding a value it cannot take."""
    for field in CHOICE_FIELDS:
        allowed = {value for value, _label in Target._meta.get_field(field).choices}
        if getattr(target, field) not in allowed:
            return field, getattr(target, field)
    return None


def check_target(plan: Plan, target: Target) -> None:
    """The rules of a target, whoever writes it: a deadline inside the plan's reach, a value the
    comparator can use, a level at or under the plan's division, an indicator that measures the
    target's unit at its level."""
    if target.deadline < plan.starts_on:
        raise PlanningError("target_deadline_before_plan",
                            _("A target's deadline cannot be before the plan starts."), "deadline",
                            detail={"target": target.key})
    if target.comparator == Target.Comparator.ACHIEVED:
        if target.kind != Target.Kind.YES_NO:
            raise PlanningError("target_comparator_kind",
                                _("Only a yes-or-no target is met by being achieved."), "comparator",
                                detail={"target": target.key})
    elif target.value is None and target.comparator != Target.Comparator.INCREASE:
        raise PlanningError("target_value_missing", _("A target that compares needs a value."), "value",
                            detail={"target": target.key})
    plan_level = codes.level(plan.division_code)
    order = list(codes.LEVELS)
    if plan_level in order and order.index(target.level) < order.index(plan_level):
        raise PlanningError("target_level_above_plan",
                            _("A target cannot apply above the plan's own division."), "level",
                            detail={"target": target.key})
    if target.indicator:
        try:
            found = indicators.get(target.indicator)
        except NotFound:
            raise PlanningError("target_indicator_unknown", _("There is no indicator of that name."), "indicator",
                                detail={"target": target.key})
        if not measures.compatible(target.unit, found.unit):
            raise PlanningError("target_indicator_unit",
                                _("The indicator measures another unit than the target."), "indicator",
                                detail={"target": target.key, "indicator_unit": found.unit})
        level = target.level if target.each else plan_level
        if level not in found.levels:
            raise PlanningError("target_indicator_level",
                                _("The indicator is not computed at the target's level."), "indicator",
                                detail={"target": target.key})


def decimal_or_none(value, field: str = "value") -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        found = Decimal(str(value))
    except InvalidOperation:
        raise PlanningError("not_a_number", _("Not a number."), field)
    if not found.is_finite() or abs(found) >= Decimal("1e10"):
        raise PlanningError("not_a_number", _("Not a number."), field)
    return found


def department(division_code: str, name: str, cache: dict | None = None) -> Department:
    """The division's department of that name, registered the first time a task names it."""
    key = (division_code, name)
    if cache is not None and key in cache:
        return cache[key]
    kind = Department.Kind.DIVISIONS if is_division_group(name) else Department.Kind.DEPARTMENT
    found, _created = Department.objects.get_or_create(division_code=division_code, name=name,
                                                       defaults={"kind": kind})
    if cache is not None:
        cache[key] = found
    return found
