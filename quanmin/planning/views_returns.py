"""County returns' staff pages (统计监测): the rounds and one's own returns, opening a round, a
round's summary table with its Excel, and a return: the county fills it in, attaches evidence and
submits; the round's owners accept it or return it with a comment."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core import excel
from quanmin.core.indicators import UNITS
from quanmin.core.uploads import file_response

from . import permissions
from . import selectors_returns as reads
from .errors import PlanningError
from .models import CountyReturn, ReturnAttachment, ReturnItem
from .services import returns as services

reader = role_required(permissions.can_read)
opener = role_required(permissions.can_open_rounds)
MANUAL_ROWS = 5


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


@reader
def round_list(request):
    user = request.user
    mine = [r for r in reads.returns_for(user)[:200] if permissions.can_fill_return(user, r)]
    today = timezone.localdate()
    for ret in mine:
        ret.overdue = reads.is_overdue(ret, today)
    return render(request, "planning/rounds.html", {
        "rounds": reads.rounds_for(user)[:200], "mine": mine, "can_open": permissions.can_open_rounds(user),
    })


@opener
def round_new(request):
    divisions = [r for r in scoping.top_regions(request.user, write=True) if services.child_level(r.code)]
    division = request.POST.get("division_code") or request.GET.get("division") or (divisions[0].code if divisions else "")
    data = request.POST
    if request.method == "POST":
        manual = [{"name": data.get(f"item_name_{i}", ""), "unit": data.get(f"item_unit_{i}", "count"),
                   "kind": data.get(f"item_kind_{i}", "")} for i in range(MANUAL_ROWS)]
        try:
            rnd = services.open_round(
                request.user, division_code=division, title=data.get("title", ""),
                period_start=_date(data.get("period_start")), period_end=_date(data.get("period_end")),
                due_on=_date(data.get("due_on")), indicator_keys=data.getlist("indicators"),
                manual=[m for m in manual if m["name"].strip()], request=request)
        except PlanningError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Round opened: every county has its return."))
            return redirect("planning:round", pk=rnd.pk)
    today = timezone.localdate()
    return render(request, "planning/round_new.html", {
        "divisions": divisions, "division": division, "choices": services.indicator_choices(division),
        "picked": set(data.getlist("indicators")), "data": data, "units": list(UNITS.items()),
        "kinds": ReturnItem.Kind.choices, "rows": range(MANUAL_ROWS),
        "defaults": {"period_start": datetime.date(today.year, 1, 1), "period_end": today,
                     "due_on": today + datetime.timedelta(days=15)},
    })


@reader
def round_detail(request, pk: int):
    rnd = reads.round_or_404(request.user, pk)
    return render(request, "planning/round.html", {
        **reads.summary(rnd, timezone.localdate()), "can_manage": permissions.can_manage_round(request.user, rnd),
    })


@require_POST
@reader
def round_close(request, pk: int):
    rnd = reads.round_or_404(request.user, pk)
    try:
        services.close(request.user, rnd, request=request)
    except PlanningError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Round closed."))
    return redirect("planning:round", pk=rnd.pk)


@reader
def round_export(request, pk: int):
    rnd = reads.round_or_404(request.user, pk)
    return excel.xlsx_response(f"returns-{rnd.pk}-{timezone.localdate():%Y%m%d}.xlsx",
                               reads.summary_sheets(rnd, timezone.localdate()))


def _return(request, pk: int) -> CountyReturn:
    return reads.return_or_404(request.user, pk)


@reader
def return_detail(request, pk: int):
    ret = _return(request, pk)
    user = request.user
    if request.method == "POST":
        figures = {key.removeprefix("figure_"): value for key, value in request.POST.items()
                   if key.startswith("figure_")}
        submit = request.POST.get("action") == "submit"
        try:
            (services.submit if submit else services.save)(
                user, ret, figures=figures, situation=request.POST.get("situation"), request=request)
        except PlanningError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Return submitted to the city.") if submit else _("Return saved."))
        return redirect("planning:return", pk=ret.pk)
    can_fill = permissions.can_fill_return(user, ret)
    return render(request, "planning/return.html", {
        "ret": ret, "rnd": ret.round, "figures": reads.figures_of(ret),
        "entries": ret.entries.select_related("author"), "attachments": ret.attachments.all(),
        "overdue": reads.is_overdue(ret, timezone.localdate()),
        "editable": can_fill and ret.round.status == "open" and ret.status in services.EDITABLE,
        "can_review": permissions.can_manage_round(user, ret.round) and ret.round.status == "open"
        and ret.status == CountyReturn.Status.SUBMITTED,
        "can_read_round": permissions.can_read_round(user, ret.round),
    })


@require_POST
@reader
def return_decide(request, pk: int):
    ret = _return(request, pk)
    try:
        services.decide(request.user, ret, decision=request.POST.get("decision", ""),
                        comment=request.POST.get("comment", ""), request=request)
    except PlanningError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Decision saved."))
    return redirect("planning:return", pk=ret.pk)


@require_POST
@reader
def return_attach(request, pk: int):
    ret = _return(request, pk)
    try:
        services.attach(request.user, ret, request.FILES.get("evidence"), request=request)
    except PlanningError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("File attached."))
    return redirect("planning:return", pk=ret.pk)


def _attachment(request, pk: int, attachment_pk: int) -> ReturnAttachment:
    ret = _return(request, pk)
    return get_object_or_404(ReturnAttachment, ret=ret, pk=attachment_pk)


@reader
def return_attachment(request, pk: int, attachment_pk: int):
    found = _attachment(request, pk, attachment_pk)
    return file_response(found.file, cache="private, no-store")


@require_POST
@reader
def return_detach(request, pk: int, attachment_pk: int):
    found = _attachment(request, pk, attachment_pk)
    try:
        services.detach(request.user, found, request=request)
    except PlanningError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("File removed."))
    return redirect("planning:return", pk=pk)
