"""score_many gives exactly the answers of score, record by record, on random records."""

import numpy as np
import pytest

from quanmin.physique.errors import ScoringError
from quanmin.physique.scoring import RATING_INVALID, score, score_many
from quanmin.physique.tables import RATING_CODES, SEXES, load_standard

N = 3000
STUDENT_RANGES = {
    "height_cm": (105, 195, 1), "weight_kg": (15, 100, 1), "vital_capacity_ml": (300, 6000, 0),
    "sprint_50m_s": (6.0, 15.0, 1), "sit_and_reach_cm": (-12, 30, 1), "rope_skipping_1min": (0, 220, 0),
    "situps_1min": (0, 72, 0), "shuttle_50x8_s": (80, 170, 0), "standing_long_jump_cm": (100, 300, 0),
    "pullups": (0, 32, 0), "run_1000m_s": (150, 450, 0), "run_800m_s": (150, 380, 0),
}
PHYSIQUE_RANGES = {
    "height_cm": (78, 198, 1), "weight_kg": (8, 105, 1), "vital_capacity_ml": (700, 5200, 0),
    "step_index": (25, 80, 1), "grip_kg": (10, 65, 1), "pushups": (0, 50, 0), "situps_1min": (0, 45, 0),
    "vertical_jump_cm": (8, 50, 1), "sit_and_reach_cm": (-15, 25, 1), "reaction_time_s": (0.3, 1.8, 2),
    "one_leg_stand_eyes_closed_s": (0, 120, 0), "shuttle_10m_s": (5, 18, 1), "standing_long_jump_cm": (15, 140, 0),
    "tennis_ball_throw_m": (0.5, 13, 1), "double_leg_jump_s": (4, 27, 1), "balance_beam_s": (2, 50, 1),
}


def random_columns(rng, ranges, n, missing=0.05):
    cols = {}
    for key, (low, high, decimals) in ranges.items():
        values = np.round(rng.uniform(low, high, n), decimals)
        values[rng.random(n) < missing] = np.nan
        cols[key] = values
    return cols


def row(cols, i):
    return {k: (None if np.isnan(v[i]) else float(v[i])) for k, v in cols.items()}


def assert_same(batch, i, result):
    rating = RATING_CODES.index(result.rating) if result.rating else -1
    passed = -1 if result.passed is None else int(result.passed)
    assert (batch.totals[i], batch.ratings[i], batch.passed[i], batch.complete[i]) == (
        result.total, rating, passed, result.complete), i


@pytest.mark.parametrize("seed", [1, 2])
def test_student_vectorised_equals_scalar(seed):
    rng = np.random.default_rng(seed)
    std = load_standard("student-2014")
    sexes, grades = rng.choice(np.array(SEXES), N), rng.choice(np.array(std.grades), N)
    cols = random_columns(rng, STUDENT_RANGES, N)
    batch = score_many(std, sexes, grade=grades, measurements=cols, with_items=True)
    for i in range(N):
        result = score(std, str(sexes[i]), grade=str(grades[i]), measurements=row(cols, i))
        assert_same(batch, i, result)
        for item in result.items:
            got = batch.item_scores[item.key][i]
            assert (np.isnan(got) and item.score is None) or got == item.score
            assert batch.bonuses[item.key][i] == item.bonus


@pytest.mark.parametrize("seed", [3, 4])
def test_physique_vectorised_equals_scalar(seed):
    rng = np.random.default_rng(seed)
    sexes = rng.choice(np.array(SEXES), N)
    ages = np.round(np.where(rng.random(N) < 0.3, rng.uniform(2.8, 7.2, N), rng.uniform(19.5, 70.5, N)), 1)
    cols = random_columns(rng, PHYSIQUE_RANGES, N, missing=0.02)
    batch = score_many("physique-2003", sexes, age=ages, measurements=cols, errors="mask")
    invalid = 0
    for i in range(N):
        try:
            result = score("physique-2003", str(sexes[i]), age=float(ages[i]), measurements=row(cols, i))
        except ScoringError:
            invalid += 1
            assert batch.ratings[i] == RATING_INVALID and np.isnan(batch.totals[i]) and batch.passed[i] == -1
            continue
        assert_same(batch, i, result)
    assert 0 < invalid < N // 5
    assert (batch.ratings >= 0).sum() > 50  # enough complete adults to exercise the ratings


def test_integer_codes_and_lists_are_accepted():
    std = load_standard("student-2014")
    cols = {"vital_capacity_ml": [1700, 2900], "sprint_50m_s": [10.2, 8.0]}
    by_label = score_many(std, ["male", "female"], grade=["primary-1", "junior-2"], measurements=cols)
    by_code = score_many(std, np.array([0, 1]), grade=np.array([0, 7]), measurements=cols)
    assert by_label.totals.tolist() == by_code.totals.tolist() == [35.0, 35.0]


@pytest.mark.parametrize(("kwargs", "field", "code", "row"), [
    ({"sex": ["male", "x", "female"]}, "sex", "invalid_sex", 1),
    ({"grade": ["junior-1", "junior-1", "junior-9"]}, "grade", "invalid_grade", 2),
    ({"measurements": {"pullups": [1, -2, 3]}}, "measurements.pullups", "negative_value", 1),
    ({"measurements": {"pullups": [1, 2, np.inf]}}, "measurements.pullups", "not_a_number", 2),
    ({"measurements": {"height_cm": [0, 150, 160]}}, "measurements.height_cm", "must_be_positive", 0),
    ({"measurements": {"pushup": [1, 2, 3]}}, "measurements.pushup", "unknown_measurement", None),
    ({"measurements": {"pullups": ["a", "b", "c"]}}, "measurements.pullups", "not_a_number", None),
    ({"measurements": {"pullups": [1, 2]}}, "measurements.pullups", "invalid", None),
])
def test_batch_errors_name_field_code_and_row(kwargs, field, code, row):
    args = {"sex": ["male", "male", "female"], "grade": ["junior-1"] * 3, "measurements": {"pullups": [1, 2, 3]}}
    with pytest.raises(ScoringError) as err:
        score_many("student-2014", **(args | kwargs))
    assert (err.value.field, err.value.code, err.value.row) == (field, code, row)


def test_batch_age_errors_and_masking():
    with pytest.raises(ScoringError) as err:
        score_many("physique-2003", ["male"] * 3, age=[25, 75, 30], measurements={})
    assert (err.value.field, err.value.code, err.value.row) == ("age", "age_out_of_range", 1)
    with pytest.raises(ScoringError) as err:
        score_many("physique-2003", ["male"], measurements={})
    assert (err.value.field, err.value.code) == ("age", "required")
    batch = score_many("physique-2003", ["male"] * 3, age=[25, 75, 30], measurements={}, errors="mask")
    assert batch.ratings.tolist() == [-1, RATING_INVALID, -1]
    assert np.isnan(batch.totals[1]) and batch.totals[0] == 0
