"""Residents' pages (phone-sized): stations and instructor-led sessions near me (map and list, by
sport and day), a station with its next bookable sessions and its instructors' public cards, and an
instructor's public card."""


from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.facilities import basemap

from . import selectors
from .forms import WEEKDAYS, AskForm
from .models import Instructor, Sport, Station


def finder(request):
    qs = selectors.public_stations(request.GET)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    stations = list(page.object_list)
    sessions = selectors.upcoming_sessions(stations)
    return render(request, "people/finder.html", {
        "page": page, "sports": Sport.choices, "map": basemap.settings_for_page(),
        "rows": [(s, sessions[s.pk], basemap.to_map(s.site.lat, s.site.lon) if s.site and s.site.lat else None)
                 for s in stations],
        "f": selectors.filters_from(request.GET), "days": WEEKDAYS[:7],
        "day": request.GET.get("day", ""), "part": request.GET.get("part", ""),
        "parts": [("morning", _("Morning")), ("afternoon", _("Afternoon")), ("evening", _("Evening"))]})


def station(request, pk: int):
    found = Station.objects.filter(pk=pk, active=True).select_related("site", "region").first()
    if found is None:
        raise Http404
    sessions = selectors.upcoming_sessions([found], days=14)[found.pk]
    mine = (found.requests.filter(user=request.user).order_by("-created_at")[:5]
            if request.user.is_authenticated else [])
    return render(request, "people/station.html", {
        "s": found, "sessions": sessions, "today": timezone.localdate(), "ask_form": AskForm(), "my_questions": mine,
        "instructors": found.instructors.filter(status=Instructor.Status.ACTIVE).order_by("-grade", "id")[:50]})


def card(request, pk: int):
    found = selectors.public_card(pk)
    if found is None:
        raise Http404
    return render(request, "people/card.html", {"i": found, "stations": found.stations.filter(active=True),
                                                "year": timezone.localdate().year})
