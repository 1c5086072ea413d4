"""A round's evaluations out to Excel, for the bureau's report and the county's file: one sheet of
the venues (their figures as kept, the clerk's items, score and results), one of the
rectifications, one of the totals per division. Only the venues the user may see are written."""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.core import excel

from . import checklist, figures
from .models import OpeningEvaluation, OpeningRectification

FIGURE_KEYS = [key for key, _label in figures.SHOWN]


def _headers() -> list[str]:
    return ([_("Venue number"), _("Venue"), _("Division"), _("Status")] + [str(label) for _k, label in figures.SHOWN]
            + [str(checklist.BY_KEY[k].label) for k in checklist.CLERK_KEYS]
            + [_("Score"), _("Result"), _("Certified free use"), _("Findings"), _("Evaluated on"),
               _("Rectifications"), _("Still open")])


def _venue_row(e: OpeningEvaluation, open_counts: dict) -> list:
    done = e.status == OpeningEvaluation.Status.DONE
    shown = [value for _label, value in figures.shown(e.figures)] if done else [""] * len(FIGURE_KEYS)
    ticks = [(_("yes") if e.checklist.get(k) else _("no")) if done else "" for k in checklist.CLERK_KEYS]
    total, still = open_counts.get(e.pk, (0, 0))
    return [e.site_id, e.site.name, e.site.region.name, e.get_status_display(), *shown, *ticks,
            e.score if done else "", e.get_result_display(), e.get_special_result_display(), e.note,
            e.evaluated_on or "", total, still]


def sheets(evaluations) -> list:
    evaluations = list(evaluations)
    rects = list(OpeningRectification.objects.filter(evaluation__in=[e.pk for e in evaluations])
                 .select_related("site", "site__region").order_by("site__region_id", "due", "pk"))
    counts = defaultdict(lambda: [0, 0])
    for r in rects:
        counts[r.evaluation_id][0] += 1
        counts[r.evaluation_id][1] += r.status != OpeningRectification.Status.CLOSED
    venues = [_venue_row(e, counts) for e in evaluations]
    rect_rows = [[r.site.name, r.site.region.name, r.request, r.due, r.get_status_display(), r.report_note,
                  r.reported_on or ""] for r in rects]
    per_division = defaultdict(lambda: defaultdict(int))
    for e in evaluations:
        row = per_division[e.site.region.name]
        row["venues"] += 1
        row[e.result or "pending"] += 1
        row[f"special_{e.special_result}"] += bool(e.special_result)
    results = OpeningEvaluation.Result.choices
    totals = [[name, row["venues"], *(row[value] for value, _l in results), row["pending"],
               row["special_met"], row["special_partly"], row["special_not_met"]]
              for name, row in sorted(per_division.items())]
    return [
        (_("Venues"), _headers(), venues),
        (_("Rectifications"), [_("Venue"), _("Division"), _("What to rectify"), _("Rectify by"), _("Status"),
                               _("What was done"), _("Reported done on")], rect_rows),
        (_("Totals"), [_("Division"), _("Venues"), *(str(label) for _v, label in results), _("To evaluate"),
                       *(str(label) for _v, label in OpeningEvaluation.Special.choices)], totals),
    ]


def xlsx_response(found_round, evaluations):
    return excel.xlsx_response(f"venue-opening-{found_round.year}-{timezone.localdate():%Y%m%d}.xlsx",
                               sheets(evaluations))
