"""Training courses' rules at their edges (make mutants, issue 25): every refusal names its code,
field, status and message and writes nothing; places, the start day and the course's hours at the
exact limit, one below and one above; what a result writes (the result date, a lapsed
instructor's renewal) and what the audit log keeps."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from quanmin.accounts.models import AuditEntry
from quanmin.people import services, training
from quanmin.people.errors import PeopleError
from quanmin.people.models import Enrollment, GradeRecord, Instructor, Training

from .conftest import person

DAY = datetime.timedelta(days=1)


def data(world, **extra):
    today = timezone.localdate()
    return {"title": "东昌府区三级社会体育指导员培训班", "organiser": "东昌府区教育和体育局", "region": world.county.code,
            "starts_on": today - 3 * DAY, "ends_on": today - DAY, "hours": "24", **extra}


def refused(call, code, field, status, message):
    before = (Training.objects.count(), Enrollment.objects.count(), GradeRecord.objects.count(), AuditEntry.objects.count())
    with pytest.raises(PeopleError) as exc:
        call()
    e = exc.value
    assert (e.code, e.field, e.status, str(e.message)) == (code, field, status, message)
    assert (Training.objects.count(), Enrollment.objects.count(), GradeRecord.objects.count(),
            AuditEntry.objects.count()) == before


@pytest.mark.parametrize("change, code, field, status, message", [
    ({"title": ""}, "title_required", "title", 400, "请填写课程标题（最多120个字）。"),
    ({"title": "   "}, "title_required", "title", 400, "请填写课程标题（最多120个字）。"),
    ({"title": "课" * 121}, "title_required", "title", 400, "请填写课程标题（最多120个字）。"),
    ({"organiser": ""}, "organiser_required", "organiser", 400, "请填写主办单位（最多120个字）。"),
    ({"organiser": "办" * 121}, "organiser_required", "organiser", 400, "请填写主办单位（最多120个字）。"),
    ({"region": "371599000000"}, "region_unknown", "region", 400, "区划代码不存在：371599000000。"),
    ({"kind": "weekly"}, "kind_unknown", "kind", 400, "类型无法识别。"),
    ({"starts_on": "2026-01-01"}, "date_required", "starts_on", 400, "请填写开始和结束日期。"),
    ({"ends_on": None}, "date_required", "starts_on", 400, "请填写开始和结束日期。"),
    ({"hours": "abc"}, "hours_invalid", "hours", 400, "时长请填数字。"),
    ({"hours": None}, "hours_invalid", "hours", 400, "时长请填数字。"),
    ({"hours": "1000.1"}, "hours_invalid", "hours", 400, "学时须在0至1000之间。"),
    ({"hours": "-0.1"}, "hours_invalid", "hours", 400, "学时须在0至1000之间。"),
    ({"hours": "0"}, "hours_invalid", "hours", 400, "时长须大于0。"),
    ({"hours": "0.05"}, "hours_invalid", "hours", 400, "时长须大于0。"),  # to the even tenth: 0.0
    ({"capacity": "many"}, "capacity_invalid", "capacity", 400, "名额应在1到10,000之间。"),
    ({"capacity": 0}, "capacity_invalid", "capacity", 400, "名额应在1到10,000之间。"),
    ({"capacity": "0"}, "capacity_invalid", "capacity", 400, "名额应在1到10,000之间。"),
    ({"capacity": 10001}, "capacity_invalid", "capacity", 400, "名额应在1到10,000之间。"),
    ({"capacity": -1}, "capacity_invalid", "capacity", 400, "名额应在1到10,000之间。"),
    ({"site": "first"}, "site_unknown", "site", 400, "场馆不存在。"),
    ({"site": 999999}, "site_unknown", "site", 400, "场馆不存在。"),
    ({"grade": "fourth"}, "grade_unknown", "grade", 400, "等级无法识别：请填写三级、二级、一级或国家级。"),
])
def test_a_bad_course_is_refused_with_its_reason(world, change, code, field, status, message):
    refused(lambda: training.create_training(data(world, **change), by=world.users["county"]), code, field, status, message)


def test_ending_before_the_first_day_is_refused_and_one_day_courses_are_fine(world):
    today = timezone.localdate()
    refused(lambda: training.create_training(data(world, starts_on=today, ends_on=today - DAY), by=world.users["county"]),
            "ends_before_start", "ends_on", 400, "结束日期不能早于开始日期。")
    one_day = training.create_training(data(world, starts_on=today, ends_on=today), by=world.users["county"])
    assert (one_day.starts_on, one_day.ends_on) == (today, today)


def test_a_course_outside_ones_area_is_refused(world):
    refused(lambda: training.create_training(data(world, region=world.other_county.code), by=world.users["county"]),
            "region_out_of_scope", "region", 403, "该区划不在您的管辖范围内。")


def test_a_course_is_written_as_given_and_audited(world):
    c = training.create_training(data(world, title="  继续培训  ", organiser=" 市体育总会 ", kind="continuing",
                                      grade="second", hours="12.3", capacity="10000", site=str(world.site.pk)),
                                 by=world.users["county"])
    c = Training.objects.get(pk=c.pk)
    assert (c.title, c.organiser, c.kind, c.grade, c.region_id, c.hours, c.capacity, c.site_id) == (
        "继续培训", "市体育总会", "continuing", "second", world.county.code, Decimal("12.3"), 10000, world.site.pk)
    entry = AuditEntry.objects.get(action="create", target_type="people.training")
    assert (entry.target_id, entry.actor_id, entry.region_code) == (str(c.pk), world.users["county"].pk, world.county.code)


def test_a_course_at_the_limits_and_its_defaults(world):
    longest = training.create_training(data(world, title="课" * 120, organiser="办" * 120, hours="1000", capacity=1),
                                       by=world.users["county"])
    assert (len(longest.title), len(longest.organiser), longest.hours, longest.capacity) == (120, 120, Decimal(1000), 1)
    plain = Training.objects.get(pk=training.create_training(data(world), by=world.users["county"]).pk)
    # No kind, grade, places or venue given: grade training for the third grade, 50 places, no venue.
    assert (plain.kind, plain.grade, plain.capacity, plain.site_id) == ("grade", "third", 50, None)


def test_hours_are_kept_to_a_tenth(world):
    c = training.create_training(data(world, hours="7.25"), by=world.users["county"])
    assert Training.objects.get(pk=c.pk).hours == Decimal("7.2")  # half to even, as Decimal.quantize
    c = training.create_training(data(world, hours="7.26"), by=world.users["county"])
    assert Training.objects.get(pk=c.pk).hours == Decimal("7.3")


@pytest.fixture
def course(people):
    def make(**extra):
        return training.create_training(data(people, **extra), by=people.users["county"])
    return make


def applicant(world, seq):
    return services.apply(person(world.community, seq), by=world.users["county"])


@pytest.mark.parametrize("taken, full", [(1, False), (2, True)])
def test_the_last_place_goes_and_then_the_course_is_full(people, course, taken, full):
    w = people
    c = course(capacity=2)
    for seq in range(taken):
        training.enrol(c, applicant(w, 90 + seq), by=w.users["county"])
    if full:
        refused(lambda: training.enrol(c, w.instructor, by=w.users["county"]), "course_full", None, 409, "课程名额已满。")
    else:
        training.enrol(c, w.instructor, by=w.users["county"])
        assert c.enrollments.count() == 2


@pytest.mark.parametrize("places", [1, 50])
def test_enrolling_twice_is_refused_as_such_even_on_a_full_course(people, course, places):
    w = people
    c = course(capacity=places)
    training.enrol(c, w.instructor, by=w.users["county"])
    refused(lambda: training.enrol(c, w.instructor, by=w.users["county"]), "already_enrolled", None, 409, "已报名该课程。")


def test_the_audit_keeps_the_caller_s_address(people, course):
    w = people
    county = w.users["county"]
    request = RequestFactory().post("/", REMOTE_ADDR="10.1.2.3")
    request.user = county
    made = training.create_training(data(w), by=county, request=request)
    e = training.enrol(made, w.instructor, by=county, request=request)
    training.record_result(e, attended_hours="1", passed=None, by=county, request=request)
    assert list(AuditEntry.objects.filter(action__in=["create", "enrol", "training_result"], target_type__in=[
        "people.training", "people.enrollment"]).order_by("pk").values_list("action", "ip")) == [
        ("create", "10.1.2.3"), ("enrol", "10.1.2.3"), ("training_result", "10.1.2.3")]


@pytest.mark.parametrize("days_ahead, ok", [(1, True), (0, False), (-1, False)])
def test_a_person_enrols_themself_until_the_day_before_the_course(people, course, days_ahead, ok):
    w = people
    today = timezone.localdate()
    c = course(starts_on=today + days_ahead * DAY, ends_on=today + 5 * DAY)
    resident = w.users["resident"]  # the instructor's own account, no staff role
    if ok:
        e = training.enrol(c, w.instructor, by=resident, today=today)
        assert Enrollment.objects.get(pk=e.pk).instructor_id == w.instructor.pk
        entry = AuditEntry.objects.get(action="enrol")
        assert (entry.actor_id, entry.target_id, entry.region_code) == (resident.pk, str(e.pk), w.county.code)
    else:
        refused(lambda: training.enrol(c, w.instructor, by=resident, today=today),
                "course_started", None, 409, "课程已开始，请联系主办单位。")


def test_the_start_day_is_the_city_today_by_default(people, course):
    w = people
    c = course(starts_on=timezone.localdate(), ends_on=timezone.localdate() + DAY)
    refused(lambda: training.enrol(c, w.instructor, by=w.users["resident"]), "course_started", None, 409,
            "课程已开始，请联系主办单位。")
    # Staff of the division may still put a person on a course that has started.
    assert training.enrol(c, w.instructor, by=w.users["county"]).training_id == c.pk


def test_someone_else_or_nobody_cannot_enrol_a_person_outside_their_area(people, course):
    w = people
    today = timezone.localdate()
    c = course(starts_on=today + 2 * DAY, ends_on=today + 3 * DAY)
    message = "该课程不在您的管辖范围内。"
    refused(lambda: training.enrol(c, w.instructor, by=w.users["other_resident"]), "region_out_of_scope", None, 403, message)
    refused(lambda: training.enrol(c, w.instructor, by=w.users["other_county"]), "region_out_of_scope", None, 403, message)
    # A person without an account is nobody's own: an anonymous caller is not them.
    nobody = applicant(w, 95)
    assert nobody.user_id is None
    refused(lambda: training.enrol(c, nobody, by=AnonymousUser()), "region_out_of_scope", None, 403, message)


@pytest.mark.parametrize("status, ok", [("revoked", False), ("rejected", False), ("lapsed", True), ("applied", True),
                                        ("reviewed", True), ("active", True)])
def test_revoked_or_refused_people_cannot_enrol(people, course, status, ok):
    w = people
    Instructor.objects.filter(pk=w.instructor.pk).update(status=status)
    who = Instructor.objects.get(pk=w.instructor.pk)
    c = course()
    if ok:
        assert training.enrol(c, who, by=w.users["county"]).instructor_id == who.pk
    else:
        refused(lambda: training.enrol(c, who, by=w.users["county"]), "not_eligible", None, 409,
                "已撤销或未获批准的人员不能报名。")


@pytest.mark.parametrize("hours, ok", [("23.9", True), ("24.0", True), ("24.1", False)])
def test_attended_hours_up_to_the_course_hours(people, course, hours, ok):
    w = people
    e = training.enrol(course(hours="24"), w.instructor, by=w.users["county"])
    if ok:
        done = training.record_result(e, attended_hours=hours, passed=True, by=w.users["county"])
        assert Enrollment.objects.get(pk=done.pk).attended_hours == Decimal(hours)
        entry = AuditEntry.objects.get(action="training_result")
        assert (entry.actor_id, entry.target_id, entry.region_code, entry.detail) == (
            w.users["county"].pk, str(e.pk), w.county.code, {"passed": True, "hours": str(Decimal(hours))})
    else:
        refused(lambda: training.record_result(e, attended_hours=hours, passed=True, by=w.users["county"]),
                "hours_beyond_course", "attended_hours", 400, "超过了课程总学时。")


def test_bad_attended_hours_are_refused(people, course):
    w = people
    e = training.enrol(course(), w.instructor, by=w.users["county"])
    refused(lambda: training.record_result(e, attended_hours="x", passed=True, by=w.users["county"]),
            "hours_invalid", "attended_hours", 400, "时长请填数字。")
    refused(lambda: training.record_result(e, attended_hours="-1", passed=True, by=w.users["county"]),
            "hours_invalid", "attended_hours", 400, "学时须在0至1000之间。")
    refused(lambda: training.record_result(e, attended_hours="10", passed=True, by=w.users["other_county"]),
            "region_out_of_scope", None, 403, "该课程不在您的管辖范围内。")


@pytest.mark.parametrize("days_ahead, passed, ok", [(1, True, False), (1, False, False), (1, None, True),
                                                    (0, True, True), (-1, False, True)])
def test_a_result_only_once_the_course_has_started(people, course, days_ahead, passed, ok):
    w = people
    today = timezone.localdate()
    c = course(starts_on=today + days_ahead * DAY, ends_on=today + 10 * DAY)
    e = training.enrol(c, w.instructor, by=w.users["county"])
    call = lambda: training.record_result(e, attended_hours="0", passed=passed, by=w.users["county"], today=today)  # noqa: E731
    if ok:
        done = Enrollment.objects.get(pk=call().pk)
        assert done.passed is passed
        # The result's date: today while the course runs (it ends in 10 days), none without a result.
        assert done.result_on == (today if passed is not None else None)
    else:
        refused(call, "course_not_started", "passed", 409, "课程尚未开始。")


def test_the_result_date_is_the_last_day_of_a_finished_course(people, course):
    w = people
    today = timezone.localdate()
    c = course(starts_on=today - 9 * DAY, ends_on=today - 2 * DAY)
    e = training.enrol(c, w.instructor, by=w.users["county"])
    assert Enrollment.objects.get(pk=training.record_result(e, attended_hours="24", passed=False,
                                                            by=w.users["county"]).pk).result_on == today - 2 * DAY
    # Taking the result back (not known yet) clears its date.
    assert Enrollment.objects.get(pk=training.record_result(e, attended_hours="24", passed=None,
                                                            by=w.users["county"]).pk).result_on is None


@pytest.mark.parametrize("status, passed, renewed", [("lapsed", True, True), ("lapsed", False, False),
                                                     ("lapsed", None, False), ("active", True, False)])
def test_only_a_pass_renews_and_only_a_lapsed_instructor(people, course, status, passed, renewed):
    w = people
    Instructor.objects.filter(pk=w.instructor.pk).update(status=status)
    today = timezone.localdate()
    c = course(title="二〇二六年东昌府区社会体育指导员继续培训班", kind="continuing", starts_on=today - 9 * DAY,
               ends_on=today - 2 * DAY)
    e = training.enrol(c, Instructor.objects.get(pk=w.instructor.pk), by=w.users["county"])
    training.record_result(e, attended_hours="24", passed=passed, by=w.users["county"])
    who = Instructor.objects.get(pk=w.instructor.pk)
    renewals = GradeRecord.objects.filter(instructor=who, action="renewed")
    assert who.status == ("active" if renewed else status)
    if renewed:
        r = renewals.get()
        assert (r.grade, r.certificate_no, r.on, r.by_id, r.note) == (
            who.grade, "SD-301", today - 2 * DAY, w.users["county"].pk, "二〇二六年东昌府区社会体育指导员继续培训班")
        assert who.updated_at > e.created_at
    else:
        assert not renewals.exists()
