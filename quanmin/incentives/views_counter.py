"""The venue operator's pages: redeem a voucher at the counter (scan its QR or type its code, enter
the bill) and confirm the venue's settlements. Only operators of a site (role "operator") reach
them; the service checks again that the venue is the operator's and joined the campaign."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError

from . import selectors, settlements, vouchers
from .models import Settlement, Voucher

operator_only = role_required(lambda u: bool(vouchers.operator_sites(u)))


@operator_only
def counter_page(request):
    sites = vouchers.operator_sites(request.user)
    names = selectors.site_names(sites)
    redeemed = None
    if request.method == "POST":
        try:
            site_id = int(request.POST.get("site", "0"))
        except ValueError:
            site_id = 0
        try:
            redeemed = vouchers.redeem_at_counter(request.user, request.POST.get("code", ""), site_id=site_id,
                                                  spend=request.POST.get("spend", ""), request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Voucher %(code)s redeemed: %(discount)s yuan off.") % {
                "code": redeemed.code, "discount": redeemed.discount})
    recent = (Voucher.objects.filter(site_id__in=sites, status=Voucher.Status.REDEEMED)
              .select_related("campaign").order_by("-redeemed_at")[:30])
    pending = Settlement.objects.filter(site_id__in=sites, status=Settlement.Status.DRAFT).select_related("campaign")
    return render(request, "incentives/counter.html", {
        "sites": sorted(names.items(), key=lambda kv: kv[1]), "recent": recent, "pending": pending,
        "names": names, "redeemed": redeemed, "posted": request.POST if request.method == "POST" and redeemed is None else {}})


@operator_only
@require_POST
def confirm_view(request, pk: int):
    settlement = get_object_or_404(Settlement, pk=pk)
    if settlement.site_id not in vouchers.operator_sites(request.user):
        raise PermissionDenied
    try:
        settlements.confirm(request.user, settlement, request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Settlement confirmed. The sports bureau approves it for payment."))
    return redirect("incentives:counter")
