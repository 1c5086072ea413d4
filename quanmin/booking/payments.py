"""Payment is a pluggable provider: free, pay on site, and a simulated online provider.

A real provider (WeChat Pay, Alipay, UnionPay) implements the same three calls; the simulated one
behaves like them (a pending payment with a reference that is completed later) so that the whole
flow is exercised in development and tests.
"""

import secrets
from decimal import Decimal

from .models import Booking, Payment


class Provider:
    code = ""
    confirms_at_once = True

    def start(self, booking: Booking) -> Payment:
        raise NotImplementedError

    def refund(self, payment: Payment, amount: Decimal) -> None:
        payment.refunded = min(payment.amount, payment.refunded + amount)
        payment.status = Payment.Status.REFUNDED if payment.refunded >= payment.amount else Payment.Status.PARTLY_REFUNDED
        payment.save(update_fields=["refunded", "status", "updated_at"])


class Free(Provider):
    code = "free"

    def start(self, booking):
        return Payment.objects.create(booking=booking, provider=self.code, amount=booking.price,
                                      status=Payment.Status.PAID)


class OnSite(Provider):
    code = "on_site"

    def start(self, booking):
        return Payment.objects.create(booking=booking, provider=self.code, amount=booking.price,
                                      status=Payment.Status.ON_SITE)

    def refund(self, payment, amount):
        # Nothing was taken: the booking just no longer needs paying.
        payment.status = Payment.Status.REFUNDED
        payment.save(update_fields=["status", "updated_at"])


class SimulatedOnline(Provider):
    """Behaves like an online provider: pending until `complete(reference)` is called back."""

    code = "simulated"
    confirms_at_once = False

    def start(self, booking):
        return Payment.objects.create(booking=booking, provider=self.code, amount=booking.price,
                                      status=Payment.Status.PENDING, reference="SIM" + secrets.token_hex(8))


PROVIDERS = {p.code: p for p in (Free(), OnSite(), SimulatedOnline())}


def provider_for(booking: Booking) -> Provider:
    if booking.price == 0:
        return PROVIDERS["free"]
    return PROVIDERS.get(booking.slot.unit.payment_provider, PROVIDERS["on_site"])
