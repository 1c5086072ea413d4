"""What the special evaluations' pages, API and workbook read, and what the public sees of the
evaluations the plan's owners published: totals and scores, conclusions and grades — never a
person, a note or an evidence file."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from quanmin.core import indicators
from quanmin.core.api import lookup_id

from . import selectors, selectors_evaluation
from .models import Evaluation, SpecialEvaluation


def specials_of(plan):
    return list(SpecialEvaluation.objects.filter(plan=plan).select_related("target", "task", "concluded_by",
                                                                          "published_by"))


def special_sheets(plan) -> list:
    """The plan's special evaluations, a row each (the staff's workbook)."""
    rows = [[s.title, str(s.get_subject_display()), s.subject_name, s.ordered_by, s.ordered_on.isoformat(), s.scope,
             s.evaluator, _("Yes") if s.third_party else _("No"), str(s.get_status_display()), s.findings, s.conclusion,
             str(s.get_grade_display()) if s.grade else "", s.concluded_on.isoformat() if s.concluded_on else "",
             timezone.localtime(s.published_at).strftime("%Y-%m-%d %H:%M") if s.published_at else ""]
            for s in specials_of(plan)]
    return [(_("Special evaluations"), [
        _("Title"), _("What is evaluated"), _("Subject"), _("Ordered by"), _("Ordered on"), _("Scope"), _("Evaluator"),
        _("Third-party evaluator"), _("Status"), pgettext("evaluation", "Findings"), _("Conclusion"), pgettext("evaluation", "Grade"), _("Concluded on"),
        _("Published")], rows)]


SATISFACTION = "satisfaction_score"


def satisfaction(plan, today) -> list[dict]:
    """The public's satisfaction (社会满意度调查, the surveys app's indicator) of the plan's division
    and of those under it, from the latest closed satisfaction survey: what an evaluator scoring a
    satisfaction item, and the owners, read beside the evaluations. Empty when no survey has said."""
    indicator = indicators.registry().get(SATISFACTION)
    if indicator is None:
        return []
    divisions = [(plan.division_code, plan.division_name), *selectors.children(plan)]
    values = indicator.compute([code for code, _name in divisions], today)
    if all(values.get(code) is None for code, _name in divisions):
        return []
    return [{"code": code, "name": name, "value": values.get(code)} for code, name in divisions]


def published_of(model):
    """The published evaluations (or special evaluations), newest first, as a queryset."""
    return model.objects.filter(published_at__isnull=False).select_related("plan").order_by("-published_at", "-pk")


def published(limit: int = 50) -> dict:
    """The latest of each, for the public's page."""
    return {"evaluations": list(published_of(Evaluation)[:limit]),
            "specials": list(published_of(SpecialEvaluation)[:limit])}


def published_one(model, pk: int):
    """The evaluation or special evaluation of that id if it is published, else None."""
    return model.objects.filter(pk=lookup_id(pk), published_at__isnull=False).select_related("plan").first()


def public_results(evaluation: Evaluation) -> dict:
    """A published evaluation's items and its counties ranked: place, name, total, each item's
    official score, the third party's total (every county approved: what was frozen then)."""
    items = selectors_evaluation.items_of(evaluation.plan)
    ranked = selectors_evaluation.results(evaluation, timezone.localdate())
    return {"items": items, "counties": [
        {"place": r.place, "code": r.code, "name": r.name, "total": r.total, "third_party_total": r.third_party_total,
         "scores": [{"item": row.item.name, "weight": row.item.weight, "score": row.score} for row in r.items]}
        for r in ranked]}
