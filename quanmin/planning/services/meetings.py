"""Joint meetings (联席会议) of a plan's member departments: the plan's owners record a meeting, who
was there and its minutes, and each decision it takes, which becomes a task of the plan led by the
department it names (its periods, reports and reviews are those of every task)."""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import audit
from quanmin.regions import codes

from .. import permissions
from ..errors import PlanningError
from ..models import Department, JointMeeting, MeetingDecision, Plan, TaskItem, TaskUnit
from .tasks import ensure_periods


def departments_of(plan: Plan):
    """The departments that may sit on the plan's joint meeting: those of its division and below."""
    return Department.objects.filter(division_code__within=codes.prefix(plan.division_code)).order_by(
        "division_code", "kind", "name")


def _owner(user, plan: Plan) -> None:
    if not permissions.can_manage(user, plan):
        raise PlanningError("plan_not_yours", _("Only the plan's owners change it."), status=403)


@transaction.atomic
def record(user, plan: Plan, *, held_on: date, title: str, place: str = "", minutes: str = "",
           member_ids=(), request=None) -> JointMeeting:
    _owner(user, plan)
    title = " ".join((title or "").split())[:200]
    if not title:
        raise PlanningError("meeting_title_missing", _("Give the meeting a title."), "title")
    members = list(departments_of(plan).filter(pk__in=[int(i) for i in member_ids if str(i).isdigit()]))
    if len(members) != len(set(member_ids)):
        raise PlanningError("meeting_member_unknown", _("A member is not a department of the plan's divisions."),
                            "members")
    meeting = JointMeeting.objects.create(plan=plan, held_on=held_on, title=title, place=(place or "")[:100],
                                          minutes=minutes or "", created_by=user)
    meeting.members.set(members)
    audit.record("create", request=request, actor=user, obj=meeting, region_code=plan.division_code)
    return meeting


@transaction.atomic
def decide(user, meeting: JointMeeting, *, text: str, lead_id, deadline: date, request=None) -> MeetingDecision:
    """A decision of the meeting, made a task of the plan led by `lead_id` and due on `deadline`."""
    plan = meeting.plan
    _owner(user, plan)
    text = " ".join((text or "").split())[:200]
    if not text:
        raise PlanningError("decision_text_missing", _("Write what was decided."), "text")
    lead = departments_of(plan).filter(pk=int(lead_id) if str(lead_id).isdigit() else 0).first()
    if lead is None:
        raise PlanningError("meeting_member_unknown", _("A member is not a department of the plan's divisions."),
                            "lead")
    if not plan.starts_on <= deadline <= plan.ends_on:
        raise PlanningError("decision_deadline", _("The deadline must fall within the plan's period."), "deadline")
    order = (plan.tasks.aggregate(last=Max("order"))["last"] or 0) + 1
    number = f"M{meeting.pk}-{meeting.decisions.count() + 1}"
    task = TaskItem.objects.create(plan=plan, number=number, order=order, group=meeting.title[:120], title=text,
                                   lead_text=lead.name, deadline_text=f"{deadline:%Y-%m-%d}", deadline=deadline,
                                   quote=text)
    TaskUnit.objects.create(task=task, role=TaskUnit.Role.LEAD, order=1, department=lead)
    ensure_periods(plan)
    decision = MeetingDecision.objects.create(meeting=meeting, text=text, task=task)
    audit.record("create", request=request, actor=user, obj=decision, region_code=plan.division_code,
                 detail={"task": task.number})
    return decision
