"""Payment is a pluggable provider: free, pay on site, and a simulated online provider.

A real provider (WeChat Pay, Alipay, UnionPay) implements the same three calls; the simulated one
behaves like them (a pending payment with a reference that is completed later) so that the whole
flow is exercised in development and tests.
"""

import secrets
from decimal import Decimal

from .models import Booking, Payment


class Provider:
    """A provider opens a payment row for an amount and refunds it. The row is booking's Payment, or
    another app's record with the same fields (provider, amount, refunded, status, reference,
    updated_at; statuses from Payment.Status): events' entry fees are paid through these providers."""

    code = ""
    confirms_at_once = True
    initial_status = ""

    def start(self, booking: Booking) -> Payment:
        return self.open(Payment, booking.price, booking=booking)

    def open(self, model, amount: Decimal, **owner):
        return model.objects.create(provider=self.code, amount=amount, status=self.initial_status,
                                    reference=self.new_reference(), **owner)

    def new_reference(self) -> str:
        return ""

    def refund(self, payment, amount: Decimal) -> None:
        payment.refunded = min(payment.amount, payment.refunded + amount)
        payment.status = Payment.Status.REFUNDED if payment.refunded >= payment.amount else Payment.Status.PARTLY_REFUNDED
        payment.save(update_fields=["refunded", "status", "updated_at"])


class Free(Provider):
    code = "free"
    initial_status = Payment.Status.PAID


class OnSite(Provider):
    code = "on_site"
    initial_status = Payment.Status.ON_SITE

    def refund(self, payment, amount):
        # Nothing was taken: the booking just no longer needs paying.
        payment.status = Payment.Status.REFUNDED
        payment.save(update_fields=["status", "updated_at"])


class SimulatedOnline(Provider):
    """Behaves like an online provider: pending until `complete(reference)` is called back."""

    code = "simulated"
    confirms_at_once = False
    initial_status = Payment.Status.PENDING

    def new_reference(self) -> str:
        return "SIM" + secrets.token_hex(8)


PROVIDERS = {p.code: p for p in (Free(), OnSite(), SimulatedOnline())}


def provider_for(booking: Booking) -> Provider:
    return provider_named(booking.slot.unit.payment_provider, booking.price)


def provider_named(code: str, amount: Decimal) -> Provider:
    """The provider that takes `amount` for a unit or games set to `code` (nothing to pay: free)."""
    if amount == 0:
        return PROVIDERS["free"]
    return PROVIDERS.get(code, PROVIDERS["on_site"])
