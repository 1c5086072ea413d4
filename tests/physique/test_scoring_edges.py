"""The scoring engine at its edges: every input error as the API shows it, rounding at the half, a
group without a rating table, and the batch path's masked records and documented types.

Each test here kills mutants that `make mutants` (tests/mutants.py) found surviving in scoring.py.
"""

import dataclasses

import numpy as np
import pytest

from quanmin.physique.errors import ScoringError
from quanmin.physique.scoring import (
    RATING_INVALID,
    RATING_WITHHELD,
    graduation_total,
    parse_value,
    rate_total,
    score,
    score_many,
)
from quanmin.physique.tables import load_standard

UNI = "university-1"


def _one(**measurements):
    return score("student-2014", "male", grade=UNI, measurements=measurements)


def _batch(measurements, sexes=("male", "male"), grades=(UNI, UNI)):
    return score_many("student-2014", list(sexes), grade=list(grades), measurements=measurements)


# What the API answers (PhysiqueError carries the field, the code and the message to the person).
ERRORS = [
    (lambda: parse_value("height_cm", True), "measurements.height_cm", "not_a_number", "height_cm must be a number."),
    (lambda: parse_value("height_cm", "abc"), "measurements.height_cm", "not_a_number",
     "height_cm must be a number, got 'abc'."),
    (lambda: parse_value("height_cm", [1]), "measurements.height_cm", "not_a_number", "height_cm must be a number."),
    # Minutes and seconds are a run's time (a key in _s) only: a height written so is a mistake.
    (lambda: parse_value("height_cm", "3:55"), "measurements.height_cm", "not_a_number",
     "height_cm must be a number, got '3:55'."),
    (lambda: parse_value("height_cm", float("inf")), "measurements.height_cm", "not_a_number",
     "height_cm must be a finite number."),
    (lambda: parse_value("height_cm", -1), "measurements.height_cm", "negative_value", "height_cm cannot be negative."),
    (lambda: parse_value("weight_kg", 0), "measurements.weight_kg", "must_be_positive",
     "weight_kg must be greater than zero."),
    (lambda: score("student-2014", "male", grade=UNI, measurements=[1]), "measurements", "invalid",
     "measurements must be an object of key: value."),
    (lambda: _one(foo=1), "measurements.foo", "unknown_measurement", "Unknown measurement: 'foo'."),
    (lambda: score("student-2014", "x", grade=UNI), "sex", "invalid_sex", "sex must be 'male' or 'female', got 'x'."),
    (lambda: graduation_total(80, [70], standard="physique-2003"), "standard", "no_graduation_rule",
     "This standard has no graduation rule."),
    (lambda: _batch({"foo": [1, 1]}), "measurements.foo", "unknown_measurement", "Unknown measurement: 'foo'."),
    (lambda: _batch({"height_cm": ["x", "y"]}), "measurements.height_cm", "not_a_number", "height_cm must be numeric."),
    (lambda: _batch({"height_cm": [1, 2, 3]}), "measurements.height_cm", "invalid", "height_cm must hold 2 values."),
    (lambda: score_many("student-2014", ["male"]), "grade", "required", "student-2014 scores by grade; give grade."),
    (lambda: score_many("physique-2003", ["male"]), "age", "required", "physique-2003 scores by age; give age."),
]


@pytest.mark.parametrize(("call", "field", "code", "message"), ERRORS)
def test_every_input_error_names_its_field_code_and_message(call, field, code, message):
    with pytest.raises(ScoringError) as err:
        call()
    assert err.value.as_dict() == {"field": field, "code": code, "message": message, "row": None}


@pytest.mark.parametrize(("measurements", "sexes", "grades", "row", "field", "code"), [
    # Of several problems the first record's comes first; within a record, the field first in order.
    ({"height_cm": [170, -1, 170]}, ("male", "male", "x"), (UNI, "no-such-grade", UNI), 1, "grade", "invalid_grade"),
    ({"height_cm": [170, 170, 170]}, ("male", "male", "x"), (UNI, UNI, UNI), 2, "sex", "invalid_sex"),
    ({"weight_kg": [60, np.inf]}, ("male", "male"), (UNI, UNI), 1, "measurements.weight_kg", "not_a_number"),
    ({"weight_kg": [60, 0]}, ("male", "male"), (UNI, UNI), 1, "measurements.weight_kg", "must_be_positive"),
    # The first grade's group is group 0: a record in it is no problem.
    ({"height_cm": [130, 130]}, ("male", "x"), ("primary-1", "primary-1"), 1, "sex", "invalid_sex"),
    # ... nor is it a bad grade: the first unknown grade is named.
    ({"height_cm": [130, 130, 130]}, ("male",) * 3, ("primary-1", "primary-2", "year-0"), 2, "grade", "invalid_grade"),
])
def test_a_batch_names_the_first_bad_record(measurements, sexes, grades, row, field, code):
    with pytest.raises(ScoringError) as err:
        _batch(measurements, sexes, grades)
    assert err.value.as_dict() == {"field": field, "code": code, "message": f"Record {row}: {code} in {field}.",
                                   "row": row}


def test_errors_must_be_raise_or_mask():
    with pytest.raises(ValueError) as err:
        score_many("student-2014", ["male"], grade=[UNI], errors="ignore")
    assert str(err.value) == "errors must be 'raise' or 'mask'"


def test_graduation_rounds_a_half_up():
    # 50% of 80.3 + 50% of 80.2 = 80.25 exactly: half up gives 80.3 (banker's rounding would give 80.2).
    assert graduation_total(80.3, [80.2]) == 80.3
    assert graduation_total(80.1, [80.2]) == 80.2  # 80.15


def _without_ratings(name: str) -> tuple:
    std = load_standard(name)
    bare = dataclasses.replace(std.groups[0], ratings=None, ratings_unavailable="not_published")
    return dataclasses.replace(std, groups=(bare, *std.groups[1:])), bare


def test_a_group_without_a_rating_table_withholds_the_rating_in_both_paths():
    std, group = _without_ratings("student-2014")
    grade = group.grades[0]
    full = {"height_cm": 125, "weight_kg": 25, "vital_capacity_ml": 1200, "sprint_50m_s": 11.0,
            "sit_and_reach_cm": 10, "rope_skipping_1min": 100}
    one = score(std, "male", grade=grade, measurements=full)
    assert one.complete and one.rating is None and one.reasons == ("rating_unavailable_not_published",)
    assert one.passed == (one.total >= group.pass_min_x100 / 100)
    batch = score_many(std, ["male", "female"], grade=[grade, grade],
                       measurements={k: [v, v] for k, v in full.items()})
    assert batch.ratings.tolist() == [RATING_WITHHELD, RATING_WITHHELD] and batch.ratings.dtype == np.int8
    assert batch.passed[0] == int(one.passed)
    # Without a rating, an incomplete record still passes or fails by the group's pass minimum (the
    # student standard scores a missing item 0), in both paths.
    partial = dict(full, rope_skipping_1min=None)
    alone = score(std, "male", grade=grade, measurements=partial)
    both = score_many(std, ["male"], grade=[grade], measurements={k: [np.nan if v is None else v]
                                                                   for k, v in partial.items()})
    assert not alone.complete and both.passed[0] == int(alone.passed)
    with pytest.raises(ScoringError) as err:
        rate_total(std, 85.0, grade=grade)
    assert err.value.as_dict() == {"field": "standard", "code": "rating_unavailable", "row": None,
                                   "message": f"student-2014 publishes no rating table for {group.id}."}


def test_a_masked_record_has_no_total_rating_or_pass():
    batch = score_many("student-2014", ["male", "male"], grade=[UNI, UNI],
                       measurements={"height_cm": [175, -1], "weight_kg": [65, 65]}, errors="mask")
    assert np.isnan(batch.totals[1]) and batch.ratings[1] == RATING_INVALID and batch.passed[1] == -1
    assert not batch.complete[1]


def test_a_record_without_an_age_is_invalid_not_an_error_of_the_batch():
    batch = score_many("physique-2003", ["male", "female"], age=[35, None], errors="mask")
    assert batch.ratings.tolist() == [RATING_WITHHELD, RATING_INVALID]
    with pytest.raises(ScoringError) as err:
        score_many("physique-2003", ["male", "female"], age=[35, None])
    assert (err.value.row, err.value.field, err.value.code) == (1, "age", "age_out_of_range")


def test_the_batch_answers_in_its_documented_types():
    plain = _batch({"height_cm": [175, 160], "weight_kg": [65, 50]})
    assert (plain.totals.dtype, plain.ratings.dtype, plain.passed.dtype, plain.complete.dtype) == (
        np.float64, np.int8, np.int8, np.bool_)
    assert plain.item_scores is None and plain.bonuses is None
    # Two groups in one batch: an item the second group does not use stays NaN (not scored) for it.
    items = score_many("student-2014", ["male", "male"], grade=[UNI, "primary-1"], with_items=True,
                       measurements={"pullups": [10, np.nan], "rope_skipping_1min": [np.nan, 100]})
    assert items.item_scores["pullups"].dtype == np.float64 and np.isnan(items.item_scores["pullups"][1])
    assert np.isnan(items.item_scores["rope_skipping_1min"][0]) and items.item_scores["pullups"][0] >= 0
    assert all(b.dtype == np.int64 for b in items.bonuses.values())


@pytest.mark.parametrize("above", [0, 1])
def test_a_total_of_exactly_the_pass_minimum_passes(above):
    std, group = _without_ratings("physique-2003")
    measurements = {"height_cm": 100, "weight_kg": 16, "standing_long_jump_cm": 80, "tennis_ball_throw_m": 4,
                    "double_leg_jump_s": 8, "balance_beam_s": 10, "shuttle_10m_s": 8, "sit_and_reach_cm": 8}
    age = group.age_min
    total_x100 = round(score(std, "male", age=age, measurements=measurements).total * 100)
    std = dataclasses.replace(std, groups=(dataclasses.replace(group, pass_min_x100=total_x100 + above),
                                           *std.groups[1:]))
    batch = score_many(std, ["male"], age=[age], measurements={k: [v] for k, v in measurements.items()})
    assert batch.ratings[0] == RATING_WITHHELD and batch.passed[0] == (0 if above else 1)
    assert score(std, "male", age=age, measurements=measurements).passed is (not above)


def test_integer_codes_out_of_the_vocabulary_are_invalid_records():
    # Sexes may be given as codes into SEXES (0 male, 1 female); any other code is a bad record.
    batch = score_many("student-2014", [0, 1, 2, -1], grade=[UNI] * 4, errors="mask",
                       measurements={"height_cm": [175, 165, 170, 170], "weight_kg": [65, 55, 60, 60]})
    assert batch.ratings.tolist()[2:] == [RATING_INVALID, RATING_INVALID]
    for i, sex in enumerate(("male", "female")):
        one = score("student-2014", sex, grade=UNI, measurements={"height_cm": [175, 165][i], "weight_kg": [65, 55][i]})
        assert batch.totals[i] == one.total


def test_each_bad_value_masks_its_own_record():
    batch = score_many("student-2014", ["male"] * 3, grade=[UNI] * 3, errors="mask",
                       measurements={"height_cm": [-1, 170, 170], "weight_kg": [60, -1, 60]})
    assert batch.ratings.tolist()[:2] == [RATING_INVALID, RATING_INVALID] and batch.ratings[2] != RATING_INVALID
