"""The school register and the term returns: writes through the services, checked, locked, audited;
bad input answers in Chinese and writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from quanmin.accounts.models import AuditEntry
from quanmin.facilities import services as fs
from quanmin.facilities.models import Site
from quanmin.youth import selectors, services
from quanmin.youth.errors import YouthError
from quanmin.youth.models import School, TermReturn

from .conftest import return_data, school_site


def test_a_school_is_registered_with_its_grounds_open(world, school):
    assert (school.region, school.stage, school.students) == (world.community, "primary", 1000)
    assert selectors.grounds_open(selectors.school_or_404(world.users["county"], school.pk))
    assert AuditEntry.objects.filter(action="youth.school_save", target_id=str(school.pk)).exists()


def test_grounds_are_open_only_while_the_facilities_register_says_so(world, school):
    user = world.users["county"]
    fs.set_opening_rules(school.site, [])  # no public hours any more
    assert not selectors.grounds_open(selectors.school_or_404(user, school.pk))
    assert not selectors.schools_for(user, {"open": "1"}).exists()
    assert list(selectors.schools_for(user, {"open": "0"})) == [school]


def test_a_return_is_recorded_and_corrected_once_a_term(world, school):
    user = world.users["township"]
    found, created = services.save_return(user, school, return_data())
    assert created and found.region == world.community and found.starts_on == datetime.date(2025, 9, 1)
    again, created = services.save_return(user, school, return_data(minutes_out_of_school=65))
    assert not created and again.pk == found.pk and TermReturn.objects.get().minutes_out_of_school == 65
    assert AuditEntry.objects.filter(action="youth.return_save").count() == 2


def test_forms_of_a_school_year_and_term_that_offices_write(world, school):
    found, _ = services.save_return(world.users["county"], school, return_data(school_year="2025-2026学年",
                                                                               term="春季学期", students="１，０００"))
    assert (found.school_year, found.term, found.students) == (2025, 2, 1000)
    assert found.starts_on == datetime.date(2026, 2, 1)


@pytest.mark.parametrize(("extra", "code", "words"), [
    ({"students_meeting_both": 1001}, "count_over_whole", "不能多于"),
    ({"skills_two_plus": 901}, "count_over_whole", "不能多于"),
    ({"myopia_found": 1001}, "count_over_whole", "不能多于"),
    ({"scoliosis_intervened": 21}, "count_over_whole", "不能多于"),
    ({"obesity_screened": -5}, "obesity_screened_invalid", "不能为负数"),
    ({"minutes_in_school": 601}, "minutes_in_school_invalid", "不能多于"),
    ({"minutes_in_school": "一小时"}, "minutes_in_school_invalid", "整数"),
    ({"students": "12.5"}, "students_invalid", "整数"),
    ({"students": ""}, "students_required", "必填"),
    ({"term": "3"}, "term_invalid", "学期"),
    ({"school_year": "25"}, "school_year_invalid", "学年"),
    ({"school_year": "2999"}, "school_year_invalid", "学年"),
    ({"note": "长" * 301}, "note_too_long", "300"),
])
def test_bad_figures_are_refused_in_chinese_and_nothing_is_written(world, school, extra, code, words):
    with translation.override("zh-hans"), pytest.raises(YouthError) as caught:
        services.save_return(world.users["county"], school, return_data(**extra))
    assert caught.value.code == code
    assert words in str(caught.value.message)
    assert not TermReturn.objects.exists()
    assert not AuditEntry.objects.filter(action="youth.return_save").exists()


def test_a_term_not_yet_started_is_refused(world, school):
    next_year = timezone.localdate().year + 1
    with pytest.raises(YouthError) as caught:
        services.save_return(world.users["county"], school, return_data(school_year=next_year))
    assert caught.value.code == "term_not_started"
    assert not TermReturn.objects.exists()


def test_a_correction_that_breaks_a_rule_leaves_the_first_figures(world, school):
    services.save_return(world.users["county"], school, return_data())
    with pytest.raises(YouthError):
        services.save_return(world.users["county"], school, return_data(minutes_in_school=90, myopia_found=2000))
    assert TermReturn.objects.get().minutes_in_school == 70


def test_staff_of_another_county_cannot_write_and_do_not_see(world, school):
    with pytest.raises(PermissionDenied):
        services.save_return(world.users["other_county"], school, return_data())
    assert not selectors.schools_for(world.users["other_county"]).exists()
    assert not TermReturn.objects.exists()


def test_residents_and_supervisors_write_nothing(world):
    data = {"region": world.community.code, "name": "东关小学", "stage": "primary", "students": 10}
    for role in ("resident", "supervisor"):
        with pytest.raises(PermissionDenied):
            services.save_school(world.users[role], data)
    assert not School.objects.exists()


@pytest.mark.parametrize(("extra", "code"), [
    ({"stage": "university"}, "stage_unknown"),
    ({"name": ""}, "name_required"),
    ({"students": "很多"}, "students_invalid"),
    ({"region": "371503001001"}, "region_out_of_scope"),
    ({"region": "999999999999"}, "region_unknown"),
    ({"site": "999999"}, "site_unknown"),
])
def test_bad_school_fields_are_refused(world, extra, code):
    data = {"region": world.community.code, "name": "东关小学", "stage": "primary", "students": 900, **extra}
    with pytest.raises(YouthError) as caught:
        services.save_school(world.users["county"], data)
    assert caught.value.code == code and not School.objects.exists()


def test_a_site_that_is_not_a_school_or_lies_in_another_county_is_refused(world):
    data = {"region": world.community.code, "name": "东关小学", "stage": "primary", "students": 900}
    with pytest.raises(YouthError) as caught:
        services.save_school(world.users["county"], {**data, "site": world.site.pk})  # a community square
    assert caught.value.code == "site_not_school"
    far = school_site(world.other_community, "新华小学")
    with pytest.raises(YouthError) as caught:
        services.save_school(world.users["county"], {**data, "site": far.pk})
    assert caught.value.code == "site_unknown" and not School.objects.exists()
    assert far.owner_kind == Site.OwnerKind.SCHOOL


def test_two_schools_of_one_name_in_a_division_answer_409(world, school):
    with pytest.raises(YouthError) as caught:
        services.save_school(world.users["county"], {"region": world.community.code, "name": "东关小学",
                                                     "stage": "junior", "students": 10})
    assert (caught.value.code, caught.value.status) == ("school_exists", 409)
    assert School.objects.count() == 1


def test_a_school_moved_carries_its_returns_to_its_new_division(world, school):
    services.save_return(world.users["county"], school, return_data())
    services.save_school(world.users["county"], {"region": world.township.code, "name": "东关小学",
                                                 "stage": "primary", "students": 1000}, school)
    assert TermReturn.objects.get().region == world.township


def test_an_inactive_school_takes_no_return(world, school):
    services.save_school(world.users["county"], {"region": world.community.code, "name": "东关小学",
                                                 "stage": "primary", "students": 1000, "active": False}, school)
    with pytest.raises(YouthError) as caught:
        services.save_return(world.users["county"], school, return_data())
    assert (caught.value.code, caught.value.status) == ("school_inactive", 409)


def test_a_return_removed_is_audited(world, school):
    found, _ = services.save_return(world.users["county"], school, return_data())
    with pytest.raises(PermissionDenied):
        services.delete_return(world.users["other_county"], found)
    services.delete_return(world.users["county"], found)
    assert not TermReturn.objects.exists()
    assert AuditEntry.objects.filter(action="youth.return_delete").exists()
