"""Figures entered by hand for targets no register computes, and their approval (four eyes)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import scoping
from quanmin.core import indicators
from quanmin.regions import codes

from ..errors import PlanningError
from ..models import Target, TargetFigure
from . import evidence as evidence_rules
from . import plans as plan_rules


def can_enter(user, target: Target, division_code: str) -> bool:
    return scoping.can_write_region(user, division_code) and codes.contains(target.plan.division_code, division_code)


@transaction.atomic
def enter(user, target: Target, *, division_code: str, as_of: date, value, note: str = "", evidence=None) -> TargetFigure:
    division_code = (division_code or target.plan.division_code).strip()
    if not codes.is_code(division_code) or not codes.contains(target.plan.division_code, division_code):
        raise PlanningError("figure_division", _("The division is not under the plan's division."), "division_code")
    if not can_enter(user, target, division_code):
        raise PlanningError("figure_not_yours", _("Only staff of the division enter its figures."), status=403)
    if target.indicator in indicators.registry():
        raise PlanningError("target_computed", _("This target is computed from the registers; figures are not entered by hand."),
                            "value")
    if as_of is None or as_of > timezone.localdate():
        raise PlanningError("figure_date", _("A figure stands for a day that has come."), "as_of")
    value = plan_rules.decimal_or_none(value)
    if value is None:
        raise PlanningError("target_value_missing", _("A target that compares needs a value."), "value")
    if target.kind == Target.Kind.YES_NO and value not in (0, 1):
        raise PlanningError("figure_yes_no", _("A yes-or-no target takes 1 (achieved) or 0 (not yet)."), "value")
    evidence = evidence_rules.check(evidence, required=True)
    return TargetFigure.objects.create(target=target, division_code=division_code, as_of=as_of, value=value,
                                       note=(note or "").strip()[:300], evidence=evidence, entered_by=user)


@transaction.atomic
def decide(user, figure: TargetFigure, *, approve: bool, note: str = "") -> TargetFigure:
    figure = TargetFigure.objects.select_for_update().select_related("target__plan").get(pk=figure.pk)
    if not scoping.can_write_region(user, figure.target.plan.division_code):
        raise PlanningError("plan_not_yours", _("Only the plan's owners approve its figures."), status=403)
    if figure.entered_by_id == user.pk:
        raise PlanningError("figure_own", _("Someone other than the person who entered a figure approves it."), status=403)
    if figure.status != TargetFigure.Status.PENDING:
        raise PlanningError("figure_decided", _("This figure was already decided."), status=409)
    figure.status = TargetFigure.Status.APPROVED if approve else TargetFigure.Status.REJECTED
    figure.decided_by = user
    figure.decided_at = timezone.now()
    figure.decision_note = (note or "").strip()[:300]
    figure.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return figure
