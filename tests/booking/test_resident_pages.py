"""The residents' booking pages with the Django test client: each step of the flow, the messages a
resident reads, someone else's booking as a 404, and pages shaped for a phone."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from quanmin.booking import services
from quanmin.booking.models import Booking, Certificate, Strike, WaitlistEntry

from .conftest import at, slot_at

PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def me(client_for):
    c = client_for("resident")
    c.defaults["HTTP_USER_AGENT"] = PHONE_UA
    c.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return c


def html(response) -> str:
    return response.content.decode()


def phone_ready(page: str) -> None:
    """What a 390 px screen needs from the server side: the viewport, the phone stylesheet, no fixed widths."""
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "booking/resident.css" in page
    assert not re.search(r'style="[^"]*width:\s*\d{3,}px', page)


# -- the site page ---------------------------------------------------------------------------------
def test_site_page_anonymous_sees_base_prices_and_is_asked_to_sign_in(world, court, client):
    day = timezone.localdate() + datetime.timedelta(days=1)
    r = client.get(reverse("booking:site", args=[world.site.pk]) + f"?date={day:%Y-%m-%d}",
                   headers={"accept-language": "en"})
    page = html(r)
    assert r.status_code == 200 and court.name in page and "¥20.00" in page and "Free" in page
    assert "Benefit hours" in page and "Sign in" in page and "to book" in page
    phone_ready(page)
    # The day picker spans today … the window.
    assert len(re.findall(r'class="day( current)?"', page)) == court.window_days + 1
    assert f'href="?date={day:%Y-%m-%d}" class="day current"' in page


def test_site_page_shows_the_residents_own_price(world, court, me):
    Certificate.objects.create(user=world.users["resident"], kind="disabled", image="x.png", status="verified")
    page = html(me.get(reverse("booking:site", args=[world.site.pk]) + "?date=" + at(1, 12).strftime("%Y-%m-%d")))
    assert "¥20.00" not in page and "Free with a disability certificate" in page


def test_day_picker_clamps_bad_dates(world, court, me):
    url = reverse("booking:site", args=[world.site.pk])
    today = timezone.localdate()
    for raw, expected in (("nonsense", today), ("2000-01-01", today),
                          ("2999-01-01", today + datetime.timedelta(days=court.window_days))):
        page = html(me.get(f"{url}?date={raw}"))
        assert f'href="?date={expected:%Y-%m-%d}" class="day current"' in page


def test_full_and_blocked_slots(world, court, me):
    taken = slot_at(court, at(1, 18))
    services.book(world.users["other_resident"], taken.pk)
    court.slots.filter(pk=slot_at(court, at(1, 19)).pk).update(blocked=True, block_reason="校队训练")
    page = html(me.get(reverse("booking:site", args=[world.site.pk]) + "?date=" + at(1, 0).strftime("%Y-%m-%d")))
    assert "Fully booked" in page and "Join the waitlist" in page and "校队训练" in page


# -- hold, confirm, QR, .ics, cancel ---------------------------------------------------------------
def test_the_whole_flow_on_site_payment(world, court, me):
    slot = slot_at(court, at(2, 18))
    page = html(me.get(reverse("booking:slot", args=[slot.pk])))
    phone_ready(page)
    key = re.search(r'name="client_key" value="([0-9a-f]{32})"', page).group(1)
    assert "Free cancellation until" in page and "¥20.00" in page
    r = me.post(reverse("booking:hold", args=[slot.pk]), {"client_key": key})
    booking = Booking.objects.get(user=world.users["resident"], slot=slot)
    assert r.status_code == 302 and r["Location"] == reverse("booking:booking", args=[booking.pk])
    # A double tap (the same page's key) lands on the same booking.
    again = me.post(reverse("booking:hold", args=[slot.pk]), {"client_key": key})
    assert again["Location"] == r["Location"] and Booking.objects.filter(slot=slot).count() == 1

    confirm_page = html(me.get(r["Location"]))
    assert "Confirm your booking" in confirm_page and "data-countdown" in confirm_page
    assert f'data-expires="{int(booking.hold_expires_at.timestamp())}"' in confirm_page
    assert "¥20.00" in confirm_page
    r = me.post(reverse("booking:confirm", args=[booking.pk]))
    assert r["Location"] == reverse("booking:booking", args=[booking.pk])
    ticket = html(me.get(r["Location"], follow=False))
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert '<svg class="qr"' in ticket and f'aria-label="Check-in code {booking.code}"' in ticket
    assert '<p class="bk-code"' in ticket and booking.code in ticket
    deadline = timezone.localtime(slot.start - datetime.timedelta(hours=court.cancel_hours))
    assert f"Free cancellation until {deadline:%Y-%m-%d %H:%M}" in ticket
    assert reverse("booking:ics", args=[booking.pk]) in ticket
    cal = me.get(reverse("booking:ics", args=[booking.pk]))
    assert cal["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in cal.content

    r = me.post(reverse("booking:cancel", args=[booking.pk]), {"reason": "有事"}, follow=True)
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancel_reason == "有事"
    assert "Your booking is cancelled." in html(r) and "Booking cancelled" in html(r)


def test_companions_on_a_session(world, pool, me):
    slot = slot_at(pool, at(1, 14))
    page = html(me.get(reverse("booking:slot", args=[slot.pk])))
    assert "Bring companions (up to 3)" in page and "a minor ¥7.50" in page
    r = me.post(reverse("booking:hold", args=[slot.pk]), {
        "client_key": "k1", "companion_0_name": "小明", "companion_0_minor": "on", "companion_1_name": "",
        "companion_2_minor": "on"})
    assert r.status_code == 400 and "Give each companion&#x27;s name." in html(r)
    assert 'value="小明"' in html(r) and not Booking.objects.filter(slot=slot).exists()
    r = me.post(reverse("booking:hold", args=[slot.pk]),
                {"client_key": "k1", "companion_0_name": "小明", "companion_0_minor": "on"})
    booking = Booking.objects.get(slot=slot)
    assert booking.places == 2 and booking.companions == [{"name": "小明", "minor": True}] and booking.price == 22.5
    page = html(me.get(r["Location"]))
    assert "小明" in page and "Under 18" in page and "¥22.50" in page


def test_court_slots_offer_no_companions(world, court, me):
    # A one-party court slot has one place: companions (a place each) could never fit.
    assert "companion_0_name" not in html(me.get(reverse("booking:slot", args=[slot_at(court, at(1, 12)).pk])))


def test_full_slot_offers_the_waitlist(world, court, me):
    slot = slot_at(court, at(1, 18))
    services.book(world.users["other_resident"], slot.pk)
    r = me.post(reverse("booking:hold", args=[slot.pk]), {"client_key": "k"})
    assert r.status_code == 409 and 'data-code="slot_full"' in html(r)
    assert "This time is fully booked." in html(r) and "Join the waitlist" in html(r)
    r = me.post(reverse("booking:waitlist", args=[slot.pk]), follow=True)
    assert "You are on the waitlist" in html(r)
    assert WaitlistEntry.objects.get(slot=slot).user == world.users["resident"]


def test_waitlist_offer_shows_as_a_held_booking(world, court, me):
    slot = slot_at(court, at(1, 18))
    theirs = services.book(world.users["other_resident"], slot.pk)
    services.join_waitlist(world.users["resident"], slot.pk)
    services.cancel(theirs, by=world.users["other_resident"])
    mine = html(me.get(reverse("booking:mine")))
    offer = WaitlistEntry.objects.get(slot=slot).offer
    assert "A place is free for you" in mine and reverse("booking:booking", args=[offer.pk]) in mine
    page = html(me.get(reverse("booking:booking", args=[offer.pk])))
    assert "A place freed up for you on the waitlist" in page and "Confirm" in page
    me.post(reverse("booking:confirm", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.status == "confirmed"


def test_simulated_payment_page(world, pool, me, settings):
    settings.QUANMIN_SIMULATED_PAYMENTS = True
    slot = slot_at(pool, at(2, 14))
    r = me.post(reverse("booking:hold", args=[slot.pk]), {"client_key": "pay-1"})
    booking = Booking.objects.get(slot=slot)
    assert "Confirm and pay ¥15.00" in html(me.get(r["Location"]))
    r = me.post(reverse("booking:confirm", args=[booking.pk]))
    assert r["Location"] == reverse("booking:pay", args=[booking.pk])
    page = html(me.get(r["Location"]))
    assert "Simulated payment" in page and "Pay ¥15.00 (simulated)" in page
    r = me.post(reverse("booking:pay", args=[booking.pk]), follow=True)
    booking.refresh_from_db()
    assert booking.status == "confirmed" and booking.payment.status == "paid"
    assert "Paid. Your booking is confirmed." in html(r) and '<svg class="qr"' in html(r)
    assert me.get(reverse("booking:pay", args=[booking.pk]))["Location"] == reverse("booking:booking", args=[booking.pk])


def test_simulated_payment_page_is_off_outside_development(world, pool, me, settings):
    settings.QUANMIN_SIMULATED_PAYMENTS = False
    booking = services.confirm(services.hold(world.users["resident"], slot_at(pool, at(2, 14)).pk))
    page = html(me.get(reverse("booking:pay", args=[booking.pk])))
    assert "Online payment is not available on this server" in page and "(simulated)" not in page
    r = me.post(reverse("booking:pay", args=[booking.pk]), follow=True)
    assert "Simulated payments are turned off on this server." in html(r)
    booking.refresh_from_db()
    assert booking.status == "held" and booking.payment.status == "pending"


def test_expired_hold_says_so(world, court, me):
    booking = services.hold(world.users["resident"], slot_at(court, at(1, 12)).pk,
                            now=timezone.now() - datetime.timedelta(minutes=30))
    page = html(me.get(reverse("booking:booking", args=[booking.pk])))
    assert "The hold ran out" in page and "data-countdown" not in page
    r = me.post(reverse("booking:confirm", args=[booking.pk]), follow=True)
    assert "This booking is no longer held for you." in html(r)


def test_someone_elses_booking_is_404(world, client_for):
    other = client_for("other_resident")
    pk = world.booking.pk
    for name, method in (("booking", "get"), ("ics", "get"), ("pay", "get"), ("confirm", "post"), ("cancel", "post")):
        assert getattr(other, method)(reverse(f"booking:{name}", args=[pk])).status_code == 404, name
    world.booking.refresh_from_db()
    assert world.booking.status == "confirmed"


def test_strangers_are_sent_to_sign_in(world, client):
    for url in (reverse("booking:mine"), reverse("booking:certificates"), reverse("booking:booking", args=[world.booking.pk])):
        r = client.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    r = client.post(reverse("booking:hold", args=[world.slot.pk]), {"client_key": "x"})
    assert "/accounts/login/" in r["Location"]


# -- my bookings ---------------------------------------------------------------------------------------
def test_my_bookings(world, court, me, settings):
    resident = world.users["resident"]
    by_venue = services.book(resident, slot_at(court, at(2, 12)).pk)
    services.cancel(by_venue, by=world.users["county"], by_venue=True, reason="场地维修")
    missed = services.book(resident, slot_at(court, at(3, 12)).pk)
    Booking.objects.filter(pk=missed.pk).update(status="no_show")
    page = html(me.get(reverse("booking:mine")))
    phone_ready(page)
    upcoming, past = page.split("Past and cancelled")
    assert reverse("booking:booking", args=[world.booking.pk]) in upcoming
    assert "By the venue" in past and "场地维修" in past and "No-show" in past
    assert "Online booking is suspended" not in page

    settings.BOOKING_STRIKES_TO_SUSPEND = 1
    Strike.objects.create(user=resident, booking=missed)
    until = timezone.localtime(services.suspended_until(resident))
    page = html(me.get(reverse("booking:mine")))
    assert f"Online booking is suspended until {until:%Y-%m-%d} after repeated no-shows." in page
    venue_page = html(me.get(reverse("booking:booking", args=[by_venue.pk])))
    assert "The venue cancelled this booking: 场地维修." in venue_page


def test_navigation_links_my_bookings(world, me, client):
    assert reverse("booking:mine") in html(me.get(reverse("web:home")))
    assert reverse("booking:mine") not in html(client.get(reverse("web:home")))


# -- certificates ------------------------------------------------------------------------------------
def test_certificate_upload_page(world, me, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("booking:certificates")
    buf = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(buf, "JPEG")
    broken = buf.getvalue()[:300]
    r = me.post(url, {"kind": "student", "image": SimpleUploadedFile("c.jpg", broken, "image/jpeg")})
    assert r.status_code == 400 and "cannot be read" in html(r) and 'data-code="image_unreadable"' in html(r)
    assert not Certificate.objects.exists() and not any(p.is_file() for p in tmp_path.rglob("*"))
    r = me.post(url, {"kind": "student", "image": SimpleUploadedFile("c.jpg", buf.getvalue(), "image/jpeg")}, follow=True)
    assert "Staff will check the certificate" in html(r) and "Waiting for a check" in html(r)
    assert Certificate.objects.get().status == "pending"


def test_pages_make_a_fixed_number_of_queries(world, court, pool, me, django_assert_max_num_queries):
    # However many units and slots a day has, the site page and my bookings cost the same few queries.
    for day in (2, 3):
        services.book(world.users["resident"], slot_at(pool, at(day, 14)).pk)
    date = at(1, 0).strftime("%Y-%m-%d")
    with django_assert_max_num_queries(14):
        assert me.get(reverse("booking:site", args=[world.site.pk]) + f"?date={date}").status_code == 200
    with django_assert_max_num_queries(14):
        assert me.get(reverse("booking:mine")).status_code == 200
