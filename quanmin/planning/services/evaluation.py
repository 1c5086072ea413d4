"""Performance evaluation (绩效评估): the plan's owners set its indicator system with weights, open
an evaluation (annual, mid-term or final, by the plan's phases) and approve each county's result;
evaluators score the entered items of the counties in their scope, with evidence; a third party's
people score beside them. Every write checks and acts under the county's row lock, so a score and
an approval of the same county never cross: once approved, nothing of the county changes."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import audit
from quanmin.accounts.models import Membership, Role, User
from quanmin.accounts.services import grant_membership, revoke_membership
from quanmin.regions.models import Region

from .. import permissions, scoring, selectors_evaluation
from ..errors import PlanningError
from ..models import CountyScore, Evaluation, EvaluationItem, ItemScore, Plan
from . import evidence as evidence_rules
from .plans import decimal_or_none

MAX_ITEMS = 50


def _owner(user, plan: Plan) -> None:
    if not permissions.can_manage(user, plan):
        raise PlanningError("plan_not_yours", _("Only the plan's owners change it."), status=403)


def _approved_any(plan: Plan) -> bool:
    return CountyScore.objects.filter(evaluation__plan=plan, status=CountyScore.Status.APPROVED).exists()


@transaction.atomic
def set_items(user, plan: Plan, items: list[dict], *, request=None) -> list[EvaluationItem]:
    """Replace the plan's indicator system with `items` (each: name, weight, method, target — a key
    of the plan's targets, needed when computed — and criteria), in order. The weights sum to 100.
    Items keep their scores when their name stays; the system is fixed once a result is approved."""
    _owner(user, plan)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    if _approved_any(plan):
        raise PlanningError("evaluation_system_fixed",
                            _("A county's result was approved under this system: it can no longer change."), status=409)
    if not items or len(items) > MAX_ITEMS:
        raise PlanningError("evaluation_items_count", _("The system has 1 to 50 items."), "items")
    targets = {t.key: t for t in plan.targets.all()}
    rows, names, weights = [], set(), Decimal(0)
    for position, raw in enumerate(items, start=1):
        detail = {"item": position}
        name = " ".join(str(raw.get("name") or "").split())
        if not name or len(name) > 120:
            raise PlanningError("evaluation_item_name", _("An item's name has 1 to 120 characters."), "name",
                                detail=detail)
        if name in names:
            raise PlanningError("evaluation_item_twice", _("Two items have the same name."), "name", detail=detail)
        names.add(name)
        weight = decimal_or_none(raw.get("weight"), "weight")
        if weight is None or not Decimal(0) < weight <= 100 or weight != weight.quantize(scoring.CENT):
            raise PlanningError("evaluation_item_weight",
                                _("An item weighs more than 0 and at most 100 points, to two decimals."), "weight",
                                detail=detail)
        weights += weight
        method = str(raw.get("method") or "")
        if method not in EvaluationItem.Method.values:
            raise PlanningError("evaluation_item_method", _("Say whether the item is computed or scored by the evaluator."),
                                "method", detail=detail)
        key = str(raw.get("target") or "").strip()
        target = targets.get(key) if key else None
        if key and target is None:
            raise PlanningError("evaluation_item_target", _("The plan has no target of that key."), "target",
                                detail=detail)
        if method == EvaluationItem.Method.COMPUTED and target is None:
            raise PlanningError("evaluation_item_target", _("A computed item names the plan's target it is computed from."),
                                "target", detail=detail)
        criteria = " ".join(str(raw.get("criteria") or "").split())
        if len(criteria) > 300:
            raise PlanningError("evaluation_item_criteria", _("A scoring rule has at most 300 characters."), "criteria",
                                detail=detail)
        rows.append((position, name, weight, method, target, criteria))
    if weights != 100:
        raise PlanningError("evaluation_weights_sum", _("The weights add up to %(sum)s; they must add up to 100.")
                            % {"sum": f"{weights.normalize():f}"}, "weight", detail={"sum": str(weights)})
    existing = {i.name: i for i in EvaluationItem.objects.filter(plan=plan)}
    EvaluationItem.objects.filter(plan=plan).exclude(name__in=names).delete()
    saved = []
    for position, name, weight, method, target, criteria in rows:
        item = existing.get(name) or EvaluationItem(plan=plan, name=name)
        item.order, item.weight, item.method, item.target, item.criteria = position, weight, method, target, criteria
        item.save()
        saved.append(item)
    audit.record("set_rule", request=request, actor=user, obj=plan, region_code=plan.division_code,
                 detail={"evaluation_items": len(saved)})
    return saved


def midterm_years(plan: Plan) -> list[int]:
    """The years a mid-term evaluation may fall in: the end of every phase but the last, or, for a
    plan without phases, its middle year (none for a plan of a year or two)."""
    phases = list(plan.phases.order_by("order"))
    if len(phases) >= 2:
        return sorted({p.ends_on.year for p in phases[:-1]})
    first, last = plan.starts_on.year, plan.ends_on.year
    middle = first + (last - first) // 2
    return [middle] if first < middle < last else []


def check_kind_year(plan: Plan, kind: str, year: int, today: date) -> None:
    if kind not in Evaluation.Kind.values:
        raise PlanningError("evaluation_kind", _("An evaluation is annual, mid-term or final."), "kind")
    if not plan.starts_on.year <= year <= plan.ends_on.year:
        raise PlanningError("evaluation_year", _("The year must fall within the plan's period."), "year")
    if year > today.year:
        raise PlanningError("evaluation_year_ahead", _("A year that has not begun cannot be evaluated."), "year")
    if kind == Evaluation.Kind.FINAL and year != plan.ends_on.year:
        raise PlanningError("evaluation_final_year", _("The final evaluation is of the plan's last year."), "year")
    if kind == Evaluation.Kind.MIDTERM and year not in midterm_years(plan):
        raise PlanningError("evaluation_midterm_year",
                            _("A mid-term evaluation falls at the end of a phase before the last, or mid-way."), "year")


@transaction.atomic
def open_evaluation(user, plan: Plan, *, kind: str, year, third_party: str = "", request=None) -> Evaluation:
    """An evaluation of the plan, with a result to score for each of the plan division's children."""
    _owner(user, plan)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise PlanningError("evaluation_year", _("The year must fall within the plan's period."), "year")
    check_kind_year(plan, kind, year, timezone.localdate())
    if not EvaluationItem.objects.filter(plan=plan).exists():
        raise PlanningError("evaluation_system_missing", _("Set the plan's indicator system first."), "kind", status=409)
    divisions = selectors_evaluation.scored_divisions(plan)
    if not divisions:
        raise PlanningError("evaluation_no_divisions", _("The plan's division has no divisions under it to evaluate."),
                            "kind", status=409)
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(plan=plan, kind=kind, year=year, created_by=user,
                                                   third_party=" ".join((third_party or "").split())[:100])
    except IntegrityError:
        raise PlanningError("evaluation_exists", _("The plan already has this evaluation for that year."), "year",
                            status=409)
    CountyScore.objects.bulk_create([CountyScore(evaluation=evaluation, division_code=code) for code, _n in divisions])
    audit.record("create", request=request, actor=user, obj=evaluation, region_code=plan.division_code)
    return evaluation


def _locked(county: CountyScore) -> CountyScore:
    """The county's row, locked for this transaction; 409 when its result is approved."""
    county = CountyScore.objects.select_for_update().select_related("evaluation__plan").get(pk=county.pk)
    if county.status == CountyScore.Status.APPROVED:
        raise PlanningError("evaluation_approved", _("This county's result is approved: its scores no longer change."),
                            status=409)
    return county


def parse_score(value) -> Decimal:
    found = decimal_or_none(value, "score")
    if found is None or not 0 <= found <= 100:
        raise PlanningError("score_range", _("A score is a number from 0 to 100."), "score")
    if found != found.quantize(scoring.CENT):
        raise PlanningError("score_range", _("A score is a number from 0 to 100."), "score")
    return found


@transaction.atomic
def score(user, county: CountyScore, item: EvaluationItem, *, value, note: str = "", evidence=None,
          third_party: bool = False, request=None) -> ItemScore:
    """The evaluator's (or, with `third_party`, the third party's) score of an item for a county.
    Evaluators score the items not computed, with evidence; the third party any item, evidence if
    they have it. Scoring again replaces the earlier score, until the county's result is approved."""
    evaluation = county.evaluation
    if third_party:
        if not permissions.can_score_third_party(user, evaluation):
            raise PlanningError("evaluation_not_yours", _("Only the evaluation's third-party evaluators score for it."),
                                status=403)
    elif not permissions.can_score(user, county.division_code):
        raise PlanningError("evaluation_not_yours", _("Only an evaluator whose division holds this county scores it."),
                            status=403)
    if item.plan_id != evaluation.plan_id:
        raise PlanningError("evaluation_item_target", _("The item is not of this plan's indicator system."), "item",
                            status=404)
    if item.computed and not third_party:
        raise PlanningError("evaluation_item_computed",
                            _("This item is computed from its target; it is not scored by hand."), "score")
    found = parse_score(value)
    note = (note or "").strip()
    if len(note) > 500:
        raise PlanningError("score_note", _("A note has at most 500 characters."), "note")
    evidence = evidence_rules.check(evidence, required=not third_party)
    county = _locked(county)
    source = ItemScore.Source.THIRD_PARTY if third_party else ItemScore.Source.OFFICIAL
    defaults = {"score": found, "note": note, "scored_by": user}
    if evidence is not None:
        defaults["evidence"] = evidence
    saved, created = ItemScore.objects.update_or_create(county=county, item=item, source=source, defaults=defaults)
    audit.record("create" if created else "update", request=request, actor=user, obj=saved,
                 region_code=county.division_code, detail={"score": str(found), "source": source})
    return saved


@transaction.atomic
def approve(user, county: CountyScore, *, request=None) -> CountyScore:
    """The plan's owners approve a county's result: every entered item scored, the computed ones are
    stored as they stand now, the total frozen. Approved, nothing of it changes again."""
    _owner(user, county.evaluation.plan)
    county = _locked(county)
    evaluation = county.evaluation
    found = selectors_evaluation.results(evaluation, timezone.localdate(), division_codes=[county.division_code])[0]
    if found.missing:
        raise PlanningError("evaluation_scores_missing",
                            _("%(n)s item(s) still wait for the evaluator's score.") % {"n": found.missing}, status=409)
    for row in found.items:
        if row.computed:
            ItemScore.objects.update_or_create(county=county, item=row.item, source=ItemScore.Source.OFFICIAL,
                                               defaults={"value": row.value, "score": row.score, "scored_by": None,
                                                         "note": "", "evidence": ""})
    county.total = found.total
    county.status = CountyScore.Status.APPROVED
    county.approved_by = user
    county.approved_at = timezone.now()
    county.save(update_fields=["total", "status", "approved_by", "approved_at"])
    audit.record("set_status", request=request, actor=user, obj=county, region_code=county.division_code,
                 detail={"status": county.status, "total": str(county.total)})
    return county


def third_party_staff(evaluation: Evaluation):
    return (Membership.objects.filter(role=Role.THIRD_PARTY, target_id=evaluation.pk,
                                      target_type__app_label="planning", target_type__model="evaluation")
            .select_related("user").order_by("created_at", "id"))


@transaction.atomic
def add_third_party(actor, evaluation: Evaluation, user: User, *, request=None) -> Membership:
    """Name a person (the agency's) a third-party evaluator of this evaluation: they see it alone."""
    _owner(actor, evaluation.plan)
    membership = grant_membership(user, Role.THIRD_PARTY, Region.objects.get(pk=evaluation.plan.division_code),
                                  target=evaluation, request=request)
    user.__dict__.pop("_quanmin_memberships", None)
    return membership


@transaction.atomic
def remove_third_party(actor, evaluation: Evaluation, user_id: int, *, request=None) -> bool:
    _owner(actor, evaluation.plan)
    membership = third_party_staff(evaluation).filter(user_id=user_id).first()
    if membership is None:
        return False
    revoke_membership(membership, request=request)
    return True
