"""Staff pages of the venue-opening evaluation: the rounds (a county or the city opens one), a
round's venues with their results and its Excel export, a venue's evaluation (figures, checklist,
special section, result, rectifications), and the rectifications to follow up, which a venue's
operator reports done. Views parse, check, call, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError

from . import checklist, figures, io, permissions, selectors, services
from .models import OpeningEvaluation, OpeningRectification, OpeningRound

reader = role_required(permissions.can_read)
runner = role_required(permissions.can_run)
backoffice = role_required(scoping.is_backoffice)
ROUND_FIELDS = ("region", "year", "title", "due")


def _page(request, qs, per=50):
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(qs, per).get_page(request.GET.get("page")), query.urlencode()


def _status(exc: ServiceError) -> int:
    return exc.status if exc.status in (400, 409) else 400


def _saved(request, call, success: str):
    """Run a service call; a message either way; the error's status (None when it went through)."""
    try:
        call()
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _status(exc)
    messages.success(request, success)
    return None


@require_http_methods(["GET", "POST"])
@reader
def rounds(request):
    status, data = 200, {"year": timezone.localdate().year}
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ROUND_FIELDS}
        made = []
        status = _saved(request, lambda: made.append(services.open_round(request.user, data, request=request)),
                        _("Round opened: every publicly funded venue is listed to evaluate."))
        if status is None:
            return redirect("opening:round", pk=made[0].pk)
    page, query = _page(request, selectors.rounds_for(request.user))
    return render(request, "opening/rounds.html", {
        "page": page, "query": query, "data": data, "can_run": permissions.can_run(request.user),
        "regions": scoping.top_regions(request.user, write=True).filter(level__in=services.RUNNING_LEVELS)
        .order_by("code")}, status=status)


@reader
def round_page(request, pk):
    found = selectors.round_or_404(request.user, pk)
    params = {**request.GET.dict(), "round": str(found.pk)}
    evaluations = selectors.evaluations_for(request.user, params)
    page, query = _page(request, evaluations)
    return render(request, "opening/round.html", {
        "round": found, "page": page, "query": query, "params": request.GET,
        "summary": selectors.summary(selectors.evaluations_for(request.user, {"round": str(found.pk)})),
        "results": OpeningEvaluation.Result.choices, "specials": OpeningEvaluation.Special.choices,
        "statuses": OpeningEvaluation.Status.choices,
        "can_close": found.status == OpeningRound.Status.OPEN and permissions.can_run_region(request.user,
                                                                                             found.region_id)})


@require_POST
@runner
def round_close(request, pk):
    found = selectors.round_or_404(request.user, pk)
    _saved(request, lambda: services.close_round(request.user, found, request=request), _("Round finished."))
    return redirect("opening:round", pk=found.pk)


@reader
def round_export(request, pk):
    found = selectors.round_or_404(request.user, pk)
    return io.xlsx_response(found, selectors.evaluations_for(request.user, {"round": str(found.pk)}))


@require_http_methods(["GET", "POST"])
@reader
def evaluation(request, pk):
    found = selectors.evaluation_or_404(request.user, pk, write=request.method == "POST")
    status, ticked = 200, found.checklist
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in (*checklist.CLERK_KEYS, "note", "evaluated_on")}
        status = _saved(request, lambda: services.evaluate(request.user, found, data, request=request),
                        _("Evaluation saved."))
        if status is None:
            return redirect("opening:evaluation", pk=found.pk)
        ticked = {k: data[k] in services.TRUE for k in checklist.CLERK_KEYS}
    done = found.status == OpeningEvaluation.Status.DONE
    live = found.figures if done else figures.venue_figures(found.site, found.round.year)
    scored = services.scoring(found, live)
    for item in scored["items"]:
        item["ticked"] = bool(ticked.get(item["key"]))
    can_run = permissions.can_run_region(request.user, found.site.region_id)
    return render(request, "opening/evaluation.html", {
        "e": found, "figures": figures.shown(live), "scored": scored, "ticked": ticked, "done": done,
        "general": [i for i in scored["items"] if i["section"] == checklist.GENERAL],
        "special": [i for i in scored["items"] if i["section"] == checklist.SPECIAL],
        "rectifications": found.rectifications.all(), "today": timezone.localdate(),
        "can_evaluate": can_run and found.round.status == OpeningRound.Status.OPEN, "can_run": can_run,
        "can_report": permissions.can_report(request.user, found.site)}, status=status)


@require_POST
@runner
def evaluation_rectify(request, pk):
    found = selectors.evaluation_or_404(request.user, pk, write=True)
    data = {"request": request.POST.get("request", ""), "due": request.POST.get("due", "")}
    _saved(request, lambda: services.request_rectification(request.user, found, data, request=request),
           _("Rectification requested: the venue is told."))
    return redirect("opening:evaluation", pk=found.pk)


@backoffice
def rectifications(request):
    page, query = _page(request, selectors.rectifications_for(request.user, request.GET))
    return render(request, "opening/rectifications.html", {
        "page": page, "query": query, "params": request.GET, "statuses": OpeningRectification.Status.choices,
        "today": timezone.localdate(),
        "can_report": scoping.is_division_staff(request.user, write=True) or bool(permissions.operated_sites(request.user))})


def _back(request, found: OpeningRectification):
    if request.POST.get("back") == "list":
        return redirect("opening:rectifications")
    return redirect("opening:evaluation", pk=found.evaluation_id)


@require_POST
@backoffice
def rectification_report(request, pk):
    found = selectors.rectification_or_404(request.user, pk, write=True)
    _saved(request, lambda: services.report_done(request.user, found, {"note": request.POST.get("note", "")},
                                                 request=request),
           _("Reported done: the sports staff will confirm it."))
    return _back(request, found)


@require_POST
@runner
def rectification_confirm(request, pk):
    found = selectors.rectification_or_404(request.user, pk, write=True)
    _saved(request, lambda: services.confirm(request.user, found, {"accepted": request.POST.get("accepted", ""),
                                                                    "note": request.POST.get("note", "")},
                                             request=request), _("Saved."))
    return _back(request, found)
