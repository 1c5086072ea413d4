"""Titles (G16) for staff: the titles with their criteria and sources, the counties holding each,
the applications of the user's divisions and, for a county's own staff, the form to apply; one
application's checklist with the indicators' live values beside each criterion, the county's
answers, the evaluators' scores and the city's decision. Posts by those who may not act come back
with a message saying why (the services decide)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import scoping
from quanmin.core.errors import ServiceError
from quanmin.core.forms import DayField
from quanmin.regions.models import Region

from . import permissions, selectors_titles, titles
from .errors import PlanningError
from .models import TitleApplication
from .services import titles as services
from .views_plans import reader


def _counties(user) -> list[Region]:
    """The counties the user may apply for: those of their write scope they do not decide on."""
    found = []
    for top in scoping.top_regions(user, write=True):
        for region in ([top] if top.level == "county" else Region.objects.filter(parent=top, level="county")):
            if permissions.can_fill_application(user, region.code):
                found.append(region)
    return sorted(found, key=lambda r: r.code)


@reader
def title_list(request):
    params = request.GET
    page = Paginator(selectors_titles.applications_for(request.user, params), 50).get_page(params.get("page"))
    holders = list(selectors_titles.holders(request.user)[:200])
    return render(request, "planning/titles.html", {
        "titles": list(titles.titles().values()), "page": page, "params": params, "holders": holders,
        "statuses": TitleApplication.Status.choices, "counties": _counties(request.user),
        "this_year": timezone.localdate().year, "names": {k: t.name for k, t in titles.titles().items()}})


@require_POST
@reader
def title_apply(request):
    try:
        found = services.open_application(request.user, title=request.POST.get("title", ""),
                                          division_code=request.POST.get("division", ""),
                                          year=request.POST.get("year", ""), request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("planning:titles")
    messages.success(request, _("Application opened: answer each criterion, then submit it."))
    return redirect("planning:title_application", pk=found.pk)


def _application(request, pk: int) -> TitleApplication:
    return selectors_titles.application_or_404(request.user, pk)


@reader
def application_detail(request, pk: int):
    application = _application(request, pk)
    status = 200
    if request.method == "POST":
        answers = []
        for c in application.criteria.all():
            met = request.POST.get(f"met_{c.key}", "")
            answers.append({"key": c.key, "met": {"1": True, "0": False}.get(met),
                            "note": request.POST.get(f"note_{c.key}", "")})
        try:
            services.save_answers(request.user, application, answers, request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = exc.status if exc.status in (400, 403, 409) else 400
        else:
            messages.success(request, _("Answers saved."))
            return redirect("planning:title_application", pk=pk)
    application.refresh_from_db()
    criteria = list(application.criteria.select_related("scored_by"))
    live = services.live_values(application)
    rows = [{"c": c, "live": live.get(c.key), "met_now": titles.met(c.comparator, c.value, live.get(c.key))}
            for c in criteria]
    user = request.user
    editable = application.status in services.EDITABLE
    return render(request, "planning/title_application.html", {
        "application": application, "rows": rows, "title": titles.titles().get(application.title),
        "total": services.total(criteria),
        "can_fill": editable and permissions.can_fill_application(user, application.division_code),
        "can_score": application.status == TitleApplication.Status.SUBMITTED
        and permissions.can_score(user, application.division_code),
        "can_decide": application.status == TitleApplication.Status.SUBMITTED
        and permissions.can_decide_title(user, application.division_code),
        "today": timezone.localdate()}, status=status)


def _act(request, pk: int, act, done: str):
    application = _application(request, pk)
    try:
        act(application)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("planning:title_application", pk=application.pk)


@require_POST
@reader
def application_submit(request, pk: int):
    return _act(request, pk, lambda a: services.submit(request.user, a, request=request),
                _("Application submitted for assessment."))


@require_POST
@reader
def application_score(request, pk: int):
    def act(application):
        scores = [{"key": c.key, "score": request.POST.get(f"score_{c.key}", ""),
                   "note": request.POST.get(f"score_note_{c.key}", "")}
                  for c in application.criteria.all() if request.POST.get(f"score_{c.key}", "") != ""]
        services.save_scores(request.user, application, scores, request=request)
    return _act(request, pk, act, _("Scores saved."))


@require_POST
@reader
def application_decide(request, pk: int):
    def act(application):
        try:
            awarded_on = DayField(required=False).clean(request.POST.get("awarded_on", ""))
        except ValidationError as exc:
            raise PlanningError("title_award_date", exc.messages[0], "awarded_on") from None
        services.decide(request.user, application, decision=request.POST.get("decision", ""),
                        note=request.POST.get("note", ""), awarded_on=awarded_on, request=request)
    return _act(request, pk, act, _("Decision recorded."))


