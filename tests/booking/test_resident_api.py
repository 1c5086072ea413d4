"""The residents' booking API: the flow end to end, every error code, idempotent retries, the .ics,
the simulated payment call-back and certificate photos."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from quanmin.booking import ics, pricing, services, services_resident
from quanmin.booking.models import Booking, Certificate, Slot, Strike, WaitlistEntry
from tests.conftest import make_user

from .conftest import at, slot_at

API = "/api/v1/booking"


def post(client, path, body=None, **headers):
    return client.post(API + path, body or {}, content_type="application/json", headers=headers)


def code(response):
    return response.json()["code"]


@pytest.fixture
def me(client_for):
    return client_for("resident")


# -- availability ------------------------------------------------------------------------------
def test_availability_is_public_and_priced_for_the_signed_in_person(world, court, client_for):
    resident = world.users["resident"]
    Certificate.objects.create(user=resident, kind="disabled", image="x.png", status="verified")
    day = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    url = f"{API}/sites/{world.site.pk}/availability?date={day}"
    anon = client_for(None).get(url)
    assert anon.status_code == 200 and anon.json()["priced_for_me"] is False
    units = {u["name"]: u for u in anon.json()["units"]}
    court_slots = units[court.name]["slots"]
    assert len(court_slots) == 13 and {s["price"] for s in court_slots} == {"0.00", "20.00"}
    assert all(s["benefit"] == (s["price"] == "0.00") for s in court_slots)
    mine = client_for("resident").get(url).json()
    assert mine["priced_for_me"] is True
    for s in {u["name"]: u for u in mine["units"]}[court.name]["slots"]:
        slot = Slot.objects.get(pk=s["id"])
        assert s["price"] == str(pricing.quote(resident, slot, []).total) == "0.00"  # the price charged
        assert s["base_price"] in ("0.00", "20.00")


def test_availability_counts_run_out_holds_as_free(world, court, client_for):
    slot = slot_at(court, at(1, 18))
    services.hold(world.users["other_resident"], slot.pk, now=timezone.now() - datetime.timedelta(minutes=30))
    day = timezone.localtime(slot.start).date().isoformat()
    units = client_for(None).get(f"{API}/sites/{world.site.pk}/availability?date={day}").json()["units"]
    row = next(s for u in units for s in u["slots"] if s["id"] == slot.pk)
    assert row["free"] == 1 and row["bookable"] is True
    # ... and the next hold does get the place.
    assert post(client_for("resident"), "/holds", {"slot_id": slot.pk}).status_code == 201


def test_availability_bad_input(world, client_for):
    assert client_for(None).get(f"{API}/sites/999999/availability").json()["code"] == "not_found"
    r = client_for(None).get(f"{API}/sites/{world.site.pk}/availability?date=tomorrow")
    assert r.status_code == 422 and code(r) == "invalid_input"


# -- the flow ------------------------------------------------------------------------------------
def test_hold_confirm_list_get_cancel(world, court, me):
    slot = slot_at(court, at(2, 18))
    r = post(me, "/holds", {"slot_id": slot.pk})
    assert r.status_code == 201, r.content
    held = r.json()
    assert held["status"] == "held" and held["places"] == 1 and held["price"] == "20.00" and held["hold_expires_at"]
    confirmed = post(me, f"/bookings/{held['id']}/confirm").json()
    assert confirmed["status"] == "confirmed" and confirmed["payment"]["status"] == "on_site"
    deadline = datetime.datetime.fromisoformat(confirmed["free_cancellation_until"])
    assert deadline == slot.start - datetime.timedelta(hours=court.cancel_hours)
    upcoming = me.get(f"{API}/bookings?when=upcoming").json()
    assert [b["id"] for b in upcoming["items"]] == sorted([world.booking.pk, held["id"]],
                                                          key=lambda pk: Booking.objects.get(pk=pk).slot.start)
    assert me.get(f"{API}/bookings/{held['id']}").json()["code"] == confirmed["code"]
    cancelled = post(me, f"/bookings/{held['id']}/cancel", {"reason": "下雨"}).json()
    assert cancelled["status"] == "cancelled" and cancelled["cancel_reason"] == "下雨"
    assert me.get(f"{API}/bookings?when=past").json()["count"] == 1
    slot.refresh_from_db()
    assert slot.taken == 0


def test_idempotent_retry_returns_the_same_booking(world, court, me):
    slot = slot_at(court, at(1, 18))
    before = Booking.objects.count()
    first = post(me, "/holds", {"slot_id": slot.pk}, **{"Idempotency-Key": "tap-1"})
    again = post(me, "/holds", {"slot_id": slot.pk}, **{"Idempotency-Key": "tap-1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    other_slot = slot_at(court, at(2, 19)).pk
    body_key = post(me, "/holds", {"slot_id": other_slot, "client_key": "tap-2"}).json()
    assert post(me, "/holds", {"slot_id": other_slot, "client_key": "tap-2"}).json()["id"] == body_key["id"]
    assert Booking.objects.count() == before + 2
    slot.refresh_from_db()
    assert slot.taken == 1
    # A retry after confirming still answers the booking, now confirmed: it never books twice.
    post(me, f"/bookings/{first.json()['id']}/confirm")
    retry = post(me, "/holds", {"slot_id": slot.pk}, **{"Idempotency-Key": "tap-1"})
    assert retry.json()["id"] == first.json()["id"] and retry.json()["status"] == "confirmed"
    # A new key for the same time is a second booking attempt: refused, not a duplicate.
    assert code(post(me, "/holds", {"slot_id": slot.pk}, **{"Idempotency-Key": "tap-3"})) == "already_booked"
    long_key = post(me, "/holds", {"slot_id": slot.pk}, **{"Idempotency-Key": "k" * 65})
    assert long_key.status_code == 422 and code(long_key) == "invalid_input"


def test_someone_elses_booking_is_404(world, client_for):
    other = client_for("other_resident")
    pk = world.booking.pk
    for r in (other.get(f"{API}/bookings/{pk}"), other.get(f"{API}/bookings/{pk}.ics"),
              post(other, f"/bookings/{pk}/confirm"), post(other, f"/bookings/{pk}/cancel"),
              client_for("county").get(f"{API}/bookings/{pk}")):
        assert r.status_code == 404 and code(r) == "not_found"
    assert pk not in [b["id"] for b in other.get(f"{API}/bookings").json()["items"]]
    world.booking.refresh_from_db()
    assert world.booking.status == "confirmed"


def test_strangers_must_sign_in(world, court, client_for):
    r = post(client_for(None), "/holds", {"slot_id": slot_at(court, at(1, 18)).pk})
    assert r.status_code == 401 and code(r) == "not_authenticated"
    assert not Booking.objects.filter(slot__unit=court).exists()


# -- every error code ------------------------------------------------------------------------------
def test_error_codes(world, court, me, client_for, settings):
    resident = world.users["resident"]
    hold = lambda slot, client=me, **extra: post(client, "/holds", {"slot_id": slot.pk, **extra})  # noqa: E731

    taken = slot_at(court, at(1, 18))
    services.book(world.users["other_resident"], taken.pk)
    r = hold(taken)
    assert (r.status_code, code(r)) == (409, "slot_full") and r.json()["message"] == "该时段已约满。"
    assert code(post(me, "/holds", {"slot_id": 999999})) == "not_found"

    blocked = slot_at(court, at(1, 19))
    Slot.objects.filter(pk=blocked.pk).update(blocked=True)
    assert code(hold(blocked)) == "slot_blocked"
    now = timezone.now()
    past = Slot.objects.create(unit=court, start=now - datetime.timedelta(hours=2), end=now - datetime.timedelta(hours=1))
    assert code(hold(past)) == "slot_past"
    from quanmin.booking import schedule

    schedule.generate_slots(court, days=court.window_days + 3)
    assert code(hold(slot_at(court, at(court.window_days + 1, 12)))) == "outside_window"
    four = [{"name": f"同伴{i}", "minor": False} for i in range(4)]
    assert code(hold(slot_at(court, at(1, 12)), companions=four)) == "too_many_companions"
    r = hold(slot_at(court, at(1, 12)), companions=[{"name": "", "minor": True}])
    assert r.status_code == 422 and code(r) == "invalid_input"

    again = slot_at(court, at(1, 12))
    assert hold(again).status_code == 201
    assert code(hold(again)) == "already_booked"
    court.max_per_day = 1
    court.save()
    assert code(hold(slot_at(court, at(1, 13)))) == "limit_day"
    court.max_per_day, court.max_open_per_user = 5, 2
    court.save()
    assert code(hold(slot_at(court, at(3, 13)))) == "limit_open"
    court.max_open_per_user = court.max_per_day = 10
    court.save()

    nameless = make_user("13700000090", "", home=world.community, seq=40)
    r = hold(slot_at(court, at(4, 12)), client=_client(nameless))
    assert (r.status_code, code(r)) == (403, "real_name_required")
    child = make_user("13700000091", "小孩", home=world.community, birth="20160601", seq=41)
    assert code(hold(slot_at(court, at(4, 12)), client=_client(child))) == "guardian_required"
    court.min_age = 16
    court.save()
    assert code(hold(slot_at(court, at(4, 12)), client=_client(child))) == "too_young"

    settings.BOOKING_STRIKES_TO_SUSPEND = 1
    Strike.objects.create(user=world.users["other_resident"], booking=world.other_booking)
    r = hold(slot_at(court, at(5, 12)), client=client_for("other_resident"))
    assert (r.status_code, code(r)) == (403, "suspended")
    assert str(timezone.localdate() + datetime.timedelta(days=settings.BOOKING_SUSPEND_DAYS)) in r.json()["message"]

    expired = services.hold(resident, slot_at(court, at(6, 12)).pk, now=timezone.now() - datetime.timedelta(minutes=30))
    assert code(post(me, f"/bookings/{expired.pk}/confirm")) == "not_confirmable"
    assert code(post(me, f"/bookings/{world.booking.pk}/cancel")) != "not_cancellable"
    assert code(post(me, f"/bookings/{world.booking.pk}/cancel")) == "not_cancellable"

    assert code(post(me, "/waitlist", {"slot_id": slot_at(court, at(7, 12)).pk})) == "not_full"
    assert post(me, "/waitlist", {"slot_id": taken.pk}).status_code == 201
    assert code(post(me, "/waitlist", {"slot_id": taken.pk})) == "already_waiting"
    assert code(post(me, "/waitlist", {"slot_id": blocked.pk})) == "slot_blocked"
    assert code(post(me, "/waitlist", {"slot_id": past.pk})) == "slot_past"
    assert code(post(client_for("other_resident"), "/waitlist", {"slot_id": taken.pk})) == "suspended"
    from django.test import override_settings

    with override_settings(QUANMIN_SIMULATED_PAYMENTS=False):
        r = post(client_for("other_resident"), "/payments/SIM0/complete")
    assert (r.status_code, code(r)) == (409, "simulation_off")


def _client(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_companions_take_places_and_are_priced(world, pool, me):
    slot = slot_at(pool, at(2, 14))
    r = post(me, "/holds", {"slot_id": slot.pk, "companions": [{"name": " 小明 ", "minor": True}, {"name": "老李"}]})
    assert r.status_code == 201, r.content
    held = r.json()
    assert held["places"] == 3 and held["price"] == "37.50"  # 15 + 7.50 for the minor + 15
    assert held["companions"] == [{"name": "小明", "minor": True}, {"name": "老李", "minor": False}]
    slot.refresh_from_db()
    assert slot.taken == 3


def test_the_api_refuses_companions_on_a_one_party_court_slot(world, court, me):
    # The page never offers companions here; the API must refuse them too, and write nothing.
    slot = slot_at(court, at(2, 12))
    r = post(me, "/holds", {"slot_id": slot.pk, "companions": [{"name": "老李", "minor": False}]})
    assert (r.status_code, code(r)) == (409, "companions_not_allowed")
    assert r.json()["message"] == "该时段为整场预约，不能携带同行人。"
    slot.refresh_from_db()
    assert slot.taken == 0 and not Booking.objects.filter(slot=slot).exists()
    r = post(me, "/holds", {"slot_id": slot.pk})
    assert r.status_code == 201 and r.json()["places"] == 1


# -- waitlist --------------------------------------------------------------------------------------
def test_waitlist_offer_is_a_held_booking_to_confirm(world, pool, client_for):
    slot = slot_at(pool, at(1, 19))  # 3 places
    first = services.book(world.users["resident"], slot.pk, companions=[{"name": "a"}, {"name": "b"}])
    other = client_for("other_resident")
    r = post(other, "/waitlist", {"slot_id": slot.pk})
    assert r.status_code == 201 and r.json()["status"] == "waiting"
    assert code(post(client_for("resident"), "/waitlist", {"slot_id": slot.pk})) == "already_booked"
    services.cancel(first, by=world.users["resident"])
    offer = other.get(f"{API}/bookings?when=upcoming").json()["items"]
    offer = next(b for b in offer if b["slot_id"] == slot.pk)
    assert offer["status"] == "held" and offer["channel"] == "waitlist" and offer["hold_expires_at"]
    assert WaitlistEntry.objects.get(user=world.users["other_resident"]).status == "offered"


# -- the simulated online payment -----------------------------------------------------------------
def test_simulated_payment_call_back(world, pool, client_for, settings):
    settings.QUANMIN_SIMULATED_PAYMENTS = True
    me, other = client_for("resident"), client_for("other_resident")
    held = post(me, "/holds", {"slot_id": slot_at(pool, at(2, 14)).pk}).json()
    pending = post(me, f"/bookings/{held['id']}/confirm").json()
    assert pending["status"] == "held" and pending["payment"]["status"] == "pending"
    ref = pending["payment"]["reference"]
    assert ref.startswith("SIM")
    assert code(post(other, f"/payments/{ref}/complete")) == "not_found"  # not the payer
    settings.QUANMIN_SIMULATED_PAYMENTS = False
    assert code(post(me, f"/payments/{ref}/complete")) == "simulation_off"
    assert Booking.objects.get(pk=held["id"]).status == "held"
    settings.QUANMIN_SIMULATED_PAYMENTS = True
    paid = post(me, f"/payments/{ref}/complete")
    assert paid.status_code == 200 and paid.json()["status"] == "confirmed"
    assert paid.json()["payment"] == {"provider": "simulated", "status": "paid", "amount": "15.00",
                                      "refunded": "0.00", "reference": None}
    assert post(me, f"/payments/{ref}/complete").json()["status"] == "confirmed"  # a retried call-back
    # An on-site payment has no reference to complete; a real provider's is not the simulator's to touch.
    assert code(post(me, "/payments/%20/complete")) == "not_found"


def test_simulated_payments_default_to_debug(settings):
    if hasattr(settings, "QUANMIN_SIMULATED_PAYMENTS"):
        del settings.QUANMIN_SIMULATED_PAYMENTS
    settings.DEBUG = False
    assert services_resident.simulated_payments_on() is False
    settings.DEBUG = True
    assert services_resident.simulated_payments_on() is True


# -- the .ics -----------------------------------------------------------------------------------------
def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_ics_is_a_valid_calendar(world, me):
    r = me.get(f"{API}/bookings/{world.booking.pk}.ics")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    assert "attachment" in r["Content-Disposition"]
    text = r.content.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = unfold(text)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"] and lines[-2:] == ["END:VCALENDAR", ""]
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    slot = world.booking.slot
    for key in ("PRODID", "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION"):
        assert fields.get(key), key
    assert fields["DTSTART"] == slot.start.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert fields["DTEND"] == slot.end.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert fields["DTSTAMP"].endswith("Z") and world.booking.code in fields["UID"]
    assert fields["LOCATION"] == "东关社区文体广场\\, 东关街1号"  # the comma is escaped
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1


def test_ics_escaping_and_folding():
    assert ics.escape_text("A; B, C\\D\nE") == "A\\; B\\, C\\\\D\\nE"
    folded = ics.fold("SUMMARY:" + "篮球场" * 40)
    assert all(len(p.encode()) <= 75 for p in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "篮球场" * 40


# -- certificates ---------------------------------------------------------------------------------------
def image_bytes(fmt: str, size=(60, 40), mode="RGB") -> bytes:
    buf = io.BytesIO()
    Image.effect_noise(size, 80).convert(mode).save(buf, fmt)
    return buf.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, kind, name, data, content_type="image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"{API}/certificates", {"kind": kind, "image": SimpleUploadedFile(name, data, content_type)})


@pytest.mark.parametrize("fmt,ext", [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_certificate_upload(world, me, media, fmt, ext):
    r = upload(me, "disabled", "证件.bin", image_bytes(fmt), "application/octet-stream")
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "pending" and r.json()["kind"] == "disabled"
    cert = Certificate.objects.get()
    assert cert.user == world.users["resident"] and cert.region == world.community
    assert cert.image.name.endswith("." + ext) and "证件" not in cert.image.name  # a random name
    assert (media / cert.image.name).exists()
    assert [c["id"] for c in me.get(f"{API}/certificates").json()] == [cert.pk]


def test_certificate_upload_errors_save_nothing(world, me, media):
    jpeg = image_bytes("JPEG", (400, 300))
    huge = io.BytesIO()
    Image.new("1", (8000, 7000)).save(huge, "PNG")
    cases = [
        (("senior", "a.gif", image_bytes("GIF"), "image/gif"), "image_type"),
        (("senior", "a.jpg", jpeg[: len(jpeg) // 2], "image/jpeg"), "image_unreadable"),
        (("senior", "a.png", b"%PDF-1.4 not an image", "image/png"), "image_unreadable"),
        (("senior", "a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (5 * 1024 * 1024), "image/png"), "image_too_large"),
        (("senior", "a.png", huge.getvalue(), "image/png"), "image_too_large"),
        (("gold", "a.png", image_bytes("PNG"), "image/png"), "certificate_kind"),
    ]
    for args, expected in cases:
        r = upload(me, *args)
        assert (r.status_code, code(r)) == (400, expected), (expected, r.content)
        assert r.json()["message"]
    missing = me.post(f"{API}/certificates", {"kind": "senior"})
    assert missing.status_code == 422 and code(missing) == "invalid_input"
    assert not Certificate.objects.exists() and not any(p.is_file() for p in media.rglob("*"))
