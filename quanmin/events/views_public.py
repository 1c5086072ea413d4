"""The residents' pages, phone first: upcoming events near me with filters and a month calendar, an
event's page (rules, schedule, venue, entry status), a competition with its entry form and results,
the .ics of an event, my entries (withdraw, accept an offer, submit an online result), and the
public check of an award's code.

Views parse, find the person's own objects (anyone else's entry is a 404) and call the services;
errors come back as ServiceErrors whose message the page shows.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.booking.ics import escape_text, fold, utc
from quanmin.booking.selectors import mask_name
from quanmin.booking.services_resident import simulated_payments_on
from quanmin.core import qr
from quanmin.core.errors import ServiceError
from quanmin.facilities import basemap, geo
from quanmin.facilities.views_finder import distance_label

from . import selectors, services, services_alerts, services_entries, services_fees, services_results
from .models import HOLDING, Alert, Award, Competition, Entry, Games, Sport, TargetGroup


def _filter_context(request) -> dict:
    filters = selectors.Filters.parse(request.GET)
    return {"filters": filters, "sports": Sport.choices, "groups": TargetGroup.choices,
            "levels": [(v, label) for v, label in Games._meta.get_field("level").choices]}


def list_page(request):
    context = _filter_context(request)
    games = selectors.upcoming(request.user, context["filters"])[:60]
    return render(request, "events/public/list.html", {**context, "games": games})


def origin_of(params) -> tuple[float, float] | None:
    """The point to measure from (lat, lon, WGS-84): the browser's location (src "me", WGS-84 as
    browsers report it) or a point picked on the map (src "map", in the tiles' datum); None when
    missing, malformed or outside China."""
    try:
        lat, lon = float(params.get("lat", "")), float(params.get("lon", ""))
    except (TypeError, ValueError):
        return None
    if params.get("src") == "map" and geo.in_china(lon, lat):
        lon, lat = basemap.from_map(lon, lat)
    return (lat, lon) if geo.in_china(lon, lat) else None


def radius_of(params) -> int:
    raw = params.get("radius", "")
    return int(raw) if raw.isdigit() and int(raw) in selectors.RADII_KM else selectors.DEFAULT_RADIUS_KM


def near_page(request):
    """Upcoming events on a map and in a list, nearest first from the browser's location or a
    point picked on the map (the finder's base map, facilities/basemap.js)."""
    context = _filter_context(request)
    origin, radius = origin_of(request.GET), radius_of(request.GET)
    venues = selectors.near(request.user, context["filters"], origin, radius)
    points = [{"id": v.games.pk, "at": basemap.to_map(v.lat, v.lon), "name": v.games.name, "venue": v.site_name,
               "url": reverse("events:games", args=[v.games.pk])} for v in venues]
    for v in venues:
        v.distance_label = distance_label(v.distance)
    return render(request, "events/public/near.html", {
        **context, "venues": venues, "origin": origin, "radius": radius, "map": basemap.settings_for_page(),
        "radii": [(r, distance_label(r * 1000)) for r in selectors.RADII_KM], "src": request.GET.get("src", ""),
        "lat": request.GET.get("lat", "")[:20], "lon": request.GET.get("lon", "")[:20],
        "near_map": {"points": points, "radius": radius * 1000,
                     "origin": basemap.to_map(*origin) if origin else None}})


def calendar_page(request):
    context = _filter_context(request)
    try:
        month = datetime.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        month = timezone.localdate().replace(day=1)
    weeks = selectors.month_grid(request.user, context["filters"], month)
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return render(request, "events/public/calendar.html", {**context, "weeks": weeks, "month": month,
                                                           "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
                                                           "previous": previous, "following": following})


def _published(pk: int) -> Games:
    return get_object_or_404(Games.objects.select_related("region", "parent"), pk=pk,
                             status=Games.Status.PUBLISHED)


def games_page(request, pk: int):
    """A published games, or a cancelled one saying so (for those who kept its address)."""
    games = get_object_or_404(Games.objects.select_related("region", "parent"), pk=pk,
                              status__in=(Games.Status.PUBLISHED, Games.Status.CANCELLED))
    competitions = list(games.competitions.select_related("site").order_by("starts_at", "pk"))
    now = timezone.now()
    for c in competitions:
        c.state = "cancelled" if games.status == Games.Status.CANCELLED else selectors.entry_state(c, now)
        c.state_label = _("Cancelled") if c.state == "cancelled" else selectors.ENTRY_STATE[c.state]
    return render(request, "events/public/games.html", {
        "games": games, "competitions": competitions, "rule": services.rule_check(games),
        "children": games.children.filter(status=Games.Status.PUBLISHED).select_related("region")[:50],
        "medals": services_results.medal_table(games)[:20]})


def competition_page(request, pk: int):
    competition = get_object_or_404(Competition.objects.select_related("games__region", "site"), pk=pk,
                                    games__status=Games.Status.PUBLISHED)
    state = selectors.entry_state(competition)
    results = competition.results.filter(review="accepted").select_related("entry__delegation").order_by(
        "round", "heat", "rank", "pk")[:200]
    return render(request, "events/public/competition.html", {
        "competition": competition, "games": competition.games, "state": state,
        "state_label": selectors.ENTRY_STATE[state], "mine": selectors.my_open_entry(request.user, competition),
        "delegations": competition.games.delegations.all() if competition.entries != "open" else [],
        "age_group": services_entries.age_group_label(competition), "results": results})


@login_required
@require_POST
def enter_view(request, pk: int):
    competition = get_object_or_404(Competition, pk=pk)
    delegation = request.POST.get("delegation") or None
    phones = [p for p in request.POST.get("members", "").split() if p.strip()][:100]
    try:
        members = services_entries.find_people(phones) if phones else []
        entry = services_entries.enter(
            request.user, competition.pk, delegation_id=int(delegation) if delegation and delegation.isdigit() else None,
            team_name=request.POST.get("team_name", ""), members=members,
            waitlist=request.POST.get("waitlist") == "1", request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("events:competition", pk=pk)
    messages.success(request, entry.get_status_display())
    if entry.status == Entry.Status.UNPAID:
        return redirect("events:pay", pk=entry.pk)
    return redirect("events:mine")


def ics_view(request, pk: int):
    games = _published(pk)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Quanmin//Events//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    stamp = utc(timezone.now())
    for c in games.competitions.select_related("site").order_by("starts_at", "pk")[:500]:
        lines += ["BEGIN:VEVENT", f"UID:competition-{c.pk}@quanmin", f"DTSTAMP:{stamp}", f"DTSTART:{utc(c.starts_at)}",
                  f"DTEND:{utc(c.ends_at)}", f"SUMMARY:{escape_text(f'{games.name} · {c.name}')}"]
        if c.site:
            lines.append(f"LOCATION:{escape_text(', '.join(p for p in (c.site.name, c.site.address) if p))}")
        if c.rules:
            lines.append(f"DESCRIPTION:{escape_text(c.rules[:1000])}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    body = "\r\n".join(fold(line) for line in lines) + "\r\n"
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{games.pk}.ics"'
    return response


# -- my entries -----------------------------------------------------------------------------------

@login_required
def mine_page(request):
    entries = list(selectors.my_entries(request.user)[:100])
    now = timezone.now()
    for e in entries:
        e.can_withdraw = e.status in (*HOLDING, "waiting") and e.competition.starts_at > now
        e.can_submit = e.status == "confirmed" and e.competition.games.mode != Games.Mode.OFFLINE
    awards = Award.objects.filter(user=request.user).select_related("games")[:100]
    return render(request, "events/public/mine.html", {"entries": entries, "awards": awards})


@login_required
def alerts_page(request):
    """My event alerts (A11): a sport or any in an area; new events matching them come to my inbox."""
    if request.method == "POST":
        try:
            services_alerts.add_alert(request.user, sport=request.POST.get("sport", ""),
                                      region_code=request.POST.get("region", ""))
            messages.success(request, _("Alert saved: new events like this will come to your messages."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("events:alerts")
    alerts = Alert.objects.filter(user=request.user).select_related("region").order_by("pk")
    return render(request, "events/public/alerts.html", {
        "alerts": alerts, "sports": Sport.choices, "areas": services_alerts.areas(request.user),
        "home": request.user.home_region_id or ""})


@login_required
@require_POST
def alert_delete_view(request, pk: int):
    if services_alerts.remove_alert(request.user, pk):
        messages.success(request, _("Alert removed."))
    return redirect("events:alerts")


def _own_entry(request, pk: int) -> Entry:
    return get_object_or_404(Entry.objects.select_related("competition__games"), pk=pk, user=request.user)


@login_required
@require_POST
def withdraw_view(request, pk: int):
    try:
        services_entries.withdraw(request.user, _own_entry(request, pk), request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("events:mine")


@login_required
@require_POST
def accept_view(request, pk: int):
    try:
        services_entries.accept_offer(request.user, _own_entry(request, pk))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("events:mine")


@login_required
def pay_view(request, pk: int):
    """The entry fee's online payment. Here the simulated provider's page stands in for WeChat Pay or
    Alipay (development and tests); elsewhere it says that online payment is not available here."""
    entry = _own_entry(request, pk)
    fee = services_fees.fee_of(entry)
    if request.method == "POST":
        try:
            services_fees.pay_simulated(request.user, entry)
            messages.success(request, _("Paid: you are entered."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("events:mine")
    return render(request, "events/public/pay.html", {
        "entry": entry, "fee": fee, "waiting": fee is not None and entry.status == Entry.Status.UNPAID,
        "simulation_on": simulated_payments_on()})


@login_required
@require_POST
def submit_view(request, pk: int):
    entry = _own_entry(request, pk)
    try:
        services_results.submit_result(request.user, entry, value=request.POST.get("value", ""),
                                       evidence_url=request.POST.get("evidence_url", ""),
                                       evidence=request.FILES.get("evidence"), request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("events:mine")


def award_page(request, code: str):
    """Anyone may check an award's code (the QR on a printed certificate leads here)."""
    award = get_object_or_404(Award.objects.select_related("games", "user"), code=code.strip().upper()[:10])
    url = request.build_absolute_uri()
    return render(request, "events/public/award.html", {"award": award, "qr": qr.qr_svg(url, label=award.code),
                                                        "name": mask_name(award.user.real_name)})
