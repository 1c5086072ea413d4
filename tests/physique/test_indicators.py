"""Physique tests a year, pass share and students' good-or-better share, against hand counts, as of
2026-06-30: the tests taken from 2025-07-01 00:00 to 2026-06-30 24:00, local time.

  东关社区  physique: pass, fail, outcome unknown (03-01); student: good, pass (04-01);
            physique pass 2025-06-30 20:00 (before the year: left out)
  古楼街道  physique pass 2025-07-01 00:10; student excellent 2026-06-30 23:50;
            physique pass 2026-07-01 00:00 (after the date: left out)
  新华社区  physique fail, student fail (01-01)
  新区社区  nothing
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from quanmin.core import indicators
from quanmin.demo.accounts import make_id_number
from quanmin.physique import services_exercise
from quanmin.physique.figures import PHYSIQUE, STUDENT
from quanmin.regions.models import Region
from tests.physique.test_figures import Maker

AS_OF = datetime.date(2026, 6, 30)
CITY, COUNTY, OTHER = "371500000000", "371502000000", "371503000000"
TOWNSHIP, COMMUNITY, OTHER_COMMUNITY, EMPTY = "371502001000", "371502001001", "371503001001", "371502001002"
CODES = [CITY, COUNTY, OTHER, TOWNSHIP, COMMUNITY, OTHER_COMMUNITY, EMPTY]


def local(y, m, d, hh=10, mm=0):
    return timezone.make_aware(datetime.datetime(y, m, d, hh, mm))


@pytest.fixture
def tested(world):
    w = world
    Region.objects.create(code=EMPTY, name="新区社区", level="community", parent=w.township, population=3000)
    maker = Maker()

    def result(division, when, standard, passed=None, rating=""):
        maker.make(participant=maker.person(division), session=maker.session(division),
                                  region=division, standard=standard, sex="female", age_group="30-39",
                                  passed=passed, rating=rating, total=0, tested_at=when)

    result(w.community, local(2026, 3, 1), PHYSIQUE, True, "pass")
    result(w.community, local(2026, 3, 1), PHYSIQUE, False, "fail")
    result(w.community, local(2026, 3, 1), PHYSIQUE)
    result(w.community, local(2026, 4, 1), STUDENT, True, "good")
    result(w.community, local(2026, 4, 1), STUDENT, True, "pass")
    result(w.community, local(2025, 6, 30, 20), PHYSIQUE, True, "pass")
    result(w.township, local(2025, 7, 1, 0, 10), PHYSIQUE, True, "good")
    result(w.township, local(2026, 6, 30, 23, 50), STUDENT, True, "excellent")
    result(w.township, local(2026, 7, 1, 0, 0), PHYSIQUE, True, "pass")
    result(w.other_community, local(2026, 1, 1), PHYSIQUE, False, "fail")
    result(w.other_community, local(2026, 1, 1), STUDENT, False, "fail")
    return w


def test_tests_a_year(tested):
    assert indicators.compute("physique_tests_per_year", CODES, AS_OF) == {
        CITY: 9, COUNTY: 7, OTHER: 2, TOWNSHIP: 7, COMMUNITY: 5, OTHER_COMMUNITY: 2, EMPTY: 0}


def test_pass_share(tested):
    assert indicators.compute("physique_pass_share", CODES, AS_OF) == {
        CITY: 50,  # 2 of the 4 with a known outcome
        COUNTY: Decimal("66.7"),  # 2 of 3
        OTHER: 0,
        TOWNSHIP: Decimal("66.7"),
        COMMUNITY: 50,  # 1 of 2; the unknown outcome is not counted
        OTHER_COMMUNITY: 0,
        EMPTY: None,
    }


def test_students_good_or_better(tested):
    assert indicators.compute("student_good_share", CODES, AS_OF) == {
        CITY: 50,  # 2 of 4
        COUNTY: Decimal("66.7"),  # good and excellent of 3
        OTHER: 0,
        TOWNSHIP: Decimal("66.7"),
        COMMUNITY: 50,
        OTHER_COMMUNITY: 0,
        EMPTY: None,
    }


def test_a_year_later_the_tests_have_left_the_year(tested):
    assert indicators.compute("physique_tests_per_year", [CITY], datetime.date(2027, 7, 1)) == {CITY: 0}
    # From 2025-07-02: the 2025-07-01 test leaves the year, the 2026-07-01 one joins it.
    assert indicators.compute("physique_tests_per_year", [TOWNSHIP], datetime.date(2026, 7, 1)) == {TOWNSHIP: 7}
    assert indicators.compute("physique_pass_share", [TOWNSHIP], datetime.date(2026, 7, 1)) == {TOWNSHIP: Decimal("66.7")}


def test_counties_testing_physique_and_the_exercise_standard(tested):
    # Both counties held physique tests in the year; only 东昌府区 holds an exercise-standard session too.
    assert indicators.compute("counties_regular_testing", [CITY, COUNTY, OTHER], AS_OF) == {
        CITY: 0, COUNTY: 0, OTHER: 0}
    session = services_exercise.create_session(region=tested.community, held_on=datetime.date(2026, 5, 20),
                                               place="区体育中心", organiser="区文化体育和旅游局")
    person = services_exercise.person_for(session, id_number=make_id_number("371502", "19800601", 7, False),
                                          real_name="钱八", consent=True)
    services_exercise.record_grade(session, person, level="达标")
    assert indicators.compute("counties_regular_testing", [CITY, COUNTY, OTHER], AS_OF) == {
        CITY: 50, COUNTY: 100, OTHER: 0}
    # A year on, neither kind of test is in the year any more.
    later = indicators.compute("counties_regular_testing", [CITY], AS_OF + datetime.timedelta(days=400))
    assert later == {CITY: 0}
