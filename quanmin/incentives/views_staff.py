"""Staff pages under /staff/incentives/: the points rules of the cities in scope, the points and
voucher figures, voucher campaigns (new, venues joining, publication, closing), a campaign's
figures, settlements and suspicious patterns, a settlement's lines (approval, Excel).

Objects outside the user's scope answer 404 (accounts.scoping); writes go through the services.
"""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError
from quanmin.facilities.models import Site
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import indicators, points, selectors, settlements, spending, vouchers
from .models import Fact, PointsRule, Settlement, VoucherCampaign

reader = role_required(lambda u: scoping.is_division_staff(u))
writer = role_required(lambda u: scoping.is_division_staff(u, write=True))


def _campaign(request, pk: int, write: bool = False) -> VoucherCampaign:
    return scoping.get_scoped_or_404(request.user, VoucherCampaign.objects.select_related("region"), write, pk=pk)


@reader
def index_page(request):
    today = timezone.localdate()
    tops = list(scoping.top_regions(request.user)[:5])
    figures = indicators.summary([r.code for r in tops], today)
    cities = selectors.cities_of(request.user)
    return render(request, "incentives/staff/index.html", {
        "campaigns": scoping.scoped(request.user, VoucherCampaign.objects.select_related("region"))[:100],
        "rules": scoping.scoped(request.user, PointsRule.objects.select_related("city")).order_by("city_id", "fact"),
        "facts": Fact.choices, "cities": cities, "rates": spending.rates_for(cities),
        "writable_cities": [c for c in cities if scoping.can_write_region(request.user, c.code)],
        "figures": [(r, figures[r.code]) for r in tops],
        "can_write": scoping.is_division_staff(request.user, write=True)})


def _city_form(request, save, done: str):
    """A form posted for one city (its city staff only: anyone else's city answers 404)."""
    city = Region.objects.filter(pk=request.POST.get("city", "")[:12], level="city").first()
    if city is None or not scoping.can_write_region(request.user, city.code):
        raise Http404
    try:
        save(city, request.POST.dict(), by=request.user, request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("incentives:staff")


@writer
@require_POST
def rule_view(request):
    return _city_form(request, points.save_rule, _("Points rule saved."))


@writer
@require_POST
def points_settings_view(request):
    """A city's rate and cap for spending points."""
    return _city_form(request, spending.save_settings, _("Points rate and cap saved."))


@writer
def new_page(request):
    regions = list(scoping.top_regions(request.user, write=True)[:20])
    data = {}
    if request.method == "POST":
        data = request.POST.dict()
        region = Region.objects.filter(pk=data.get("region", "")[:12]).first()
        if region is None or not scoping.can_write_region(request.user, region.code):
            raise Http404
        try:
            fields = {**data, "bands": vouchers.parse_bands_text(data.get("bands", "")),
                      "return_unused": data.get("return_unused") == "on",
                      "benefit_hours_only": data.get("benefit_hours_only") == "on"}
            campaign = vouchers.create_campaign(request.user, region, fields, request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Campaign saved as a draft: add the venues, then publish it."))
            return redirect("incentives:staff_campaign", pk=campaign.pk)
    return render(request, "incentives/staff/new.html", {"regions": regions, "data": data})


@reader
def campaign_page(request, pk: int):
    campaign = _campaign(request, pk)
    write = scoping.can_write_region(request.user, campaign.region_id)
    joined = selectors.venues(campaign)
    sites = []
    if write:
        sites = list(Site.objects.filter(region__code__startswith=codes.prefix(campaign.region_id), status=Site.Status.OPEN)
                     .exclude(pk__in=[j.site_id for j in joined]).order_by("name")[:300])
    rows = list(campaign.settlements.order_by("-period_end", "site_id"))
    names = selectors.site_names({s.site_id for s in rows})
    today = timezone.localdate()
    return render(request, "incentives/staff/campaign.html", {
        "campaign": campaign, "joined": joined, "sites": sites, "write": write,
        "figures": settlements.campaign_figures(campaign), "bands": vouchers.bands_text(campaign.bands),
        "settlements": [(s, names.get(s.site_id, "")) for s in rows], "suspicious": settlements.suspicious(campaign),
        "period_start": today.replace(day=1), "period_end": today})


@writer
@require_POST
def venue_view(request, pk: int):
    campaign = _campaign(request, pk, write=True)
    site = Site.objects.filter(pk=request.POST.get("site", "0") if request.POST.get("site", "").isdigit() else 0).first()
    try:
        if site is None:
            raise vouchers.fail("site_unknown", status=400)
        vouchers.add_venue(request.user, campaign, site, commercial=request.POST.get("commercial") == "on", request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("incentives:staff_campaign", pk=campaign.pk)


@writer
@require_POST
def publish_view(request, pk: int):
    campaign = _campaign(request, pk, write=True)
    try:
        vouchers.publish(request.user, campaign, request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Campaign published: residents can claim from its opening time."))
    return redirect("incentives:staff_campaign", pk=campaign.pk)


@writer
@require_POST
def close_view(request, pk: int):
    campaign = _campaign(request, pk, write=True)
    vouchers.close(request.user, campaign, request=request)
    messages.success(request, _("Campaign closed: no more claims."))
    return redirect("incentives:staff_campaign", pk=campaign.pk)


def _date(value: str):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@writer
@require_POST
def settle_view(request, pk: int):
    campaign = _campaign(request, pk, write=True)
    site = request.POST.get("site", "")
    try:
        settlement = settlements.draft(request.user, campaign, int(site) if site.isdigit() else 0,
                                       _date(request.POST.get("period_start")), _date(request.POST.get("period_end")),
                                       request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("incentives:staff_campaign", pk=campaign.pk)
    messages.success(request, _("Settlement drafted: the venue confirms it next."))
    return redirect("incentives:staff_settlement", pk=settlement.pk)


def _settlement(request, pk: int, write: bool = False) -> Settlement:
    found = scoping.get_scoped_or_404(request.user, Settlement.objects.select_related("campaign"), write, pk=pk)
    if not scoping.is_division_staff(request.user, write=write):
        raise Http404
    return found


@reader
def settlement_page(request, pk: int):
    settlement = _settlement(request, pk)
    return render(request, "incentives/staff/settlement.html", {
        "settlement": settlement, "site": Site.objects.filter(pk=settlement.site_id).first(),
        "lines": settlement.lines.select_related("operator", "user").order_by("redeemed_at")[:500],
        "can_approve": scoping.can_write_region(request.user, settlement.campaign.region_id)})


@reader
def settlement_xlsx(request, pk: int):
    return selectors.settlement_workbook(_settlement(request, pk))


@reader
def campaign_xlsx(request, pk: int):
    return selectors.settlements_workbook(_campaign(request, pk))


@writer
@require_POST
def approve_view(request, pk: int):
    settlement = _settlement(request, pk, write=True)
    try:
        settlements.approve(request.user, settlement, request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Settlement approved for payment."))
    return redirect("incentives:staff_settlement", pk=settlement.pk)
