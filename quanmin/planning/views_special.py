"""Special evaluations (专项评估) of a key target or a major project, the publication of evaluation
results, and the public's pages (`/plans/evaluations/…`): what the plan's owners published, read by
anyone without signing in, on a phone as on a desk. The public pages show results only: totals,
scores, conclusions and grades; never a person, a note or an evidence file."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.core import excel
from quanmin.core.uploads import file_response

from . import permissions, selectors_special
from .errors import PlanningError
from .models import Evaluation, Grade, SpecialEvaluation
from .services import special as services
from .views_evaluation import _evaluation
from .views_plans import act_and_say, plan_or_404, reader


def _special(request, key: str, pk: int) -> SpecialEvaluation:
    plan = plan_or_404(request.user, key)
    return get_object_or_404(SpecialEvaluation.objects.select_related("plan", "target", "task", "concluded_by",
                                                                      "published_by"), plan=plan, pk=pk)


@require_POST
@reader
def special_new(request, key: str):
    plan = plan_or_404(request.user, key)
    try:
        found = services.open_special(request.user, plan, request.POST.dict(), request=request)
    except PlanningError as exc:
        messages.error(request, str(exc.message))
        return redirect("planning:evaluation", key=plan.key)
    messages.success(request, _("Special evaluation opened."))
    return redirect("planning:special", key=plan.key, pk=found.pk)


@reader
def special_detail(request, key: str, pk: int):
    """A special evaluation; the owners and evaluators record findings (POST), the owners conclude it."""
    special = _special(request, key, pk)
    if request.method == "POST":
        return act_and_say(request, lambda: services.record(request.user, special, request.POST.dict(),
                                                            evidence=request.FILES.get("evidence"), request=request),
                           _("Saved."), "planning:special", key=key, pk=pk)
    plan = special.plan
    open_ = special.status == SpecialEvaluation.Status.OPEN
    return render(request, "planning/special.html", {
        "plan": plan, "special": special, "grades": Grade.choices,
        "can_record": open_ and permissions.can_record_special(request.user, plan),
        "can_manage": permissions.can_manage(request.user, plan),
    })


@require_POST
@reader
def special_conclude(request, key: str, pk: int):
    special = _special(request, key, pk)
    return act_and_say(request, lambda: services.conclude(request.user, special, request=request),
                       _("Conclusion approved: the special evaluation no longer changes."), "planning:special", key=key, pk=pk)


@reader
def special_evidence(request, key: str, pk: int):
    special = _special(request, key, pk)
    return file_response(special.evidence, cache="private, no-store")


@reader
def special_export(request, key: str):
    plan = plan_or_404(request.user, key)
    return excel.xlsx_response(f"special-evaluations-{plan.key}-{timezone.localdate():%Y%m%d}.xlsx",
                               selectors_special.special_sheets(plan))


def _publication(request, obj, *redirect_to, **kwargs):
    if request.POST.get("action") == "withdraw":
        return act_and_say(request, lambda: services.withdraw(request.user, obj, request=request),
                           _("Withdrawn: the public no longer sees it."), *redirect_to, **kwargs)
    return act_and_say(request, lambda: services.publish(request.user, obj, request=request),
                       _("Published: anyone can read it now."), *redirect_to, **kwargs)


@require_POST
@reader
def special_publication(request, key: str, pk: int):
    return _publication(request, _special(request, key, pk), "planning:special", key=key, pk=pk)


@require_POST
@reader
def evaluation_publication(request, key: str, pk: int):
    return _publication(request, _evaluation(request, key, pk), "planning:evaluation_detail", key=key, pk=pk)


# The public's pages: no sign-in, published results only.

def public_list(request):
    return render(request, "planning/public/evaluations.html", selectors_special.published())


def public_evaluation(request, pk: int):
    evaluation = selectors_special.published_one(Evaluation, pk)
    if evaluation is None:
        raise Http404
    return render(request, "planning/public/evaluation.html", {
        "evaluation": evaluation, "plan": evaluation.plan, **selectors_special.public_results(evaluation)})


def public_special(request, pk: int):
    special = selectors_special.published_one(SpecialEvaluation, pk)
    if special is None:
        raise Http404
    return render(request, "planning/public/special.html", {"special": special, "plan": special.plan})
