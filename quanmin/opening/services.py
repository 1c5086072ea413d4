"""Every write of the venue-opening evaluation: a round opened and finished, a venue evaluated, a
rectification requested, reported done and confirmed (or sent back). Pages, API and the demo call
these; each write is one transaction, audited.

Rules: a round is the county's or the city's, one a year per division, for a year up to the
current one; it lists every publicly funded venue of the division open when it starts (none: no
round). A venue is evaluated (and re-evaluated) while its round runs: its figures are computed then
and kept, the clerk's items ticked, the score and results follow (checklist.py). A round finishes
once every venue is evaluated. A rectification is requested of an evaluated venue, due from today
up to a year on (30 days by default); its venue's operators are told. Only an open one is reported
done, with what was done; only a reported one is confirmed, or sent back with the reason.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.core import cleaning
from quanmin.core.notify import notify
from quanmin.facilities import public_opening
from quanmin.facilities.models import Site
from quanmin.feedback.timeline import site_operators
from quanmin.regions import codes

from . import checklist, figures, permissions
from .errors import OpeningError
from .models import OpeningEvaluation, OpeningRectification, OpeningRound

FIRST_YEAR = 2015
RUNNING_LEVELS = ("city", "county")
DEFAULT_DUE_DAYS = 30
MAX_DUE_DAYS = 365
TRUE = (True, "1", "true", "on", "yes")


def _label(model, field: str) -> str:
    return capfirst(str(model._meta.get_field(field).verbose_name))


def _text(model, data: dict, field: str, limit: int, required: bool = False, key: str | None = None) -> str:
    return " ".join(cleaning.plain_text({field: data.get(key or field)}, field, limit, _label(model, field), required,
                                        error=OpeningError).split())


def _day(model, data: dict, field: str, first: datetime.date, last: datetime.date) -> datetime.date | None:
    return cleaning.day(data.get(field), field, _label(model, field), first=first, last=last, error=OpeningError)


def _year(value) -> int:
    text = str(value or "").strip()
    this_year = timezone.localdate().year
    if not (text.isdigit() and len(text) == 4 and FIRST_YEAR <= int(text) <= this_year):
        raise OpeningError("year_invalid", _("Give a year from %(first)s to %(last)s.")
                           % {"first": FIRST_YEAR, "last": this_year}, "year")
    return int(text)


# --- rounds ----------------------------------------------------------------------------------------

def open_round(actor, data: dict, request=None) -> OpeningRound:
    """Open the year's evaluation of a county's or the city's publicly funded venues."""
    if not permissions.can_run(actor):
        raise PermissionDenied
    region = scoping.region_to_write(actor, data.get("region"), error=OpeningError)
    if region.level not in RUNNING_LEVELS:
        raise OpeningError("region_level", _("A county or the city runs the opening evaluation."), "region")
    year = _year(data.get("year"))
    today = timezone.localdate()
    title = _text(OpeningRound, data, "title", 120) or _("%(division)s: opening of public venues, %(year)s") % {
        "division": region.name, "year": year}
    due = _day(OpeningRound, data, "due", today, today + datetime.timedelta(days=MAX_DUE_DAYS))
    sites = list(Site.objects.filter(public_opening.public_q(codes.prefix(region.code))).values_list("pk", flat=True))
    if not sites:
        raise OpeningError("no_venues", _("No publicly funded venue is open in this division."), "region")
    try:
        with transaction.atomic():
            found = OpeningRound.objects.create(region=region, year=year, title=title, due=due, created_by=actor)
            OpeningEvaluation.objects.bulk_create([OpeningEvaluation(round=found, site_id=pk) for pk in sites])
            audit.record("opening.round_open", request=request, actor=actor, obj=found, region_code=region.code,
                         detail={"year": year, "venues": len(sites)})
    except IntegrityError:
        raise OpeningError("round_exists", _("This division already has a round for that year."), "year",
                           status=409) from None
    return found


def close_round(actor, found: OpeningRound, request=None) -> OpeningRound:
    """Finish a round whose venues are all evaluated: its evaluations no longer change."""
    if not permissions.can_run_region(actor, found.region_id):
        raise PermissionDenied
    with transaction.atomic():
        found = OpeningRound.objects.select_for_update().get(pk=found.pk)
        if found.status != OpeningRound.Status.OPEN:
            raise OpeningError("round_closed", _("This round is already finished."), status=409)
        pending = found.evaluations.filter(status=OpeningEvaluation.Status.PENDING).count()
        if pending:
            raise OpeningError("evaluations_pending", _("%(n)s venues are still to evaluate.") % {"n": pending},
                               status=409, detail={"pending": pending})
        found.status, found.closed_at, found.closed_by = OpeningRound.Status.CLOSED, timezone.now(), actor
        found.save()
        audit.record("opening.round_close", request=request, actor=actor, obj=found, region_code=found.region_id,
                     detail={"year": found.year})
    return found


# --- evaluations -----------------------------------------------------------------------------------

def scoring(evaluation: OpeningEvaluation, figures_: dict | None = None) -> dict:
    """The items with their points, the total, the section's points and both results, for the
    evaluation's kept figures (or those given: a pending evaluation's live ones)."""
    f = evaluation.figures if figures_ is None else figures_
    items = checklist.scored(f, evaluation.checklist)
    score, special = checklist.total(items), checklist.total(items, checklist.SPECIAL)
    return {"items": items, "score": score, "special_points": special, "result": checklist.result(score, f),
            "special_result": checklist.special_result(special)}


def evaluate(actor, evaluation: OpeningEvaluation, data: dict, request=None) -> OpeningEvaluation:
    """Evaluate a venue (again): its figures computed now, the clerk's items as ticked in `data`
    (an item left out is not met), the findings and the day evaluated (today by default)."""
    site = evaluation.site
    if not permissions.can_run_region(actor, site.region_id):
        raise PermissionDenied
    today = timezone.localdate()
    year = evaluation.round.year
    evaluated_on = _day(OpeningEvaluation, data, "evaluated_on", datetime.date(year, 1, 1), today) or today
    note = _text(OpeningEvaluation, data, "note", 500)
    ticked = {key: data.get(key) in TRUE for key in checklist.CLERK_KEYS}
    found = figures.venue_figures(site, year)
    with transaction.atomic():
        evaluation = OpeningEvaluation.objects.select_for_update().select_related("round", "site").get(pk=evaluation.pk)
        if evaluation.round.status != OpeningRound.Status.OPEN:
            raise OpeningError("round_closed", _("The round is finished: its evaluations no longer change."),
                               status=409)
        evaluation.checklist, evaluation.figures = ticked, found
        scored = scoring(evaluation)
        evaluation.score, evaluation.result = scored["score"], scored["result"]
        evaluation.special_result = scored["special_result"]
        evaluation.status, evaluation.note = OpeningEvaluation.Status.DONE, note
        evaluation.evaluated_on, evaluation.evaluated_by = evaluated_on, actor
        evaluation.save()
        audit.record("opening.evaluate", request=request, actor=actor, obj=evaluation, region_code=site.region_id,
                     detail={"site": site.pk, "score": str(evaluation.score), "result": evaluation.result,
                             "special": evaluation.special_result})
    return evaluation


# --- rectifications --------------------------------------------------------------------------------

def request_rectification(actor, evaluation: OpeningEvaluation, data: dict, request=None) -> OpeningRectification:
    """Ask the venue to put a shortcoming right by a day; its operators are told."""
    site = evaluation.site
    if not permissions.can_run_region(actor, site.region_id):
        raise PermissionDenied
    text = _text(OpeningRectification, data, "request", 300, required=True)
    today = timezone.localdate()
    due = (_day(OpeningRectification, data, "due", today, today + datetime.timedelta(days=MAX_DUE_DAYS))
           or today + datetime.timedelta(days=DEFAULT_DUE_DAYS))
    with transaction.atomic():
        if not OpeningEvaluation.objects.select_for_update().filter(pk=evaluation.pk,
                                                                    status=OpeningEvaluation.Status.DONE).exists():
            raise OpeningError("not_evaluated", _("Evaluate the venue first."), status=409)
        found = OpeningRectification.objects.create(evaluation=evaluation, site=site, request=text, due=due,
                                                    created_by=actor)
        audit.record("opening.rectification_request", request=request, actor=actor, obj=found,
                     region_code=site.region_id, detail={"evaluation": evaluation.pk, "due": due.isoformat()})
        subject = _("Rectify by %(due)s: %(venue)s") % {"due": due.isoformat(), "venue": site.name}
        for user in site_operators(site.pk)[:20]:
            notify(user, subject, text)
    return found


def report_done(actor, found: OpeningRectification, data: dict, request=None) -> OpeningRectification:
    """The venue reports the rectification done today, saying what was done."""
    if not permissions.can_report(actor, found.site):
        raise PermissionDenied
    note = _text(OpeningRectification, data, "report_note", 300, required=True, key="note")
    with transaction.atomic():
        found = OpeningRectification.objects.select_for_update().get(pk=found.pk)
        if found.status != OpeningRectification.Status.OPEN:
            raise OpeningError("rectification_not_open", _("This rectification was already reported done."),
                               status=409)
        found.status, found.reported_on, found.reported_by = (OpeningRectification.Status.REPORTED,
                                                              timezone.localdate(), actor)
        found.report_note = note
        found.save()
        audit.record("opening.rectification_report", request=request, actor=actor, obj=found,
                     region_code=found.site.region_id, detail={"on_time": found.reported_on <= found.due})
    return found


def confirm(actor, found: OpeningRectification, data: dict, request=None) -> OpeningRectification:
    """The staff confirm a rectification reported done (`accepted`), or send it back with the reason
    (`note`): it is open again, its due date unchanged."""
    if not permissions.can_run_region(actor, found.site.region_id):
        raise PermissionDenied
    accepted = data.get("accepted") in TRUE
    note = _text(OpeningRectification, data, "returned_note", 300, required=not accepted, key="note")
    with transaction.atomic():
        found = OpeningRectification.objects.select_for_update().get(pk=found.pk)
        if found.status != OpeningRectification.Status.REPORTED:
            raise OpeningError("rectification_not_reported",
                               _("Only a rectification reported done is confirmed or sent back."), status=409)
        if accepted:
            found.status, found.confirmed_at, found.confirmed_by = (OpeningRectification.Status.CLOSED,
                                                                    timezone.now(), actor)
        else:
            found.status, found.reported_on, found.returned_note = OpeningRectification.Status.OPEN, None, note
        found.save()
        audit.record("opening.rectification_confirm" if accepted else "opening.rectification_return",
                     request=request, actor=actor, obj=found, region_code=found.site.region_id, detail={"note": note})
    return found
