"""The experience exchange (E05) for staff: the cases a user may read (their divisions' own and their
city's recommended cases) with filters and an Excel export; the form a county's staff send a case
with; one case, with the county's change form and the city's review; the city's on-site meetings and
the form to record one. Posts by those who may not act come back with a message saying why (the
services decide)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import scoping
from quanmin.core import excel
from quanmin.core.errors import ServiceError
from quanmin.core.forms import DayField
from quanmin.regions.models import Region
from quanmin.regions.selectors import by_level

from . import permissions, selectors_exchange
from .errors import PlanningError
from .models import ExperienceCase, Theme
from .services import exchange as services
from .views_plans import reader

EXPORT_ROWS = 5000


def _writable(user, level: str, allowed) -> list[Region]:
    """The divisions at `level` in the user's write scope that `allowed(user, code)` lets them act for."""
    found = []
    for top in scoping.top_regions(user, write=True):
        below = [top] if top.level == level else by_level(level, within=top.code)
        found += [r for r in below if allowed(user, r.code)]
    return sorted({r.code: r for r in found}.values(), key=lambda r: r.code)


def _fields(post) -> dict:
    return {name: post.get(name, "") for name in ("year", "title", "theme", "practice", "results", "contact")}


@reader
def case_list(request):
    params = request.GET
    user = request.user
    page = Paginator(selectors_exchange.cases_for(user, params), 30).get_page(params.get("page"))
    cities = _writable(user, "city", permissions.can_hold_site_meeting)
    return render(request, "planning/exchange.html", {
        "page": page, "params": params, "statuses": ExperienceCase.Status.choices, "themes": Theme.choices,
        "counties": _writable(user, "county", permissions.can_send_case), "this_year": timezone.localdate().year,
        "meetings": list(selectors_exchange.meetings_for(user)[:20]), "cities": cities,
        "city_counties": list(Region.objects.filter(parent__in=cities, level="county").order_by("code")),
        "recommended": list(selectors_exchange.cases_for(user, {"status": ExperienceCase.Status.RECOMMENDED})[:100])
        if cities else [],
        "today": timezone.localdate()})


@require_POST
@reader
def case_send(request):
    try:
        found = services.send_case(request.user, division_code=request.POST.get("division", ""),
                                   **_fields(request.POST), request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("planning:exchange")
    messages.success(request, _("Case sent to the city."))
    return redirect("planning:exchange_case", pk=found.pk)


@reader
def case_detail(request, pk: int):
    case = selectors_exchange.case_or_404(request.user, pk)
    status = 200
    if request.method == "POST":
        try:
            services.change_case(request.user, case, **_fields(request.POST), request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = exc.status if exc.status in (400, 403, 409) else 400
        else:
            messages.success(request, _("Case changed and sent to the city again."))
            return redirect("planning:exchange_case", pk=pk)
    user = request.user
    return render(request, "planning/exchange_case.html", {
        "case": case, "themes": Theme.choices, "today": timezone.localdate(),
        "meetings": list(case.site_meetings.order_by("-held_on")),
        "can_change": case.status in services.EDITABLE and permissions.can_send_case(user, case.division_code),
        "can_review": case.status == ExperienceCase.Status.SUBMITTED
        and permissions.can_review_case(user, case.division_code)}, status=status)


@require_POST
@reader
def case_review(request, pk: int):
    case = selectors_exchange.case_or_404(request.user, pk)
    try:
        try:
            on = DayField(required=False).clean(request.POST.get("on", ""))
        except ValidationError as exc:
            raise PlanningError("case_recommended_on", exc.messages[0], "on") from None
        services.review_case(request.user, case, decision=request.POST.get("decision", ""),
                             note=request.POST.get("note", ""), on=on, request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("planning:exchange_case", pk=pk)


@require_POST
@reader
def meeting_record(request):
    post = request.POST
    try:
        try:
            held_on = DayField().clean(post.get("held_on", ""))
        except ValidationError:
            raise PlanningError("meeting_date", _("Give the date the meeting was held."), "held_on") from None
        services.record_site_meeting(
            request.user, division_code=post.get("division", ""), host_code=post.get("host", ""), held_on=held_on,
            title=post.get("title", ""), place=post.get("place", ""), minutes=post.get("minutes", ""),
            attendee_codes=post.getlist("attendees"), case_ids=post.getlist("cases"), request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("On-site meeting recorded."))
    return redirect("planning:exchange")


@reader
def case_export(request):
    rows = [[c.division_name, c.year, c.title, c.get_theme_display(), c.get_status_display(),
             c.recommended_on.isoformat() if c.recommended_on else "", c.practice, c.results, c.contact, c.review_note]
            for c in selectors_exchange.cases_for(request.user, request.GET)[:EXPORT_ROWS]]
    headers = [_("County"), _("Year"), _("Title"), _("Field of work"), _("Status"), _("Recommended on"),
               _("What was done"), _("What came of it"), _("Contact"), _("The city's comment")]
    return excel.xlsx_response(f"experience-cases-{timezone.localdate():%Y%m%d}.xlsx",
                               [(_("Experience cases"), headers, rows)])
