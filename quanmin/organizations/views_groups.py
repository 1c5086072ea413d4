"""Residents' pages (phone-sized): find a group near me (map and list), a group's page with its
sessions and announcements, join and leave, my groups and my amateur grades."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from quanmin.facilities import basemap
from quanmin.facilities.views_finder import distance_label

from . import amateur, memberships, sports
from .errors import OrganizationError
from .models import Organization

Org = Organization
MAP_POINTS = 500


class FindForm(forms.Form):
    sport = forms.ChoiceField(label=gettext_lazy("Sport"), required=False, choices=())
    meets = forms.ChoiceField(label=gettext_lazy("When"), required=False,
                              choices=[("", gettext_lazy("Any time")), *Org.Time.choices])
    region = forms.CharField(label=gettext_lazy("Division code"), required=False, max_length=12)
    open = forms.BooleanField(label=gettext_lazy("Taking new members"), required=False)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sport"].choices = [("", _("All sports")), *sports.choices()]


def find(request):
    form = FindForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    lat, lon = params.get("lat"), params.get("lon")
    if lat is not None and lon is not None:
        lon, lat = basemap.from_map(lon, lat)
        found = memberships.find_groups(params, lat=lat, lon=lon)
    else:
        found = memberships.find_groups(params)
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    for org in page:
        org.distance = distance_label(getattr(org, "distance_m", None))
        org.sport_labels = [sports.label(s) for s in org.sport_codes]
    points = [{"point": basemap.to_map(o.lat, o.lon), "name": o.name, "url": str(o.pk)}
              for o in page if o.lat is not None]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "organizations/groups/find.html", {
        "form": form, "page": page, "query": query.urlencode(), "near": lat is not None,
        "map": {**basemap.settings_for_page(), "points": points[:MAP_POINTS]},
    })


def group(request, pk):
    org = memberships.public_groups().filter(pk=pk).first()
    if org is None:
        raise Http404
    mine = memberships.membership_of(request.user, org)
    announcements = org.announcements.all()[:10] if mine and mine.status == "active" else []
    return render(request, "organizations/groups/group.html", {
        "org": org, "mine": mine, "sports": [sports.label(s) for s in org.sport_codes],
        "sessions": memberships.upcoming_sessions(org), "announcements": announcements,
        "needs_guardian": request.user.is_authenticated and memberships._needs_guardian(request.user),
        "map": {**basemap.settings_for_page(), "points": [{"point": basemap.to_map(org.lat, org.lon), "name": org.name, "url": ""}]}
        if org.lat is not None else None,
    })


@require_POST
@login_required
def join(request, pk):
    try:
        membership = memberships.join(request.user, pk, message=request.POST.get("message", ""),
                                      guardian_name=request.POST.get("guardian_name", ""),
                                      guardian_relation=request.POST.get("guardian_relation", ""), request=request)
    except OrganizationError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Welcome to the group.") if membership.status == "active"
                         else _("Your request was sent to the group's staff."))
    return redirect("organizations:group", pk=pk)


@require_POST
@login_required
def leave(request, pk):
    try:
        memberships.leave(request.user, pk, request=request)
    except OrganizationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("You left the group."))
    return redirect("organizations:group", pk=pk)


@login_required
def mine(request):
    grades = amateur.grades_of(request.user)
    for g in grades:
        g.sport_label = sports.label(g.sport)
    return render(request, "organizations/groups/mine.html", {"memberships": memberships.my_groups(request.user),
                                                              "grades": grades})
