"""Entry fees through booking's payment step: a competition may charge a fee (`Competition.fee`),
paid through the games' payment provider from booking's registry (`booking.payments.PROVIDERS`:
free, pay on site, or an online provider; the simulated one in development and tests).

- A resident's own entry into a competition with a fee holds its place as `unpaid` for PAY_MINUTES
  while an online payment waits, and is confirmed when the provider reports it paid; pay-on-site
  entries are confirmed at once (the fee is taken at the venue). An unpaid entry whose time ran out
  lapses (tick) and its place goes to the waiting list. A place offered from the waiting list is
  paid when it is accepted.
- Entries made by a delegation's leader or by staff pay no fee here: the delegation or the unit
  settles with the organiser.
- A discount (sports points, granted by incentives at layer 5 through `take_discount`) lowers a fee
  still to pay; what is refunded is what was charged after it.
- Refund rules: withdrawn before entries close, the fee is refunded in full; withdrawn after they
  close, nothing is refunded; an entry the delegation leader does not approve, or an online
  payment that arrives after its entry lapsed, is refunded in full.

Payment completion and lapse race on the same entry: each is one conditional UPDATE from `unpaid`,
so exactly one wins; a payment that loses is refunded.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from quanmin.accounts import audit
from quanmin.booking import payments
from quanmin.booking.models import Payment
from quanmin.booking.services_resident import simulated_payments_on

from .errors import fail
from .models import Competition, Entry, EntryFee

PAY_MINUTES = 30  # how long an online payment may take before the entry lapses
PAID = (Payment.Status.PAID, Payment.Status.ON_SITE)
# Entries whose fee a discount may still lower: waiting for payment, entered, or waiting for the leader.
DISCOUNTABLE = (Entry.Status.UNPAID, Entry.Status.CONFIRMED, Entry.Status.PENDING)


def provider_for(competition: Competition, *, delegation=None, by_manager: bool = False):
    """The provider an entry pays its fee through, or None when nothing is charged here."""
    if competition.fee <= 0 or delegation is not None or by_manager:
        return None
    return payments.provider_named(competition.games.payment_provider, competition.fee)


def charge(provider, entry: Entry, competition: Competition) -> EntryFee:
    """Open the entry's fee (inside the caller's transaction)."""
    return provider.open(EntryFee, competition.fee, entry=entry)


def status_after(provider, status: str, now) -> tuple[str, datetime.datetime | None]:
    """An entry that would be confirmed waits for an online payment first."""
    if provider is not None and not provider.confirms_at_once and status == Entry.Status.CONFIRMED:
        return Entry.Status.UNPAID, now + datetime.timedelta(minutes=PAY_MINUTES)
    return status, None


def fee_of(entry: Entry) -> EntryFee | None:
    return EntryFee.objects.filter(entry_id=entry.pk).first()


def settle(reference: str, *, now=None) -> Entry:
    """The provider's call-back: the payment went through. The entry is confirmed if it still waits;
    if it lapsed or was withdrawn meanwhile, the payment is refunded in full (payment_too_late)."""
    now = now or timezone.now()
    found = EntryFee.objects.filter(reference=reference).values_list("entry_id", flat=True).first() if reference else None
    if found is None:
        raise fail("not_found")
    with transaction.atomic():
        # Locks in the order every writer takes them (the entry, then its fee), so that a lapse or a
        # withdrawal at the same moment waits rather than deadlocks.
        Entry.objects.select_for_update().filter(pk=found).first()
        fee = EntryFee.objects.select_for_update().select_related("entry").get(entry_id=found)
        if fee.status in PAID:
            return fee.entry  # a retried call-back changes nothing
        if fee.status not in (Payment.Status.PENDING, Payment.Status.FAILED):
            raise fail("payment_too_late")  # already taken and refunded: a retried call-back
        # Pending, or dropped when the entry lapsed or was withdrawn: the money came in either way.
        confirmed = Entry.objects.filter(pk=fee.entry_id, status=Entry.Status.UNPAID).update(
            status=Entry.Status.CONFIRMED, pay_by=None, decided_at=now)
        fee.status = Payment.Status.PAID
        fee.save(update_fields=["status", "updated_at"])
        if not confirmed:
            payments.PROVIDERS[fee.provider].refund(fee, fee.amount)
    if not confirmed:
        raise fail("payment_too_late")
    fee.entry.refresh_from_db()
    return fee.entry


def pay_simulated(user, entry: Entry, *, now=None) -> Entry:
    """Stand-in for an online provider's call-back on the payer's own pending payment (development
    and tests only, as booking's)."""
    if not simulated_payments_on():
        raise fail("simulation_off")
    fee = fee_of(entry)
    if fee is None or entry.user_id != user.pk or fee.provider != payments.SimulatedOnline.code:
        raise fail("not_found")
    entry = settle(fee.reference, now=now)
    audit.record("payment_simulated", actor=user, obj=entry, detail={"reference": fee.reference})
    return entry


def refund_on_withdrawal(entry: Entry, competition: Competition, now, *, cancelled: bool = False) -> Decimal:
    """The refund rule (inside the withdrawal's transaction, which holds the entry's lock): before
    entries close, in full; after, nothing; the organiser cancelling (`cancelled`), whatever is left
    in full. A payment still pending is dropped. Returns the amount refunded."""
    fee = EntryFee.objects.select_for_update().filter(entry_id=entry.pk).first()
    if fee is None:
        return Decimal(0)
    if fee.status == Payment.Status.PENDING:
        fee.status = Payment.Status.FAILED
        fee.save(update_fields=["status", "updated_at"])
        return Decimal(0)
    due = fee.status in PAID and (cancelled or now <= competition.closes_at or fee.status == Payment.Status.ON_SITE)
    if due or (cancelled and fee.status == Payment.Status.PARTLY_REFUNDED):
        before = fee.refunded
        payments.PROVIDERS.get(fee.provider, payments.PROVIDERS["on_site"]).refund(fee, fee.amount - fee.refunded)
        return fee.refunded - before
    return Decimal(0)


def take_discount(entry_id: int, amount: Decimal, *, basis: str, now=None) -> EntryFee:
    """Lower an entry's fee before it is taken, by a discount another capability grants (sports
    points): the caller at a higher layer runs this inside its own transaction, beside its own record
    of the discount, so both happen or neither (as booking's take_discount). Only a fee still to pay
    (an online payment waiting, or pay on site) of an open entry whose competition has not started,
    once, and something is left to pay; a withdrawal or lapse at the same moment waits for the lock
    (the entry, then its fee, as every writer takes them)."""
    now = now or timezone.now()
    entry = Entry.objects.select_for_update().select_related("competition").filter(pk=entry_id).first()
    if entry is None:
        raise fail("not_found")
    fee = EntryFee.objects.select_for_update().filter(entry_id=entry_id).first()
    if (fee is None or fee.status not in (Payment.Status.PENDING, Payment.Status.ON_SITE) or fee.discount_basis
            or entry.status not in DISCOUNTABLE or entry.competition.starts_at <= now
            or amount <= 0 or amount >= fee.amount):
        raise fail("fee_not_discountable")
    fee.amount -= amount
    fee.discount, fee.discount_basis = amount, basis[:20]
    fee.save(update_fields=["amount", "discount", "discount_basis", "updated_at"])
    return fee


def drop_pending(entry_id: int) -> None:
    """An unpaid entry lapsed: its pending payment will not be taken."""
    EntryFee.objects.filter(entry_id=entry_id, status=Payment.Status.PENDING).update(
        status=Payment.Status.FAILED, updated_at=timezone.now())
