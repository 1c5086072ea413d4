"""Settlement with venues, and the report of suspicious patterns.

Staff draft a settlement for one venue, campaign and period from its redeemed vouchers not yet
settled (each voucher lands on one settlement: its `settlement` is set under the voucher's own
conditional UPDATE); the venue's operator confirms it; the bureau (division staff of the campaign's
division) approves it for payment. Each voucher keeps the trail: claimed (who, when, from which
phone and address), redeemed (where, when, by which operator, for what bill), settled (which line).
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.core.indicators import local_span
from quanmin.facilities.models import OpeningRule, Site

from .errors import fail, invalid
from .models import CampaignSite, Settlement, Voucher, VoucherCampaign
from .vouchers import operator_sites


def draft(user, campaign: VoucherCampaign, site_id: int, first: datetime.date, last: datetime.date, *,
          request=None) -> Settlement:
    if not scoping.can_write_region(user, campaign.region_id):
        raise fail("not_found")
    if not isinstance(first, datetime.date) or not isinstance(last, datetime.date) or last < first:
        raise invalid(_("The period ends on or after its first day."), "period_end")
    if not CampaignSite.objects.filter(campaign=campaign, site_id=site_id).exists():
        raise fail("site_unknown", status=400)
    start, end = local_span(first, last)
    try:
        with transaction.atomic():
            settlement = Settlement.objects.create(campaign=campaign, site_id=site_id, period_start=first,
                                                   period_end=last, created_by=user)
            lines = Voucher.objects.filter(campaign=campaign, site_id=site_id, status=Voucher.Status.REDEEMED,
                                           settlement__isnull=True, redeemed_at__gte=start, redeemed_at__lt=end)
            taken = lines.update(settlement=settlement)
            if not taken:
                raise fail("nothing_to_settle")
            sums = settlement.lines.aggregate(n=Count("pk"), spend=Sum("spend"), discount=Sum("discount"))
            settlement.vouchers, settlement.consumption, settlement.subsidy = sums["n"], sums["spend"], sums["discount"]
            settlement.save(update_fields=["vouchers", "consumption", "subsidy"])
    except IntegrityError:
        raise fail("nothing_to_settle") from None
    audit.record("settlement_draft", request=request, actor=user, obj=settlement, region_code=campaign.region_id,
                 detail={"vouchers": settlement.vouchers, "subsidy": str(settlement.subsidy)})
    return settlement


def confirm(user, settlement: Settlement, *, request=None) -> Settlement:
    """The venue agrees with the figures (an operator of that venue)."""
    if settlement.site_id not in operator_sites(user) and not scoping.is_superuser(user):
        raise fail("not_venue", status=403)
    now = timezone.now()
    if not Settlement.objects.filter(pk=settlement.pk, status=Settlement.Status.DRAFT).update(
            status=Settlement.Status.CONFIRMED, confirmed_by=user, confirmed_at=now):
        raise fail("settlement_status")
    settlement.refresh_from_db()
    audit.record("settlement_confirm", request=request, actor=user, obj=settlement)
    return settlement


def approve(user, settlement: Settlement, *, request=None) -> Settlement:
    """The bureau approves a confirmed settlement for payment."""
    if not scoping.can_write_region(user, settlement.campaign.region_id):
        raise fail("not_found")
    now = timezone.now()
    if not Settlement.objects.filter(pk=settlement.pk, status=Settlement.Status.CONFIRMED).update(
            status=Settlement.Status.APPROVED, approved_by=user, approved_at=now):
        raise fail("settlement_status")
    settlement.refresh_from_db()
    audit.record("settlement_approve", request=request, actor=user, obj=settlement)
    return settlement


def trail_rows(settlement: Settlement):
    """One row per voucher of the settlement: its claim, its redemption, its line."""
    for v in settlement.lines.select_related("campaign", "operator").order_by("redeemed_at", "pk"):
        yield [v.code, v.campaign.name, timezone.localtime(v.claimed_at).strftime("%Y-%m-%d %H:%M"),
               timezone.localtime(v.redeemed_at).strftime("%Y-%m-%d %H:%M") if v.redeemed_at else "",
               _("Booking") if v.booking_id else _("At the counter"),
               v.operator.display_name if v.operator_id else "", v.spend, v.discount, settlement.pk]


TRAIL_HEADERS = [_("Voucher code"), _("Campaign"), _("Claimed"), _("Redeemed"), _("Where"), _("Operator"),
                 _("Consumption (yuan)"), _("Subsidy (yuan)"), _("Settlement")]


def summary_rows(settlements):
    names = dict(Site.objects.filter(pk__in={s.site_id for s in settlements}).values_list("pk", "name"))
    for s in settlements:
        yield [s.pk, s.campaign.name, names.get(s.site_id, ""), s.period_start.isoformat(), s.period_end.isoformat(),
               s.vouchers, s.consumption, s.subsidy, s.get_status_display()]


SUMMARY_HEADERS = [_("Settlement"), _("Campaign"), _("Venue"), _("From"), _("To"), _("Vouchers redeemed"),
                   _("Consumption (yuan)"), _("Subsidy (yuan)"), _("Status")]


# --- suspicious patterns ---------------------------------------------------------------------------

SAME_PLACE = 3  # redemptions of one person at one venue in one campaign before it is worth a look


def suspicious(campaign: VoucherCampaign) -> dict:
    """What a bureau looks at before paying: persons with many redemptions at one venue, redemptions
    at the counter outside the venue's opening hours, and phones or addresses many claims came from."""
    redeemed = Voucher.objects.filter(campaign=campaign, status=Voucher.Status.REDEEMED)
    names = dict(Site.objects.filter(pk__in=redeemed.values("site_id")).values_list("pk", "name"))
    repeat = [{"person": row["user__real_name"] or "", "site": names.get(row["site_id"], ""), "count": row["n"]}
              for row in redeemed.values("person_key", "site_id", "user__real_name").annotate(n=Count("pk"))
              .filter(n__gte=SAME_PLACE).order_by("-n")[:100]]
    hours = defaultdict(list)
    for site_id, weekday, opens, closes in OpeningRule.objects.filter(
            site_id__in=list(names), facility__isnull=True).values_list("site_id", "weekday", "opens", "closes"):
        hours[site_id, weekday].append((opens, closes))
    outside = []
    for v in redeemed.filter(booking__isnull=True, site_id__in=[s for s, _w in hours]).select_related("user").order_by("redeemed_at"):
        local = timezone.localtime(v.redeemed_at)
        spans = hours.get((v.site_id, local.weekday()), [])
        if not any(opens <= local.time() < closes for opens, closes in spans):
            outside.append({"code": v.code, "site": names.get(v.site_id, ""), "at": local.strftime("%Y-%m-%d %H:%M"),
                            "person": v.user.real_name})
    shared = [{"kind": _("Phone"), "count": row["n"]} for row in
              Voucher.objects.filter(campaign=campaign).exclude(device_key="").values("device_key")
              .annotate(n=Count("pk")).filter(n__gt=1).order_by("-n")[:50]]
    shared += [{"kind": _("Network address"), "count": row["n"]} for row in
               Voucher.objects.filter(campaign=campaign).exclude(address_key="").values("address_key")
               .annotate(n=Count("pk")).filter(n__gt=max(campaign.per_address // 2, 5)).order_by("-n")[:50]]
    return {"repeat": repeat, "outside_hours": outside[:200], "shared": shared}


def campaign_figures(campaign: VoucherCampaign) -> dict:
    sums = Voucher.objects.filter(campaign=campaign, status=Voucher.Status.REDEEMED).aggregate(
        n=Count("pk"), spend=Sum("spend"), discount=Sum("discount"))
    spend, discount = sums["spend"] or Decimal(0), sums["discount"] or Decimal(0)
    return {"claimed": Voucher.objects.filter(campaign=campaign).exclude(status=Voucher.Status.RETURNED).count(),
            "redeemed": sums["n"], "consumption": spend, "subsidy": discount,
            "leverage": (spend / discount).quantize(Decimal("0.01")) if discount else None}
