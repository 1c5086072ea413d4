"""Physique's boundaries, each at the exact value, just below and (where it is a range) just above:
rating cuts, age bands, and the guardian-consent age (issue 25, part 4).

The expected values are the standards' own published figures, written here, not read from the data
files or the functions under test: 《国家学生体质健康标准（2014年修订）》 rates 90.0 and above
优秀, 80.0–89.9 良好, 60.0–79.9 及格, 59.9 and below 不及格; 《国民体质测定标准》 groups children by
half-years from 3 to 6 (6–6.9 one group) and adults and the elderly by five years from 20 to 69, and
rates the children's total 一级 ≥ 32, 二级 28–31, 三级 20–27 (adults 20–39: 34 / 30 / 23; 40–59:
27 / 24 / 18; the elderly: 24 / 21 / 15). PIPL article 31: a guardian consents for under-14s.
"""

import datetime

import pytest
from django.utils import timezone

from quanmin.demo.accounts import make_id_number
from quanmin.physique import errors, scoring, services
from quanmin.physique.tables import load_standard

STUDENT_CUTS = [(90.0, "excellent"), (80.0, "good"), (60.0, "pass")]
BELOW = {"excellent": "good", "good": "pass", "pass": "fail"}


@pytest.mark.parametrize("cut,rating", STUDENT_CUTS)
def test_student_rating_at_each_cut_and_just_below(cut, rating):
    assert scoring.rate_total("student-2014", cut, grade="junior-1") == rating
    assert scoring.rate_total("student-2014", round(cut - 0.1, 1), grade="junior-1") == BELOW[rating]
    assert scoring.rate_total("student-2014", round(cut + 0.1, 1), grade="junior-1") == rating


def test_a_total_is_rounded_half_up_to_two_decimals_before_rating():
    assert scoring.rate_total("student-2014", 89.995, grade="junior-1") == "excellent"
    assert scoring.rate_total("student-2014", 89.994, grade="junior-1") == "good"


# (first age of the band, its group) as the standard publishes them.
BANDS = [(3.0, "child-3"), (3.5, "child-3.5"), (4.0, "child-4"), (4.5, "child-4.5"), (5.0, "child-5"),
         (5.5, "child-5.5"), (6.0, "child-6"), (20, "adult-20-24"), (25, "adult-25-29"), (30, "adult-30-34"),
         (35, "adult-35-39"), (40, "adult-40-44"), (45, "adult-45-49"), (50, "adult-50-54"),
         (55, "adult-55-59"), (60, "elderly-60-64"), (65, "elderly-65-69")]
PREVIOUS = {BANDS[i][1]: BANDS[i - 1][1] for i in range(1, len(BANDS))}


@pytest.mark.parametrize("start,group", BANDS)
def test_an_age_band_starts_at_its_first_age(start, group):
    std = load_standard("physique-2003")
    assert std.group_for(age=start).id == group
    before = start - 0.01
    if group in PREVIOUS and group not in ("adult-20-24",):
        assert std.group_for(age=before).id == PREVIOUS[group]
    else:  # nothing below 3, and no table between 7 and 20 (students have their own standard)
        with pytest.raises(scoring.ScoringError) as e:
            std.group_for(age=before)
        assert e.value.code == "age_out_of_range"


def test_the_batch_scorer_bands_ages_as_the_single_one_does():
    std = load_standard("physique-2003")
    ages = [a for start, _ in BANDS for a in (start, start + 0.49 if start < 7 else start + 4.99)]
    groups = scoring._age_groups(std, ages)
    assert [std.groups[i].id for i in groups] == [g for _, g in BANDS for _ in range(2)]


@pytest.mark.parametrize("edge", [6.99, 69.99])
def test_the_last_day_of_a_table_is_in_it_and_the_next_is_not(edge):
    std = load_standard("physique-2003")
    assert std.group_for(age=edge).id in ("child-6", "elderly-65-69")
    with pytest.raises(scoring.ScoringError):
        std.group_for(age=round(edge + 0.01, 2))


CUTS_2003 = {"child-4": (32, 28, 20), "adult-30-34": (34, 30, 23), "adult-45-49": (27, 24, 18),
             "elderly-65-69": (24, 21, 15)}


@pytest.mark.parametrize("group", CUTS_2003)
def test_physique_rating_at_each_cut_and_one_point_below(group):
    std = load_standard("physique-2003")
    age = next(start for start, g in BANDS if g == group)
    for cut, rating in zip(CUTS_2003[group], ("excellent", "good", "pass")):
        assert scoring.rate_total(std, cut, age=age) == rating, (group, cut)
        assert scoring.rate_total(std, cut - 1, age=age) == BELOW[rating], (group, cut - 1)


# --- the guardian's consent: under 14 on the day it is given ------------------------------------

def _born_years_ago(years: int, plus_days: int = 0) -> datetime.date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day + datetime.timedelta(days=plus_days)


@pytest.mark.parametrize("plus_days,needs_guardian", [(0, False), (1, True), (-1, False)])
def test_a_guardian_is_needed_until_the_fourteenth_birthday(world, plus_days, needs_guardian):
    # Fourteen today: no guardian. Fourteen tomorrow: still a child today. Fourteen yesterday: not.
    born = _born_years_ago(14, plus_days)
    person = services.participant_by_id_number(make_id_number("371502", born.strftime("%Y%m%d"), 60, True),
                                               region=world.community, real_name="边界")
    if needs_guardian:
        with pytest.raises(errors.PhysiqueError) as e:
            services.record_walk_in_consent(person)
        assert e.value.code == "guardian_consent_required" and not services.has_health_consent(person)
    else:
        services.record_walk_in_consent(person)
        assert services.has_health_consent(person)
