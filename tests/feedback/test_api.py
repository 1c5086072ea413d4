"""The residents' reports API under /api/v1/feedback through the real test client.

Residents: the hotline, sending a report by tag, place or point with multipart photos (bad photos are
listed, the report is kept), refusals that change nothing, idempotent retries, the hourly limit, a
session without its CSRF token not counting as the resident, following a report by its token (public
events only, never the phone), photos and rating, my reports. Staff: the queue scoped to one's
divisions with masked phones and its filters, one report with the answers one may give, every answer
and its refusals, work orders, the whole phone read only on request and logged, the settings. Errors
are codes with a message (Chinese by default), never a 500."""

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone

from quanmin.accounts.models import AuditEntry
from quanmin.feedback import routing, services
from quanmin.feedback.models import FeedbackSettings, Report, ReportEvent, ReportPhoto
from quanmin.maintenance.models import WorkOrder

from .conftest import image_bytes, upload

BASE = "/api/v1/feedback"
PHONE = "13912345678"
MASKED = "139****5678"
S = Report.Status


def api(user=None, lang="en", **extra) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang, **extra)
    if user is not None:
        client.force_login(user)
    return client


def post(client, path, body=None):
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json")


def error(response, status, code):
    assert response.status_code == status, (response.status_code, response.content[:400])
    body = response.json()
    assert body["code"] == code and body["message"], body
    return body


def send(client=None, **fields):
    """POST /reports as multipart (photos: a list of uploads)."""
    data = {"category": "equipment", "description": "踏板松动，有安全隐患", "phone": PHONE, **fields}
    return (client or api()).post(f"{BASE}/reports", data)


def truncated_jpeg() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.effect_noise((300, 300), 50).convert("RGB").save(buf, "JPEG")
    return buf.getvalue()[: len(buf.getvalue()) // 2]


@pytest.fixture
def report(make_report):
    return make_report()


@pytest.fixture
def other_report(make_report, feedback_world):
    return make_report(feedback_world.other_pieces[0], phone="13800001111")


# --- hotline and categories ------------------------------------------------------------------------------


def test_the_hotline_of_a_division(feedback_world):
    w = feedback_world
    FeedbackSettings.objects.create(region=w.other_county, hotline="0635-4262345")
    r = api().get(f"{BASE}/hotline?region={w.community.code}")
    assert r.status_code == 200 and r.json() == {
        "region": w.community.code,
        "region_name": "东关社区",
        "hotline": "0635-12345",
    }
    assert api().get(f"{BASE}/hotline?region=371503").json()["hotline"] == "0635-4262345"
    # Without a division: the top one's.
    assert api().get(f"{BASE}/hotline").json()["region"] == w.city.code
    error(api().get(f"{BASE}/hotline?region=12x"), 400, "region_invalid")
    error(api().get(f"{BASE}/hotline?region=371599"), 404, "not_found")


def test_categories(db):
    r = api().get(f"{BASE}/categories")
    assert {"code": "equipment", "label": "Broken equipment"} in r.json()
    assert {c["code"] for c in r.json()} == set(Report.Category.values)


# --- sending a report ------------------------------------------------------------------------------------


def test_a_report_by_tag_with_photos(feedback_world):
    w = feedback_world
    piece = w.pieces[0]
    r = send(
        equipment_tag=piece.tag.lower(),
        photos=[upload(image_bytes()), upload(image_bytes(fmt="JPEG"), "b.jpg", "image/jpeg")],
    )
    assert r.status_code == 201, r.content
    body = r.json()
    report = Report.objects.get(number=body["number"])
    assert report.equipment == piece and report.region_id == w.community.code and report.reporter is None
    assert body["token"] == report.token and body["link"].endswith(f"/r/t/{report.token}/")
    assert body["status"] == "received" and body["equipment_tag"] == piece.tag and body["site_name"] == w.site.name
    assert body["hotline"] == "0635-12345" and body["photo_errors"] == []
    assert len(body["photos"]) == 2 and report.photos.count() == 2
    # The answer never holds the phone, whole or masked.
    assert PHONE not in r.content.decode() and MASKED not in r.content.decode()
    assert AuditEntry.objects.filter(action="report.create", target_id=str(report.pk)).exists()


def test_bad_photos_are_listed_and_the_report_is_kept(feedback_world):
    from quanmin.core.photos import MAX_BYTES as PHOTO_MAX_BYTES

    photos = [
        upload(b"%PDF-1.4 not a photo", "scan.pdf", "application/pdf"),
        upload(b"\xff\xd8" + b"0" * (PHOTO_MAX_BYTES + 1), "huge.jpg", "image/jpeg"),
        upload(truncated_jpeg(), "cut.jpg", "image/jpeg"),
        upload(image_bytes(), "good.png"),
    ]
    r = send(equipment_tag=feedback_world.pieces[0].tag, photos=photos)
    assert r.status_code == 201, r.content
    body = r.json()
    assert [(e["name"], e["code"]) for e in body["photo_errors"]] == [
        ("scan.pdf", "image_unreadable"),
        ("huge.jpg", "image_too_large"),
        ("cut.jpg", "image_unreadable"),
    ]
    assert all(e["message"] for e in body["photo_errors"])
    report = Report.objects.get(number=body["number"])
    assert report.photos.count() == 1 and len(body["photos"]) == 1


def test_a_report_keeps_three_photos(feedback_world):
    photos = [upload(image_bytes(), f"{n}.png") for n in range(9)]
    r = send(equipment_tag=feedback_world.pieces[0].tag, photos=photos)
    assert r.status_code == 201
    assert [(e["name"], e["code"]) for e in r.json()["photo_errors"]] == [
        (f"{n}.png", "too_many_photos") for n in range(3, 9)
    ]
    assert ReportPhoto.objects.count() == 3


def test_a_report_about_a_place_or_a_point(feedback_world):
    w = feedback_world
    by_site = send(category="hygiene", description="垃圾未清理", site_id=w.other_site.pk)
    assert by_site.status_code == 201 and by_site.json()["site_name"] == w.other_site.name
    assert Report.objects.get(number=by_site.json()["number"]).region_id == w.other_community.code
    near = send(category="lighting", description="路灯不亮", lat=w.site.lat + 0.0009, lon=w.site.lon)
    assert near.status_code == 201 and near.json()["site_name"] == w.site.name


def test_a_point_from_a_chinese_map_is_converted(feedback_world):
    from quanmin.facilities import geo

    w = feedback_world
    lon, lat = geo.wgs84_to_gcj02(w.site.lon, w.site.lat)
    r = send(category="lighting", description="路灯不亮", lat=lat, lon=lon, crs="gcj02")
    assert r.status_code == 201, r.content
    report = Report.objects.get(number=r.json()["number"])
    assert report.site == w.site and report.lat == pytest.approx(w.site.lat, abs=1e-5)


@pytest.mark.parametrize(
    "tag,fields,status,code",
    [
        (True, {"category": "nonsense"}, 400, "category_invalid"),
        (True, {"category": ""}, 400, "category_invalid"),
        (True, {"description": "   "}, 400, "description_required"),
        (True, {"description": "x" * 2001}, 400, "description_too_long"),
        (True, {"phone": ""}, 400, "phone_required"),
        (True, {"phone": "12345"}, 400, "phone_invalid"),
        (True, {"client_key": "k" * 65}, 400, "client_key_invalid"),
        (False, {"equipment_tag": "NOSUCHTAG"}, 404, "equipment_not_found"),
        (False, {"site_id": 999999}, 404, "site_not_found"),
        (False, {"lat": "36.0", "lon": "100.0"}, 400, "place_too_far"),
        (False, {}, 400, "place_required"),
        (False, {"lat": "nan", "lon": "116"}, 422, "invalid_input"),
        (False, {"lat": "91", "lon": "116"}, 422, "invalid_input"),
        (False, {"site_id": "abc"}, 422, "invalid_input"),
        (False, {"site_id": str(2**70)}, 422, "invalid_input"),
        (False, {"lat": "36.457", "lon": "115.985", "crs": "bd09"}, 422, "invalid_input"),
    ],
)
def test_bad_reports_change_nothing(feedback_world, tag, fields, status, code):
    base = {"equipment_tag": feedback_world.pieces[0].tag} if tag else {}
    error(send(**base, **fields, photos=[upload(image_bytes())]), status, code)
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="report.").exists()


def test_json_is_refused_with_a_clear_error(feedback_world):
    r = post(
        api(),
        "/reports",
        {"category": "equipment", "description": "坏了", "phone": PHONE, "equipment_tag": feedback_world.pieces[0].tag},
    )
    error(r, 415, "form_required")
    assert Report.objects.count() == 0


def test_nul_bytes_are_dropped(feedback_world):
    r = send(equipment_tag=feedback_world.pieces[0].tag, description="踏板\x00松动")
    assert r.status_code == 201
    assert Report.objects.get().description == "踏板松动"


def test_a_retry_with_the_same_key_answers_the_same_report(feedback_world):
    tag = feedback_world.pieces[0].tag
    first = send(equipment_tag=tag, client_key="abc-1", photos=[upload(image_bytes())])
    again = send(api(HTTP_IDEMPOTENCY_KEY="abc-1"), equipment_tag=tag, photos=[upload(image_bytes())])
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"]
    assert Report.objects.count() == 1 and ReportPhoto.objects.count() == 1
    other = send(equipment_tag=tag, client_key="abc-2")
    assert other.json()["number"] != first.json()["number"] and Report.objects.count() == 2


def test_a_refused_report_does_not_spend_its_key(feedback_world):
    tag = feedback_world.pieces[0].tag
    error(send(equipment_tag=tag, client_key="k1", phone="123"), 400, "phone_invalid")
    r = send(equipment_tag=tag, client_key="k1")
    assert r.status_code == 201 and Report.objects.count() == 1


def test_too_many_reports_from_one_address(feedback_world):
    from quanmin.feedback.services import REPORTS_PER_HOUR

    tag = feedback_world.pieces[0].tag
    for i in range(REPORTS_PER_HOUR):
        assert send(equipment_tag=tag, client_key=f"k{i}").status_code == 201
    assert send(equipment_tag=tag, client_key="k0").status_code == 201  # a retry is not a new report
    error(send(equipment_tag=tag), 429, "too_many_reports")
    assert Report.objects.count() == REPORTS_PER_HOUR
    # Another address, or a signed-in resident (counted by account), still may.
    assert send(api(REMOTE_ADDR="10.0.0.9"), equipment_tag=tag).status_code == 201
    assert send(api(feedback_world.users["resident"]), equipment_tag=tag, phone="").status_code == 201
    # An hour later the address may again.
    Report.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1, seconds=1))
    assert send(equipment_tag=tag).status_code == 201


def test_a_retry_answers_its_report_whichever_worker_takes_it(feedback_world):
    # The key lives with the report in the database, not in one server process's memory.
    from django.core.cache import cache

    tag = feedback_world.pieces[0].tag
    first = send(equipment_tag=tag, client_key="same")
    cache.clear()
    again = send(equipment_tag=tag, client_key="same")
    assert first.json()["token"] == again.json()["token"] and Report.objects.count() == 1
    # The same key from another sender is another report.
    other = send(api(REMOTE_ADDR="10.0.0.9"), equipment_tag=tag, client_key="same")
    assert other.json()["token"] != first.json()["token"] and Report.objects.count() == 2
    assert Report.objects.get(token=first.json()["token"]).source != Report.objects.get(
        token=other.json()["token"]).source


def test_a_signed_in_resident_need_not_give_the_phone(feedback_world):
    w = feedback_world
    resident = w.users["resident"]
    r = send(api(resident), equipment_tag=w.pieces[1].tag, phone="")
    assert r.status_code == 201, r.content
    report = Report.objects.get(number=r.json()["number"])
    assert report.reporter == resident and report.phone_masked == "137****0007"


def test_a_session_without_its_csrf_token_is_not_the_resident(feedback_world):
    """Another site posting with the resident's cookie must not report in their name."""
    w = feedback_world
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.users["resident"])
    error(send(client, equipment_tag=w.pieces[1].tag, phone=""), 400, "phone_required")
    r = send(client, equipment_tag=w.pieces[1].tag)
    assert r.status_code == 201 and Report.objects.get().reporter is None


def test_a_bearer_token_reports_as_its_owner(feedback_world):
    from quanmin.accounts import services as accounts

    resident = feedback_world.users["resident"]
    _token, secret = accounts.create_api_token(resident, "小程序")
    r = send(Client(HTTP_AUTHORIZATION=f"Bearer {secret}"), equipment_tag=feedback_world.pieces[1].tag, phone="")
    assert r.status_code == 201 and Report.objects.get().reporter == resident


# --- following a report ---------------------------------------------------------------------------------


def test_following_shows_public_events_only_and_never_the_phone(report, feedback_world):
    staff = feedback_world.users["community"]
    services.respond(report, actor=staff, text="已收到，明天派人查看")
    services.add_note(report, actor=staff, text="内部：联系厂家", public=False)
    r = api().get(f"{BASE}/reports/{report.token}")
    assert r.status_code == 200
    body = r.json()
    assert [e["kind"] for e in body["events"]] == ["received", "responded"]
    assert body["events"][1]["text"] == "已收到，明天派人查看"
    text = r.content.decode()
    assert "内部" not in text and PHONE not in text and MASKED not in text and staff.real_name not in text
    assert body["status"] == "responded" and body["can_rate"] is False and body["can_add_photos"] is True


@pytest.mark.parametrize("token", ["nosuchtoken123", "x", "a" * 40])
def test_unknown_tokens_answer_404(db, token):
    error(api().get(f"{BASE}/reports/{token}"), 404, "not_found")


def test_a_nul_byte_in_a_token_is_a_bad_request(db):
    # The shared input layer (core.middleware) answers every NUL byte alike (issue 15).
    error(api().get(f"{BASE}/reports/abc%00def"), 400, "bad_request")


def test_photos_added_later(report):
    r = api().post(
        f"{BASE}/reports/{report.token}/photos",
        {"photos": [upload(image_bytes()), upload(b"GIF89a", "a.gif", "image/gif")]},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert len(body["photos"]) == 1 and [e["name"] for e in body["photo_errors"]] == ["a.gif"]
    # The image itself, for whoever holds the token.
    image = api().get(body["photos"][0]["url"])
    assert image.status_code == 200 and b"".join(image.streaming_content) == image_bytes()


def test_photos_all_refused_is_an_error_listing_each(report):
    r = api().post(
        f"{BASE}/reports/{report.token}/photos",
        {"photos": [upload(b"junk", "a.png"), upload(truncated_jpeg(), "b.jpg", "image/jpeg")]},
    )
    body = error(r, 400, "image_unreadable")
    assert [e["name"] for e in body["errors"]] == ["a.png", "b.jpg"] and body["field"] == "photos"
    error(api().post(f"{BASE}/reports/{report.token}/photos", {}), 400, "photos_required")
    assert report.photos.count() == 0


def test_photos_refused_on_a_full_or_finished_report(report, feedback_world):
    services.add_photos(report, [upload(image_bytes()) for _ in range(3)])
    error(
        api().post(f"{BASE}/reports/{report.token}/photos", {"photos": [upload(image_bytes())]}), 409, "too_many_photos"
    )
    other = services.submit_report(category="hygiene", description="脏", phone=PHONE, site=feedback_world.site)
    services.reject(other, actor=feedback_world.users["county"], reason="重复")
    error(api().post(f"{BASE}/reports/{other.token}/photos", {"photos": [upload(image_bytes())]}), 409, "report_state")
    many = [upload(image_bytes()), upload(b"junk", "a.png")] + [upload(image_bytes()) for _ in range(3)]
    body = error(api().post(f"{BASE}/reports/{other.token}/photos", {"photos": many}), 409, "report_state")
    assert len(body["errors"]) == 5 and body["message"] == body["errors"][0]["message"]
    assert report.photos.count() == 3 and other.photos.count() == 0


def test_a_photo_of_another_report_is_not_served_under_this_token(report, other_report):
    photo = services.add_photo(other_report, upload(image_bytes()))
    error(api().get(f"{BASE}/reports/{report.token}/photos/{photo.pk}"), 404, "not_found")
    error(api().get(f"{BASE}/reports/{report.token}/photos/{2**70}"), 404, "not_found")
    assert api().get(f"{BASE}/reports/{other_report.token}/photos/{photo.pk}").status_code == 200


def test_rating(report, feedback_world):
    url = f"/reports/{report.token}/rating"
    error(post(api(), url, {"rating": 5}), 409, "not_resolved")
    services.resolve(report, actor=feedback_world.users["community"], answer="已更换踏板")
    for bad in (0, 6, -1, 2**70):
        error(post(api(), url, {"rating": bad}), 400, "rating_invalid")
    error(post(api(), url, {"rating": 4, "comment": "x" * 301}), 400, "comment_too_long")
    error(post(api(), url, {"rating": "five"}), 422, "invalid_input")
    report.refresh_from_db()
    assert report.rating is None and report.status == S.RESOLVED
    r = post(api(), url, {"rating": 4, "comment": "很快"})
    assert r.status_code == 200 and r.json()["status"] == "closed" and r.json()["rating"] == 4
    assert r.json()["can_rate"] is False
    error(post(api(), url, {"rating": 1}), 409, "already_rated")
    report.refresh_from_db()
    assert report.rating == 4 and report.rating_comment == "很快"


# --- my reports -----------------------------------------------------------------------------------------


def test_my_reports(feedback_world, make_report):
    w = feedback_world
    mine = make_report(reporter=w.users["resident"], phone="")
    make_report(reporter=w.users["other_resident"], phone="")
    make_report()
    r = api(w.users["resident"]).get(f"{BASE}/mine")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1 and body["items"][0]["number"] == mine.number
    assert body["items"][0]["token"] == mine.token and body["items"][0]["link"].endswith(f"/r/t/{mine.token}/")
    error(api().get(f"{BASE}/mine"), 401, "not_authenticated")
    assert api(w.users["resident"]).get(f"{BASE}/mine?limit=0").status_code == 422


# --- the staff queue ------------------------------------------------------------------------------------


def numbers(response) -> set[str]:
    assert response.status_code == 200, response.content[:400]
    return {r["number"] for r in response.json()["items"]}


def test_the_queue_is_scoped_and_masks_phones(feedback_world, report, other_report):
    w = feedback_world
    queue = f"{BASE}/staff/reports"
    assert numbers(api(w.users["county"]).get(queue)) == {report.number}
    assert numbers(api(w.users["community"]).get(queue)) == {report.number}
    assert numbers(api(w.users["other_county"]).get(queue)) == {other_report.number}
    assert numbers(api(w.users["city"]).get(queue)) == {report.number, other_report.number}
    assert numbers(api(w.users["supervisor"]).get(queue)) == {report.number, other_report.number}
    r = api(w.users["city"]).get(queue)
    text = r.content.decode()
    assert PHONE not in text and "13800001111" not in text
    assert {i["phone"] for i in r.json()["items"]} == {MASKED, "138****1111"}
    error(api(w.users["resident"]).get(queue), 403, "forbidden")
    error(api().get(queue), 401, "not_authenticated")


def test_the_queue_item(feedback_world, report):
    item = api(feedback_world.users["county"]).get(f"{BASE}/staff/reports").json()["items"][0]
    assert item["id"] == report.pk and item["status"] == "received" and item["category"] == "equipment"
    assert item["region"] == feedback_world.community.code and item["handler_region"] == feedback_world.community.code
    assert item["equipment_tag"] == feedback_world.pieces[0].tag and item["overdue"] is False
    assert "token" not in item


def test_queue_filters(feedback_world, make_report):
    w = feedback_world
    staff = w.users["community"]
    fresh = make_report()
    late = make_report(w.pieces[1], now=timezone.now() - timezone.timedelta(days=30), category="facility")
    done = make_report(w.pieces[2])
    services.resolve(done, actor=staff, answer="修好了")
    routing.escalate(late)
    other = make_report(w.other_pieces[0])
    client = api(w.users["city"])

    def q(query):
        return numbers(client.get(f"{BASE}/staff/reports?{query}"))

    assert q("") == {fresh.number, late.number, done.number, other.number}
    assert q("status=open") == {fresh.number, late.number, other.number}
    assert q("status=done") == q("status=resolved") == {done.number}
    assert q("overdue=true") == {late.number}
    assert q("escalated=true") == {late.number}
    assert q("category=facility") == {late.number}
    assert q(f"division={w.other_county.code}") == q("division=371503") == {other.number}
    assert q(f"q={fresh.number}") == {fresh.number}
    # Outside one's scope a division filter finds nothing.
    assert numbers(api(w.users["county"]).get(f"{BASE}/staff/reports?division=371503")) == set()
    page = client.get(f"{BASE}/staff/reports?status=open&limit=2&offset=0").json()
    assert page["count"] == 3 and len(page["items"]) == 2
    # Open work comes soonest deadline first.
    assert page["items"][0]["number"] == late.number


@pytest.mark.parametrize(
    "query,status,code",
    [
        ("status=lost", 400, "status_invalid"),
        ("category=x", 400, "category_invalid"),
        ("division=12x", 400, "region_invalid"),
        ("division=1234567", 400, "region_invalid"),
        ("overdue=perhaps", 422, "invalid_input"),
        ("limit=1000", 422, "invalid_input"),
        ("status=%00", 400, "bad_request"),
    ],
)
def test_bad_queue_filters(feedback_world, report, query, status, code):
    r = api(feedback_world.users["county"]).get(f"{BASE}/staff/reports?{query}")
    if code:
        error(r, status, code)
    else:
        assert r.status_code == status


# --- one report and the answers ------------------------------------------------------------------------


def detail(user, report):
    return api(user).get(f"{BASE}/staff/reports/{report.pk}")


def test_the_detail_and_what_each_role_may_do(feedback_world, report, other_report):
    w = feedback_world
    services.add_note(report, actor=w.users["community"], text="内部：联系厂家", public=False)
    body = detail(w.users["county"], report).json()
    assert body["actions"] == ["note", "reject", "resolve", "respond", "work_order"]
    assert body["phone"] == MASKED and PHONE not in str(body)
    assert [(e["kind"], e["public"]) for e in body["events"]] == [("received", True), ("note", False)]
    assert body["events"][1]["actor"] == w.users["community"].display_name
    assert body["respond_by"] and body["hotline"] == "0635-12345" and body["work_order"] is None
    assert detail(w.users["supervisor"], report).json()["actions"] == []
    error(detail(w.users["other_county"], report), 404, "not_found")
    error(detail(w.users["resident"], report), 403, "forbidden")
    error(api().get(f"{BASE}/staff/reports/{report.pk}"), 401, "not_authenticated")
    error(api(w.users["county"]).get(f"{BASE}/staff/reports/{2**70}"), 404, "not_found")
    error(api(w.users["county"]).get(f"{BASE}/staff/reports/abc"), 422, "invalid_input")


def test_respond_resolve_and_their_refusals(feedback_world, report):
    staff = feedback_world.users["community"]
    client = api(staff)
    base = f"/staff/reports/{report.pk}"
    events = ReportEvent.objects.count()
    error(post(client, f"{base}/respond", {"text": "   "}), 400, "text_required")
    error(post(client, f"{base}/respond", {}), 422, "invalid_input")
    assert ReportEvent.objects.count() == events and Report.objects.get().status == S.RECEIVED
    r = post(client, f"{base}/respond", {"text": "已收到，明天派人查看"})
    assert r.status_code == 200 and r.json()["status"] == "responded" and "respond" not in r.json()["actions"]
    error(post(client, f"{base}/respond", {"text": "again"}), 409, "report_state")
    error(post(client, f"{base}/resolve", {"answer": ""}), 400, "answer_required")
    r = post(client, f"{base}/resolve", {"answer": "已更换踏板"})
    assert r.status_code == 200 and r.json()["status"] == "resolved" and r.json()["answer"] == "已更换踏板"
    assert r.json()["actions"] == []
    error(post(client, f"{base}/reject", {"reason": "重复"}), 409, "report_state")
    error(post(client, f"{base}/note", {"text": "x"}), 409, "report_state")
    assert list(Report.objects.get().events.values_list("kind", flat=True)) == ["received", "responded", "resolved"]


def test_reject_and_notes(feedback_world, report):
    client = api(feedback_world.users["county"])
    base = f"/staff/reports/{report.pk}"
    r = post(client, f"{base}/note", {"text": "内部：已联系厂家", "public": False})
    assert r.status_code == 201 and r.json()["events"][-1]["public"] is False
    post(client, f"{base}/note", {"text": "明天处理"})
    error(post(client, f"{base}/reject", {"reason": ""}), 400, "reason_required")
    r = post(client, f"{base}/reject", {"reason": "重复投诉"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    public = api().get(f"{BASE}/reports/{report.token}").json()
    assert [e["kind"] for e in public["events"]] == ["received", "note", "rejected"] and public["can_rate"] is True


def test_writes_are_refused_outside_one_s_scope_and_to_read_only_roles(feedback_world, report):
    w = feedback_world
    base = f"/staff/reports/{report.pk}"
    for path, body in (
        ("respond", {"text": "x"}),
        ("resolve", {"answer": "x"}),
        ("reject", {"reason": "x"}),
        ("note", {"text": "x"}),
        ("work-order", {}),
        ("phone", {}),
    ):
        error(post(api(w.users["other_county"]), f"{base}/{path}", body), 404, "not_found")
        error(post(api(w.users["supervisor"]), f"{base}/{path}", body), 403, "forbidden")
        error(post(api(w.users["resident"]), f"{base}/{path}", body), 403, "forbidden")
        error(post(api(), f"{base}/{path}", body), 401, "not_authenticated")
    report.refresh_from_db()
    assert report.status == S.RECEIVED and report.events.count() == 1 and report.work_order is None
    assert not AuditEntry.objects.filter(action="read_personal").exists()


def test_a_report_becomes_a_work_order(feedback_world, report):
    from quanmin.maintenance import units

    w = feedback_world
    county = w.users["county"]
    unit = units.create_unit(actor=county, region=w.county.code, name="东昌府区器材维护队")
    other_unit = units.create_unit(actor=w.users["other_county"], region=w.other_county.code, name="茌平维护队")
    client = api(county)
    base = f"/staff/reports/{report.pk}/work-order"
    error(post(client, base, {"unit_id": other_unit.pk}), 400, "unit_not_serving")
    error(post(client, base, {"severity": "nonsense"}), 400, "severity_invalid")
    assert WorkOrder.objects.count() == 0 and Report.objects.get().status == S.RECEIVED
    r = post(client, base, {"severity": "urgent", "unit_id": unit.pk, "description": "更换踏板"})
    assert r.status_code == 201, r.content
    body = r.json()
    order = WorkOrder.objects.get()
    assert body["work_order"]["id"] == order.pk and body["status"] == "responded"
    assert order.source == "report" and order.unit == unit and order.equipment == w.pieces[0]
    assert order.severity == "urgent" and report.number in order.description
    assert "work_order" not in body["actions"]
    error(post(client, base, {}), 409, "work_order_open")
    assert WorkOrder.objects.count() == 1


# --- the phone ----------------------------------------------------------------------------------------------


def test_the_whole_phone_only_on_request_and_logged(feedback_world, report):
    w = feedback_world
    county = w.users["county"]
    assert not AuditEntry.objects.filter(action="read_personal").exists()
    r = post(api(county), f"/staff/reports/{report.pk}/phone", {"purpose": "回访"})
    assert r.status_code == 200 and r.json() == {"phone": PHONE}
    entry = AuditEntry.objects.get(action="read_personal")
    assert entry.actor == county and entry.target_id == str(report.pk)
    assert entry.detail == {"fields": ["phone"], "purpose": "回访"}
    # Without a purpose the read is still logged, as a call-back.
    post(api(county), f"/staff/reports/{report.pk}/phone", {})
    assert AuditEntry.objects.filter(action="read_personal").count() == 2
    # Lists and the detail stay masked.
    assert detail(county, report).json()["phone"] == MASKED


# --- staff photos ---------------------------------------------------------------------------------------------


def test_staff_see_the_photos_of_their_reports(feedback_world, report):
    w = feedback_world
    services.add_photo(report, upload(image_bytes()))
    url = detail(w.users["county"], report).json()["photos"][0]["url"]
    assert url.startswith(f"{BASE}/staff/reports/{report.pk}/photos/")
    r = api(w.users["supervisor"]).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == image_bytes()
    error(api(w.users["other_county"]).get(url), 404, "not_found")
    error(api(w.users["resident"]).get(url), 403, "forbidden")


# --- settings ----------------------------------------------------------------------------------------------------


def test_settings_are_read_inherited_and_saved(feedback_world, make_report):
    w = feedback_world
    url = f"{BASE}/staff/settings/{w.county.code}"
    body = api(w.users["county"]).get(url).json()
    assert body == {
        "region": w.county.code,
        "region_name": "东昌府区",
        "hotline": "0635-12345",
        "response_working_days": 1,
        "resolution_working_days": 5,
        "own": False,
    }
    assert api(w.users["supervisor"]).get(url).status_code == 200
    new = {"hotline": "0635-8888888", "response_working_days": 2, "resolution_working_days": 10}
    r = api(w.users["county"]).put(url, new, content_type="application/json")
    assert r.status_code == 200 and r.json() == {**body, **new, "own": True}
    assert api().get(f"{BASE}/hotline?region={w.community.code}").json()["hotline"] == "0635-8888888"
    assert AuditEntry.objects.filter(action="feedback_settings.save").count() == 1


@pytest.mark.parametrize(
    "body,status,code",
    [
        ({"hotline": "call us", "response_working_days": 1, "resolution_working_days": 5}, 400, "hotline_invalid"),
        ({"hotline": "12345", "response_working_days": 0, "resolution_working_days": 5}, 400, "days_invalid"),
        ({"hotline": "12345", "response_working_days": 1, "resolution_working_days": 91}, 400, "days_invalid"),
        ({"hotline": "12345", "response_working_days": 5, "resolution_working_days": 2}, 400, "days_order"),
        ({"hotline": "12345", "response_working_days": "x", "resolution_working_days": 5}, 422, "invalid_input"),
        ({"hotline": "12345"}, 422, "invalid_input"),
    ],
)
def test_bad_settings_change_nothing(feedback_world, body, status, code):
    w = feedback_world
    error(
        api(w.users["county"]).put(f"{BASE}/staff/settings/{w.county.code}", body, content_type="application/json"),
        status,
        code,
    )
    assert not FeedbackSettings.objects.filter(region=w.county).exists()
    assert routing.rules_for(w.county.code) == routing.Rules("0635-12345", 1, 5)


def test_settings_are_scoped(feedback_world):
    w = feedback_world
    body = {"hotline": "12345", "response_working_days": 1, "resolution_working_days": 5}
    other = f"{BASE}/staff/settings/{w.other_county.code}"
    error(api(w.users["county"]).get(other), 404, "not_found")
    error(api(w.users["county"]).put(other, body, content_type="application/json"), 404, "not_found")
    # The city above: a county's staff cannot set it.
    error(
        api(w.users["county"]).put(f"{BASE}/staff/settings/{w.city.code}", body, content_type="application/json"),
        404,
        "not_found",
    )
    error(
        api(w.users["supervisor"]).put(f"{BASE}/staff/settings/{w.county.code}", body, content_type="application/json"),
        403,
        "forbidden",
    )
    for bad in ("12x", "371599", "1" * 13):
        error(api(w.users["city"]).get(f"{BASE}/staff/settings/{bad}"), 404, "not_found")
    assert FeedbackSettings.objects.count() == 1  # the city's, from the fixture


# --- language and tokens -------------------------------------------------------------------------------------------


def test_errors_are_in_chinese_by_default(feedback_world, report):
    anonymous = Client()
    assert anonymous.get(f"{BASE}/reports/nosuchtoken123").json()["message"] == "未找到。"
    assert anonymous.get(f"{BASE}/mine").json()["message"] == "请先登录。"
    assert (
        api(feedback_world.users["resident"], lang="zh-hans").get(f"{BASE}/staff/reports").json()["message"]
        == "您无权执行此操作。"
    )
    en = api(lang="en").post(f"{BASE}/reports", {"category": "nonsense", "description": "x", "phone": PHONE})
    assert en.json()["message"] == "Choose what kind of problem it is."


def test_a_bearer_token_works_for_staff(feedback_world, report):
    from quanmin.accounts import services as accounts

    _token, secret = accounts.create_api_token(feedback_world.users["county"], "12345热线系统")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert numbers(client.get(f"{BASE}/staff/reports")) == {report.number}
    r = client.post(f"{BASE}/staff/reports/{report.pk}/respond", {"text": "已受理"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "responded"


def test_the_queue_reads_a_fixed_number_of_queries(feedback_world, make_report):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(feedback_world.users["city"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{BASE}/staff/reports").status_code == 200
        return len(ctx.captured_queries)

    make_report()
    one = queries()
    for piece in [*feedback_world.pieces, *feedback_world.other_pieces]:
        make_report(piece)
    assert queries() == one
