"""The youth indicators against figures counted by hand: three schools, four returns."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quanmin.core import indicators
from quanmin.youth import services

from .conftest import return_data, school_site

KEYS = ("student_daily_pe_hours", "students_pe_both_hours_share", "students_two_skills_share",
        "youth_intervention_share", "school_grounds_open", "school_grounds_open_share")


@pytest.fixture
def schools(world):
    """A: 东关小学 (a community of 古楼街道, grounds open); B: 东昌府区实验中学 (the county itself, no site
    in the register); C: 振兴中学 (the other county, its site without public hours)."""
    county, other = world.users["county"], world.users["other_county"]
    a = services.save_school(county, {"region": world.community.code, "name": "东关小学", "stage": "primary",
                                      "students": 1000, "site": school_site(world.community, "东关小学").pk})
    b = services.save_school(county, {"region": world.county.code, "name": "东昌府区实验中学", "stage": "junior",
                                      "students": 500})
    c = services.save_school(other, {"region": world.other_township.code, "name": "振兴中学", "stage": "junior",
                                     "students": 800,
                                     "site": school_site(world.other_township, "振兴中学", open_hours=False).pk})
    services.save_return(county, a, return_data())  # autumn 2025: replaced by the spring term below
    services.save_return(county, a, return_data(
        term=2, minutes_in_school=80, minutes_out_of_school=55, students_meeting_both=500, skills_two_plus=700))
    services.save_return(county, b, return_data(
        students=500, minutes_in_school=60, minutes_out_of_school=80, students_meeting_both=300, skills_assessed=400,
        skills_two_plus=200, myopia_screened=500, myopia_found=100, myopia_intervened=50, obesity_screened=500,
        obesity_found=40, obesity_intervened=10, scoliosis_screened=500, scoliosis_found=10, scoliosis_intervened=0))
    services.save_return(other, c, return_data(students=800, minutes_in_school=60, minutes_out_of_school=60,
                                               students_meeting_both=800, skills_assessed=800, skills_two_plus=800,
                                               myopia_screened=800, myopia_found=0, myopia_intervened=0,
                                               obesity_screened=800, obesity_found=0, obesity_intervened=0,
                                               scoliosis_screened=800, scoliosis_found=0, scoliosis_intervened=0))
    return a, b, c


def values(world, as_of):
    codes = [world.city.code, world.county.code, world.township.code, world.other_county.code]
    return indicators.compute_many(KEYS, codes, as_of)


def test_hand_counts_at_the_end_of_the_school_year(world, schools):
    found = values(world, datetime.date(2026, 6, 30))
    city, county, township, other = world.city.code, world.county.code, world.township.code, world.other_county.code
    hours = found["student_daily_pe_hours"]
    # county: in 1000×80 + 500×60 = 110,000; out 1000×55 + 500×80 = 95,000; the lesser ÷ 1,500 ÷ 60 = 1.0556
    assert hours[county] == Decimal("1.06")
    # 古楼街道 holds A alone: min(80, 55) ÷ 60 = 0.9167, short of one hour out of school
    assert hours[township] == Decimal("0.92")
    # city: out 95,000 + 800×60 = 143,000 ÷ 2,300 ÷ 60 = 1.0362
    assert hours[city] == Decimal("1.04") and hours[other] == Decimal("1.00")
    assert found["students_pe_both_hours_share"][county] == Decimal("53.3")  # 800 ÷ 1,500
    assert found["students_pe_both_hours_share"][city] == Decimal("69.6")  # 1,600 ÷ 2,300
    assert found["students_two_skills_share"][county] == Decimal("60.0")  # 900 ÷ 1,500 (not ÷ 1,300 assessed)
    assert found["students_two_skills_share"][township] == Decimal("70.0")  # 700 ÷ 1,000
    # intervened (300+100+20) + (50+10+0) = 480 of found (380+120+20) + (100+40+10) = 670
    assert found["youth_intervention_share"][county] == Decimal("71.6")
    assert found["youth_intervention_share"][other] is None  # nobody found: nothing to divide
    assert found["school_grounds_open"][county] == 1 and found["school_grounds_open"][other] == 0
    assert found["school_grounds_open"][city] == 1
    assert found["school_grounds_open_share"][county] == Decimal("50.0")
    assert found["school_grounds_open_share"][city] == Decimal("33.3")


def test_only_the_year_up_to_the_date_counts(world, schools):
    before = values(world, datetime.date(2025, 8, 31))
    assert before["student_daily_pe_hours"][world.county.code] is None
    # On 1 October 2026 the autumn 2025 terms are past the year: A's spring return alone.
    later = values(world, datetime.date(2026, 10, 1))
    assert later["student_daily_pe_hours"][world.county.code] == Decimal("0.92")
    assert later["student_daily_pe_hours"][world.other_county.code] is None
    # An inactive school's grounds no longer count.
    a = schools[0]
    services.save_school(world.users["county"], {"region": a.region_id, "name": a.name, "stage": a.stage,
                                                 "students": a.students, "site": a.site_id, "active": False}, a)
    assert values(world, datetime.date(2026, 6, 30))["school_grounds_open"][world.county.code] == 0


def test_a_whole_tree_in_two_queries(world, schools):
    codes = [world.city.code, world.county.code, world.other_county.code, world.township.code,
             world.other_township.code]
    for key in KEYS:
        with CaptureQueriesContext(connection) as captured:
            indicators.compute(key, codes, datetime.date(2026, 6, 30))
        assert len(captured) == 1, key
    with CaptureQueriesContext(connection) as captured:
        indicators.compute_many(KEYS, codes, datetime.date(2026, 6, 30))
    assert len(captured) == 2
