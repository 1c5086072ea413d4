"""Residents' reports through the service layer: deadlines by the Chinese calendar, routing, every
answer, work orders, rating, escalation when overdue (idempotent), photos that fail while the report
stays, and the phone kept encrypted and masked."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts.models import AuditEntry, Notification, Role
from quanmin.core.errors import ServiceError
from quanmin.facilities.models import Equipment
from quanmin.feedback import routing, services
from quanmin.feedback.models import FeedbackSettings, Report, ReportEvent
from quanmin.maintenance import services as maintenance
from quanmin.maintenance import units
from quanmin.maintenance.models import WorkOrder
from tests.conftest import make_user

from .conftest import at, image_bytes, upload

S = Report.Status


def fresh(obj):
    obj.refresh_from_db()
    return obj


# --- deadlines ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("received,respond_by,resolve_by", [
    # An ordinary week: Friday afternoon, one working day is Monday afternoon.
    (at(2025, 11, 14, 16), at(2025, 11, 17, 16), at(2025, 11, 21, 16)),
    # Before National Day 2025: Sunday 28 September is a make-up working day; 1-8 October are off.
    (at(2025, 9, 26, 10), at(2025, 9, 28, 10), at(2025, 10, 10, 10)),
    # Received on a day off (Saturday 27 September): the clock starts 09:00 on the make-up Sunday.
    (at(2025, 9, 27, 15), at(2025, 9, 29, 9), at(2025, 10, 11, 9)),
    # Received during the holiday: counted from 09:00 on 9 October; Saturday 11 October is worked.
    (at(2025, 10, 3, 20), at(2025, 10, 10, 9), at(2025, 10, 15, 9)),
    # Friday before the make-up Saturday: one working day is that Saturday.
    (at(2025, 10, 10, 10), at(2025, 10, 11, 10), at(2025, 10, 16, 10)),
])
def test_deadlines_follow_the_chinese_calendar(make_report, received, respond_by, resolve_by):
    report = make_report(now=received)
    assert report.respond_by == respond_by
    assert report.resolve_by == resolve_by


def test_a_county_may_set_its_own_deadlines_and_hotline(feedback_world, make_report):
    w = feedback_world
    assert routing.hotline_for(w.community.code) == "0635-12345"
    FeedbackSettings.objects.create(region=w.county, hotline="0635-8888888", response_working_days=2,
                                    resolution_working_days=10)
    assert routing.hotline_for(w.community.code) == "0635-8888888"
    assert routing.hotline_for(w.other_community.code) == "0635-12345"
    report = make_report(now=at(2025, 11, 17, 10))  # a Monday
    assert report.respond_by == at(2025, 11, 19, 10) and report.resolve_by == at(2025, 12, 1, 10)


def test_defaults_without_settings(equipment):
    assert routing.rules_for(equipment.community.code) == routing.Rules("12345", 1, 5)


# --- submitting ---------------------------------------------------------------------------------------------

def test_a_report_from_a_scanned_tag(feedback_world, make_report, django_capture_on_commit_callbacks):
    w = feedback_world
    piece = w.pieces[0]
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(services.equipment_by_tag(piece.tag.lower()))
    assert report.status == S.RECEIVED and report.equipment == piece and report.site == w.site
    assert report.region_id == w.community.code
    # The community has staff of its own: they handle it first.
    assert report.handler_region_id == w.community.code
    assert report.number.startswith("FB") and len(report.token) >= 24
    assert list(report.events.values_list("kind", flat=True)) == ["received"]
    assert AuditEntry.objects.filter(action="report.create", target_id=str(report.pk)).exists()
    # The community's staff are told.
    assert Notification.objects.filter(user=w.users["community"]).exists()


def test_phone_is_encrypted_and_masked(make_report):
    report = make_report(phone="+86 139-1234-5678")
    assert report.phone_masked == "139****5678"
    assert "13912345678" not in report.phone_encrypted
    assert crypto.decrypt(report.phone_encrypted) == "13912345678"


def test_routing_skips_divisions_without_staff(feedback_world, make_report):
    w = feedback_world
    # Nobody works for 新华社区 or 振兴街道: the other county's staff handle it.
    report = make_report(w.other_pieces[0])
    assert report.handler_region_id == w.other_county.code


def test_a_report_from_a_site_and_from_a_point_on_the_map(feedback_world):
    w = feedback_world
    report = services.submit_report(category="hygiene", description="垃圾未清理", phone="13912345678", site=w.site)
    assert report.site == w.site and report.equipment is None and report.region_id == w.community.code
    # A point 100 m from the site belongs to it.
    near = services.submit_report(category="lighting", description="路灯不亮", phone="13912345678",
                                  lat=w.site.lat + 0.0009, lon=w.site.lon)
    assert near.site == w.site and near.lat == pytest.approx(w.site.lat + 0.0009)


@pytest.mark.parametrize("kwargs,code", [
    ({"category": "nonsense"}, "category_invalid"),
    ({"description": "  "}, "description_required"),
    ({"description": "x" * 2001}, "description_too_long"),
    ({"phone": ""}, "phone_required"),
    ({"phone": "12345"}, "phone_invalid"),
    ({"lat": 36.0, "lon": 100.0, "equipment": None}, "place_too_far"),
    ({"lat": 0.0, "lon": 0.0, "equipment": None}, "place_required"),
])
def test_bad_reports_are_refused_and_nothing_is_saved(feedback_world, kwargs, code):
    data = {"category": "equipment", "description": "坏了", "phone": "13912345678",
            "equipment": feedback_world.pieces[0], **kwargs}
    with pytest.raises(ServiceError) as exc:
        services.submit_report(**data)
    assert exc.value.code == code
    assert Report.objects.count() == 0


def test_a_signed_in_resident_need_not_type_the_phone(feedback_world):
    resident = feedback_world.users["resident"]
    report = services.submit_report(category="equipment", description="坏了", equipment=feedback_world.pieces[1],
                                    reporter=resident)
    assert report.reporter == resident and report.phone_masked == "137****0007"


def test_unknown_or_removed_tag(feedback_world):
    from quanmin.facilities import equipment_services

    with pytest.raises(ServiceError) as exc:
        services.equipment_by_tag("NOSUCHTAG")
    assert exc.value.code == "equipment_not_found" and exc.value.status == 404
    piece = feedback_world.pieces[2]
    equipment_services.set_status(piece, Equipment.Status.REMOVED, reason="拆除", actor=feedback_world.users["county"])
    with pytest.raises(ServiceError):
        services.equipment_by_tag(piece.tag)


# --- photos -------------------------------------------------------------------------------------------------

def test_good_photos_are_kept(make_report):
    report = make_report()
    errors = services.add_photos(report, [upload(image_bytes()), upload(image_bytes(fmt="JPEG"), "a.jpg")])
    assert errors == [] and report.photos.count() == 2
    assert all(p.image.name.startswith("reports/") for p in report.photos.all())


def test_bad_photos_give_clear_errors_and_the_report_is_kept(make_report, settings):
    from quanmin.core.photos import MAX_BYTES as PHOTO_MAX_BYTES

    report = make_report()
    good = image_bytes()
    wrong_type = upload(b"%PDF-1.4 not a photo", "scan.pdf", "application/pdf")
    gif = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (10, 10)).save(gif, "GIF")
    truncated = upload(image_bytes(size=(400, 300), fmt="JPEG")[:300], "cut.jpg", "image/jpeg")
    oversized = upload(b"\xff\xd8" + b"0" * (PHOTO_MAX_BYTES + 1), "huge.jpg", "image/jpeg")
    errors = services.add_photos(report, [wrong_type, upload(gif.getvalue(), "a.gif", "image/gif"), truncated,
                                          oversized, upload(good)])
    assert [e["code"] for e in errors] == ["image_unreadable", "image_type", "image_unreadable", "image_too_large"]
    assert all(e["message"] for e in errors)
    assert Report.objects.filter(pk=report.pk).exists() and report.photos.count() == 1


def test_photo_backdated(make_report):
    report = make_report()
    when = timezone.now() - datetime.timedelta(days=3)
    photo = services.add_photo(report, upload(image_bytes()), now=when)
    assert report.photos.get(pk=photo.pk).uploaded_at == when


def test_at_most_three_photos(make_report):
    report = make_report()
    errors = services.add_photos(report, [upload(image_bytes()) for _ in range(4)])
    assert report.photos.count() == 3 and [e["code"] for e in errors] == ["too_many_photos"]


# --- answers ----------------------------------------------------------------------------------------------------

def test_respond_then_resolve_then_rate(feedback_world, make_report, django_capture_on_commit_callbacks):
    w = feedback_world
    staff = w.users["community"]
    report = make_report(reporter=w.users["resident"], phone="")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.respond(report, actor=staff, text="已收到，明天派人查看")
    assert report.status == S.RESPONDED and report.responded_at
    with pytest.raises(ServiceError) as exc:
        services.respond(report, actor=staff, text="again")
    assert exc.value.code == "report_state" and exc.value.status == 409
    with pytest.raises(ServiceError) as exc:
        services.rate(report, rating=5)
    assert exc.value.code == "not_resolved"
    with django_capture_on_commit_callbacks(execute=True):
        report = services.resolve(report, actor=staff, answer="已更换踏板")
    assert report.status == S.RESOLVED and report.answer == "已更换踏板"
    # The resident hears of it.
    assert Notification.objects.filter(user=w.users["resident"], subject__contains=report.number).count() == 2
    report = services.rate(report, rating=4, comment="很快")
    assert report.status == S.CLOSED and report.rating == 4 and report.rated_at
    with pytest.raises(ServiceError) as exc:
        services.rate(report, rating=5)
    assert exc.value.code == "already_rated"
    assert list(report.events.values_list("kind", flat=True)) == ["received", "responded", "resolved", "rated"]


@pytest.mark.parametrize("rating", [0, 6, "x", None])
def test_rating_is_one_to_five(make_report, feedback_world, rating):
    report = services.resolve(make_report(), actor=feedback_world.users["county"], answer="修好了")
    with pytest.raises(ServiceError) as exc:
        services.rate(report, rating=rating)
    assert exc.value.code == "rating_invalid"
    assert fresh(report).rating is None


def test_reject_with_a_reason(feedback_world, make_report):
    report = make_report()
    with pytest.raises(ServiceError) as exc:
        services.reject(report, actor=feedback_world.users["community"], reason=" ")
    assert exc.value.code == "reason_required"
    report = services.reject(report, actor=feedback_world.users["community"], reason="重复举报")
    assert report.status == S.REJECTED and report.answer == "重复举报"
    assert services.rate(report, rating=2).rating == 2


def test_staff_outside_the_division_cannot_answer(feedback_world, make_report):
    report = make_report()
    for role in ("other_county", "supervisor"):
        with pytest.raises(ServiceError) as exc:
            services.respond(report, actor=feedback_world.users[role], text="x")
        assert exc.value.status == 403
    assert fresh(report).status == S.RECEIVED


# --- work orders --------------------------------------------------------------------------------------------------

def test_a_report_becomes_a_work_order_and_its_verification_resolves_it(feedback_world, make_report):
    w = feedback_world
    county = w.users["county"]
    unit = units.create_unit(actor=county, region=w.county, name="东昌府区器材维修队")
    report = make_report()
    order = maintenance.open_for_report(report, actor=w.users["community"], severity="high")
    report = fresh(report)
    assert order.source == WorkOrder.Source.REPORT and order.unit == unit and order.equipment == w.pieces[0]
    assert report.work_order == order and report.status == S.RESPONDED
    assert fresh(w.pieces[0]).status == Equipment.Status.DEFECTIVE
    with pytest.raises(ServiceError) as exc:
        maintenance.open_for_report(report, actor=county)
    assert exc.value.code == "work_order_open"
    maintenance.start(order, actor=county)
    maintenance.complete(order, actor=county, resolution="更换踏板轴承")
    maintenance.verify(order, actor=county)
    report = fresh(report)
    assert report.status == S.RESOLVED and report.answer == "更换踏板轴承"
    assert "work_order" in report.events.values_list("kind", flat=True)


def test_a_cancelled_order_leaves_the_report_open(feedback_world, make_report):
    w = feedback_world
    report = make_report()
    order = maintenance.open_for_report(report, actor=w.users["county"])
    assert order.unit is None  # no unit serves the county yet: the order waits to be assigned
    maintenance.cancel(order, actor=w.users["county"], reason="重复")
    report = fresh(report)
    assert report.status == S.RESPONDED
    assert report.events.filter(kind="note", public=False).exists()
    # It can be sent again.
    assert maintenance.open_for_report(report, actor=w.users["county"]).pk != order.pk


def test_a_replaced_piece_leaves_the_reports_of_its_other_orders_a_note(feedback_world, make_report):
    w = feedback_world
    county = w.users["county"]
    unit = units.create_unit(actor=county, region=w.county, name="东昌府区器材维修队")
    report = make_report()
    maintenance.open_for_report(report, actor=county)
    replacement = maintenance.create_work_order(actor=county, description="整机更换", kind=WorkOrder.Kind.REPLACE,
                                                equipment=w.pieces[0], unit=unit)
    maintenance.complete(replacement, actor=county, resolution="已换新")
    maintenance.verify(replacement, actor=county)
    report = fresh(report)
    assert report.work_order.status == WorkOrder.Status.CANCELLED
    assert report.status == S.RESPONDED  # the repair was not done: staff answer it
    assert report.events.filter(kind="note", public=False).exists()


def test_a_report_about_a_place_becomes_a_work_order_of_the_site(feedback_world):
    w = feedback_world
    report = services.submit_report(category="facility", description="地面破损", phone="13912345678", site=w.site)
    order = maintenance.open_for_report(report, actor=w.users["county"])
    assert order.site == w.site and order.equipment is None and order.region_id == w.community.code


# --- answers entered after the fact (now=) -------------------------------------------------------------------------
# The demo, a hotline sheet typed in later: each step keeps the moment it happened, and so does its event.

def event_at(report, kind):
    return report.events.get(kind=kind).at


def test_reject_at_a_given_moment(feedback_world, make_report):
    report = make_report(now=at(2025, 11, 14, 16))
    services.reject(report, actor=feedback_world.users["community"], reason="重复举报", now=at(2025, 11, 15, 9))
    report = fresh(report)
    assert report.status == S.REJECTED and report.responded_at == at(2025, 11, 15, 9)
    assert event_at(report, ReportEvent.Kind.REJECTED) == at(2025, 11, 15, 9)
    # Answered before: the first answer's moment stays.
    answered = make_report(now=at(2025, 11, 14, 16))
    services.respond(answered, actor=feedback_world.users["community"], text="收到", now=at(2025, 11, 14, 17))
    services.reject(answered, actor=feedback_world.users["community"], reason="非公共设施", now=at(2025, 11, 17, 9))
    answered = fresh(answered)
    assert answered.responded_at == at(2025, 11, 14, 17)
    assert event_at(answered, ReportEvent.Kind.REJECTED) == at(2025, 11, 17, 9)


def test_rate_at_a_given_moment(feedback_world, make_report):
    report = make_report(now=at(2025, 11, 14, 16))
    services.resolve(report, actor=feedback_world.users["community"], answer="已修", now=at(2025, 11, 17, 10))
    services.rate(report, rating=4, comment="很快", now=at(2025, 11, 18, 20))
    report = fresh(report)
    assert report.status == S.CLOSED and report.rated_at == at(2025, 11, 18, 20)
    assert event_at(report, ReportEvent.Kind.RATED) == at(2025, 11, 18, 20)


def test_open_for_report_at_a_given_moment(feedback_world, make_report):
    w = feedback_world
    unit = units.create_unit(actor=w.users["county"], region=w.county, name="东昌府区器材维修队")
    report = make_report(now=at(2025, 11, 14, 16))
    sent = at(2025, 11, 14, 18)
    order = maintenance.open_for_report(report, actor=w.users["community"], severity="high", now=sent)
    report, order = fresh(report), fresh(order)
    assert report.responded_at == sent and event_at(report, ReportEvent.Kind.WORK_ORDER) == sent
    # The order is opened then, its deadline counted from then.
    assert (order.created_at, order.assigned_at, order.unit) == (sent, sent, unit)
    assert order.due_at == maintenance.deadline("high", sent) and order.events.get().at == sent


def test_an_order_closed_at_a_given_moment_answers_its_report_then(feedback_world, make_report):
    w = feedback_world
    county = w.users["county"]
    units.create_unit(actor=county, region=w.county, name="东昌府区器材维修队")
    report = make_report(now=at(2025, 11, 14, 16))
    order = maintenance.open_for_report(report, actor=county, now=at(2025, 11, 14, 18))
    maintenance.complete(order, actor=county, resolution="更换踏板轴承", now=at(2025, 11, 17, 15))
    maintenance.verify(order, actor=county, now=at(2025, 11, 18, 10))
    report = fresh(report)
    assert report.status == S.RESOLVED and report.resolved_at == at(2025, 11, 18, 10)
    assert event_at(report, ReportEvent.Kind.RESOLVED) == at(2025, 11, 18, 10)
    # A cancelled order's note to staff carries its moment too.
    other = make_report(now=at(2025, 11, 14, 16))
    order = maintenance.open_for_report(other, actor=county, now=at(2025, 11, 14, 18))
    maintenance.cancel(order, actor=county, reason="重复", now=at(2025, 11, 15, 9))
    assert event_at(other, ReportEvent.Kind.NOTE) == at(2025, 11, 15, 9)


# --- escalation -----------------------------------------------------------------------------------------------------

def test_overdue_reports_escalate_one_level_per_missed_deadline(feedback_world, make_report,
                                                              django_capture_on_commit_callbacks):
    w = feedback_world
    report = make_report(now=at(2025, 11, 14, 16))  # Friday: respond by Monday 16:00, resolve by Friday 21st
    assert routing.escalate_overdue(at(2025, 11, 17, 15)) == 0
    assert routing.escalate_overdue(at(2025, 11, 17, 17)) == 1
    report = fresh(report)
    assert report.handler_region_id == w.township.code and report.escalations == 1
    # Idempotent: nothing more is owed until the next deadline.
    assert routing.escalate_overdue(at(2025, 11, 18, 10)) == 0
    assert fresh(report).escalations == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert routing.escalate_overdue(at(2025, 11, 21, 17)) == 1
    report = fresh(report)
    assert report.handler_region_id == w.county.code and report.escalations == 2
    assert routing.escalate_overdue(at(2025, 12, 30, 17)) == 0
    assert list(report.events.filter(kind="escalated").values_list("text", flat=True)) != []
    assert AuditEntry.objects.filter(action="report.escalate").count() == 2
    # The county's staff are told when it reaches them.
    assert Notification.objects.filter(user=w.users["county"], subject__contains=report.number).exists()


def test_a_report_answered_in_time_does_not_escalate(feedback_world, make_report):
    report = make_report(now=at(2025, 11, 14, 16))
    services.respond(report, actor=feedback_world.users["community"], text="收到", now=at(2025, 11, 17, 9))
    assert routing.escalate_overdue(at(2025, 11, 20, 10)) == 0
    services.resolve(report, actor=feedback_world.users["community"], answer="已修", now=at(2025, 11, 20, 11))
    assert routing.escalate_overdue(at(2025, 12, 20, 10)) == 0
    assert fresh(report).escalations == 0


def test_escalation_stops_at_the_top(feedback_world, make_report):
    w = feedback_world
    report = make_report(w.other_pieces[0], now=at(2025, 11, 14, 16))
    assert report.handler_region_id == w.other_county.code
    routing.escalate_overdue(at(2025, 12, 30, 10))
    report = fresh(report)
    assert report.handler_region_id == w.city.code and report.escalations == 1
    assert routing.escalate_overdue(at(2025, 12, 31, 10)) == 0


def test_a_late_response_still_counts_for_escalation_once(feedback_world, make_report):
    report = make_report(now=at(2025, 11, 14, 16))
    services.respond(report, actor=feedback_world.users["county"], text="收到", now=at(2025, 11, 18, 10))
    assert routing.escalate_overdue(at(2025, 11, 18, 11)) == 1
    assert routing.escalate_overdue(at(2025, 11, 18, 12)) == 0
    assert fresh(report).escalations == 1


def test_the_tick_command_escalates_once(feedback_world, make_report):
    report = make_report(now=at(2025, 11, 14, 16))
    out = io.StringIO()
    call_command("feedback_tick", "--now", "2025-11-18T10:00", stdout=out)
    assert '"escalated": 1' in out.getvalue()
    out = io.StringIO()
    call_command("feedback_tick", "--now", "2025-11-18T10:00", stdout=out)
    assert '"escalated": 0' in out.getvalue()
    assert fresh(report).escalations == 1


def test_the_tick_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("feedback_tick", "--now", "yesterday")


# --- settings and phone reading -----------------------------------------------------------------------------------

def test_settings_are_checked(feedback_world):
    w = feedback_world
    with pytest.raises(ServiceError) as exc:
        services.save_settings(w.city, actor=w.users["county"], hotline="12345", response_working_days=1,
                               resolution_working_days=5)
    assert exc.value.status == 403
    for hotline, respond, resolve, code in [("abc", 1, 5, "hotline_invalid"), ("12345", 0, 5, "days_invalid"),
                                            ("12345", 3, 2, "days_order"), ("12345", "x", 2, "days_invalid")]:
        with pytest.raises(ServiceError) as exc:
            services.save_settings(w.city, actor=w.users["city"], hotline=hotline, response_working_days=respond,
                                   resolution_working_days=resolve)
        assert exc.value.code == code
    services.save_settings(w.city, actor=w.users["city"], hotline="0635-2345678", response_working_days=2,
                           resolution_working_days=7)
    assert routing.rules_for(w.community.code) == routing.Rules("0635-2345678", 2, 7)


def test_reading_the_phone_is_logged(make_report, feedback_world, rf):
    report = make_report()
    request = rf.get("/")
    request.user = feedback_world.users["county"]
    assert services.reveal_phone(report, request=request) == "13912345678"
    assert AuditEntry.objects.filter(action="read_personal", target_id=str(report.pk)).exists()


def test_handler_prefers_staffed_division_after_staff_leave(feedback_world, make_report):
    from quanmin.accounts.models import Membership

    Membership.objects.filter(role=Role.COMMUNITY_STAFF).delete()
    assert make_report().handler_region_id == feedback_world.township.code
    Membership.objects.filter(role=Role.TOWNSHIP_STAFF).delete()
    assert make_report().handler_region_id == feedback_world.county.code


def test_now_is_default(make_report):
    report = make_report()
    assert abs((report.created_at - timezone.now()).total_seconds()) < 60
    assert report.respond_by > report.created_at


def test_event_timeline_is_public_by_default(make_report):
    report = make_report()
    assert ReportEvent.objects.filter(report=report, public=True).count() == 1


def test_a_second_resident_may_report_the_same_piece(make_report):
    make_user("13700000030", "另一居民", seq=30)
    a, b = make_report(), make_report()
    assert a.pk != b.pk and a.token != b.token and a.number != b.number
    assert datetime.timedelta(0) <= b.created_at - a.created_at


def test_a_report_is_all_or_nothing(feedback_world, monkeypatch):
    # The report, its first event and its audit entry are one transaction: a failure in the last
    # step leaves no report behind.
    def broken(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services.audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.submit_report(category="equipment", description="踏板松动", phone="13912345678",
                               equipment=feedback_world.pieces[0])
    assert not Report.objects.exists() and not ReportEvent.objects.exists()
