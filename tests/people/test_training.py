import datetime

import pytest
from django.utils import timezone

from quanmin.core import indicators
from quanmin.people import services, training
from quanmin.people.errors import PeopleError
from quanmin.people.models import Enrollment, GradeRecord, Instructor

from .conftest import person


def course(world, **extra):
    today = timezone.localdate()
    data = {"title": "东昌府区三级社会体育指导员培训班", "organiser": "东昌府区教育和体育局", "region": world.county.code,
            "starts_on": today - datetime.timedelta(days=3), "ends_on": today - datetime.timedelta(days=1),
            "hours": "24", "capacity": 2, "site": world.site.pk, **extra}
    return training.create_training(data, by=world.users["county"])


def test_course_enrol_attend_pass_counts_as_trained(people):
    w = people
    c = course(w)
    e = training.enrol(c, w.instructor, by=w.users["county"])
    with pytest.raises(PeopleError) as exc:
        training.enrol(c, w.instructor, by=w.users["county"])
    assert exc.value.code == "already_enrolled"
    training.record_result(e, attended_hours="24", passed=True, by=w.users["county"])
    value = indicators.compute("instructors_trained", [w.county.code, w.city.code], timezone.localdate())
    assert value == {w.county.code: 1, w.city.code: 1}


def test_course_is_never_oversold_and_refuses_bad_input(people):
    w = people
    c = course(w, capacity=1)
    training.enrol(c, w.instructor, by=w.users["county"])
    applicant = services.apply(person(w.community, 88), by=w.users["county"])
    with pytest.raises(PeopleError) as exc:
        training.enrol(c, applicant, by=w.users["county"])
    assert exc.value.code == "course_full" and Enrollment.objects.count() == 1
    with pytest.raises(PeopleError) as exc:
        course(w, ends_on=timezone.localdate() - datetime.timedelta(days=10))
    assert exc.value.code == "ends_before_start"
    with pytest.raises(PeopleError) as exc:
        training.create_training({"title": "x", "organiser": "y", "region": w.other_county.code,
                                  "starts_on": timezone.localdate(), "ends_on": timezone.localdate(), "hours": 8},
                                 by=w.users["county"])
    assert exc.value.code == "region_out_of_scope"
    e = Enrollment.objects.get()
    with pytest.raises(PeopleError) as exc:
        training.record_result(e, attended_hours="30", passed=True, by=w.users["county"])
    assert exc.value.code == "hours_beyond_course"


def test_a_pass_renews_a_lapsed_instructor_and_counts_toward_the_threshold(people):
    w = people
    services.set_status(w.instructor, "lapsed", by=w.users["county"])
    c = course(w, kind="continuing")
    e = training.enrol(c, Instructor.objects.get(pk=w.instructor.pk), by=w.users["county"])
    training.record_result(e, attended_hours="24", passed=True, by=w.users["county"])
    assert Instructor.objects.get(pk=w.instructor.pk).status == "active"
    assert GradeRecord.objects.filter(instructor=w.instructor, action="renewed").exists()
    services.set_rule(w.city, "second", {"min_years": 0, "min_training_hours": 30}, by=w.users["city"])
    assert any("24" in gap for gap in services.threshold_gaps(w.instructor, "second"))
    services.set_rule(w.city, "second", {"min_years": 0, "min_training_hours": 20}, by=w.users["city"])
    assert services.threshold_gaps(w.instructor, "second") == []
