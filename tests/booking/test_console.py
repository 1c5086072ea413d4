"""The venue side: an operator runs their own site (and only it), division staff run their divisions.

Console pages and exports, check-in by code with each error, walk-ins, venue cancellations that tell
the resident, block bookings through the page, units and weekly times, and the eligibility check.
"""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from quanmin.accounts import services as accounts
from quanmin.accounts.models import AuditEntry
from quanmin.booking import services, services_console
from quanmin.booking.models import Booking, Certificate, Slot, WeeklyTemplate
from quanmin.booking.selectors import code_from, mask_name

from ..conftest import make_user
from .conftest import at, slot_at


@pytest.fixture
def operator(world):
    user = make_user("13700000020", "场馆员", seq=20)
    accounts.grant_membership(user, "operator", world.site.region, target=world.site)
    return user


@pytest.fixture
def op(operator):
    client = Client()
    client.force_login(operator)
    return client


def url(name, **kwargs):
    return reverse(f"booking:{name}", kwargs=kwargs)


def soon_slot(unit, minutes=20):
    """A slot starting in a few minutes: bookable, and open for check-in (from 30 minutes before)."""
    # At 7 seconds past the minute: never the same start as a slot the weekly times made.
    start = timezone.now().replace(second=7, microsecond=0) + datetime.timedelta(minutes=minutes)
    return Slot.objects.create(unit=unit, start=start, end=start + datetime.timedelta(hours=1), price=20)


# --- the console, own site only ----------------------------------------------------------------------------

def test_operator_reaches_own_site_only(world, op):
    site, other = world.site, world.other_site
    home = op.get(url("staff_home"))
    assert home.status_code == 200 and site.name in home.content.decode() and other.name not in home.content.decode()
    for name, kwargs in [("staff_site", {"site_id": site.pk}), ("staff_day", {"site_id": site.pk}),
                         ("staff_day_list", {"site_id": site.pk}), ("staff_visits", {"site_id": site.pk}),
                         ("staff_export", {"site_id": site.pk}), ("staff_unit", {"unit_id": world.unit.pk}),
                         ("staff_slot", {"slot_id": world.slot.pk}), ("staff_unit_new", {"site_id": site.pk}),
                         ("staff_block_booking", {"unit_id": world.unit.pk})]:
        assert op.get(url(name, **kwargs)).status_code == 200, name
    for name, kwargs in [("staff_site", {"site_id": other.pk}), ("staff_day", {"site_id": other.pk}),
                         ("staff_day_list", {"site_id": other.pk}), ("staff_visits", {"site_id": other.pk}),
                         ("staff_export", {"site_id": other.pk}), ("staff_unit", {"unit_id": world.other_unit.pk}),
                         ("staff_slot", {"slot_id": world.other_slot.pk})]:
        assert op.get(url(name, **kwargs)).status_code == 404, name
    assert op.post(url("staff_cancel", booking_id=world.other_booking.pk), {"reason": "x"}).status_code == 404
    assert op.post(url("staff_walk_in", slot_id=world.other_slot.pk), {"places": 1}).status_code == 404
    # Operators run venues: no figures of divisions, no certificates of residents.
    assert op.get(url("staff_figures")).status_code == 403
    assert op.get(url("staff_certificates")).status_code == 403


def test_operator_api_is_scoped(world, op):
    root = "/api/v1/booking/staff"
    assert [s["id"] for s in op.get(f"{root}/sites").json()] == [world.site.pk]
    day = world.slot.start.astimezone(timezone.get_current_timezone()).date().isoformat()
    grid = op.get(f"{root}/sites/{world.site.pk}/day?date={day}").json()
    names = [b["name"] for r in grid["rows"] for c in r["cells"] for b in c["bookings"]]
    assert "居*" in names and "居民" not in names
    assert op.get(f"{root}/sites/{world.other_site.pk}/day").status_code == 404
    r = op.post(f"{root}/bookings/{world.other_booking.pk}/cancel", {"reason": "x"}, content_type="application/json")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_inspector_and_supervisor(world, client_for):
    inspector = make_user("13700000021", "巡检员", seq=21)
    accounts.grant_membership(inspector, "inspector", world.site.region, target=world.site)
    client = Client()
    client.force_login(inspector)
    assert client.get(url("staff_home")).status_code == 403  # inspects equipment, does not run bookings
    supervisor = client_for("supervisor")
    day = supervisor.get(url("staff_day", site_id=world.site.pk))
    assert day.status_code == 200 and world.site.name in day.content.decode()  # reads the day
    before = Booking.objects.filter(slot=world.slot).count()
    assert supervisor.post(url("staff_walk_in", slot_id=world.slot.pk), {"places": 1}).status_code == 403
    assert Booking.objects.filter(slot=world.slot).count() == before  # and writes nothing
    assert supervisor.get(url("staff_check_in")).status_code == 403


def test_day_grid_shows_holds_bookings_blocks_and_arrivals(world, op, court):
    resident, other = world.users["resident"], world.users["other_resident"]
    soon = soon_slot(court)
    arrived = services.book(resident, soon.pk)
    services.check_in(arrived.code)
    services.hold(other, slot_at(court, at(1, 12)).pk)
    services_console.block_unit_time(court, at(1, 13), at(1, 14), "换地板")
    html = op.get(url("staff_day", site_id=world.site.pk) + f"?date={at(1, 0).date()}").content.decode()
    assert "换地板" in html and "邻**民" in html and 'class="st-held"' in html
    assert "居民" not in html and "邻县居民" not in html  # names are masked
    today = op.get(url("staff_day", site_id=world.site.pk) + f"?date={timezone.localtime(soon.start).date()}")
    assert "居*" in today.content.decode() and "✓" in today.content.decode()


def test_day_list_and_export_mask_phones(world, op):
    resident = world.users["resident"]
    day = timezone.localtime(world.slot.start).date()
    listing = op.get(url("staff_day_list", site_id=world.site.pk) + f"?date={day}").content.decode()
    assert world.booking.code in listing and "居*" in listing
    r = op.get(url("staff_export", site_id=world.site.pk) + f"?from={day - datetime.timedelta(days=1)}&to={day}")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True))
    flat = " ".join(str(c) for row in rows for c in row)
    assert len(rows) == 2 and world.booking.code in flat
    assert resident.phone_masked in flat and resident.phone not in flat and "居民" not in flat
    assert world.other_booking.code not in flat
    bad = op.get(url("staff_export", site_id=world.site.pk) + "?from=2026-05-02&to=2026-05-01")
    assert bad.status_code == 302


def test_walk_in_books_and_checks_in(world, op, court, pool):
    slot = slot_at(court, at(1, 16))
    r = op.post(url("staff_walk_in", slot_id=slot.pk), {"places": 3, "name": "张三丰"})
    assert r.status_code == 302
    b = Booking.objects.get(slot=slot)  # a court is one party's, whatever its size
    assert (b.channel, b.status, b.places, b.user) == ("walk_in", "checked_in", 1, None)
    session = slot_at(pool, at(1, 14))
    op.post(url("staff_walk_in", slot_id=session.pk), {"places": 3})
    session.refresh_from_db()
    assert session.taken == 3 and session.bookings.get().places == 3
    html = op.get(url("staff_slot", slot_id=slot.pk)).content.decode()
    assert "张*丰" in html and "张三丰" not in html
    op.post(url("staff_walk_in", slot_id=slot.pk), {"places": 1})  # a court takes one party: refused
    assert Booking.objects.filter(slot=slot).count() == 1


def test_venue_cancellation_tells_the_resident(world, op, operator, django_capture_on_commit_callbacks):
    resident, booking = world.users["resident"], world.booking
    op.post(url("staff_cancel", booking_id=booking.pk), {"reason": ""})
    booking.refresh_from_db()
    assert booking.status == "confirmed"  # a reason is required
    with django_capture_on_commit_callbacks(execute=True):
        r = op.post(url("staff_cancel", booking_id=booking.pk), {"reason": "场地积水", "next": "/evil.example/"})
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancelled_by_venue and booking.cancel_reason == "场地积水"
    note = resident.notifications.first()
    assert note is not None and "场地积水" in note.text
    assert AuditEntry.objects.filter(action="cancel", actor=operator, target_id=str(booking.pk)).exists()


# --- check-in -------------------------------------------------------------------------------------------

def test_check_in_by_code_and_each_error(world, op, court):
    resident = world.users["resident"]
    booking = services.book(resident, soon_slot(court).pk)
    page = op.get(url("staff_check_in"))
    assert page.status_code == 200 and b"booking/check_in.js" in page.content  # the camera reader
    # Typed in lower case, or scanned from a QR that holds a link ending in the code.
    r = op.post(url("staff_check_in"), {"code": f"https://quanmin.example/b/{booking.code.lower()}"})
    assert r.status_code == 200 and "居*" in r.content.decode() and court.name in r.content.decode()
    booking.refresh_from_db()
    assert booking.status == "checked_in" and booking.checked_in_at
    again = op.post(url("staff_check_in"), {"code": booking.code})
    assert again.status_code == 200 and again.context["result"].already
    # Not found: a made-up code, and another site's booking (the same answer).
    for code in ("ZZZZ2222", world.other_booking.code):
        r = op.post(url("staff_check_in"), {"code": code})
        assert r.status_code == 404 and r.context["error"].code == "not_found" and r.context["booking"] is None
    # Not yet open: tomorrow's booking, shown so that staff can tell the person when to come.
    r = op.post(url("staff_check_in"), {"code": world.booking.code})
    assert r.status_code == 409 and r.context["error"].code == "check_in_closed"
    assert r.context["booking"] == world.booking and world.unit.name in r.content.decode()
    # Not confirmed: a hold still waiting for payment, and a cancelled booking.
    held = services.hold(world.users["other_resident"], soon_slot(court, 25).pk)
    r = op.post(url("staff_check_in"), {"code": held.code})
    assert r.status_code == 409 and r.context["error"].code == "check_in_status"
    world.booking.refresh_from_db()
    services.cancel(world.booking, by=resident)
    assert op.post(url("staff_check_in"), {"code": world.booking.code}).context["error"].code == "check_in_status"


def test_check_in_api_and_scope(world, op, court, client_for):
    booking = services.book(world.users["resident"], soon_slot(court).pk)
    r = client_for("other_county").post("/api/v1/booking/staff/check-in", {"code": booking.code},
                                        content_type="application/json")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = op.post("/api/v1/booking/staff/check-in", {"code": booking.code}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "checked_in" and r.json()["name"] == "居*"


def test_code_from_and_mask_name():
    assert code_from(" abcd2345 ") == "ABCD2345" and code_from("https://x.cn/b/ABCD2345") == "ABCD2345"
    assert [mask_name(n) for n in ("", "李", "张三", "王小明", "欧阳娜娜")] == ["", "李", "张*", "王*明", "欧**娜"]


# --- block bookings, units and weekly times ------------------------------------------------------------------

def test_block_booking_through_the_page_for_a_term_past_the_window(world, op, court):
    first = timezone.localdate() + datetime.timedelta(days=1)
    last = first + datetime.timedelta(days=35)  # past the 15-day window: slots are made for the term
    form = {"weekday": first.weekday(), "start": "19:00", "first_day": first, "last_day": last, "label": "东关小学篮球队"}
    r = op.post(url("staff_block_booking", unit_id=court.pk), form)
    assert r.status_code == 302
    made = Booking.objects.filter(slot__unit=court, channel="block")
    assert made.count() == 6 and {b.block_label for b in made} == {"东关小学篮球队"}
    # Overlapping the term again: all or nothing, and the page says why.
    r = op.post(url("staff_block_booking", unit_id=court.pk), {**form, "label": "篮球俱乐部"})
    assert r.status_code == 400 and made.count() == 6
    assert op.post(url("staff_block_booking", unit_id=world.other_unit.pk), form).status_code == 404


def test_units_rules_templates_and_blocks_through_the_pages(world, op):
    r = op.post(url("staff_unit_new", site_id=world.site.pk), {
        "facility": world.facility.pk, "name": "2号场", "kind": "slot", "active": "on", "window_days": 7,
        "hold_minutes": 10, "cancel_hours": 2, "max_open_per_user": 3, "max_per_day": 2, "max_companions": 3,
        "min_age": 0, "guardian_under": 14, "free_for_seniors": "on", "student_discount_pct": 50,
        "minor_discount_pct": 50, "payment_provider": "on_site"})
    assert r.status_code == 302
    unit = world.site.bookable_units.get(name="2号场")
    # Rules: a discount over 100% is refused by the service, and nothing changes.
    rules = {"name": "2号场", "active": "on", "window_days": 10, "hold_minutes": 5, "cancel_hours": 4,
             "max_open_per_user": 3, "max_per_day": 2, "max_companions": 2, "min_age": 6, "guardian_under": 12,
             "student_discount_pct": 150, "minor_discount_pct": 50, "payment_provider": "simulated"}
    assert op.post(url("staff_unit", unit_id=unit.pk), rules).status_code == 400
    assert op.post(url("staff_unit", unit_id=unit.pk), {**rules, "student_discount_pct": 30}).status_code == 302
    unit.refresh_from_db()
    assert (unit.window_days, unit.hold_minutes, unit.student_discount_pct, unit.payment_provider) == (10, 5, 30, "simulated")
    # Weekly times: add (slots follow), refuse an overlap, change, remove.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    add = {"weekday": tomorrow.weekday(), "start": "18:00", "end": "19:00", "capacity": 1, "price": "30"}
    op.post(url("staff_template_add", unit_id=unit.pk), {**add, "weekdays": [tomorrow.weekday()]})
    template = unit.templates.get()
    assert unit.slots.filter(start=at(1, 18)).exists()
    r = op.post(url("staff_template_add", unit_id=unit.pk), {**add, "weekdays": [tomorrow.weekday()], "start": "18:30",
                                                             "end": "19:30"}, follow=True)
    assert unit.templates.count() == 1 and "error" in [m.level_tag for m in r.context["messages"]]
    html = op.get(url("staff_unit", unit_id=unit.pk)).content.decode()
    assert url("staff_template_edit", unit_id=unit.pk, template_id=template.pk) in html and "¥30" in html
    booking = services.book(world.users["resident"], unit.slots.get(start=at(1, 18)).pk)
    r = op.post(url("staff_template_edit", unit_id=unit.pk, template_id=template.pk), {**add, "start": "20:00", "end": "21:00"})
    assert r.status_code == 302 and unit.slots.filter(start=at(1, 20)).exists()
    booking.refresh_from_db()
    assert booking.active and booking.slot.start == at(1, 18)  # the booked slot is kept
    op.post(url("staff_template_delete", unit_id=unit.pk, template_id=template.pk))
    assert not unit.templates.exists() and not unit.slots.filter(start=at(1, 20)).exists()
    assert unit.slots.filter(start=at(1, 18)).exists()
    # The same time on several days at once; then a block, and open again.
    op.post(url("staff_template_add", unit_id=unit.pk), {**add, "weekdays": list(range(8)), "start": "09:00",
                                                         "end": "10:00"})
    assert unit.templates.count() == 8
    WeeklyTemplate.objects.filter(unit=unit).delete()
    WeeklyTemplate.objects.create(unit=unit, weekday=tomorrow.weekday(), start=datetime.time(9), end=datetime.time(10))
    op.post(url("staff_generate", unit_id=unit.pk))
    fmt = "%Y-%m-%dT%H:%M"
    span = {"start": timezone.localtime(at(1, 8)).strftime(fmt), "end": timezone.localtime(at(1, 19)).strftime(fmt)}
    op.post(url("staff_block_time", unit_id=unit.pk), {**span, "reason": "设备检修", "action": "block"})
    nine = unit.slots.get(start=at(1, 9))
    assert nine.blocked and nine.block_reason == "设备检修"
    assert not unit.slots.get(start=at(1, 18)).blocked  # booked: stays open
    op.post(url("staff_block_time", unit_id=unit.pk), {**span, "action": "unblock"})
    nine.refresh_from_db()
    assert not nine.blocked


def test_template_api(world, op):
    root = f"/api/v1/booking/staff/units/{world.unit.pk}/templates"
    r = op.post(root, {"weekday": 7, "start": "21:00", "end": "22:00", "price": "10", "benefit": True},
                content_type="application/json")
    assert r.status_code == 201 and r.json()["template"]["benefit"]
    r = op.post(root, {"weekday": 7, "start": "21:30", "end": "22:30"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "template_overlap"
    r = op.post(root, {"weekday": 1, "start": "10:00", "end": "09:00"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "end"


# --- eligibility certificates -------------------------------------------------------------------------------

@pytest.fixture
def certificate(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    resident = world.users["resident"]
    cert = Certificate(user=resident, kind="disabled", region=resident.home_region)
    cert.image.save("card.gif", ContentFile(b"GIF89a-certificate-photo"), save=True)
    return cert


def test_certificate_queue_is_for_the_holders_division(world, client_for, certificate, op):
    community = client_for("community")
    html = community.get(url("staff_certificates")).content.decode()
    assert "居*" in html and "居民" not in html
    assert client_for("other_county").get(url("staff_certificate", cert_id=certificate.pk)).status_code == 404
    assert client_for("other_county").get(url("staff_certificate_image", cert_id=certificate.pk)).status_code == 404
    assert client_for("supervisor").get(url("staff_certificates")).status_code == 403
    assert op.get(url("staff_certificate", cert_id=certificate.pk)).status_code == 403
    assert not AuditEntry.objects.filter(action="read_personal").exists()


def test_certificate_image_read_is_logged(world, client_for, certificate):
    r = client_for("county").get(url("staff_certificate_image", cert_id=certificate.pk))
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"GIF89a-certificate-photo"
    entry = AuditEntry.objects.get(action="read_personal")
    assert entry.actor == world.users["county"] and entry.target_id == str(world.users["resident"].pk)
    assert entry.detail["fields"] == ["certificate_image"]


def test_verify_and_reject_tell_the_holder(world, client_for, certificate, court, django_capture_on_commit_callbacks):
    resident, staff = world.users["resident"], client_for("community")
    page = url("staff_certificate", cert_id=certificate.pk)
    assert staff.post(page, {"action": "verify", "valid_until": "2000-01-01"}).status_code == 400
    certificate.refresh_from_db()
    assert certificate.status == "pending"
    until = timezone.localdate() + datetime.timedelta(days=365)
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post(page, {"action": "verify", "valid_until": until.isoformat()}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "verified" and certificate.valid_until == until
    assert certificate.checked_by == world.users["community"]
    assert resident.notifications.filter(text__contains=until.isoformat()).exists()
    # From now on the price applies by itself.
    b = services.book(resident, slot_at(court, at(2, 12)).pk)
    assert b.price == 0 and b.price_basis == "disabled"
    # A decided certificate is not decided again.
    r = staff.post(page, {"action": "reject", "reason": "照片模糊"})
    certificate.refresh_from_db()
    assert r.status_code == 400 and certificate.status == "verified"


def test_reject_with_reason(world, client_for, certificate, django_capture_on_commit_callbacks):
    api = f"/api/v1/booking/staff/certificates/{certificate.pk}/reject"
    staff = client_for("county")
    assert staff.post(api, {"reason": ""}, content_type="application/json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        r = staff.post(api, {"reason": "照片模糊，请重新上传"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "rejected" and r.json()["holder"] == "居*"
    assert "照片模糊" in world.users["resident"].notifications.first().text
    queue = staff.get("/api/v1/booking/staff/certificates").json()
    assert queue == []
