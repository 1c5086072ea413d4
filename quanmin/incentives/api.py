"""The incentives API under /api/v1/incentives: residents' points and vouchers (claim, use on a held
booking, points on an entry fee), the venue operator's redemption at the counter, staff's rules, campaigns and settlements.

Endpoints parse, check scope (outside it: 404) and call the services; errors are codes with a
translated message (incentives/errors.py).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts import audit, scoping
from quanmin.accounts.api_auth import PUBLIC
from quanmin.booking.models import Booking
from quanmin.core.api import MAX_ID, ArrayPaging, Day, ErrorOut, Moment, Paging
from quanmin.events.models import EntryFee
from quanmin.facilities.models import Site
from quanmin.regions.models import Region

from . import honours, points, selectors, settlements, spending, vouchers
from .models import Nomination, PointsRule, Selection, Settlement, Voucher, VoucherCampaign

router = Router(tags=["incentives"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class IncentivePointsLineOut(Schema):
    kind: str
    points: int
    fact: str
    day: datetime.date
    expires_on: datetime.date | None
    capped: bool


class IncentivePointsOut(Schema):
    balance: int
    earned: int
    spent: int
    expired: int
    yuan_per_point: Decimal
    points_per_yuan: int
    max_share: int = Field(description="Points pay at most this share of a price, in per cent")


class IncentiveCampaignOut(Schema):
    id: int
    name: str
    region: str = Field(alias="region_id")
    face_value: Decimal
    threshold: Decimal
    total: int
    issued: int
    per_person: int
    claim_starts_at: datetime.datetime
    claim_ends_at: datetime.datetime
    use_until: datetime.datetime
    benefit_hours_only: bool
    bands: list[dict]
    status: str


class IncentiveVoucherOut(Schema):
    id: int
    campaign: int = Field(alias="campaign_id")
    code: str
    status: str
    claimed_at: datetime.datetime
    expires_at: datetime.datetime
    redeemed_at: datetime.datetime | None
    site: int | None = Field(alias="site_id")
    booking: int | None = Field(alias="booking_id")
    spend: Decimal | None
    discount: Decimal | None


class IncentiveUseVoucherIn(Schema):
    voucher: str = Field(..., min_length=1, max_length=20, description="The voucher's code or id")


class IncentiveUsePointsIn(Schema):
    points: int = Field(..., ge=1, le=10**9)


class IncentiveDiscountOut(Schema):
    booking: int
    price: Decimal
    price_basis: str


class IncentiveEntryDiscountOut(Schema):
    entry: int
    amount: Decimal
    discount: Decimal
    status: str


class IncentivePointsSettingsIn(Schema):
    city: str = Field(..., pattern=r"^\d{12}$")
    points_per_yuan: int = Field(..., ge=-10**9, le=10**9)
    max_share: int = Field(..., ge=-10**9, le=10**9)


class IncentivePointsSettingsOut(Schema):
    city: str
    points_per_yuan: int
    max_share: int
    custom: bool = Field(description="False: the city uses the platform's defaults")


class IncentiveRedeemIn(Schema):
    code: str = Field(..., min_length=1, max_length=20)
    site: int = Field(..., ge=1, le=MAX_ID)
    spend: Decimal = Field(..., gt=0, le=Decimal("99999999"), max_digits=10, decimal_places=2)


class IncentiveRuleIn(Schema):
    city: str = Field(..., pattern=r"^\d{12}$")
    fact: str = Field(..., max_length=20)
    points: int = Field(..., ge=-10**9, le=10**9)
    daily_cap: int | None = Field(None, ge=-10**9, le=10**9)
    yearly_cap: int | None = Field(None, ge=-10**9, le=10**9)
    starts_on: Day | None = None
    active: bool = True


class IncentiveRuleOut(Schema):
    id: int
    city: str = Field(alias="city_id")
    fact: str
    points: int
    daily_cap: int | None
    yearly_cap: int | None
    starts_on: datetime.date
    active: bool


class IncentiveCampaignIn(Schema):
    region: str = Field(..., pattern=r"^\d{12}$")
    name: str = Field(..., max_length=80)
    budget: Decimal = Field(..., max_digits=12, decimal_places=2)
    face_value: Decimal = Field(..., max_digits=8, decimal_places=2)
    threshold: Decimal = Field(Decimal("0"), max_digits=8, decimal_places=2)
    total: int = Field(..., ge=1, le=10**7)
    per_person: int = Field(1, ge=1, le=100)
    per_device: int = Field(1, ge=1, le=100)
    per_address: int = Field(50, ge=1, le=10**6)
    claim_starts_at: Moment
    claim_ends_at: Moment
    use_until: Moment
    valid_days: int | None = Field(None, ge=1, le=3650)
    return_unused: bool = True
    benefit_hours_only: bool = False
    bands: list[dict] = Field(default_factory=list, max_length=20)


class IncentiveVenueIn(Schema):
    site: int = Field(..., ge=1, le=MAX_ID)
    commercial: bool = False


class IncentiveVenueOut(Schema):
    site: int = Field(alias="site_id")
    commercial: bool


class IncentiveSettleIn(Schema):
    site: int = Field(..., ge=1, le=MAX_ID)
    period_start: Day
    period_end: Day


class IncentiveSettlementOut(Schema):
    id: int
    campaign: int = Field(alias="campaign_id")
    site: int = Field(alias="site_id")
    period_start: datetime.date
    period_end: datetime.date
    vouchers: int
    consumption: Decimal
    subsidy: Decimal
    status: str


class IncentiveCampaignFiguresOut(Schema):
    claimed: int
    redeemed: int
    consumption: Decimal
    subsidy: Decimal
    leverage: Decimal | None


# -- residents ------------------------------------------------------------------------------------

@router.get("/me/points", response=IncentivePointsOut, summary="My points")
def my_points(request):
    account = selectors.account(request.user)
    rate = spending.rate_for(request.user.home_region_id)
    return {"balance": account.balance, "earned": account.earned, "spent": account.spent, "expired": account.expired,
            "yuan_per_point": rate.yuan_per_point, "points_per_yuan": rate.points_per_yuan, "max_share": rate.max_share}


@router.get("/me/points/history", response=list[IncentivePointsLineOut], summary="My points history")
@paginate(Paging)
def my_points_history(request):
    return selectors.history(request.user)


@router.get("/campaigns", response=list[IncentiveCampaignOut], summary="Voucher campaigns open for claiming")
@paginate(Paging)
def open_campaigns(request):
    return selectors.open_campaigns()


@router.post("/campaigns/{campaign_id}/claim", response={201: IncentiveVoucherOut, **ERRORS}, summary="Claim a voucher")
def claim(request, campaign_id: int):
    if campaign_id > MAX_ID:
        raise Http404
    voucher = vouchers.claim(request.user, campaign_id, device=request.headers.get("X-Device-Id", ""),
                             address=audit.client_ip(request) or "")
    return Status(201, voucher)


@router.get("/me/vouchers", response=list[IncentiveVoucherOut], summary="My vouchers")
@paginate(Paging)
def my_vouchers(request):
    return Voucher.objects.filter(user=request.user).order_by("-claimed_at", "-pk")


def _discount_out(booking_id: int) -> dict:
    booking = Booking.objects.get(pk=booking_id)
    return {"booking": booking.pk, "price": booking.price, "price_basis": booking.price_basis}


@router.post("/bookings/{booking_id}/voucher", response={200: IncentiveDiscountOut, **ERRORS},
             summary="Use a voucher on my held booking")
def use_voucher(request, booking_id: int, body: IncentiveUseVoucherIn):
    if booking_id > MAX_ID:
        raise Http404
    vouchers.redeem_for_booking(request.user, body.voucher, booking_id, request=request)
    return _discount_out(booking_id)


@router.post("/bookings/{booking_id}/points", response={200: IncentiveDiscountOut, **ERRORS},
             summary="Use points on my held booking")
def use_points(request, booking_id: int, body: IncentiveUsePointsIn):
    if booking_id > MAX_ID:
        raise Http404
    spending.points_for_booking(request.user, booking_id, body.points, request=request)
    return _discount_out(booking_id)


@router.post("/entries/{entry_id}/points", response={200: IncentiveEntryDiscountOut, **ERRORS},
             summary="Use points on my entry fee")
def use_points_on_entry(request, entry_id: int, body: IncentiveUsePointsIn):
    if entry_id > MAX_ID:
        raise Http404
    spending.points_for_entry(request.user, entry_id, body.points, request=request)
    fee = EntryFee.objects.get(entry_id=entry_id)
    return {"entry": entry_id, "amount": fee.amount, "discount": fee.discount, "status": fee.status}


# -- the venue's counter --------------------------------------------------------------------------

@router.post("/counter/redeem", response={200: IncentiveVoucherOut, **ERRORS}, summary="Redeem a voucher at the venue's counter")
def redeem(request, body: IncentiveRedeemIn):
    return vouchers.redeem_at_counter(request.user, body.code, site_id=body.site, spend=body.spend, request=request)


@router.post("/settlements/{settlement_id}/confirm", response={200: IncentiveSettlementOut, **ERRORS},
             summary="The venue confirms its settlement")
def confirm_settlement(request, settlement_id: int):
    settlement = get_object_or_404(Settlement, pk=min(settlement_id, MAX_ID))
    return settlements.confirm(request.user, settlement, request=request)


# -- staff ----------------------------------------------------------------------------------------

def _staff(request, write: bool = False):
    if not scoping.is_division_staff(request.user, write=write):
        raise PermissionDenied


def _writable(request, code: str, **level) -> Region:
    """A division the staff member may write in (anything else: 404)."""
    _staff(request, write=True)
    region = Region.objects.filter(pk=code, **level).first()
    if region is None or not scoping.can_write_region(request.user, region.code):
        raise Http404
    return region


@router.get("/staff/rules", response=list[IncentiveRuleOut], summary="Points rules in my scope")
@paginate(ArrayPaging)
def rules(request):
    _staff(request)
    return scoping.scoped(request.user, PointsRule.objects.all()).order_by("city_id", "fact")


@router.post("/staff/rules", response={200: IncentiveRuleOut, **ERRORS}, summary="Set a city's points rule")
def save_rule(request, body: IncentiveRuleIn):
    _staff(request, write=True)
    city = Region.objects.filter(pk=body.city).first()
    if city is None or not scoping.can_write_region(request.user, city.code):
        raise Http404
    return points.save_rule(city, body.dict(), by=request.user, request=request)


def _rate_out(city: str, rate) -> dict:
    return {"city": city, "points_per_yuan": rate.points_per_yuan, "max_share": rate.max_share, "custom": rate.custom}


@router.get("/staff/points-settings", response=list[IncentivePointsSettingsOut],
            summary="The rate and cap for spending points of the cities in my scope")
@paginate(ArrayPaging)
def points_settings(request):
    _staff(request)
    return [_rate_out(city.code, rate) for city, rate in spending.rates_for(selectors.cities_of(request.user))]


@router.post("/staff/points-settings", response={200: IncentivePointsSettingsOut, **ERRORS},
             summary="Set a city's rate and cap for spending points")
def save_points_settings(request, body: IncentivePointsSettingsIn):
    city = _writable(request, body.city, level="city")
    row = spending.save_settings(city, body.dict(), by=request.user, request=request)
    return _rate_out(city.code, spending.Rate(row.points_per_yuan, row.max_share, True))


@router.get("/staff/campaigns", response=list[IncentiveCampaignOut], summary="Voucher campaigns in my scope")
@paginate(Paging)
def campaigns(request):
    _staff(request)
    return scoping.scoped(request.user, VoucherCampaign.objects.all())


@router.post("/staff/campaigns", response={201: IncentiveCampaignOut, **ERRORS}, summary="Create a voucher campaign")
def create_campaign(request, body: IncentiveCampaignIn):
    return Status(201, vouchers.create_campaign(request.user, _writable(request, body.region), body.dict(), request=request))


def _campaign(request, campaign_id: int, write: bool = False) -> VoucherCampaign:
    _staff(request, write)
    return scoping.get_scoped_or_404(request.user, VoucherCampaign.objects.all(), write, pk=min(campaign_id, MAX_ID))


@router.get("/staff/campaigns/{campaign_id}/figures", response={200: IncentiveCampaignFiguresOut, **ERRORS},
            summary="A campaign's claims, redemptions, consumption and leverage")
def campaign_figures(request, campaign_id: int):
    return settlements.campaign_figures(_campaign(request, campaign_id))


@router.post("/staff/campaigns/{campaign_id}/venues", response={201: IncentiveVenueOut, **ERRORS}, summary="A venue joins")
def add_venue(request, campaign_id: int, body: IncentiveVenueIn):
    campaign = _campaign(request, campaign_id, write=True)
    site = Site.objects.filter(pk=body.site).first()
    if site is None:
        raise vouchers.fail("site_unknown", status=400)
    return Status(201, vouchers.add_venue(request.user, campaign, site, commercial=body.commercial, request=request))


@router.post("/staff/campaigns/{campaign_id}/publish", response={200: IncentiveCampaignOut, **ERRORS},
             summary="Publish a campaign")
def publish(request, campaign_id: int):
    return vouchers.publish(request.user, _campaign(request, campaign_id, write=True), request=request)


@router.post("/staff/campaigns/{campaign_id}/settlements", response={201: IncentiveSettlementOut, **ERRORS},
             summary="Draft a venue's settlement for a period")
def draft_settlement(request, campaign_id: int, body: IncentiveSettleIn):
    campaign = _campaign(request, campaign_id, write=True)
    return Status(201, settlements.draft(request.user, campaign, body.site, body.period_start, body.period_end,
                                         request=request))


@router.get("/staff/campaigns/{campaign_id}/settlements", response={200: list[IncentiveSettlementOut], **ERRORS},
            summary="A campaign's settlements")
@paginate(ArrayPaging)
def campaign_settlements(request, campaign_id: int):
    return list(_campaign(request, campaign_id).settlements.order_by("-period_end", "site_id"))


@router.get("/staff/campaigns/{campaign_id}/settlements.xlsx", response={200: None, **ERRORS},
            summary="A campaign's settlements as Excel, with every voucher's trail")
def settlements_xlsx(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    return selectors.settlements_workbook(campaign)


@router.post("/staff/settlements/{settlement_id}/approve", response={200: IncentiveSettlementOut, **ERRORS},
             summary="The bureau approves a settlement")
def approve_settlement(request, settlement_id: int):
    _staff(request, write=True)
    settlement = scoping.get_scoped_or_404(request.user, Settlement.objects.select_related("campaign"), True,
                                           pk=min(settlement_id, MAX_ID))
    return settlements.approve(request.user, settlement, request=request)



# -- honours and selections -----------------------------------------------------------------------

class IncentiveSelectionOut(Schema):
    id: int
    region: str = Field(alias="region_id")
    kind: str
    name: str
    year: int
    description: str
    places: int
    status: str
    published_at: datetime.datetime | None


class IncentiveNomineeOut(Schema):
    id: int
    nominee: str
    region: str = Field(alias="region_id")
    citation: str
    status: str
    votes: int
    winner: bool


class IncentiveSelectionIn(Schema):
    region: str = Field(..., pattern=r"^\d{12}$")
    kind: str = Field(..., max_length=16)
    name: str = Field(..., max_length=80)
    year: int = Field(..., ge=2000, le=2100)
    description: str = Field("", max_length=2000)
    places: int = Field(10, ge=1, le=1000)


class IncentiveNominateIn(Schema):
    nominee: str = Field(..., max_length=60)
    region: str | None = Field(None, pattern=r"^\d{12}$")
    citation: str = Field(..., max_length=1000)


class IncentiveReviewIn(Schema):
    accept: bool


class IncentivePublishIn(Schema):
    winners: list[int] = Field(..., min_length=1, max_length=1000)


class IncentiveVoteOut(Schema):
    nomination: int = Field(alias="nomination_id")
    selection: int = Field(alias="selection_id")


def _public_selection(selection_id: int) -> Selection:
    return get_object_or_404(Selection.objects.exclude(status=Selection.Status.DRAFT), pk=min(selection_id, MAX_ID))


@router.get("/honours", response=list[IncentiveSelectionOut], auth=PUBLIC, summary="Honours and selections open or published")
@paginate(Paging)
def selections(request):
    return honours.public()


@router.get("/honours/{selection_id}/nominees", response={200: list[IncentiveNomineeOut], **ERRORS}, auth=PUBLIC,
            summary="A selection's accepted nominees, most votes first")
@paginate(ArrayPaging)
def nominees(request, selection_id: int):
    return list(honours.standing(_public_selection(selection_id))[:1000])


@router.post("/honours/{selection_id}/nominations", response={201: IncentiveNomineeOut, **ERRORS},
             summary="Put a nominee forward")
def nominate(request, selection_id: int, body: IncentiveNominateIn):
    return Status(201, honours.nominate(request.user, _public_selection(selection_id), body.dict(), request=request))


@router.post("/honours/nominees/{nomination_id}/vote", response={201: IncentiveVoteOut, **ERRORS},
             summary="Vote for a nominee (one vote per person in a selection)")
def vote(request, nomination_id: int):
    return Status(201, honours.vote(request.user, min(nomination_id, MAX_ID), request=request))


def _selection(request, selection_id: int, write: bool = False) -> Selection:
    _staff(request, write)
    return scoping.get_scoped_or_404(request.user, Selection.objects.all(), write, pk=min(selection_id, MAX_ID))


@router.get("/staff/honours", response=list[IncentiveSelectionOut], summary="Selections in my scope")
@paginate(Paging)
def staff_selections(request):
    _staff(request)
    return scoping.scoped(request.user, Selection.objects.all())


@router.post("/staff/honours", response={201: IncentiveSelectionOut, **ERRORS}, summary="Open a selection (draft)")
def create_selection(request, body: IncentiveSelectionIn):
    return Status(201, honours.create(request.user, _writable(request, body.region), body.dict(), request=request))


@router.get("/staff/honours/{selection_id}/nominations", response={200: list[IncentiveNomineeOut], **ERRORS},
            summary="Every nomination of a selection, pending ones too")
@paginate(ArrayPaging)
def staff_nominations(request, selection_id: int):
    return list(_selection(request, selection_id).nominations.order_by("status", "-votes", "pk")[:1000])


@router.post("/staff/honours/{selection_id}/advance", response={200: IncentiveSelectionOut, **ERRORS},
             summary="Open nominations, then the public vote")
def advance_selection(request, selection_id: int):
    return honours.advance(request.user, _selection(request, selection_id, write=True), request=request)


@router.post("/staff/honours/nominations/{nomination_id}/review", response={200: IncentiveNomineeOut, **ERRORS},
             summary="Accept a nomination or not")
def review_nomination(request, nomination_id: int, body: IncentiveReviewIn):
    _staff(request, write=True)
    nomination = scoping.get_scoped_or_404(request.user, Nomination.objects.select_related("selection"), True,
                                           pk=min(nomination_id, MAX_ID))
    return honours.review(request.user, nomination, accept=body.accept, request=request)


@router.post("/staff/honours/{selection_id}/publish", response={200: IncentiveSelectionOut, **ERRORS},
             summary="Publish the winners")
def publish_selection(request, selection_id: int, body: IncentivePublishIn):
    return honours.publish(request.user, _selection(request, selection_id, write=True), body.winners, request=request)


@router.get("/staff/honours/{selection_id}/nominations.xlsx", response={200: None, **ERRORS},
            summary="A selection's nominees and votes as Excel")
def selection_xlsx(request, selection_id: int):
    return honours.workbook(_selection(request, selection_id))
