"""Voucher campaigns: set up, claim, redeem (at the counter or when paying a booking), expire and
return to the pool, and the booking's discounts undone when it is cancelled.

Claiming never over-issues and never passes a limit, on SQLite and PostgreSQL, with any number of
servers: the campaign's `issued` moves by one conditional UPDATE (`issued + 1 <= total`), which on
PostgreSQL also holds the campaign's row lock until the claim commits, so the person's, phone's and
address's counts read next are exact; on SQLite the IMMEDIATE transaction serialises writers. A
CHECK constraint keeps `issued <= total` and a unique (campaign, person, n-th) keeps the per-person
limit whatever the code does. Redemption is one conditional UPDATE from "claimed": of two at once,
one wins.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from quanmin.accounts import audit, crypto, scoping
from quanmin.accounts.models import Role
from quanmin.booking import services as booking_services
from quanmin.booking.models import Booking
from quanmin.facilities.models import Site
from quanmin.regions import codes

from . import points
from .errors import fail, invalid
from .models import CampaignSite, Voucher, VoucherCampaign

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


# --- campaigns -----------------------------------------------------------------------------------

def _money(value, field: str, *, minimum: Decimal = Decimal("0")) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise invalid(_("Enter an amount in yuan, at most two decimals."), field) from None
    if not amount.is_finite() or amount < minimum or amount > Decimal("9999999999") or amount != amount.quantize(Decimal("0.01")):
        raise invalid(_("Enter an amount in yuan, at most two decimals."), field)
    return amount


def whole(value, field: str, *, minimum: int = 0, maximum: int = 10**7) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise invalid(_("Enter a whole number."), field) from None
    if not minimum <= number <= maximum:
        raise invalid(_("Enter a whole number from %(lo)s to %(hi)s.") % {"lo": minimum, "hi": maximum}, field)
    return number


def _when(value, field: str) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        try:
            moment = parse_datetime(str(value or "").strip())
        except ValueError:
            moment = None
    if moment is None:
        raise invalid(_("Enter a date and time."), field)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def clean_bands(raw) -> list[dict]:
    """Time bands as given (a list of {"days": [...], "start": "HH:MM", "end": "HH:MM"}), checked."""
    if raw in (None, "", []):
        return []
    if not isinstance(raw, list) or len(raw) > 20:
        raise fail("bands_invalid", status=400)
    bands = []
    for band in raw:
        if not isinstance(band, dict):
            raise fail("bands_invalid", status=400)
        days, start, end = band.get("days"), str(band.get("start", "")), str(band.get("end", ""))
        if (not isinstance(days, list) or not days or any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6
                                                          for d in days)
                or not _TIME.match(start) or not _TIME.match(end) or end <= start):
            raise fail("bands_invalid", status=400)
        bands.append({"days": sorted(set(days)), "start": start, "end": end})
    return bands


def parse_bands_text(text: str) -> list[dict]:
    """The staff form's bands, one a line: "0-4 08:00-12:00" (Monday to Friday) or "5,6 14:00-18:00"."""
    bands = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        m = re.fullmatch(r"([0-6](?:\s*[-,]\s*[0-6])*)\s+(\d\d:\d\d)\s*-\s*(\d\d:\d\d)", line)
        if not m:
            raise fail("bands_invalid", status=400)
        days = set()
        for part in m.group(1).replace(" ", "").split(","):
            if "-" in part:
                lo, hi = (int(x) for x in part.split("-"))
                days.update(range(lo, hi + 1))
            else:
                days.add(int(part))
        bands.append({"days": sorted(days), "start": m.group(2), "end": m.group(3)})
    return clean_bands(bands)


def bands_text(bands: list[dict]) -> str:
    return "\n".join(f"{','.join(str(d) for d in b['days'])} {b['start']}-{b['end']}" for b in bands)


def create_campaign(user, region, data: dict, *, request=None) -> VoucherCampaign:
    """A draft campaign in `region` (the caller checked that `user` may write there)."""
    if not scoping.can_write_region(user, region.code):
        raise fail("not_found")
    name = str(data.get("name", "")).strip()[:80]
    if not name:
        raise invalid(_("Give the campaign a name."), "name")
    face = _money(data.get("face_value"), "face_value", minimum=Decimal("0.01"))
    threshold = _money(data.get("threshold", 0) or 0, "threshold")
    total = whole(data.get("total"), "total", minimum=1)
    budget = _money(data.get("budget"), "budget", minimum=Decimal("0.01"))
    if face * total > budget:
        raise fail("budget_short", status=400)
    starts, ends = _when(data.get("claim_starts_at"), "claim_starts_at"), _when(data.get("claim_ends_at"), "claim_ends_at")
    use_until = _when(data.get("use_until"), "use_until")
    if ends <= starts or use_until <= starts:
        raise fail("window_order", status=400)
    valid_days = data.get("valid_days")
    valid_days = whole(valid_days, "valid_days", minimum=1, maximum=3650) if valid_days not in (None, "") else None
    campaign = VoucherCampaign(
        region=region, name=name, budget=budget, face_value=face, threshold=threshold, total=total,
        per_person=whole(data.get("per_person", 1), "per_person", minimum=1, maximum=100),
        per_device=whole(data.get("per_device", 1), "per_device", minimum=1, maximum=100),
        per_address=whole(data.get("per_address", 50), "per_address", minimum=1, maximum=10**6),
        claim_starts_at=starts, claim_ends_at=ends, use_until=use_until, valid_days=valid_days,
        return_unused=bool(data.get("return_unused", True)), benefit_hours_only=bool(data.get("benefit_hours_only", False)),
        bands=clean_bands(data.get("bands")), created_by=user)
    campaign.save()
    audit.record("voucher_campaign", request=request, actor=user, obj=campaign, region_code=region.code)
    return campaign


def add_venue(user, campaign: VoucherCampaign, site: Site, *, commercial: bool = False, request=None) -> CampaignSite:
    """A venue joins the campaign (in the campaign's division; draft or published)."""
    if not scoping.can_write_region(user, campaign.region_id):
        raise fail("not_found")
    if not codes.contains(campaign.region_id, site.region_id):
        raise fail("site_unknown", status=400)
    joined, _created = CampaignSite.objects.get_or_create(campaign=campaign, site=site, defaults={"commercial": commercial})
    audit.record("voucher_venue", request=request, actor=user, obj=joined, region_code=campaign.region_id,
                 detail={"site": site.pk})
    return joined


def publish(user, campaign: VoucherCampaign, *, request=None) -> VoucherCampaign:
    if not scoping.can_write_region(user, campaign.region_id):
        raise fail("not_found")
    with transaction.atomic():
        campaign = VoucherCampaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != VoucherCampaign.Status.DRAFT:
            raise fail("not_draft")
        if not campaign.venues.exists():
            raise fail("no_venues")
        campaign.status = VoucherCampaign.Status.OPEN
        campaign.save(update_fields=["status"])
    audit.record("voucher_publish", request=request, actor=user, obj=campaign)
    return campaign


def close(user, campaign: VoucherCampaign, *, request=None) -> VoucherCampaign:
    if not scoping.can_write_region(user, campaign.region_id):
        raise fail("not_found")
    VoucherCampaign.objects.filter(pk=campaign.pk).update(status=VoucherCampaign.Status.CLOSED)
    campaign.refresh_from_db()
    audit.record("voucher_close", request=request, actor=user, obj=campaign)
    return campaign


# --- claiming ------------------------------------------------------------------------------------

def device_key(raw: str) -> str:
    raw = (raw or "").strip()[:200]
    return crypto.lookup_hash("device:" + raw) if raw else ""


def address_key(ip: str | None) -> str:
    return crypto.lookup_hash("ip:" + ip) if ip else ""


def claim(user, campaign_id: int, *, device: str = "", address: str = "", now=None) -> Voucher:
    """Claim one voucher of a published campaign in its window: at most `total` in all, `per_person`
    per real-name person, `per_device` per phone and `per_address` per network address."""
    now = now or timezone.now()
    if not user.id_number_hash or not user.real_name:
        raise fail("real_name_required", status=403)
    campaign = VoucherCampaign.objects.filter(pk=campaign_id).first()
    if campaign is None or campaign.status == VoucherCampaign.Status.DRAFT:
        raise fail("not_found")
    if campaign.status != VoucherCampaign.Status.OPEN:
        raise fail("campaign_not_open")
    if now < campaign.claim_starts_at:
        raise fail("claim_not_open", at=timezone.localtime(campaign.claim_starts_at).strftime("%Y-%m-%d %H:%M"))
    if now >= campaign.claim_ends_at:
        raise fail("claim_closed")
    dkey, akey = device_key(device), address_key(address)
    try:
        with transaction.atomic():
            # Takes the campaign's row lock on PostgreSQL: the claims of one campaign commit one by one.
            if not VoucherCampaign.objects.filter(pk=campaign.pk, issued__lt=F("total")).update(issued=F("issued") + 1):
                raise fail("sold_out")
            counts = Voucher.objects.filter(campaign_id=campaign.pk).aggregate(
                person=Count("pk", filter=Q(person_key=user.id_number_hash)),
                device=Count("pk", filter=Q(device_key=dkey)) if dkey else Count("pk", filter=Q(pk__in=[])),
                address=Count("pk", filter=Q(address_key=akey)) if akey else Count("pk", filter=Q(pk__in=[])))
            if counts["person"] >= campaign.per_person:
                raise fail("person_limit", n=campaign.per_person)
            if dkey and counts["device"] >= campaign.per_device:
                raise fail("device_limit")
            if akey and counts["address"] >= campaign.per_address:
                raise fail("address_limit")
            expires = campaign.use_until
            if campaign.valid_days:
                expires = min(expires, now + datetime.timedelta(days=campaign.valid_days))
            return Voucher.objects.create(campaign_id=campaign.pk, user=user, person_key=user.id_number_hash,
                                          nth=counts["person"] + 1, claimed_at=now, expires_at=expires,
                                          device_key=dkey, address_key=akey)
    except IntegrityError:
        # The database's own guard (the same person's n-th voucher twice): the limit, as above.
        raise fail("person_limit", n=campaign.per_person) from None


# --- redeeming -----------------------------------------------------------------------------------

def in_bands(campaign: VoucherCampaign, moment: datetime.datetime) -> bool:
    if not campaign.bands:
        return True
    local = timezone.localtime(moment)
    clock = local.strftime("%H:%M")
    return any(local.weekday() in b["days"] and b["start"] <= clock < b["end"] for b in campaign.bands)


def _check_usable(voucher: Voucher, site_id: int, moment: datetime.datetime, spend: Decimal, now, *, benefit: bool) -> None:
    campaign = voucher.campaign
    if voucher.status == Voucher.Status.REDEEMED:
        raise fail("voucher_used")
    if voucher.status != Voucher.Status.CLAIMED or now >= voucher.expires_at:
        raise fail("voucher_expired")
    if not CampaignSite.objects.filter(campaign_id=campaign.pk, site_id=site_id).exists():
        raise fail("venue_not_eligible")
    if not in_bands(campaign, moment):
        raise fail("time_not_eligible")
    if campaign.benefit_hours_only and not benefit:
        raise fail("benefit_hours_only")
    if spend < campaign.threshold:
        raise fail("below_threshold", threshold=campaign.threshold)


def _take(voucher: Voucher, **fields) -> None:
    """Mark the voucher used: one conditional UPDATE, so of two redemptions at once one wins."""
    if not Voucher.objects.filter(pk=voucher.pk, status=Voucher.Status.CLAIMED).update(status=Voucher.Status.REDEEMED, **fields):
        raise fail("voucher_used")


def operator_sites(user) -> list[int]:
    return scoping.targets(user, {Role.OPERATOR}, "facilities.Site")


def redeem_at_counter(operator, code: str, *, site_id: int, spend, now=None, request=None) -> Voucher:
    """The venue's operator scans the resident's voucher QR (or types its code) and enters the bill."""
    now = now or timezone.now()
    if site_id not in operator_sites(operator):
        raise fail("not_operator", status=403)
    spend = _money(spend, "spend", minimum=Decimal("0.01"))
    voucher = Voucher.objects.select_related("campaign").filter(code=str(code or "").strip().upper()[:12]).first()
    if voucher is None:
        raise fail("not_found")
    _check_usable(voucher, site_id, now, spend, now, benefit=True)
    discount = min(voucher.campaign.face_value, spend)
    with transaction.atomic():
        _take(voucher, redeemed_at=now, site_id=site_id, operator=operator, spend=spend, discount=discount)
    voucher.refresh_from_db()
    audit.record("voucher_redeem", request=request, actor=operator, obj=voucher,
                 detail={"site": site_id, "spend": str(spend), "discount": str(discount)})
    return voucher


def own_held_booking(user, booking_id: int) -> Booking:
    booking = Booking.objects.select_related("slot__unit__site").filter(pk=booking_id, user=user).first()
    if booking is None:
        raise fail("not_found")
    if booking.status != Booking.Status.HELD:
        raise fail("not_held")
    if booking.price_basis in ("voucher", "points"):
        raise fail("already_discounted")
    return booking


def redeem_for_booking(user, code_or_id, booking_id: int, *, now=None, request=None) -> Voucher:
    """Use one's own voucher to pay part of a held booking: the voucher is marked used and the
    booking's price lowered in one transaction (booking's take_discount), before payment starts."""
    now = now or timezone.now()
    booking = own_held_booking(user, booking_id)
    voucher = (Voucher.objects.select_related("campaign").filter(user=user)
               .filter(Q(code=str(code_or_id).strip().upper()[:12]) | Q(pk=int(code_or_id) if str(code_or_id).isdigit() else 0))
               .first())
    if voucher is None:
        raise fail("not_found")
    slot = booking.slot
    _check_usable(voucher, slot.unit.site_id, slot.start, booking.price, now, benefit=slot.benefit)
    discount = min(voucher.campaign.face_value, booking.price)
    with transaction.atomic():
        _take(voucher, redeemed_at=now, site_id=slot.unit.site_id, booking=booking, spend=booking.price, discount=discount)
        booking_services.take_discount(booking.pk, discount, basis="voucher", now=now)
    voucher.refresh_from_db()
    audit.record("voucher_redeem", request=request, actor=user, obj=voucher,
                 detail={"booking": booking.pk, "spend": str(voucher.spend), "discount": str(discount)})
    return voucher


# --- upkeep --------------------------------------------------------------------------------------

def expire_vouchers(*, now=None) -> dict:
    """Vouchers past their date expire; a campaign that says so takes them back into its pool
    (its `issued` count goes down, so others can claim them while claiming is open)."""
    now = now or timezone.now()
    expired = returned = 0
    due = Voucher.objects.filter(status=Voucher.Status.CLAIMED, expires_at__lte=now).values_list("pk", "campaign_id",
                                                                                                   "campaign__return_unused")
    for pk, campaign_id, back in due.iterator(chunk_size=2000):
        with transaction.atomic():
            status = Voucher.Status.RETURNED if back else Voucher.Status.EXPIRED
            if Voucher.objects.filter(pk=pk, status=Voucher.Status.CLAIMED).update(status=status):
                if back:
                    VoucherCampaign.objects.filter(pk=campaign_id, issued__gt=0).update(issued=F("issued") - 1)
                    returned += 1
                else:
                    expired += 1
    return {"expired": expired, "returned": returned}


def undo_cancelled_bookings(*, since=None, now=None) -> dict:
    """A booking paid partly by a voucher or points and then cancelled gives them back: the voucher
    is ready to use again (if still in date), the points are returned (once, by key)."""
    now = now or timezone.now()
    cancelled = Booking.objects.filter(status=Booking.Status.CANCELLED, price_basis__in=["voucher", "points"])
    if since is not None:
        cancelled = cancelled.filter(cancelled_at__gt=since)
    vouchers = refunds = 0
    for booking_id, user_id, basis in cancelled.values_list("pk", "user_id", "price_basis").iterator(chunk_size=2000):
        with transaction.atomic():
            if basis == "voucher":
                vouchers += Voucher.objects.filter(booking_id=booking_id, status=Voucher.Status.REDEEMED,
                                                   settlement__isnull=True, expires_at__gt=now).update(
                    status=Voucher.Status.CLAIMED, booking=None, site=None, redeemed_at=None, spend=None, discount=None)
            else:
                refunds += bool(points.refund(user_id, key=f"spend:booking:{booking_id}",
                                              refund_key=f"refund:booking:{booking_id}"))
    return {"vouchers_back": vouchers, "points_back": refunds}
