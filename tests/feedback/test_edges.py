"""What a resident or an official reads when a report is refused, answered, escalated or sent for
repair: the messages and the field they belong to, the public reason on the timeline, the audit
entries' details, and the hourly limit that only requests (not the demo or a command) count against."""

import pytest
from django.utils.translation import gettext as _

from quanmin.accounts.models import AuditEntry
from quanmin.core import photos
from quanmin.core.errors import ServiceError
from quanmin.feedback import routing, services
from quanmin.feedback.models import Report, ReportEvent
from quanmin.maintenance import services as maintenance

from .conftest import at, upload

E = ReportEvent.Kind


def error_of(fn, *args, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as exc:
        fn(*args, **kwargs)
    return exc.value


def test_a_rejection_needs_a_reason_and_shows_it_on_the_timeline(feedback_world, make_report):
    report = make_report()
    staff = feedback_world.users["community"]
    err = error_of(services.reject, report, actor=staff, reason="  ")
    assert (err.code, err.field, str(err.message)) == ("reason_required", "reason",
                                                       _("Say why the report is not accepted."))
    services.reject(report, actor=staff, reason="重复举报，已合并处理")
    assert report.events.get(kind=E.REJECTED).text == "重复举报，已合并处理"


def test_resolving_needs_the_answer_with_a_message(feedback_world, make_report):
    err = error_of(services.resolve, make_report(), actor=feedback_world.users["community"], answer="")
    assert (err.code, err.field, str(err.message)) == ("answer_required", "answer", _("Say what was done."))


def test_a_bad_photo_says_what_is_wrong_with_it(make_report):
    bad = b"%PDF-1.4 not a photo"
    with pytest.raises(photos.PhotoError) as checked:
        photos.check(upload(bad, "scan.pdf", "application/pdf"))
    err = error_of(services.add_photo, make_report(), upload(bad, "scan.pdf", "application/pdf"))
    assert err.code == checked.value.code and err.field == "photos" and err.status == checked.value.status
    assert str(err.message) == str(checked.value.message)


@pytest.mark.parametrize("lat,lon,code", [(0.0, 0.0, "place_required"), (None, None, "place_required"),
                                          (36.0, 100.0, "place_too_far")])
def test_a_bad_point_on_the_map_belongs_to_the_place_field(feedback_world, lat, lon, code):
    err = error_of(services.submit_report, category="facility", description="地面破损", phone="13912345678",
                   lat=lat, lon=lon)
    assert (err.code, err.field) == (code, "place")
    assert Report.objects.count() == 0


def test_a_bad_hotline_belongs_to_the_hotline_field(feedback_world):
    w = feedback_world
    err = error_of(services.save_settings, w.city, actor=w.users["city"], hotline="call us",
                   response_working_days=1, resolution_working_days=5)
    assert (err.code, err.field) == ("hotline_invalid", "hotline")


def test_reading_the_phone_says_why_by_default(make_report, feedback_world, rf):
    report = make_report()
    request = rf.get("/")
    request.user = feedback_world.users["county"]
    services.reveal_phone(report, request=request)
    logged = AuditEntry.objects.get(action="read_personal", target_id=str(report.pk))
    assert logged.detail == {"fields": ["phone"], "purpose": "report call-back"}


def test_reports_made_without_a_request_are_not_limited_per_hour(feedback_world):
    """The hourly limit counts a sender's requests; the demo and commands call without one."""
    for n in range(services.REPORTS_PER_HOUR + 1):
        report = services.submit_report(category="equipment", description=f"第{n}处松动", phone="13912345678",
                                        equipment=feedback_world.pieces[0])
        assert report.source == ""
    assert Report.objects.count() == services.REPORTS_PER_HOUR + 1


def test_sending_a_report_for_repair_logs_the_order(feedback_world, make_report):
    report = make_report()
    order = maintenance.open_for_report(report, actor=feedback_world.users["county"])
    logged = AuditEntry.objects.get(action="report.work_order", target_id=str(report.pk))
    assert logged.detail == {"work_order": order.pk} and logged.actor == feedback_world.users["county"]


def test_each_escalation_logs_where_from_and_says_why(feedback_world, make_report):
    w = feedback_world
    report = make_report(now=at(2025, 11, 14, 16))  # respond by Monday 17th 16:00, resolve by Friday 21st 16:00
    assert report.handler_region_id == w.community.code
    routing.escalate_overdue(at(2025, 11, 17, 17))
    routing.escalate_overdue(at(2025, 11, 21, 17))
    moves = [e.detail for e in AuditEntry.objects.filter(action="report.escalate").order_by("pk")]
    assert moves == [{"from": w.community.code, "to": w.township.code},
                     {"from": w.township.code, "to": w.county.code}]
    reasons = list(report.events.filter(kind=E.ESCALATED).order_by("at", "pk").values_list("text", flat=True))
    assert reasons == [_("No response by the deadline."), _("Not resolved by the deadline.")]
