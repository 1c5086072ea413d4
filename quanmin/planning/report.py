"""A plan's annual report (年度报告): every target's value at the year's end against its goal with
its status then, the tasks of the year done and overdue by unit, the year's evaluations with the
counties ranked, and the key figures — the printable page and its Excel workbook read this."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import exports, progress, selectors, selectors_evaluation, selectors_livelihood
from .models import Evaluation, ItemScore, Plan, SpecialEvaluation, Target


def years(plan: Plan, today: date) -> list[int]:
    """The years a report can be written for: the plan's, up to this one."""
    return list(range(plan.starts_on.year, min(plan.ends_on.year, today.year) + 1))


def annual(plan: Plan, year: int, today: date) -> dict:
    day = min(date(year, 12, 31), today)
    found = selectors.dashboard(plan, day)
    board = selectors.task_board(plan, day)
    evaluations = []
    for evaluation in Evaluation.objects.filter(plan=plan, year=year).order_by("kind"):
        ranked = selectors_evaluation.results(evaluation, today)
        evaluations.append({"evaluation": evaluation, "results": ranked,
                            "items": selectors_evaluation.items_of(plan)})
    cards = board["cards"]
    done = sum(c["status"] == "accepted" for c in cards)
    rows = found["rows"]
    met = found["counts"][progress.MET]
    figures = {
        "targets": len(rows), "met": met,
        "core": sum(r.target.core_indicator for r in rows),
        "core_met": sum(r.target.core_indicator and r.status == progress.MET for r in rows),
        "met_share": round(100 * met / len(rows), 1) if rows else None,
        "tasks": len(cards), "done": done, "overdue": board["overdue"],
        "evaluations": len(evaluations),
    }
    livelihood = selectors_livelihood.board(plan, year)
    specials = list(SpecialEvaluation.objects.filter(plan=plan, status=SpecialEvaluation.Status.CONCLUDED,
                                                     ordered_on__year=year).order_by("ordered_on", "pk"))
    return {"plan": plan, "year": year, "day": day, "rows": rows, "counts": found["counts"],
            "livelihood": livelihood, "specials": specials,
            "ranking": found["ranking"], "board": board, "evaluations": evaluations, "figures": figures,
            "final": day == date(year, 12, 31)}


def _number(value):
    return "" if value is None else float(value)


def sheets(report: dict) -> list:
    comparators = dict(Target.Comparator.choices)
    figures = report["figures"]
    summary = [
        [_("Year"), report["year"]], [_("Values as of"), report["day"].isoformat()],
        [_("Targets"), figures["targets"]], [_("Targets met"), figures["met"]],
        [_("Core indicators"), figures["core"]], [_("Core indicators met"), figures["core_met"]],
        [_("Tasks"), figures["tasks"]], [_("Tasks done"), figures["done"]], [_("Tasks overdue"), figures["overdue"]],
        [_("Evaluations"), figures["evaluations"]],
    ]
    targets = [[
        r.target.key, r.target.name, str(comparators[r.target.comparator]), _number(exports.goal(r)),
        r.target.unit_text or str(r.target.get_unit_display()), r.target.deadline.isoformat(), _number(r.value),
        exports.status_label(r.status), "、".join(d.name for d in r.failing), exports.yes_no(r.target.core_indicator),
    ] for r in report["rows"]]
    units = [[name, c.get("total", 0), c.get("accepted", 0), c.get("overdue", 0)] for name, c in report["board"]["units"]]
    out = [
        (_("Summary"), [_("Figure"), _("Value")], summary),
        (_("Targets"), [_("Key"), _("Target"), _("Comparator"), _("Goal"), _("Unit"), _("Deadline"), _("Value"),
                        _("Status"), _("Divisions not meeting it"), _("Core indicator")], targets),
        (_("Tasks by unit"), [_("Reporting unit"), _("Tasks"), _("Done"), _("Overdue")], units),
    ]
    for found in report["evaluations"]:
        out.append(evaluation_sheet(found["evaluation"], found["results"], found["items"]))
    if report["livelihood"]["rows"]:
        out += selectors_livelihood.sheets(report["plan"], report["year"])
    if report["specials"]:
        out.append((_("Special evaluations"), [_("Title"), _("Subject"), _("Evaluator"), pgettext("evaluation", "Grade"),
                                              _("Conclusion"), _("Concluded on")],
                    [[s.title, s.subject_name, s.evaluator, str(s.get_grade_display()), s.conclusion,
                      s.concluded_on.isoformat()] for s in report["specials"]]))
    return out


def evaluation_sheet(evaluation: Evaluation, results, items) -> tuple:
    """One evaluation's scores: a row per county, the official score of each item, the total, the
    place, the status and the third party's total."""
    headers = [_("Place"), _("Division")] + [f"{i.name} ({i.weight.normalize():f})" for i in items] + [
        _("Total score"), _("Status"), _("Third-party total"), _("Third-party notes")]
    rows = []
    for r in results:
        notes = "；".join(f"{row.item.name}：{row.third_party.note}" for row in r.items
                         if row.third_party is not None and row.third_party.note)
        rows.append([r.place, r.name] + [_number(row.score) for row in r.items] + [
            _number(r.total), str(r.county.get_status_display()), _number(r.third_party_total), notes])
    title = f"{evaluation.year} {evaluation.get_kind_display()}"
    return (title[:31], headers, rows)


def score_rows(results) -> list:
    """Every score of an evaluation, official and third-party, one row each (the scores' workbook)."""
    out = []
    for r in results:
        for row in r.items:
            entries = [(ItemScore.Source.OFFICIAL.label, row.score, row.value, row.note, row.official)]
            if row.third_party is not None:
                entries.append((ItemScore.Source.THIRD_PARTY.label, row.third_party.score, None, row.third_party.note,
                                row.third_party))
            for source, score, value, note, stored in entries:
                out.append([r.name, row.item.name, _number(row.item.weight), str(row.item.get_method_display()),
                            str(source), _number(value), _number(score), note,
                            stored.scored_by.display_name if stored is not None and stored.scored_by else ""])
    return out


def evaluation_sheets(evaluation: Evaluation, results, items) -> list:
    return [evaluation_sheet(evaluation, results, items),
            (_("Scores"), [_("Division"), _("Item"), _("Weight"), _("How it is scored"), _("Source"), _("Value"),
                           _("Score"), _("Note"), _("Scored by")], score_rows(results))]
