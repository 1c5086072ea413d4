"""Reads of the incentives app that more than one caller needs: a person's account and history,
the open campaigns, the held bookings a discount can go to, and the settlement workbook."""

from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import scoping
from quanmin.booking.models import Booking
from quanmin.core.excel import xlsx_response
from quanmin.facilities.models import Site
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import settlements
from .models import PointsAccount, PointsEntry, Voucher, VoucherCampaign


def account(user) -> PointsAccount:
    return PointsAccount.objects.filter(user=user).first() or PointsAccount(user=user)


def cities_of(user) -> list[Region]:
    """The cities a staff member's divisions lie in (their own division when it is a city)."""
    tops = list(scoping.top_regions(user)[:5])
    return [r for r in tops if r.level == "city"] or list(
        Region.objects.filter(level="city", code__in=[codes.ancestor_at(r.code, "city") for r in tops]))


def history(user):
    return PointsEntry.objects.filter(user=user).order_by("-day", "-pk")


def open_campaigns(now=None):
    now = now or timezone.now()
    return (VoucherCampaign.objects.filter(status=VoucherCampaign.Status.OPEN, claim_ends_at__gt=now)
            .select_related("region").order_by("claim_starts_at", "pk"))


def held_bookings(user, now=None):
    """The person's held bookings with a price left to pay: where a voucher or points can go."""
    now = now or timezone.now()
    return (Booking.objects.filter(user=user, status=Booking.Status.HELD, hold_expires_at__gt=now, price__gt=0,
                                   payment__isnull=True)
            .exclude(price_basis__in=["voucher", "points"]).select_related("slot__unit__site").order_by("slot__start"))


def usable_vouchers(user, now=None):
    now = now or timezone.now()
    return (Voucher.objects.filter(user=user, status=Voucher.Status.CLAIMED, expires_at__gt=now)
            .select_related("campaign").order_by("expires_at"))


def venues(campaign: VoucherCampaign) -> list:
    return list(campaign.venues.select_related("site").order_by("site__name"))


def settlements_workbook(campaign: VoucherCampaign):
    """The campaign's settlements (one sheet) and every settled voucher's trail (another), for finance."""
    rows = list(campaign.settlements.select_related("campaign").order_by("period_start", "site_id"))
    trail = [line for s in rows for line in settlements.trail_rows(s)]
    return xlsx_response(f"settlements-{campaign.pk}.xlsx", [
        (_("Settlements"), settlements.SUMMARY_HEADERS, settlements.summary_rows(rows)),
        (_("Voucher trail"), settlements.TRAIL_HEADERS, trail),
    ])


def settlement_workbook(settlement):
    return xlsx_response(f"settlement-{settlement.pk}.xlsx", [
        (_("Settlement"), settlements.SUMMARY_HEADERS, settlements.summary_rows([settlement])),
        (_("Voucher trail"), settlements.TRAIL_HEADERS, list(settlements.trail_rows(settlement))),
    ])


def site_names(ids) -> dict:
    return dict(Site.objects.filter(pk__in=list(ids)).values_list("pk", "name"))
