"""Staff pages for a group's members, announcements and regular activities (from its detail page)."""

import datetime

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from quanmin.accounts.decorators import role_required
from quanmin.core import excel
from quanmin.core.forms import DayField

from . import amateur, memberships, permissions, selectors, sports
from .errors import OrganizationError
from .models import AmateurGrade, GroupMembership

reader = role_required(permissions.can_read)
# Posting changes: supervisors and evaluators read the register but change nothing (403 here).
writer = role_required(permissions.can_write)


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100)
    text = forms.CharField(label=gettext_lazy("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ActivityForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=60)
    facility_id = forms.IntegerField(label=gettext_lazy("Facility system ID"), min_value=1)
    weekday = forms.TypedChoiceField(label=gettext_lazy("Day"), coerce=int, choices=[
        (0, gettext_lazy("Monday")), (1, gettext_lazy("Tuesday")), (2, gettext_lazy("Wednesday")),
        (3, gettext_lazy("Thursday")), (4, gettext_lazy("Friday")), (5, gettext_lazy("Saturday")),
        (6, gettext_lazy("Sunday"))])
    start = forms.TimeField(label=gettext_lazy("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=gettext_lazy("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    places = forms.IntegerField(label=gettext_lazy("Places"), min_value=1, max_value=10000)


class AmateurGradeForm(forms.Form):
    phone = forms.CharField(label=gettext_lazy("Resident's mobile number"), max_length=20)
    sport = forms.ChoiceField(label=gettext_lazy("Sport"), choices=())
    level = forms.TypedChoiceField(label=gettext_lazy("Grade"), coerce=int, choices=AmateurGrade.Level.choices)
    awarded_on = DayField(label=gettext_lazy("Awarded"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    certificate_no = forms.CharField(label=gettext_lazy("Certificate number"), max_length=40, required=False)

    def __init__(self, *args, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = org.sport_codes if org is not None and org.sport_codes else list(sports.SPORTS)
        self.fields["sport"].choices = [(c, sports.label(c)) for c in codes]


def _done(request, org, call, success):
    try:
        call()
    except OrganizationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return redirect("organizations:staff_org", pk=org.pk)


def _form_error(request, org, form):
    messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("organizations:staff_org", pk=org.pk)


@require_POST
@writer
def decide(request, pk, membership_pk):
    org = selectors.get_or_404(request.user, pk)
    membership = GroupMembership.objects.filter(organization=org, pk=membership_pk).first()
    if membership is None:
        raise Http404
    accept = request.POST.get("decision") != "refuse"
    return _done(request, org, lambda: memberships.decide(membership, accept, actor=request.user, request=request),
                 _("Decision saved."))


@require_POST
@writer
def announce(request, pk):
    org = selectors.get_or_404(request.user, pk)
    form = AnnouncementForm(request.POST)
    if not form.is_valid():
        return _form_error(request, org, form)
    return _done(request, org, lambda: memberships.announce(org, form.cleaned_data["title"], form.cleaned_data["text"],
                                                            actor=request.user, request=request),
                 _("Announcement sent to the members."))


@require_POST
@writer
def add_activity(request, pk):
    org = selectors.get_or_404(request.user, pk)
    form = ActivityForm(request.POST)
    if not form.is_valid():
        return _form_error(request, org, form)
    data = form.cleaned_data
    if data["end"] <= data["start"]:
        messages.error(request, _("The end must be after the start."))
        return redirect("organizations:staff_org", pk=org.pk)
    return _done(request, org, lambda: memberships.add_activity(
        org, facility_id=data["facility_id"], title=data["title"], weekday=data["weekday"], start=data["start"],
        end=data["end"], places=data["places"], actor=request.user, request=request), _("Activity added."))


@require_POST
@writer
def award_grade(request, pk):
    org = selectors.get_or_404(request.user, pk)
    form = AmateurGradeForm(request.POST, org=org)
    if not form.is_valid():
        return _form_error(request, org, form)
    return _done(request, org, lambda: amateur.award(org, actor=request.user, request=request, **form.cleaned_data),
                 _("Amateur grade awarded."))


@writer
def export(request, pk):
    """The group's members as Excel, for the staff who run it (or oversee its division)."""
    org = selectors.get_or_404(request.user, pk)
    if not permissions.can_change(request.user, org):
        raise Http404
    rows = memberships.member_rows(org, request=request)
    return excel.xlsx_response(f"group-members-{org.pk}-{timezone.localdate():%Y%m%d}.xlsx",
                               [("成员", memberships.MEMBER_HEADERS, rows)])


def forms_for(org) -> dict:
    """What the detail page shows of members, announcements and activities."""
    return {"pending": memberships.members(org, "pending"), "active_members": memberships.members(org, "active")[:200],
            "announcements": org.announcements.all()[:5],
            "amateur_form": AmateurGradeForm(org=org) if org.kind in amateur.AWARDING_KINDS else None,
            "amateur_grades": org.amateur_grades.select_related("user")[:50], "activities": org.activities.select_related("unit"),
            "announcement_form": AnnouncementForm(), "activity_form": ActivityForm(initial={"weekday": 5,
                                                                                           "start": datetime.time(9),
                                                                                           "end": datetime.time(10)})}
