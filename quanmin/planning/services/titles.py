"""Titles (G16): a county applies for 体育现代化县（市、区） or 全民健身运动模范县（市、区） in a year,
answers the title's criteria, submits; evaluators score each criterion; the city awards the
title or returns the application with a reason. Every write checks and acts under the
application's row lock, so an answer, a score and a decision never cross; an awarded application
is final. Every write is audited.

    draft ──submit──▶ submitted ──award──▶ awarded
      ▲                  │
      └──── returned ◀───┘ (return, with a reason; the county answers again and resubmits)
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import audit
from quanmin.core.indicators import compute_many
from quanmin.regions import codes
from quanmin.regions.models import Region

from .. import permissions, titles
from ..errors import PlanningError
from ..models import TitleApplication, TitleCriterion

FIRST_YEAR = 2000
MAX_NOTE = 500
CENT = Decimal("0.01")
EDITABLE = (TitleApplication.Status.DRAFT, TitleApplication.Status.RETURNED)


def _note(value, field: str, required: bool = False) -> str:
    text = " ".join(str(value or "").replace("\x00", "").split())
    if required and not text:
        raise PlanningError(f"{field}_required", _("Give the reason."), field)
    if len(text) > MAX_NOTE:
        raise PlanningError(f"{field}_too_long", _("Write at most %(limit)s characters.") % {"limit": MAX_NOTE}, field)
    return text


def _locked(application: TitleApplication) -> TitleApplication:
    return TitleApplication.objects.select_for_update().get(pk=application.pk)


def _state(application: TitleApplication, allowed, message) -> None:
    if application.status not in allowed:
        raise PlanningError("title_application_state", message, "status", status=409,
                            detail={"status": application.status})


def open_application(user, *, title: str, division_code: str, year, request=None) -> TitleApplication:
    """A county's application for a title in a year, with the title's criteria copied in."""
    found = titles.titles().get(str(title or ""))
    if found is None:
        raise PlanningError("title_unknown", _("There is no title of that name."), "title")
    code = str(division_code or "").strip()
    region = Region.objects.filter(code=code, level="county").first() if codes.is_code(code) else None
    if region is None:
        raise PlanningError("title_division", _("A title is applied for by a county (city district)."), "division")
    if not permissions.can_fill_application(user, region.code):
        raise PlanningError("title_not_yours", _("Only the county's own staff apply for its title."), "division",
                            status=403)
    try:
        year = int(str(year).strip())
    except (TypeError, ValueError):
        year = 0
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise PlanningError("title_year", _("Apply for a year from %(first)s to this year.") % {"first": FIRST_YEAR},
                            "year")
    try:
        with transaction.atomic():
            if TitleApplication.objects.filter(title=found.key, division_code=region.code,
                                               status=TitleApplication.Status.AWARDED).exists():
                raise PlanningError("title_held", _("The county already holds this title."), "title", status=409)
            application = TitleApplication.objects.create(title=found.key, division_code=region.code,
                                                          division_name=region.name, year=year, created_by=user)
            TitleCriterion.objects.bulk_create([
                TitleCriterion(application=application, order=n, key=c.key, name=c.name, quote=c.quote,
                               indicator=c.indicator, comparator=c.comparator, value=c.value, weight=c.weight)
                for n, c in enumerate(found.criteria, start=1)])
            audit.record("create", request=request, actor=user, obj=application, region_code=region.code,
                         detail={"title": found.key, "year": year})
    except IntegrityError:
        raise PlanningError("title_application_exists", _("The county has already applied for this title this year."),
                            "year", status=409) from None
    return application


def _rows(items, application: TitleApplication) -> list[tuple[TitleCriterion, dict]]:
    by_key = {c.key: c for c in application.criteria.all()}
    out, seen = [], set()
    for raw in items or []:
        key = str((raw or {}).get("key") or "")
        criterion = by_key.get(key)
        if criterion is None:
            raise PlanningError("title_criterion_unknown", _("The application has no criterion of that key."), "key",
                                detail={"key": key[:40]})
        if key in seen:
            raise PlanningError("title_criterion_twice", _("A criterion is given twice."), "key", detail={"key": key})
        seen.add(key)
        out.append((criterion, raw))
    return out


@transaction.atomic
def save_answers(user, application: TitleApplication, answers: list[dict], *, request=None) -> TitleApplication:
    """The county's answer to some or all criteria: each {key, met (true/false), note}."""
    if not permissions.can_fill_application(user, application.division_code):
        raise PlanningError("title_not_yours", _("Only the county's own staff answer its application."), status=403)
    application = _locked(application)
    _state(application, EDITABLE, _("Only an application being prepared or returned is answered."))
    changed = []
    for criterion, raw in _rows(answers, application):
        met = raw.get("met")
        if met is not None and not isinstance(met, bool):
            raise PlanningError("title_claim_invalid", _("Say whether the criterion is met (yes or no)."), "met",
                                detail={"key": criterion.key})
        criterion.claim_met, criterion.claim_note = met, _note(raw.get("note"), "note")
        criterion.save(update_fields=["claim_met", "claim_note"])
        changed.append(criterion.key)
    audit.record("update", request=request, actor=user, obj=application, region_code=application.division_code,
                 detail={"answered": changed})
    return application


def live_values(application: TitleApplication, as_of=None) -> dict[str, Decimal | None]:
    """Each criterion's indicator value for the county, computed now (one batch)."""
    keys = {c.key: c.indicator for c in application.criteria.all() if c.indicator}
    if not keys:
        return {}
    found = compute_many(set(keys.values()), [application.division_code], as_of or timezone.localdate())
    return {key: found[indicator][application.division_code] for key, indicator in keys.items()}


@transaction.atomic
def submit(user, application: TitleApplication, *, request=None) -> TitleApplication:
    """Send the application for assessment: every criterion answered; the indicators' values of the
    day are kept beside each criterion, as the evaluators will see them."""
    if not permissions.can_fill_application(user, application.division_code):
        raise PlanningError("title_not_yours", _("Only the county's own staff submit its application."), status=403)
    application = _locked(application)
    _state(application, EDITABLE, _("Only an application being prepared or returned is submitted."))
    criteria = list(application.criteria.all())
    missing = [c.key for c in criteria if c.claim_met is None]
    if missing:
        raise PlanningError("title_criteria_unanswered", _("Answer every criterion before submitting (%(count)s left).")
                            % {"count": len(missing)}, "criteria", detail={"keys": missing})
    values = live_values(application)
    for c in criteria:
        if c.key in values:
            found = values[c.key]
            c.live_value = found.quantize(Decimal("0.0001")) if found is not None else None
            c.save(update_fields=["live_value"])
    application.status, application.submitted_at = TitleApplication.Status.SUBMITTED, timezone.now()
    application.save(update_fields=["status", "submitted_at"])
    audit.record("set_status", request=request, actor=user, obj=application, region_code=application.division_code,
                 detail={"status": application.status})
    return application


@transaction.atomic
def save_scores(user, application: TitleApplication, scores: list[dict], *, request=None) -> TitleApplication:
    """An evaluator's scores of some or all criteria: each {key, score (0–100), note}."""
    if not permissions.can_score(user, application.division_code):
        raise PlanningError("title_not_evaluator", _("Only an evaluator of the county's division scores it."),
                            status=403)
    application = _locked(application)
    _state(application, (TitleApplication.Status.SUBMITTED,), _("Only a submitted application is scored."))
    changed = []
    for criterion, raw in _rows(scores, application):
        try:
            score = Decimal(str(raw.get("score")))
        except ArithmeticError:
            score = None
        if score is None or not score.is_finite() or not 0 <= score <= 100 or score != score.quantize(CENT):
            raise PlanningError("title_score_invalid", _("A score is from 0 to 100, to two decimals."), "score",
                                detail={"key": criterion.key})
        criterion.score, criterion.score_note, criterion.scored_by = score, _note(raw.get("note"), "note"), user
        criterion.save(update_fields=["score", "score_note", "scored_by"])
        changed.append(criterion.key)
    audit.record("update", request=request, actor=user, obj=application, region_code=application.division_code,
                 detail={"scored": changed})
    return application


def total(criteria) -> Decimal:
    return sum((c.weight * (c.score or 0) / 100 for c in criteria), Decimal(0)).quantize(CENT)


@transaction.atomic
def decide(user, application: TitleApplication, *, decision: str, note: str = "", awarded_on=None,
           request=None) -> TitleApplication:
    """The city's decision on a submitted application: "award" (every criterion scored, the total
    at least the title's pass score) or "return" (with the reason, for the county to answer again)."""
    if not permissions.can_decide_title(user, application.division_code):
        raise PlanningError("title_not_city", _("Only the city's staff decide on a county's title."), status=403)
    application = _locked(application)
    _state(application, (TitleApplication.Status.SUBMITTED,), _("Only a submitted application is decided."))
    if decision not in ("award", "return"):
        raise PlanningError("title_decision", _("Award the title or return the application."), "decision")
    criteria = list(application.criteria.all())
    if decision == "return":
        application.status = TitleApplication.Status.RETURNED
        application.decision_note = _note(note, "note", required=True)
    else:
        unscored = [c.key for c in criteria if c.score is None]
        if unscored:
            raise PlanningError("title_criteria_unscored", _("Every criterion must be scored before the title is "
                                                             "awarded (%(count)s left).") % {"count": len(unscored)},
                                "decision", status=409, detail={"keys": unscored})
        found = total(criteria)
        pass_score = titles.titles()[application.title].pass_score
        if found < pass_score:
            raise PlanningError("title_below_pass", _("The total score %(total)s is below the %(pass)s the title asks.")
                                % {"total": found, "pass": pass_score}, "decision", status=409)
        day = awarded_on or timezone.localdate()
        if day > timezone.localdate() or day.year < application.year:
            raise PlanningError("title_award_date", _("The title is awarded on a day of the application's year or "
                                                      "later, up to today."), "awarded_on")
        if TitleApplication.objects.filter(title=application.title, division_code=application.division_code,
                                           status=TitleApplication.Status.AWARDED).exists():
            raise PlanningError("title_held", _("The county already holds this title."), "title", status=409)
        application.status, application.total, application.awarded_on = TitleApplication.Status.AWARDED, found, day
        application.decision_note = _note(note, "note")
    application.decided_by, application.decided_at = user, timezone.now()
    application.save()
    audit.record("set_status", request=request, actor=user, obj=application, region_code=application.division_code,
                 detail={"status": application.status, "total": str(application.total or ""),
                         "note": application.decision_note})
    return application
