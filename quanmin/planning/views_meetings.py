"""A plan's joint meetings (联席会议): the list with who sat and what was decided; the plan's owners
record a meeting and its decisions, each of which becomes a task of the plan."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import permissions
from .errors import PlanningError
from .models import JointMeeting
from .services import meetings
from .views_plans import plan_or_404, reader


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text or "")
    except ValueError:
        return None


@reader
def meeting_list(request, key: str):
    plan = plan_or_404(request.user, key)
    if request.method == "POST":
        held_on = _date(request.POST.get("held_on"))
        try:
            if held_on is None:
                raise PlanningError("meeting_date", _("Give the date the meeting was held."), "held_on")
            meetings.record(request.user, plan, held_on=held_on, title=request.POST.get("title", ""),
                            place=request.POST.get("place", ""), minutes=request.POST.get("minutes", ""),
                            member_ids=request.POST.getlist("members"), request=request)
        except PlanningError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Meeting recorded."))
        return redirect("planning:meetings", key=plan.key)
    found = (JointMeeting.objects.filter(plan=plan).prefetch_related("members", "decisions__task__units__department"))
    can_manage = permissions.can_manage(request.user, plan)
    return render(request, "planning/meetings.html", {
        "plan": plan, "meetings": found, "can_manage": can_manage,
        "departments": list(meetings.departments_of(plan)) if can_manage else [],
    })


@require_POST
@reader
def meeting_decide(request, key: str, pk: int):
    plan = plan_or_404(request.user, key)
    meeting = get_object_or_404(JointMeeting, plan=plan, pk=pk)
    deadline = _date(request.POST.get("deadline"))
    try:
        if deadline is None:
            raise PlanningError("decision_deadline", _("The deadline must fall within the plan's period."), "deadline")
        decision = meetings.decide(request.user, meeting, text=request.POST.get("text", ""),
                                   lead_id=request.POST.get("lead", ""), deadline=deadline, request=request)
    except PlanningError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Decision recorded as task %(number)s.") % {"number": decision.task.number})
    return redirect("planning:meetings", key=plan.key)
