"""The residents' pages, phone first: my points (balance, history, what they buy), my vouchers (each
with its QR code for the venue's counter), the open campaigns with a claim button, and the held
bookings a voucher or points can pay part of.

Views parse, find the person's own objects (anyone else's voucher is a 404) and call the services;
errors come back as ServiceErrors whose message the page shows.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import audit
from quanmin.core import qr
from quanmin.core.errors import ServiceError

from . import selectors, spending, vouchers
from .models import Voucher

DEVICE_COOKIE = "qm_device"


@login_required
def mine_page(request):
    user = request.user
    account = selectors.account(user)
    return render(request, "incentives/me/mine.html", {
        "account": account, "history": selectors.history(user).select_related("rule")[:50],
        "vouchers": Voucher.objects.filter(user=user).select_related("campaign").order_by("-claimed_at")[:50],
        "held": spending.with_most(selectors.held_bookings(user)[:10], lambda b: b.price,
                                   lambda b: b.slot.unit.site.region_id),
        "fees": spending.with_most(spending.open_entry_fees(user)[:10], lambda f: f.amount,
                                   lambda f: f.entry.competition.games.region_id) if account.balance > 0 else [],
        "usable": list(selectors.usable_vouchers(user)[:20]), "rate": spending.rate_for(user.home_region_id)})


def campaigns_page(request):
    response = render(request, "incentives/me/campaigns.html", {"campaigns": selectors.open_campaigns()[:50]})
    if not request.COOKIES.get(DEVICE_COOKIE):
        # The phone's own mark, for the per-phone limit (a cookie of a year; cleared, it is a new phone).
        response.set_cookie(DEVICE_COOKIE, secrets.token_hex(16), max_age=365 * 86400, httponly=True, samesite="Lax")
    return response


@login_required
@require_POST
def claim_view(request, pk: int):
    try:
        voucher = vouchers.claim(request.user, pk, device=request.COOKIES.get(DEVICE_COOKIE, ""),
                                 address=audit.client_ip(request) or "")
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("incentives:campaigns")
    messages.success(request, _("Voucher claimed. Show its code at the venue, or use it when you pay a booking."))
    return redirect("incentives:voucher", code=voucher.code)


@login_required
def voucher_page(request, code: str):
    voucher = get_object_or_404(Voucher.objects.select_related("campaign", "campaign__region"), user=request.user,
                                code=code.upper()[:12])
    context = {"voucher": voucher, "venues": selectors.venues(voucher.campaign)}
    if voucher.status == Voucher.Status.CLAIMED:
        context["qr"] = qr.qr_svg(voucher.code, label=_("Voucher %(code)s") % {"code": voucher.code})
    return render(request, "incentives/me/voucher.html", context)


@login_required
@require_POST
def use_voucher_view(request, pk: int):
    try:
        vouchers.redeem_for_booking(request.user, request.POST.get("voucher", ""), pk, request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("incentives:mine")
    messages.success(request, _("The voucher is taken off the price. Confirm the booking to finish."))
    return redirect("booking:booking", pk=pk)


def _spend(request, spend, pk: int, done: str, then):
    """Points off one of the person's own prices; an error goes back to their points page."""
    try:
        spend(request.user, pk, request.POST.get("points", ""), request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("incentives:mine")
    messages.success(request, done)
    return then


@login_required
@require_POST
def use_points_view(request, pk: int):
    return _spend(request, spending.points_for_booking, pk,
                  _("The points are taken off the price. Confirm the booking to finish."), redirect("booking:booking", pk=pk))


@login_required
@require_POST
def use_points_entry_view(request, pk: int):
    return _spend(request, spending.points_for_entry, pk, _("The points are taken off the entry fee."),
                  redirect("incentives:mine"))
