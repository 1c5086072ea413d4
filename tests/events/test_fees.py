"""Entry fees through booking's payment providers: an online fee holds the place until paid (then
the entry is confirmed) or lapses; pay on site confirms at once; withdrawal refunds in full before
entries close and nothing after; a payment after the lapse is refunded; delegation entries pay
nothing here. The race of a payment and its lapse has one winner on either database."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from quanmin.events import services_entries as entries
from quanmin.events import services_fees
from quanmin.events.errors import EventError
from quanmin.events.models import Competition, Entry, EntryFee, Games

from .conftest import residents


@pytest.fixture(autouse=True)
def simulated(settings):
    settings.QUANMIN_SIMULATED_PAYMENTS = True


def _charge(ev, provider="simulated", fee="50.00"):
    Games.objects.filter(pk=ev.games.pk).update(payment_provider=provider)
    Competition.objects.filter(pk=ev.sprint.pk).update(fee=Decimal(fee))


def _code(fn, *args, **kwargs):
    with pytest.raises(EventError) as exc:
        fn(*args, **kwargs)
    return exc.value.code


def test_online_fee_holds_the_place_until_paid(world, ev):
    _charge(ev)
    person = residents(world, 1)[0]
    entry = entries.enter(person, ev.sprint.pk)
    assert entry.status == "unpaid" and entry.pay_by > timezone.now()
    fee = EntryFee.objects.get(entry=entry)
    assert fee.status == "pending" and fee.amount == Decimal("50.00") and fee.reference.startswith("SIM")
    ev.sprint.refresh_from_db()
    assert ev.sprint.taken == 1
    entry = services_fees.pay_simulated(person, entry)
    assert entry.status == "confirmed"
    fee.refresh_from_db()
    assert fee.status == "paid"
    # A retried call-back changes nothing.
    assert services_fees.settle(fee.reference).status == "confirmed"


def test_unpaid_entry_lapses_and_a_late_payment_is_refunded(world, ev):
    _charge(ev)
    person, waiting = residents(world, 2)
    Competition.objects.filter(pk=ev.sprint.pk).update(capacity=1)
    entry = entries.enter(person, ev.sprint.pk)
    queued = entries.join_waitlist(waiting, ev.sprint.pk)
    assert entries.expire_offers(now=entry.pay_by + datetime.timedelta(minutes=1)) == 1
    entry.refresh_from_db()
    queued.refresh_from_db()
    assert entry.status == "lapsed" and queued.status == "offered"
    fee = EntryFee.objects.get(entry=entry)
    assert fee.status == "failed"
    assert _code(services_fees.settle, fee.reference) == "payment_too_late"
    fee.refresh_from_db()
    assert fee.status == "refunded" and fee.refunded == fee.amount
    assert _code(services_fees.settle, fee.reference) == "payment_too_late"  # retried: nothing more
    # The next in line pays when accepting the offer.
    accepted = entries.accept_offer(waiting, queued)
    assert accepted.status == "unpaid" and EntryFee.objects.get(entry=accepted).status == "pending"


def test_payment_after_withdrawal_is_refunded_in_full(world, ev):
    _charge(ev)
    person = residents(world, 1)[0]
    entry = entries.enter(person, ev.sprint.pk)
    reference = EntryFee.objects.get(entry=entry).reference
    entries.withdraw(person, entry)
    assert EntryFee.objects.get(entry=entry).status == "failed"
    assert _code(services_fees.settle, reference) == "payment_too_late"
    assert EntryFee.objects.get(entry=entry).status == "refunded"


def test_withdrawal_refunds_before_close_and_not_after(world, ev):
    _charge(ev)
    early, late = residents(world, 2)
    first = services_fees.pay_simulated(early, entries.enter(early, ev.sprint.pk))
    second = services_fees.pay_simulated(late, entries.enter(late, ev.sprint.pk))
    entries.withdraw(early, first)
    fee = EntryFee.objects.get(entry=first)
    assert fee.status == "refunded" and fee.refunded == Decimal("50.00")
    after_close = ev.sprint.closes_at + datetime.timedelta(hours=1)
    entries.withdraw(late, second, now=after_close)
    fee = EntryFee.objects.get(entry=second)
    assert fee.status == "paid" and fee.refunded == 0


def test_pay_on_site_confirms_at_once_and_delegations_pay_nothing_here(world, ev):
    _charge(ev, provider="on_site")
    Competition.objects.filter(pk=ev.delegated.pk).update(fee=Decimal("20"))
    person, athlete = residents(world, 2)
    entry = entries.enter(person, ev.sprint.pk)
    assert entry.status == "confirmed" and EntryFee.objects.get(entry=entry).status == "on_site"
    pending = entries.enter(athlete, ev.delegated.pk, delegation_id=ev.township.pk)
    assert pending.status == "pending" and not EntryFee.objects.filter(entry=pending).exists()


def test_free_competition_takes_no_payment(world, ev):
    entry = entries.enter(residents(world, 1)[0], ev.sprint.pk)
    assert entry.status == "confirmed" and not EntryFee.objects.exists()


def test_simulated_payment_is_off_in_production(world, ev, settings):
    settings.QUANMIN_SIMULATED_PAYMENTS = False
    _charge(ev)
    person = residents(world, 1)[0]
    entry = entries.enter(person, ev.sprint.pk)
    assert _code(services_fees.pay_simulated, person, entry) == "simulation_off"


def test_pages_and_api(world, ev, client):
    _charge(ev)
    person, other = residents(world, 2)
    client.force_login(person)
    assert "¥50.00" in client.get(reverse("events:competition", args=[ev.sprint.pk])).content.decode()
    response = client.post(reverse("events:enter", args=[ev.sprint.pk]))
    entry = Entry.objects.get(user=person)
    assert response["Location"] == reverse("events:pay", args=[entry.pk])
    assert "¥50.00" in client.get(response["Location"]).content.decode()
    client.post(reverse("events:pay", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == "confirmed"
    assert client.get(reverse("events:pay", args=[entry.pk + 1000])).status_code == 404
    client.force_login(other)
    made = client.post(f"/api/v1/events/competitions/{ev.sprint.pk}/entries", {}, content_type="application/json")
    body = made.json()
    assert made.status_code == 201 and body["status"] == "unpaid" and body["fee"]["status"] == "pending"
    assert body["fee"]["reference"].startswith("SIM") and body["pay_by"]
    paid = client.post(f"/api/v1/events/entries/{body['id']}/pay")
    assert paid.status_code == 200 and paid.json()["status"] == "confirmed" and paid.json()["fee"]["reference"] is None
    assert client.post(f"/api/v1/events/entries/{entry.pk}/pay").status_code == 404
