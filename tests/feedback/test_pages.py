"""The residents' report pages (/r/…) and the staff queue (/staff/reports/…) through the test client.

Residents: the tag, site and map pages render with the hotline and the promised deadlines; a report
sent with photos lands on its own page; bad input shows an error and creates nothing; a bad photo is
refused and the report kept; the report's page by its token shows the timeline and never the phone;
rating and adding photos change the report through the services, wrong input changes nothing; my
reports lists only one's own. Staff: the queue is scoped, marks overdue reports and masks phones;
each answer changes the report, bad or impossible ones change nothing; a neighbouring county's staff
get 404 and read-only roles 403; the whole phone is shown only on request and the read is logged;
the settings page saves the division's hotline and deadlines."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from quanmin.accounts.models import AuditEntry
from quanmin.feedback import routing, services
from quanmin.feedback.models import FeedbackSettings, Report, ReportEvent, ReportPhoto
from quanmin.maintenance.models import WorkOrder

from .conftest import image_bytes, upload

PHONE = "13912345678"
MASKED = "139****5678"
S = Report.Status


def browser(user=None) -> Client:
    """A client reading the pages in English (the default language is Chinese)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def html(response) -> str:
    return response.content.decode()


def photo(name="photo.png"):
    return upload(image_bytes(), name=name)


@pytest.fixture
def report(make_report):
    return make_report()


@pytest.fixture
def other_report(make_report, feedback_world):
    return make_report(feedback_world.other_pieces[0], phone="13800001111")


@pytest.fixture
def w(feedback_world):
    return feedback_world


# --- residents: the report form -------------------------------------------------------------------

def test_the_tag_page_shows_the_piece_hotline_and_deadlines(w):
    FeedbackSettings.objects.create(region=w.county, hotline="0635-8888", response_working_days=2,
                                    resolution_working_days=7)
    piece = w.pieces[0]
    r = browser().get(f"/r/e/{piece.tag}/")
    assert r.status_code == 200
    page = html(r)
    assert piece.tag in page and piece.kind_label in page and w.site.name in page
    # The county's own settings apply, not the city's.
    assert 'href="tel:0635-8888"' in page and "0635-12345" not in page
    assert "First answer within (working days)</dt><dd>2</dd>" in page
    assert "Problem solved within (working days)</dt><dd>7</dd>" in page
    assert 'type="file" name="photos"' in page and "multiple" in page
    assert 'name="category" value="equipment"' in page and 'name="phone"' in page
    # A tag page needs no map.
    assert 'id="report-map"' not in page


def test_the_tag_is_read_in_any_case(w):
    r = browser().get(f"/r/e/{w.pieces[0].tag.lower()}/")
    assert r.status_code == 200
    assert w.pieces[0].tag in html(r) and w.pieces[0].kind_label in html(r)  # the piece itself, found


def test_an_unknown_tag_is_a_friendly_404(w):
    r = browser().get("/r/e/NOSUCHTAG/")
    assert r.status_code == 404
    page = html(r)
    assert "NOSUCHTAG" in page and "Equipment not found" in page
    assert 'href="/r/new/"' in page and "tel:0635-12345" in page


def test_a_removed_piece_cannot_be_reported(w):
    from quanmin.facilities.models import Equipment

    piece = w.pieces[2]
    Equipment.objects.filter(pk=piece.pk).update(status=Equipment.Status.REMOVED)
    assert browser().get(f"/r/e/{piece.tag}/").status_code == 404
    # A form posted from a page opened before the removal is refused the same way, and files nothing.
    r = browser().post(f"/r/e/{piece.tag}/", {"category": "equipment", "description": "扶手断了", "phone": PHONE})
    assert r.status_code == 404 and not Report.objects.exists()


def test_the_site_and_map_pages(w):
    r = browser().get(f"/r/s/{w.site.pk}/")
    assert r.status_code == 200 and w.site.name in html(r) and "tel:0635-12345" in html(r)
    assert browser().get("/r/s/999999/").status_code == 404
    r = browser().get("/r/new/")
    page = html(r)
    assert r.status_code == 200 and 'id="report-map"' in page and 'id="report-map-settings"' in page
    assert 'name="site"' in page and 'name="lat"' in page and 'name="lon"' in page
    assert f'data-map-url="{reverse("facilities:finder_map")}"' in page


def test_a_report_by_tag_with_photos_lands_on_its_page(w):
    piece = w.pieces[0]
    r = browser().post(f"/r/e/{piece.tag}/", {
        "category": "equipment", "description": "踏板松动，有安全隐患", "phone": PHONE,
        "photos": [photo("a.png"), photo("b.png")]})
    assert r.status_code == 302
    report = Report.objects.get()
    assert r["Location"] == f"/r/t/{report.token}/"
    assert report.equipment == piece and report.site == w.site and report.region_id == w.community.code
    assert report.phone_masked == MASKED and report.status == S.RECEIVED
    assert report.photos.count() == 2
    page = html(browser().get(r["Location"]))
    assert report.number in page and "踏板松动" in page
    assert PHONE not in page and MASKED not in page


def test_the_thank_you_message_follows_the_redirect(w):
    r = browser().post(f"/r/e/{w.pieces[0].tag}/", {
        "category": "equipment", "description": "扶手断了", "phone": PHONE}, follow=True)
    report = Report.objects.get()
    assert r.status_code == 200
    assert f"Thank you: your report {report.number} has been received." in html(r)


def test_a_bad_photo_is_refused_and_the_report_kept(w):
    r = browser().post(f"/r/e/{w.pieces[0].tag}/", {
        "category": "equipment", "description": "扶手断了", "phone": PHONE,
        "photos": [upload(b"not an image at all", name="notes.png"), photo("good.png")]}, follow=True)
    report = Report.objects.get()
    assert report.photos.count() == 1
    assert "Photo notes.png was not added" in html(r)


@pytest.mark.parametrize("fields,message", [
    ({"description": ""}, "This field is required."),
    ({"category": "nonsense"}, "Select a valid choice."),
    ({"phone": ""}, "Leave a mobile number so that staff can reach you."),
    ({"phone": "12345"}, None),
])
def test_bad_input_shows_an_error_and_creates_nothing(w, fields, message):
    data = {"category": "equipment", "description": "扶手断了", "phone": PHONE, **fields}
    r = browser().post(f"/r/e/{w.pieces[0].tag}/", data)
    assert r.status_code == 400
    page = html(r)
    assert 'class="errorlist' in page or 'id="report-error"' in page
    if message:
        assert message in page
        # At the field it is about, the phone's too (the service names the field, the form places it).
        assert message in " ".join(r.context["form"].errors[next(iter(fields))])
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()


def test_a_signed_in_resident_may_leave_the_phone_empty(w):
    resident = w.users["resident"]
    r = browser(resident).post(f"/r/s/{w.site.pk}/", {"category": "hygiene", "description": "垃圾未清理"})
    assert r.status_code == 302
    report = Report.objects.get()
    assert report.reporter == resident and report.site == w.site and report.equipment is None
    assert report.phone_masked == resident.phone_masked


def test_the_map_page_takes_a_site_or_a_point(w):
    r = browser().post("/r/new/", {"category": "lighting", "description": "路灯不亮", "phone": PHONE,
                                   "site": w.other_site.pk})
    assert r.status_code == 302
    assert Report.objects.get().site == w.other_site
    r = browser().post("/r/new/", {"category": "lighting", "description": "路灯不亮", "phone": PHONE,
                                   "lat": w.site.lat + 0.0005, "lon": w.site.lon})
    assert r.status_code == 302
    assert Report.objects.latest("pk").site == w.site


def test_the_map_page_without_a_place_changes_nothing(w):
    r = browser().post("/r/new/", {"category": "lighting", "description": "路灯不亮", "phone": PHONE})
    assert r.status_code == 400
    assert "Pick a place on the map, inside the city." in html(r)
    # Far from any site.
    r = browser().post("/r/new/", {"category": "lighting", "description": "路灯不亮", "phone": PHONE,
                                   "lat": 30.0, "lon": 110.0})
    assert r.status_code == 400 and "No sports ground is near" in html(r)
    r = browser().post("/r/new/", {"category": "lighting", "description": "路灯不亮", "phone": PHONE,
                                   "lat": "north", "lon": "x"})
    assert r.status_code == 400
    assert not Report.objects.exists()


def test_a_place_not_yet_built_cannot_be_picked(w):
    from quanmin.facilities.models import Site

    Site.objects.filter(pk=w.other_site.pk).update(status=Site.Status.PLANNED)
    assert browser().get(f"/r/s/{w.other_site.pk}/").status_code == 404
    r = browser().post("/r/new/", {"category": "lighting", "description": "路灯不亮", "phone": PHONE,
                                   "site": w.other_site.pk})
    assert r.status_code == 400 and "Pick a place on the map" in html(r)
    assert not Report.objects.exists()


def test_too_many_reports_from_one_address(w):
    client = browser()
    for i in range(services.REPORTS_PER_HOUR):
        r = client.post(f"/r/s/{w.site.pk}/", {"category": "hygiene", "description": f"垃圾{i}", "phone": PHONE})
        assert r.status_code == 302
    r = client.post(f"/r/s/{w.site.pk}/", {"category": "hygiene", "description": "垃圾", "phone": PHONE})
    assert r.status_code == 429 and "Too many reports from here" in html(r)
    assert Report.objects.count() == services.REPORTS_PER_HOUR


def test_sending_the_form_twice_makes_one_report(w):
    client = browser()
    page = html(client.get(f"/r/s/{w.site.pk}/"))
    key = re.search(r'name="client_key" value="([^"]+)"', page).group(1)
    data = {"category": "hygiene", "description": "垃圾", "phone": PHONE, "client_key": key}
    first = client.post(f"/r/s/{w.site.pk}/", {**data, "photos": [photo()]})
    again = client.post(f"/r/s/{w.site.pk}/", {**data, "photos": [photo()]})
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert Report.objects.count() == 1 and ReportPhoto.objects.count() == 1
    # A fresh page is a fresh key.
    assert key not in html(client.get(f"/r/s/{w.site.pk}/"))


# --- residents: following a report ----------------------------------------------------------------

def test_the_report_page_by_token(w, report):
    staff = w.users["community"]
    services.respond(report, actor=staff, text="已安排维修人员")
    services.add_note(report, actor=staff, text="内部：联系厂家", public=False)
    r = browser().get(f"/r/t/{report.token}/")
    assert r.status_code == 200
    page = html(r)
    assert report.number in page and "Responded" in page and "已安排维修人员" in page
    assert "内部" not in page  # staff-only notes stay with staff
    assert PHONE not in page and MASKED not in page
    assert f"http://testserver/r/t/{report.token}/" in page
    assert "tel:0635-12345" in page
    assert 'id="rate-form"' not in page  # not resolved yet
    assert 'id="photos-form"' in page


def test_an_unknown_token_is_404(w, report):
    assert browser().get("/r/t/not-a-real-token-at-all/").status_code == 404
    assert browser().get("/r/t/x/").status_code == 404


def test_rating_a_resolved_report_closes_it(w, report):
    services.resolve(report, actor=w.users["community"], answer="已更换踏板")
    page = html(browser().get(f"/r/t/{report.token}/"))
    assert 'id="rate-form"' in page and "已更换踏板" in page and 'id="photos-form"' not in page
    r = browser().post(f"/r/t/{report.token}/rate/", {"rating": "4", "comment": "修得很快"}, follow=True)
    report.refresh_from_db()
    assert report.rating == 4 and report.rating_comment == "修得很快" and report.status == S.CLOSED
    page = html(r)
    assert "Thank you for your rating." in page and "You rated the answer 4 of 5." in page
    assert 'id="rate-form"' not in page


@pytest.mark.parametrize("rating", ["", "0", "6", "five"])
def test_a_bad_rating_changes_nothing(w, report, rating):
    services.resolve(report, actor=w.users["community"], answer="已更换踏板")
    r = browser().post(f"/r/t/{report.token}/rate/", {"rating": rating}, follow=True)
    assert "Give 1 to 5 stars." in html(r)
    report.refresh_from_db()
    assert report.rating is None and report.status == S.RESOLVED


def test_an_open_report_cannot_be_rated(w, report):
    r = browser().post(f"/r/t/{report.token}/rate/", {"rating": "5"}, follow=True)
    assert "You can rate the answer once the report is resolved." in html(r)
    report.refresh_from_db()
    assert report.rating is None and report.status == S.RECEIVED
    assert browser().get(f"/r/t/{report.token}/rate/").status_code == 405


def test_adding_photos_by_token(w, report):
    r = browser().post(f"/r/t/{report.token}/photos/", {"photos": [photo()]}, follow=True)
    assert "Photos added." in html(r)
    added = report.photos.get()
    assert f"/r/t/{report.token}/photos/{added.pk}/" in html(r)
    got = browser().get(f"/r/t/{report.token}/photos/{added.pk}/")
    assert got.status_code == 200 and got["X-Content-Type-Options"] == "nosniff"


def test_adding_no_photo_or_a_bad_one_changes_nothing(w, report):
    r = browser().post(f"/r/t/{report.token}/photos/", {}, follow=True)
    assert "Choose a photo." in html(r)
    r = browser().post(f"/r/t/{report.token}/photos/", {"photos": [upload(b"GIF89a-broken", name="x.png")]},
                       follow=True)
    assert "Photo x.png was not added" in html(r) and "Photos added." not in html(r)
    assert not report.photos.exists()


def test_a_photo_is_only_reached_through_its_own_report(w, report, other_report):
    services.add_photos(other_report, [photo()])
    theirs = other_report.photos.get()
    assert browser().get(f"/r/t/{report.token}/photos/{theirs.pk}/").status_code == 404
    got = browser().get(f"/r/t/{other_report.token}/photos/{theirs.pk}/")
    with theirs.image.open("rb") as stored:
        assert got.status_code == 200 and b"".join(got.streaming_content) == stored.read()


def test_my_reports_lists_only_mine(w, make_report):
    resident = w.users["resident"]
    mine = make_report(reporter=resident)
    theirs = make_report(w.other_pieces[0], reporter=w.users["other_resident"])
    anonymous = make_report()
    r = browser(resident).get("/r/mine/")
    assert r.status_code == 200
    page = html(r)
    assert mine.number in page and f"/r/t/{mine.token}/" in page
    assert theirs.number not in page and anonymous.number not in page
    r = browser().get("/r/mine/")
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_my_reports_when_there_are_none(w):
    r = browser(w.users["resident"]).get("/r/mine/")
    assert r.status_code == 200 and "You have not reported anything yet." in html(r)


# --- staff: the queue -------------------------------------------------------------------------------

def test_the_queue_is_scoped_and_masks_phones(w, report, other_report):
    r = browser(w.users["county"]).get("/staff/reports/")
    assert r.status_code == 200
    page = html(r)
    assert report.number in page and other_report.number not in page
    assert MASKED in page and PHONE not in page
    page = html(browser(w.users["city"]).get("/staff/reports/"))
    assert report.number in page and other_report.number in page
    assert "138****1111" in page and "13800001111" not in page
    # The settings link is for those who may change something.
    assert 'href="/staff/reports/settings/"' in page
    supervisor = html(browser(w.users["supervisor"]).get("/staff/reports/"))
    assert report.number in supervisor and 'href="/staff/reports/settings/"' not in supervisor


def test_the_queue_marks_overdue_reports_and_filters(w, make_report):
    fresh = make_report()
    late = make_report(w.pieces[1], now=timezone.now() - timezone.timedelta(days=30), category="facility")
    done = make_report(w.pieces[2], description="灯坏了")
    services.resolve(done, actor=w.users["community"], answer="已修好")
    routing.escalate(late)
    client = browser(w.users["county"])

    page = html(client.get("/staff/reports/"))
    assert fresh.number in page and late.number in page and done.number not in page
    row = page.split(late.number)[0].rsplit("<tr", 1)[1]
    assert 'class="overdue"' in row
    assert 'class="overdue"' not in page.split(fresh.number)[0].rsplit("<tr", 1)[1]

    def numbers(query):
        text = html(client.get(f"/staff/reports/?{query}"))
        return {n for n in (fresh.number, late.number, done.number) if n in text}

    assert numbers("show=overdue") == {late.number}
    assert numbers("show=escalated") == {late.number}
    assert numbers("show=resolved") == {done.number}
    assert numbers("show=all") == {fresh.number, late.number, done.number}
    assert numbers("show=nonsense") == {fresh.number, late.number}
    assert numbers("show=all&category=facility") == {late.number}
    assert numbers(f"show=all&q={done.number}") == {done.number}
    assert numbers("show=all&q=灯坏") == {done.number}
    assert numbers("show=all&category=bogus") == {fresh.number, late.number, done.number}


def test_the_queue_is_for_division_staff(w, report):
    assert browser(w.users["resident"]).get("/staff/reports/").status_code == 403
    r = browser().get("/staff/reports/")
    assert r.status_code == 302 and "/login/" in r["Location"]


# --- staff: one report ------------------------------------------------------------------------------

def test_the_detail_page_for_staff_who_may_act(w, report):
    services.add_photos(report, [photo()])
    r = browser(w.users["county"]).get(f"/staff/reports/{report.pk}/")
    assert r.status_code == 200
    page = html(r)
    for form in ("respond-form", "resolve-form", "reject-form", "note-form", "work-order-form", "reveal-form"):
        assert f'id="{form}"' in page, form
    assert MASKED in page and PHONE not in page
    assert f"/staff/reports/photos/{report.photos.get().pk}/" in page
    assert "0635-12345" in page


def test_read_only_staff_read_but_are_offered_nothing(w, report):
    r = browser(w.users["supervisor"]).get(f"/staff/reports/{report.pk}/")
    assert r.status_code == 200
    page = html(r)
    assert 'id="respond-form"' not in page and 'id="reveal-form"' not in page
    assert "You can read this report but not change it." in page


def test_another_county_gets_404(w, report, other_report):
    client = browser(w.users["other_county"])
    assert client.get(f"/staff/reports/{report.pk}/").status_code == 404
    for action in ("respond", "resolve", "reject", "note"):
        assert client.post(f"/staff/reports/{report.pk}/{action}/", {"text": "越权"}).status_code == 404
    assert client.post(f"/staff/reports/{report.pk}/work-order/", {"severity": "normal", "kind": "repair"}) \
        .status_code == 404
    assert client.post(f"/staff/reports/{report.pk}/phone/", {"purpose": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.status == S.RECEIVED and report.work_order is None
    assert report.events.count() == 1
    assert not AuditEntry.objects.filter(action="read_personal").exists()
    # Their own county's report is theirs.
    assert client.get(f"/staff/reports/{other_report.pk}/").status_code == 200


def test_read_only_roles_and_residents_change_nothing(w, report):
    for role in ("supervisor", "resident"):
        client = browser(w.users[role])
        for action in ("respond", "resolve", "reject", "note"):
            assert client.post(f"/staff/reports/{report.pk}/{action}/", {"text": "x"}).status_code == 403
        assert client.post(f"/staff/reports/{report.pk}/phone/", {}).status_code == 403
    r = browser().post(f"/staff/reports/{report.pk}/respond/", {"text": "x"})
    assert r.status_code == 302 and "/login/" in r["Location"]
    report.refresh_from_db()
    assert report.status == S.RECEIVED and report.events.count() == 1
    assert not AuditEntry.objects.filter(action="read_personal").exists()


def test_responding(w, report):
    client = browser(w.users["county"])
    r = client.post(f"/staff/reports/{report.pk}/respond/", {"text": "已收到，明天派人查看"})
    assert r.status_code == 302 and r["Location"] == f"/staff/reports/{report.pk}/"
    report.refresh_from_db()
    assert report.status == S.RESPONDED and report.responded_at is not None
    assert report.events.filter(kind=ReportEvent.Kind.RESPONDED, text="已收到，明天派人查看", public=True).exists()
    page = html(client.get(f"/staff/reports/{report.pk}/"))
    assert 'id="respond-form"' not in page and 'id="resolve-form"' in page
    # Once more: the report has moved on, nothing changes and the page says why.
    r = client.post(f"/staff/reports/{report.pk}/respond/", {"text": "again"})
    assert r.status_code == 409 and 'id="action-error"' in html(r) and "cannot be changed that way" in html(r)
    assert report.events.filter(kind=ReportEvent.Kind.RESPONDED).count() == 1


@pytest.mark.parametrize("action", ["respond", "resolve", "reject", "note"])
def test_an_empty_answer_shows_an_error_and_changes_nothing(w, report, action):
    r = browser(w.users["county"]).post(f"/staff/reports/{report.pk}/{action}/", {"text": "   "})
    assert r.status_code == 400
    assert "This field is required." in html(r)
    report.refresh_from_db()
    assert report.status == S.RECEIVED and report.answer == "" and report.events.count() == 1


def test_a_too_long_answer_is_refused(w, report):
    r = browser(w.users["county"]).post(f"/staff/reports/{report.pk}/resolve/", {"text": "x" * 2001})
    assert r.status_code == 400
    report.refresh_from_db()
    assert report.status == S.RECEIVED


def test_resolving_and_then_the_resident_rates(w, report):
    r = browser(w.users["county"]).post(f"/staff/reports/{report.pk}/resolve/", {"text": "已更换踏板"})
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.status == S.RESOLVED and report.answer == "已更换踏板"
    page = html(browser(w.users["county"]).get(f"/staff/reports/{report.pk}/"))
    assert 'id="resolve-form"' not in page and "已更换踏板" in page
    assert 'id="rate-form"' in html(browser().get(f"/r/t/{report.token}/"))


def test_rejecting(w, report):
    r = browser(w.users["county"]).post(f"/staff/reports/{report.pk}/reject/", {"text": "重复反映"})
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.status == S.REJECTED and report.answer == "重复反映"
    page = html(browser().get(f"/r/t/{report.token}/"))
    assert "重复反映" in page and "Why the report was not accepted" in page


def test_a_staff_only_note(w, report):
    client = browser(w.users["county"])
    assert client.post(f"/staff/reports/{report.pk}/note/", {"text": "等厂家配件"}).status_code == 302
    assert client.post(f"/staff/reports/{report.pk}/note/", {"text": "配件已到", "public": "on"}).status_code == 302
    notes = {e.text: e.public for e in report.events.filter(kind=ReportEvent.Kind.NOTE)}
    assert notes == {"等厂家配件": False, "配件已到": True}
    staff_page = html(client.get(f"/staff/reports/{report.pk}/"))
    assert "等厂家配件" in staff_page and "staff only" in staff_page
    public = html(browser().get(f"/r/t/{report.token}/"))
    assert "配件已到" in public and "等厂家配件" not in public
    report.refresh_from_db()
    assert report.status == S.RECEIVED


def test_making_a_work_order(w, report):
    from quanmin.maintenance import units

    unit = units.create_unit(actor=w.users["county"], region=w.county, name="东昌府区器材维修队")
    page = html(browser(w.users["county"]).get(f"/staff/reports/{report.pk}/"))
    assert "东昌府区器材维修队" in page
    r = browser(w.users["county"]).post(f"/staff/reports/{report.pk}/work-order/",
                                        {"severity": "high", "kind": "repair", "unit": "", "description": ""})
    assert r.status_code == 302
    report.refresh_from_db()
    order = report.work_order
    assert order is not None and order.severity == "high" and order.unit == unit and order.source == "report"
    assert report.status == S.RESPONDED
    page = html(browser(w.users["county"]).get(f"/staff/reports/{report.pk}/"))
    assert order.number in page and f"/staff/maintenance/work-orders/{order.pk}/" in page
    assert 'id="work-order-form"' not in page  # one open order per report


@pytest.mark.parametrize("data", [
    {"severity": "nonsense", "kind": "repair"},
    {"severity": "normal", "kind": "demolish"},
    {"severity": "normal", "kind": "repair", "unit": "999999"},
])
def test_a_bad_work_order_opens_nothing(w, report, data):
    r = browser(w.users["county"]).post(f"/staff/reports/{report.pk}/work-order/", data)
    assert r.status_code == 400 and "Select a valid choice." in html(r)
    report.refresh_from_db()
    assert report.work_order is None and report.status == S.RECEIVED
    assert not WorkOrder.objects.exists()


def test_revealing_the_phone_is_logged(w, report):
    client = browser(w.users["county"])
    r = client.post(f"/staff/reports/{report.pk}/phone/", {"purpose": "回访居民"})
    assert r.status_code == 200
    page = html(r)
    assert f'href="tel:{PHONE}"' in page and "has been logged" in page
    entry = AuditEntry.objects.get(action="read_personal")
    assert entry.actor == w.users["county"] and entry.target_id == str(report.pk)
    assert entry.target_type == "feedback.report"
    assert entry.detail == {"fields": ["phone"], "purpose": "回访居民"}
    # A plain read of the page reveals nothing and logs nothing more.
    assert PHONE not in html(client.get(f"/staff/reports/{report.pk}/"))
    assert AuditEntry.objects.filter(action="read_personal").count() == 1
    assert client.get(f"/staff/reports/{report.pk}/phone/").status_code == 405


def test_staff_photos_are_scoped(w, report, other_report):
    services.add_photos(report, [photo()])
    mine = report.photos.get()
    assert browser(w.users["county"]).get(f"/staff/reports/photos/{mine.pk}/").status_code == 200
    assert browser(w.users["supervisor"]).get(f"/staff/reports/photos/{mine.pk}/").status_code == 200
    assert browser(w.users["other_county"]).get(f"/staff/reports/photos/{mine.pk}/").status_code == 404
    assert browser(w.users["resident"]).get(f"/staff/reports/photos/{mine.pk}/").status_code == 403


# --- staff: settings --------------------------------------------------------------------------------------

def test_the_settings_page_saves_the_hotline_and_deadlines(w):
    client = browser(w.users["county"])
    r = client.get("/staff/reports/settings/")
    assert r.status_code == 200
    page = html(r)
    assert w.county.name in page and "0635-12345" in page  # inherited from the city
    assert "no settings of its own" in page
    r = client.post("/staff/reports/settings/", {"region": w.county.code, "hotline": "0635-8888",
                                                  "response_working_days": "2", "resolution_working_days": "10"})
    assert r.status_code == 302 and r["Location"] == f"/staff/reports/settings/?region={w.county.code}"
    own = FeedbackSettings.objects.get(region=w.county)
    assert (own.hotline, own.response_working_days, own.resolution_working_days) == ("0635-8888", 2, 10)
    assert AuditEntry.objects.filter(action="feedback_settings.save", actor=w.users["county"]).exists()
    page = html(client.get(r["Location"]))
    assert "This division has its own settings." in page and 'value="0635-8888"' in page


@pytest.mark.parametrize("data,message", [
    ({"hotline": "call us", "response_working_days": "1", "resolution_working_days": "5"},
     "Enter the hotline's telephone number."),
    ({"hotline": "12345", "response_working_days": "3", "resolution_working_days": "2"},
     "Resolving cannot take fewer days than responding."),
    ({"hotline": "12345", "response_working_days": "0", "resolution_working_days": "5"}, None),
    ({"hotline": "", "response_working_days": "1", "resolution_working_days": "5"}, "This field is required."),
    ({"hotline": "12345", "response_working_days": "one", "resolution_working_days": "5"},
     "Enter a whole number."),
])
def test_bad_settings_show_an_error_and_save_nothing(w, data, message):
    r = browser(w.users["county"]).post("/staff/reports/settings/", {"region": w.county.code, **data})
    assert r.status_code == 400
    if message:
        assert escape(message) in html(r)
    assert not FeedbackSettings.objects.filter(region=w.county).exists()


def test_settings_outside_ones_scope(w):
    client = browser(w.users["county"])
    assert client.get(f"/staff/reports/settings/?region={w.other_county.code}").status_code == 404
    assert client.post("/staff/reports/settings/", {"region": w.other_county.code, "hotline": "1",
                                                    "response_working_days": "1",
                                                    "resolution_working_days": "1"}).status_code == 404
    assert client.get("/staff/reports/settings/?region=999999999999").status_code == 404
    assert not FeedbackSettings.objects.filter(region=w.other_county).exists()
    assert browser(w.users["supervisor"]).get("/staff/reports/settings/").status_code == 403
    assert browser(w.users["resident"]).get("/staff/reports/settings/").status_code == 403
    # A county may set a township's own rules below it.
    assert client.get(f"/staff/reports/settings/?region={w.township.code}").status_code == 200


# --- in Chinese, the default ---------------------------------------------------------------------------------

def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", html(response), re.S).group(1).strip()


def test_pages_render_in_chinese(w, report):
    # Chinese by default: the page says it is zh-hans and its title is the Chinese one, not the
    # English it has when the browser asks for English.
    resident, staff = Client(), Client()
    staff.force_login(w.users["county"])
    pages = [(resident, f"/r/e/{w.pieces[0].tag}/"), (resident, f"/r/t/{report.token}/"),
             (staff, "/staff/reports/"), (staff, f"/staff/reports/{report.pk}/"), (staff, "/staff/reports/settings/")]
    for client, url in pages:
        chinese = client.get(url)
        assert chinese.status_code == 200 and '<html lang="zh-hans"' in html(chinese), url
        assert re.search(r"[\u4e00-\u9fff]", _title(chinese)), (url, _title(chinese))
        english = client.get(url, headers={"Accept-Language": "en"})
        assert _title(english) != _title(chinese) and not re.search(r"[\u4e00-\u9fff]{2}", _title(english).split("·")[0]), url
