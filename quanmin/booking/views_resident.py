"""The residents' booking pages, phone first: a site's days and slots, a slot with its price and
companions, the hold → confirm → (simulated) payment → QR flow, my bookings, certificate photos.

Views only parse, find the person's own objects (anyone else's booking is a 404) and call
quanmin.booking.services; errors come back as ServiceErrors whose message the page shows.
"""

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from quanmin.core import qr
from quanmin.core.errors import ServiceError
from quanmin.facilities.models import Site

from . import payments, pricing, selectors, services, services_resident
from .api_resident import calendar_response
from .errors import fail
from .models import Booking, Certificate, Payment, Slot, WaitlistEntry

MAX_NAME = 40
BASIS_LABELS = {
    "benefit": gettext_lazy("Free or low-fee hours"),
    "senior": gettext_lazy("Free for 60+"),
    "disabled": gettext_lazy("Free with a disability certificate"),
    "student": gettext_lazy("Student price"),
    "minor": gettext_lazy("Minor's price"),
    "standard": gettext_lazy("Standard price"),
    # Discounts a higher layer grants through services.take_discount (incentives).
    "voucher": gettext_lazy("Sports voucher used"),
    "points": gettext_lazy("Points used"),
}
UPCOMING = (Booking.Status.HELD, Booking.Status.CONFIRMED)


def _picked_day(raw: str, today: datetime.date, last: datetime.date) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(raw)
    except (TypeError, ValueError):
        return today
    return min(max(day, today), last)  # a day outside the window shows the nearest one


def _own_booking(request, pk: int) -> Booking:
    return get_object_or_404(Booking.objects.select_related("slot__unit__site", "payment"), pk=pk, user=request.user)


def _notices(user) -> dict:
    """What stops this person booking at all, shown before they pick a time."""
    if not user.is_authenticated:
        return {}
    until = services.suspended_until(user)
    return {"suspended_until": timezone.localtime(until) if until else None,
            "needs_real_name": not (user.real_name and user.id_number_hash)}


# -- a site's days and slots ------------------------------------------------------------------
def site_page(request, site_pk: int):
    site = get_object_or_404(Site, pk=site_pk)
    today = timezone.localdate()
    window = max(site.bookable_units.filter(active=True).values_list("window_days", flat=True), default=0)
    last = today + datetime.timedelta(days=window)
    day = _picked_day(request.GET.get("date", ""), today, last)
    units = selectors.site_availability(site, day, request.user) if site.status == Site.Status.OPEN else []
    for row in units:
        for s in row["slots"]:
            s["basis_label"] = BASIS_LABELS.get(s["basis"], "")
    days = [today + datetime.timedelta(days=n) for n in range((last - today).days + 1)]
    return render(request, "booking/resident/site.html", {
        "site": site, "day": day, "days": days, "today": today, "units": units,
        "has_units": site.bookable_units.filter(active=True).exists(), **_notices(request.user)})


# -- one slot: price, companions, hold or waitlist ------------------------------------------
def _slot_context(request, slot: Slot) -> dict:
    user, unit = request.user, slot.unit
    now = timezone.now()
    row = next((s for r in selectors.site_availability(unit.site, timezone.localtime(slot.start).date(), user, now)
                for s in r["slots"] if s["slot"].pk == slot.pk), None)
    quote = pricing.quote(user, slot, []) if user.is_authenticated else None
    context = {
        "slot": slot, "unit": unit, "site": unit.site, "row": row, "quote": quote,
        "basis_label": BASIS_LABELS.get(quote.basis if quote else (row or {}).get("basis", ""), ""),
        "companion_price": pricing.place_price(unit, slot, set())[0],
        "minor_price": pricing.place_price(unit, slot, {"minor"})[0],
        "cancel_until": slot.start - datetime.timedelta(hours=unit.cancel_hours),
        "companions": [{"i": i, "name": "", "minor": False} for i in range(services.companion_limit(slot))],
        "client_key": uuid.uuid4().hex, **_notices(user),
    }
    if user.is_authenticated:
        context["mine"] = Booking.objects.filter(user=user, slot=slot, status__in=UPCOMING).first()
        context["waiting"] = WaitlistEntry.objects.filter(user=user, slot=slot,
                                                          status=WaitlistEntry.Status.WAITING).first()
        if not context["mine"] and row and row.get("bookable"):
            context["in_the_way"] = services.rule_in_the_way(user, slot, now)
    return context


def _bookable_slot(slot_pk: int) -> Slot:
    return get_object_or_404(Slot.objects.select_related("unit__site"), pk=slot_pk, unit__active=True)


def slot_page(request, slot_pk: int):
    return render(request, "booking/resident/slot.html", _slot_context(request, _bookable_slot(slot_pk)))


def read_companions(post, limit: int) -> tuple[list[dict], list[dict]]:
    """Rows with a name are companions; a row ticked 'minor' without a name is an error.
    Returns (companions, every row as typed, so that the form can be shown again)."""
    rows = [{"i": i, "name": post.get(f"companion_{i}_name", "").strip()[:MAX_NAME],
             "minor": post.get(f"companion_{i}_minor") == "on"} for i in range(limit)]
    return [{"name": r["name"], "minor": r["minor"]} for r in rows if r["name"]], rows


def check_companions(rows: list[dict]) -> None:
    if any(r["minor"] and not r["name"] for r in rows):
        raise fail("companion_name", status=400)


@login_required
@require_POST
def hold_view(request, slot_pk: int):
    slot = _bookable_slot(slot_pk)
    key = request.POST.get("client_key", "").strip()[:64]
    companions, rows = read_companions(request.POST, services.companion_limit(slot))
    try:
        check_companions(rows)
        booking = services.hold(request.user, slot.pk, companions=companions, client_key=key)
    except ServiceError as exc:
        context = _slot_context(request, slot)
        context.update(error=exc.message, error_code=exc.code, companions=rows, client_key=key or context["client_key"],
                       companions_open=bool(companions) or exc.code in ("companion_name", "too_many_companions"))
        return render(request, "booking/resident/slot.html", context, status=exc.status)
    return redirect("booking:booking", pk=booking.pk)


@login_required
@require_POST
def waitlist_view(request, slot_pk: int):
    slot = _bookable_slot(slot_pk)
    try:
        services_resident.join_waitlist_checked(request.user, slot.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You are on the waitlist. If a place frees up, it is held for you and we tell you."))
    return redirect("booking:slot", slot_pk=slot.pk)


# -- a booking: confirm, pay, the QR, cancel --------------------------------------------------
@login_required
def booking_page(request, pk: int):
    booking = _own_booking(request, pk)
    payment = getattr(booking, "payment", None)
    now = timezone.now()
    deadline = services.free_cancellation_until(booking)
    context = {
        "booking": booking, "slot": booking.slot, "unit": booking.slot.unit, "site": booking.slot.unit.site,
        "payment": payment, "basis_label": BASIS_LABELS.get(booking.price_basis, ""),
        "cancel_until": deadline, "free_to_cancel": now <= deadline, "now": now,
        "held": booking.status == Booking.Status.HELD and booking.hold_expires_at and booking.hold_expires_at > now,
        "awaiting_payment": payment is not None and payment.status == Payment.Status.PENDING,
        # Confirming takes the person to an online payment; else the booking is paid at the venue.
        "pays_online": not payments.provider_for(booking).confirms_at_once,
        "cancellable": booking.status in UPCOMING and booking.slot.start > now,
        "offer": booking.channel == Booking.Channel.WAITLIST,
    }
    if booking.status in (Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN):
        context["qr"] = qr.qr_svg(booking.code, label=_("Check-in code %(code)s") % {"code": booking.code})
    return render(request, "booking/resident/booking.html", context)


@login_required
@require_POST
def confirm_view(request, pk: int):
    booking = _own_booking(request, pk)
    try:
        booking = services.confirm(booking)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("booking:booking", pk=booking.pk)
    if booking.status == Booking.Status.HELD:  # an online payment is waiting
        return redirect("booking:pay", pk=booking.pk)
    messages.success(request, _("Booking confirmed. Show the QR code at the entrance."))
    return redirect("booking:booking", pk=booking.pk)


@login_required
def pay_view(request, pk: int):
    """The simulated online provider's page: in development and tests it stands where WeChat Pay or
    Alipay would; elsewhere it says that online payment is not available here."""
    booking = _own_booking(request, pk)
    payment = getattr(booking, "payment", None)
    if payment is None or payment.status != Payment.Status.PENDING or booking.status != Booking.Status.HELD:
        return redirect("booking:booking", pk=booking.pk)
    if request.method == "POST":
        try:
            services_resident.complete_simulated_payment(request.user, payment.reference)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("booking:booking", pk=booking.pk)
        messages.success(request, _("Paid. Your booking is confirmed."))
        return redirect("booking:booking", pk=booking.pk)
    return render(request, "booking/resident/pay.html", {
        "booking": booking, "payment": payment, "slot": booking.slot, "unit": booking.slot.unit,
        "simulation_on": services_resident.simulated_payments_on()})


@login_required
@require_POST
def cancel_view(request, pk: int):
    booking = _own_booking(request, pk)
    was_held = booking.status == Booking.Status.HELD
    try:
        services.cancel(booking, by=request.user, reason=request.POST.get("reason", "").strip()[:200])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The hold is released.") if was_held else _("Your booking is cancelled."))
    return redirect("booking:booking", pk=booking.pk)


@login_required
def ics_view(request, pk: int):
    return calendar_response(_own_booking(request, pk))


# -- my bookings ------------------------------------------------------------------------------
@login_required
def mine_page(request):
    user, now = request.user, timezone.now()
    mine = Booking.objects.filter(user=user).select_related("slot__unit__site", "payment")
    upcoming_q = {"status__in": UPCOMING, "slot__end__gte": now}
    past = Paginator(mine.exclude(**upcoming_q).order_by("-slot__start", "-pk"), 20).get_page(request.GET.get("page"))
    waitlist = (WaitlistEntry.objects.filter(user=user, status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
                                             slot__start__gt=now)
                .select_related("slot__unit__site", "offer").order_by("slot__start"))
    return render(request, "booking/resident/mine.html", {
        "upcoming": list(mine.filter(**upcoming_q).order_by("slot__start", "pk")), "past": past,
        "waitlist": list(waitlist), "now": now, **_notices(user),
        "pending_certificates": Certificate.objects.filter(user=user, status=Certificate.Status.PENDING).count()})


# -- certificates -----------------------------------------------------------------------------
@login_required
def certificates_page(request):
    error, status, kind = None, 200, ""
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        try:
            services_resident.add_certificate(request.user, kind=kind, image=request.FILES.get("image"), request=request)
        except ServiceError as exc:
            error, status = exc, exc.status
        else:
            messages.success(request, _("Thank you. Staff will check the certificate; the reduced price applies once it is verified."))
            return redirect("booking:certificates")
    return render(request, "booking/resident/certificates.html", {
        "certificates": Certificate.objects.filter(user=request.user).order_by("-created_at")[:50],
        "kinds": Certificate.Kind.choices, "kind": kind, "error": error}, status=status)
