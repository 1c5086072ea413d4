"""A plan's performance evaluation (绩效评估): the indicator system with its weights, the
evaluations (annual, mid-term, final) with the counties ranked by total score, each county's
scores (computed, entered by the evaluator with evidence, the third party's beside them), the
approval that locks a county's result, the third party's people, and the scores as Excel.

Readers of the plan see all of it; a third-party evaluator (bound to one evaluation) sees that
evaluation only. Posts by those who may not act come back with a message saying why."""


from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import services as accounts
from quanmin.accounts.decorators import role_required
from quanmin.core import excel
from quanmin.core.errors import ServiceError
from quanmin.core.uploads import file_response

from . import permissions, report, selectors, selectors_evaluation, selectors_special
from .errors import PlanningError
from .models import CountyScore, Evaluation, EvaluationItem, ItemScore, Plan, SpecialEvaluation
from .services import evaluation as services
from .views_plans import plan_or_404, reader

BLANK_ROWS = 3


def can_open(user) -> bool:
    return permissions.can_read(user) or permissions.is_third_party(user)


evaluation_reader = role_required(can_open)


def _evaluation(request, key: str, pk: int) -> Evaluation:
    plan = Plan.objects.filter(key=key).first()
    evaluation = Evaluation.objects.filter(plan=plan, pk=pk).select_related("plan").first() if plan else None
    if evaluation is None or not permissions.can_read_evaluation(request.user, evaluation):
        raise Http404
    return evaluation


def _county(request, key: str, pk: int, county_pk: int) -> CountyScore:
    evaluation = _evaluation(request, key, pk)
    county = get_object_or_404(CountyScore, evaluation=evaluation, pk=county_pk)
    county.evaluation = evaluation
    return county


def _items_from_post(post) -> list[dict]:
    rows = []
    for i in range(int(post.get("rows", "0") or 0) if str(post.get("rows", "0")).isdigit() else 0):
        if i >= services.MAX_ITEMS + BLANK_ROWS:
            break
        name = post.get(f"name_{i}", "").strip()
        if not name:
            continue
        rows.append({"name": name, "weight": post.get(f"weight_{i}", ""), "method": post.get(f"method_{i}", ""),
                     "target": post.get(f"target_{i}", ""), "criteria": post.get(f"criteria_{i}", "")})
    return rows


def _error(request, exc: ServiceError) -> None:
    where = exc.detail.get("item") if isinstance(exc.detail, dict) else None
    text = str(exc.message)
    if where:
        text = _("Item %(n)s: %(error)s") % {"n": where, "error": text}
    messages.error(request, text)


@reader
def system(request, key: str):
    """The plan's indicator system and its evaluations; the owners change the one and open the other."""
    plan = plan_or_404(request.user, key)
    can_manage = permissions.can_manage(request.user, plan)
    if request.method == "POST":
        try:
            services.set_items(request.user, plan, _items_from_post(request.POST), request=request)
        except PlanningError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Indicator system saved."))
        return redirect("planning:evaluation", key=plan.key)
    items = selectors_evaluation.items_of(plan)
    today = timezone.localdate()
    return render(request, "planning/evaluation.html", {
        "plan": plan, "items": items, "can_manage": can_manage,
        "weights": sum((i.weight for i in items), 0),
        "rows": list(items) + [None] * BLANK_ROWS,
        "targets": list(plan.targets.order_by("order")), "methods": EvaluationItem.Method.choices,
        "evaluations": plan.evaluations.order_by("-year", "kind"), "kinds": Evaluation.Kind.choices,
        "years": report.years(plan, today), "midterm_years": services.midterm_years(plan),
        "final_year": plan.ends_on.year,
        "specials": selectors_special.specials_of(plan), "subjects": SpecialEvaluation.Subject.choices,
        "tasks": list(plan.tasks.order_by("order")), "today": today,
        "satisfaction": selectors_special.satisfaction(plan, today),
    })


@require_POST
@reader
def evaluation_new(request, key: str):
    plan = plan_or_404(request.user, key)
    try:
        evaluation = services.open_evaluation(request.user, plan, kind=request.POST.get("kind", ""),
                                              year=request.POST.get("year", ""),
                                              third_party=request.POST.get("third_party", ""), request=request)
    except PlanningError as exc:
        _error(request, exc)
        return redirect("planning:evaluation", key=plan.key)
    messages.success(request, _("Evaluation opened."))
    return redirect("planning:evaluation_detail", key=plan.key, pk=evaluation.pk)


@evaluation_reader
def evaluation_detail(request, key: str, pk: int):
    evaluation = _evaluation(request, key, pk)
    plan = evaluation.plan
    results = selectors_evaluation.results(evaluation, timezone.localdate())
    return render(request, "planning/evaluation_detail.html", {
        "plan": plan, "evaluation": evaluation, "items": selectors_evaluation.items_of(plan),
        "results": results,
        "day": selectors_evaluation.as_of(evaluation, timezone.localdate()),
        "can_manage": permissions.can_manage(request.user, plan),
        "third_party_staff": services.third_party_staff(evaluation) if permissions.can_manage(request.user, plan) else [],
        "plan_reader": permissions.can_read_plan(request.user, plan),
        "all_approved": all(r.approved for r in results) if results else False,
    })


@evaluation_reader
def evaluation_export(request, key: str, pk: int):
    evaluation = _evaluation(request, key, pk)
    results = selectors_evaluation.results(evaluation, timezone.localdate())
    return excel.xlsx_response(f"evaluation-{evaluation.plan.key}-{evaluation.year}-{evaluation.kind}.xlsx",
                               report.evaluation_sheets(evaluation, results,
                                                        selectors_evaluation.items_of(evaluation.plan)))


@evaluation_reader
def county_detail(request, key: str, pk: int, county_pk: int):
    """A county's scores; evaluators score it (POST), a third party beside them."""
    county = _county(request, key, pk, county_pk)
    evaluation = county.evaluation
    if request.method == "POST":
        item = EvaluationItem.objects.filter(plan=evaluation.plan, pk=_int(request.POST.get("item"))).first()
        try:
            if item is None:
                raise PlanningError("evaluation_item_target", _("The item is not of this plan's indicator system."),
                                    "item", status=404)
            services.score(request.user, county, item, value=request.POST.get("score", ""),
                           note=request.POST.get("note", ""), evidence=request.FILES.get("evidence"),
                           third_party=request.POST.get("source") == ItemScore.Source.THIRD_PARTY, request=request)
        except PlanningError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Score saved."))
        return redirect("planning:evaluation_county", key=key, pk=pk, county_pk=county.pk)
    result = selectors_evaluation.results(evaluation, timezone.localdate(), division_codes=[county.division_code])[0]
    return render(request, "planning/evaluation_county.html", {
        "plan": evaluation.plan, "evaluation": evaluation, "county": county, "result": result,
        "can_score": permissions.can_score(request.user, county.division_code) and not result.approved,
        "can_score_third_party": permissions.can_score_third_party(request.user, evaluation) and not result.approved,
        "can_manage": permissions.can_manage(request.user, evaluation.plan),
        "day": selectors_evaluation.as_of(evaluation, timezone.localdate()),
    })


def _int(text) -> int:
    return int(text) if str(text or "").isdigit() and len(str(text)) < 10 else 0


@require_POST
@evaluation_reader
def county_approve(request, key: str, pk: int, county_pk: int):
    county = _county(request, key, pk, county_pk)
    try:
        services.approve(request.user, county, request=request)
    except PlanningError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Result approved: it no longer changes."))
    return redirect("planning:evaluation_county", key=key, pk=pk, county_pk=county.pk)


@evaluation_reader
def score_evidence(request, key: str, pk: int, county_pk: int, score_pk: int):
    county = _county(request, key, pk, county_pk)
    found = get_object_or_404(ItemScore, county=county, pk=score_pk)
    return file_response(found.evidence, cache="private, no-store")


@require_POST
@reader
def third_party_add(request, key: str, pk: int):
    evaluation = _evaluation(request, key, pk)
    try:
        user = accounts.active_user_by_phone(request.POST.get("phone", ""))
        services.add_third_party(request.user, evaluation, user, request=request)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(name)s now scores this evaluation for the third party.") % {
            "name": user.display_name})
    return redirect("planning:evaluation_detail", key=key, pk=pk)


@require_POST
@reader
def third_party_remove(request, key: str, pk: int):
    evaluation = _evaluation(request, key, pk)
    try:
        removed = services.remove_third_party(request.user, evaluation, _int(request.POST.get("user")), request=request)
    except PlanningError as exc:
        messages.error(request, str(exc.message))
    else:
        if removed:
            messages.success(request, _("No longer a third-party evaluator of this evaluation."))
    return redirect("planning:evaluation_detail", key=key, pk=pk)


@evaluation_reader
def my_evaluations(request):
    """The evaluations this person scores: a third party's own, an evaluator's in their plans."""
    third = list(Evaluation.objects.filter(pk__in=permissions.third_party_evaluation_ids(request.user))
                 .select_related("plan"))
    plans = selectors.visible_plans(request.user) if permissions.can_read(request.user) else []
    others = list(Evaluation.objects.filter(plan__in=plans).select_related("plan")) if plans else []
    return render(request, "planning/my_evaluations.html", {"third_party": third, "evaluations": others})


def _report_plan(request, key: str, year: int) -> Plan:
    """A plan the user reads, and a year of it that has begun (404 otherwise)."""
    plan = plan_or_404(request.user, key)
    if year not in report.years(plan, timezone.localdate()):
        raise Http404
    return plan


@reader
def annual_report(request, key: str, year: int):
    """The printable annual report (A4) of a plan's year."""
    plan = _report_plan(request, key, year)
    return render(request, "planning/annual_report.html", {
        **report.annual(plan, year, timezone.localdate()), "years": report.years(plan, timezone.localdate()),
        "printed": timezone.localtime(),
    })


@reader
def annual_report_export(request, key: str, year: int):
    plan = _report_plan(request, key, year)
    return excel.xlsx_response(f"annual-report-{plan.key}-{year}-{timezone.localdate():%Y%m%d}.xlsx",
                               report.sheets(report.annual(plan, year, timezone.localdate())))
