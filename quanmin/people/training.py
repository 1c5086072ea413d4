"""Training courses (等级培训 / 继续培训 / 专项培训班): a course with its organiser, dates, hours, places
and venue; enrolment (by staff, or by the person before it starts), attendance and the result.

Passing counts: the hours count toward a grade's training threshold (services.threshold_gaps), a
lapsed instructor who passes a course is renewed, and "trained this year" (figures.trained_rows)
counts the people who passed a course ending in the year. Becoming an instructor still takes the
approval at the grade's level: a passed grade course makes an applicant ready for it.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.facilities.models import Site

from .errors import PeopleError
from .models import Enrollment, GradeRecord, Instructor, Training
from .services import check_grade, check_region

MAX_HOURS = Decimal(1000)


def _decimal(value, field: str) -> Decimal:
    try:
        found = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError):
        raise PeopleError("hours_invalid", _("Enter the hours as a number."), field) from None
    if not Decimal(0) <= found <= MAX_HOURS:
        raise PeopleError("hours_invalid", _("Between 0 and 1,000 hours."), field)
    return found


def create_training(data: dict, *, by, request=None) -> Training:
    title = str(data.get("title") or "").strip()
    organiser = str(data.get("organiser") or "").strip()
    if not title or len(title) > 120:
        raise PeopleError("title_required", _("Give the course a title (at most 120 characters)."), "title")
    if not organiser or len(organiser) > 120:
        raise PeopleError("organiser_required", _("Name the organiser (at most 120 characters)."), "organiser")
    region = check_region(data.get("region"))
    if not scoping.can_write_region(by, region.code):
        raise PeopleError("region_out_of_scope", _("This division is outside your area."), "region", status=403)
    kind = data.get("kind") or Training.Kind.GRADE
    if kind not in Training.Kind.values:
        raise PeopleError("kind_unknown", _("Unknown kind."), "kind")
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts, datetime.date) or not isinstance(ends, datetime.date):
        raise PeopleError("date_required", _("Enter the first and last day."), "starts_on")
    if ends < starts:
        raise PeopleError("ends_before_start", _("A course ends on or after its first day."), "ends_on")
    hours = _decimal(data.get("hours"), "hours")
    if hours <= 0:
        raise PeopleError("hours_invalid", _("Enter more than zero hours."), "hours")
    try:
        # No places given: 50. Zero is a number given (and refused below), not a missing one.
        capacity = 50 if data.get("capacity") in (None, "") else int(data["capacity"])
    except (TypeError, ValueError):
        raise PeopleError("capacity_invalid", _("Places must be between 1 and 10,000."), "capacity") from None
    if not 1 <= capacity <= 10000:
        raise PeopleError("capacity_invalid", _("Places must be between 1 and 10,000."), "capacity")
    site = None
    if data.get("site"):
        site = Site.objects.filter(pk=data["site"]).first() if str(data["site"]).isdigit() else None
        if site is None:
            raise PeopleError("site_unknown", _("Unknown site."), "site")
    with transaction.atomic():
        training = Training.objects.create(
            title=title, kind=kind, grade=check_grade(data.get("grade") or "third"), organiser=organiser,
            region=region, site=site, starts_on=starts, ends_on=ends, hours=hours, capacity=capacity,
            for_disabled=bool(data.get("for_disabled")))
        audit.record("create", request=request, actor=by, obj=training)
    return training


def enrol(training: Training, instructor: Instructor, *, by, request=None, today=None) -> Enrollment:
    """A place on the course, under the course's lock so that the places are never oversold."""
    today = today or timezone.localdate()
    own = instructor.user_id is not None and instructor.user_id == getattr(by, "pk", None)
    if not own and not scoping.can_write_region(by, training.region_id):
        raise PeopleError("region_out_of_scope", _("This course is outside your area."), status=403)
    if own and training.starts_on <= today:
        raise PeopleError("course_started", _("The course has started: ask its organiser."), status=409)
    if instructor.status in (Instructor.Status.REVOKED, Instructor.Status.REJECTED):
        raise PeopleError("not_eligible", _("A revoked or refused person cannot enrol."), status=409)
    with transaction.atomic():
        training = Training.objects.select_for_update().get(pk=training.pk)
        if training.enrollments.filter(instructor=instructor).exists():
            raise PeopleError("already_enrolled", _("Already enrolled on this course."), status=409)
        if training.enrollments.count() >= training.capacity:
            raise PeopleError("course_full", _("The course is full."), status=409)
        try:
            with transaction.atomic():
                found = Enrollment.objects.create(training=training, instructor=instructor)
        except IntegrityError:
            raise PeopleError("already_enrolled", _("Already enrolled on this course."), status=409) from None
        audit.record("enrol", request=request, actor=by, obj=found, region_code=training.region_id)
    return found


def record_result(enrollment: Enrollment, *, attended_hours, passed: bool | None, by, request=None,
                  today=None) -> Enrollment:
    """Attendance and the result; a pass renews a lapsed instructor."""
    training = enrollment.training
    today = today or timezone.localdate()
    if not scoping.can_write_region(by, training.region_id):
        raise PeopleError("region_out_of_scope", _("This course is outside your area."), status=403)
    hours = _decimal(attended_hours, "attended_hours")
    if hours > training.hours:
        raise PeopleError("hours_beyond_course", _("More hours than the course has."), "attended_hours")
    if passed is not None and training.starts_on > today:
        raise PeopleError("course_not_started", _("The course has not started yet."), "passed", status=409)
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().select_related("instructor").get(pk=enrollment.pk)
        enrollment.attended_hours, enrollment.passed = hours, passed
        enrollment.result_on = min(training.ends_on, today) if passed is not None else None
        enrollment.save(update_fields=["attended_hours", "passed", "result_on"])
        person = enrollment.instructor
        if passed and person.status == Instructor.Status.LAPSED:
            person.status = Instructor.Status.ACTIVE
            person.save(update_fields=["status", "updated_at"])
            GradeRecord.objects.create(instructor=person, action=GradeRecord.Action.RENEWED, grade=person.grade,
                                       certificate_no=person.certificate_no, on=enrollment.result_on, by=by,
                                       note=training.title[:200])
        audit.record("training_result", request=request, actor=by, obj=enrollment, region_code=training.region_id,
                     detail={"passed": passed, "hours": str(hours)})
    return enrollment
