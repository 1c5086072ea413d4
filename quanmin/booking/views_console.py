"""The operator console: the day grid, a slot's bookings, walk-ins, venue cancellations, the day's list,
exports, check-in at the gate, and hourly visitor counts."""

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from quanmin.core.errors import ServiceError
from quanmin.core.excel import xlsx_response

from . import figures, permissions, services, services_console
from .errors import fail
from .forms_staff import CodeForm, ReasonForm, VisitCountForm, WalkInForm, parse_day
from .models import Booking, Slot
from .selectors import bookings_between, code_from, day_grid, walk_in_places, who
from .views_staff import get_site, reader, writer

EXPORT_MAX_DAYS = 366


def _back(request, fallback):
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect(fallback)


def _day_nav(day: datetime.date) -> dict:
    one = datetime.timedelta(days=1)
    return {"day": day, "prev_day": day - one, "next_day": day + one, "today": timezone.localdate()}


@reader
def day(request, site_id):
    site = get_site(request, site_id)
    the_day = parse_day(request.GET.get("date"))
    return render(request, "booking/staff/day.html", {
        "site": site, "grid": day_grid(site, the_day), "can_write": permissions.can_write_site(request.user, site),
        **_day_nav(the_day),
    })


@reader
def slot_detail(request, slot_id):
    slot = permissions.get_or_404(request.user, Slot.objects.select_related("unit__site"), pk=slot_id)
    bookings = list(slot.bookings.select_related("user").order_by("created_at"))
    for b in bookings:
        b.who = who(b)
    return render(request, "booking/staff/slot.html", {
        "slot": slot, "unit": slot.unit, "site": slot.unit.site, "bookings": bookings,
        "can_write": permissions.can_write_site(request.user, slot.unit.site), "walk_in_form": WalkInForm(),
        "day": timezone.localtime(slot.start).date(),
    })


@writer
@require_POST
def walk_in(request, slot_id):
    slot = permissions.get_or_404(request.user, Slot.objects.all(), write=True, pk=slot_id)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number of people."))
    else:
        try:
            people = form.cleaned_data["places"]
            booking = services_console.walk_in(request.user, slot.pk, places=walk_in_places(slot, people), people=people,
                                               name=form.cleaned_data["name"])
        except ServiceError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Walk-in recorded: %(n)s people, code %(code)s.") % {
                "n": booking.places, "code": booking.code})
    return _back(request, reverse("booking:staff_slot", args=[slot.pk]))


@writer
@require_POST
def cancel(request, booking_id):
    booking = permissions.get_or_404(request.user, Booking.objects.select_related("slot"), write=True, pk=booking_id)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise fail("reason_required", status=400)
        services.cancel(booking, by=request.user, by_venue=True, reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Booking %(code)s cancelled; the person is told why.") % {"code": booking.code})
    return _back(request, reverse("booking:staff_slot", args=[booking.slot_id]))


@reader
def day_list(request, site_id):
    site = get_site(request, site_id)
    the_day = parse_day(request.GET.get("date"))
    bookings = list(bookings_between(site, the_day, the_day))
    for b in bookings:
        b.who = who(b)
    totals = {s: sum(b.places for b in bookings if b.status == s) for s in Booking.Status.values}
    return render(request, "booking/staff/day_list.html", {
        "site": site, "bookings": bookings, "totals": totals, "can_write": permissions.can_write_site(request.user, site),
        **_day_nav(the_day),
    })


def _phone(user, cache: dict) -> str:
    if user is None:
        return ""
    if user.pk not in cache:
        cache[user.pk] = user.phone_masked
    return cache[user.pk]


@reader
def export(request, site_id):
    site = get_site(request, site_id)
    first = parse_day(request.GET.get("from"))
    last = parse_day(request.GET.get("to"), first)
    if last < first or (last - first).days >= EXPORT_MAX_DAYS:
        messages.error(request, _("Choose a range of at most a year, the end after the start."))
        return redirect("booking:staff_day_list", site_id=site.pk)
    phones = {}
    rows = ((timezone.localtime(b.slot.start).strftime("%Y-%m-%d"), timezone.localtime(b.slot.start).strftime("%H:%M"),
             timezone.localtime(b.slot.end).strftime("%H:%M"), b.slot.unit.name, b.code, str(b.get_status_display()),
             str(b.get_channel_display()), who(b), _phone(b.user, phones), b.places, float(b.price), b.price_basis,
             timezone.localtime(b.checked_in_at).strftime("%H:%M") if b.checked_in_at else "",
             b.cancel_reason) for b in bookings_between(site, first, last).iterator(chunk_size=500))
    headers = [_("Date"), _("Starts"), _("Ends"), pgettext("bookable unit", "Unit"), pgettext("booking", "Code"), _("Status"), _("Channel"), _("Name"),
               _("Mobile number"), _("People"), _("Price (yuan)"), _("Price basis"), _("Arrived at"), _("Reason")]
    name = f"bookings-{site.pk}-{first:%Y%m%d}" + (f"-{last:%Y%m%d}" if last != first else "") + ".xlsx"
    return xlsx_response(name, [(_("Bookings"), headers, rows)])


@writer
def check_in(request):
    """The gate's phone page: scan the QR (BarcodeDetector) or type the code."""
    form = CodeForm(request.POST or None)
    result = error = booking = None
    status = 200
    if request.method == "POST" and form.is_valid():
        code = code_from(form.cleaned_data["code"])
        # Only bookings of one's own venues: anyone else's code is "not found".
        booking = (permissions.scoped(request.user, Booking.objects.select_related("slot__unit", "user"), write=True)
                   .filter(code=code).first())
        try:
            if booking is None:
                raise fail("not_found")
            already = booking.status == Booking.Status.CHECKED_IN
            result = services.check_in(code, staff=request.user)
            result.who, result.already = who(result), already
        except ServiceError as exc:
            error, status = exc, exc.status
            if booking is not None:  # found but not admissible: show which booking, so staff can explain
                booking.who = who(booking)
        form = CodeForm()
    return render(request, "booking/staff/check_in.html", {
        "form": form, "result": result, "error": error, "booking": booking if error else None,
        "camera_error": _("The camera could not be opened: type the code instead."),
    }, status=status)


@reader
def visits(request, site_id):
    site = get_site(request, site_id)
    the_day = parse_day(request.GET.get("date"))
    rows = figures.hourly_visits(site, the_day)
    return render(request, "booking/staff/visits.html", {
        "site": site, "rows": rows, "totals": figures.visits_by_source(rows),
        "form": VisitCountForm(initial={"hour": timezone.localtime().hour, "date": the_day}),
        "can_write": permissions.can_write_site(request.user, site), **_day_nav(the_day),
        "api_url": f"/api/v1/booking/staff/sites/{site.pk}/visits?date={the_day.isoformat()}",
        "chart": {"hours": [f"{r['hour']:02d}" for r in rows], "in": [r["in"] for r in rows],
                  "out": [r["out"] for r in rows], "labels": {"in": _("In"), "out": _("Out")}},
    })


@writer
@require_POST
def visit_count(request, site_id):
    site = get_site(request, site_id, write=True)
    the_day = parse_day(request.POST.get("date"))
    form = VisitCountForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        hour = timezone.make_aware(datetime.datetime.combine(d["date"] or the_day, datetime.time(d["hour"])))
        try:
            services_console.record_visit_count(site, hour, count_in=d["count_in"], count_out=d["count_out"],
                                                staff=request.user, request=request)
        except ServiceError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Count saved."))
    elif "date" in form.errors:
        messages.error(request, form.errors["date"][0])
    else:
        messages.error(request, _("Counts are whole numbers from 0."))
    response = redirect("booking:staff_visits", site_id=site.pk)
    response["Location"] += f"?date={the_day.isoformat()}"
    return response
