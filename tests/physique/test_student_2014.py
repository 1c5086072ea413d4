"""Table-driven tests of student-2014 against the published score tables.

The expected rows below are typed from the published 国家学生体质健康标准（2014年修订） tables (one grade
per school stage, both sexes), independently of the JSON data file, and every row boundary is probed:
the value on the row, a value between it and the next row, beyond the best row and beyond the last row.
"""

import pytest

from quanmin.physique.scoring import graduation_total, rate_total, score
from quanmin.physique.tables import load_standard

SCORES = [100, 95, 90, 85, 80, 78, 76, 74, 72, 70, 68, 66, 64, 62, 60, 50, 40, 30, 20, 10]
_ = None  # blank cell in the published table (pull-ups)

TABLES = {
    ("primary-5", "male"): {
        "vital_capacity_ml": [2900, 2800, 2700, 2450, 2200, 2110, 2020, 1930, 1840, 1750, 1660, 1570, 1480, 1390,
                              1300, 1220, 1140, 1060, 980, 900],
        "sprint_50m_s": [8.4, 8.5, 8.6, 8.7, 8.8, 9.0, 9.2, 9.4, 9.6, 9.8, 10.0, 10.2, 10.4, 10.6, 10.8, 11.0, 11.2,
                         11.4, 11.6, 11.8],
        "sit_and_reach_cm": [16.5, 15.2, 13.8, 11.6, 9.4, 8.2, 7.0, 5.8, 4.6, 3.4, 2.2, 1.0, -0.2, -1.4, -2.6, -3.6,
                             -4.6, -5.6, -6.6, -7.6],
        "rope_skipping_1min": [148, 143, 138, 132, 126, 119, 112, 105, 98, 91, 84, 77, 70, 63, 56, 53, 50, 47, 44, 41],
        "situps_1min": [50, 47, 44, 41, 38, 36, 34, 32, 30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8],
        "shuttle_50x8_s": [96, 99, 102, 105, 108, 111, 114, 117, 120, 123, 126, 129, 132, 135, 138, 142, 146, 150, 154,
                           158],
    },
    ("primary-5", "female"): {
        "vital_capacity_ml": [2250, 2150, 2050, 1950, 1850, 1770, 1690, 1610, 1530, 1450, 1370, 1290, 1210, 1130,
                              1050, 1020, 990, 960, 930, 900],
        "sprint_50m_s": [8.3, 8.4, 8.5, 8.8, 9.1, 9.3, 9.5, 9.7, 9.9, 10.1, 10.3, 10.5, 10.7, 10.9, 11.1, 11.3, 11.5,
                         11.7, 11.9, 12.1],
        "sit_and_reach_cm": [19.8, 18.5, 17.2, 15.1, 13.0, 11.9, 10.8, 9.7, 8.6, 7.5, 6.4, 5.3, 4.2, 3.1, 2.0, 1.2, 0.4,
                             -0.4, -1.2, -2.0],
        "rope_skipping_1min": [158, 151, 144, 136, 128, 121, 114, 107, 100, 93, 86, 79, 72, 65, 58, 55, 52, 49, 46, 43],
        "situps_1min": [48, 46, 44, 41, 38, 36, 34, 32, 30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8],
        "shuttle_50x8_s": [101, 104, 107, 110, 113, 116, 119, 122, 125, 128, 131, 134, 137, 140, 143, 147, 151, 155,
                           159, 163],
    },
    ("junior-2", "male"): {
        "vital_capacity_ml": [3940, 3820, 3700, 3450, 3200, 3080, 2960, 2840, 2720, 2600, 2480, 2360, 2240, 2120,
                              2000, 1890, 1780, 1670, 1560, 1450],
        "sprint_50m_s": [7.5, 7.6, 7.7, 7.8, 7.9, 8.1, 8.3, 8.5, 8.7, 8.9, 9.1, 9.3, 9.5, 9.7, 9.9, 10.1, 10.3, 10.5,
                         10.7, 10.9],
        "sit_and_reach_cm": [19.6, 17.7, 15.8, 13.7, 11.6, 10.3, 9.0, 7.7, 6.4, 5.1, 3.8, 2.5, 1.2, -0.1, -1.4, -2.6,
                             -3.8, -5.0, -6.2, -7.4],
        "standing_long_jump_cm": [240, 233, 226, 218, 210, 206, 202, 198, 194, 190, 186, 182, 178, 174, 170, 165, 160,
                                  155, 150, 145],
        "pullups": [14, 13, 12, 11, 10, _, 9, _, 8, _, 7, _, 6, _, 5, 4, 3, 2, 1, _],
        "run_1000m_s": [230, 235, 240, 247, 255, 260, 265, 270, 275, 280, 285, 290, 295, 300, 305, 325, 345, 365, 385,
                        405],
    },
    ("junior-2", "female"): {
        "vital_capacity_ml": [2900, 2850, 2800, 2650, 2500, 2400, 2300, 2200, 2100, 2000, 1900, 1800, 1700, 1600,
                              1500, 1460, 1420, 1380, 1340, 1300],
        "sprint_50m_s": [8.0, 8.1, 8.2, 8.5, 8.8, 9.0, 9.2, 9.4, 9.6, 9.8, 10.0, 10.2, 10.4, 10.6, 10.8, 11.0, 11.2,
                         11.4, 11.6, 11.8],
        "sit_and_reach_cm": [22.7, 21.0, 19.3, 17.6, 15.9, 14.6, 13.3, 12.0, 10.7, 9.4, 8.1, 6.8, 5.5, 4.2, 2.9, 2.1,
                             1.3, 0.5, -0.3, -1.1],
        "standing_long_jump_cm": [200, 194, 188, 181, 174, 171, 168, 165, 162, 159, 156, 153, 150, 147, 144, 139, 134,
                                  129, 124, 119],
        "situps_1min": [51, 49, 47, 44, 41, 39, 37, 35, 33, 31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11],
        "run_800m_s": [210, 217, 224, 232, 240, 245, 250, 255, 260, 265, 270, 275, 280, 285, 290, 300, 310, 320, 330,
                       340],
    },
    ("senior-1", "male"): {
        "vital_capacity_ml": [4540, 4420, 4300, 4050, 3800, 3680, 3560, 3440, 3320, 3200, 3080, 2960, 2840, 2720,
                              2600, 2470, 2340, 2210, 2080, 1950],
        "sprint_50m_s": [7.1, 7.2, 7.3, 7.4, 7.5, 7.7, 7.9, 8.1, 8.3, 8.5, 8.7, 8.9, 9.1, 9.3, 9.5, 9.7, 9.9, 10.1,
                         10.3, 10.5],
        "sit_and_reach_cm": [23.6, 21.5, 19.4, 17.2, 15.0, 13.6, 12.2, 10.8, 9.4, 8.0, 6.6, 5.2, 3.8, 2.4, 1.0, 0.0,
                             -1.0, -2.0, -3.0, -4.0],
        "standing_long_jump_cm": [260, 255, 250, 243, 235, 231, 227, 223, 219, 215, 211, 207, 203, 199, 195, 190, 185,
                                  180, 175, 170],
        "pullups": [16, 15, 14, 13, 12, _, 11, _, 10, _, 9, _, 8, _, 7, 6, 5, 4, 3, 2],
        "run_1000m_s": [210, 215, 220, 227, 235, 240, 245, 250, 255, 260, 265, 270, 275, 280, 285, 305, 325, 345, 365,
                        385],
    },
    ("senior-1", "female"): {
        "vital_capacity_ml": [3150, 3100, 3050, 2900, 2750, 2650, 2550, 2450, 2350, 2250, 2150, 2050, 1950, 1850,
                              1750, 1710, 1670, 1630, 1590, 1550],
        "sprint_50m_s": [7.8, 7.9, 8.0, 8.3, 8.6, 8.8, 9.0, 9.2, 9.4, 9.6, 9.8, 10.0, 10.2, 10.4, 10.6, 10.8, 11.0,
                         11.2, 11.4, 11.6],
        "sit_and_reach_cm": [24.2, 22.5, 20.8, 19.1, 17.4, 16.1, 14.8, 13.5, 12.2, 10.9, 9.6, 8.3, 7.0, 5.7, 4.4, 3.6,
                             2.8, 2.0, 1.2, 0.4],
        "standing_long_jump_cm": [204, 198, 192, 185, 178, 175, 172, 169, 166, 163, 160, 157, 154, 151, 148, 143, 138,
                                  133, 128, 123],
        "situps_1min": [53, 51, 49, 46, 43, 41, 39, 37, 35, 33, 31, 29, 27, 25, 23, 21, 19, 17, 15, 13],
        "run_800m_s": [204, 210, 216, 223, 230, 235, 240, 245, 250, 255, 260, 265, 270, 275, 280, 290, 300, 310, 320,
                       330],
    },
    ("university-3", "male"): {
        "vital_capacity_ml": [5140, 5020, 4900, 4650, 4400, 4280, 4160, 4040, 3920, 3800, 3680, 3560, 3440, 3320,
                              3200, 3030, 2860, 2690, 2520, 2350],
        "sprint_50m_s": [6.6, 6.7, 6.8, 6.9, 7.0, 7.2, 7.4, 7.6, 7.8, 8.0, 8.2, 8.4, 8.6, 8.8, 9.0, 9.2, 9.4, 9.6, 9.8,
                         10.0],
        "sit_and_reach_cm": [25.1, 23.3, 21.5, 19.9, 18.2, 16.8, 15.4, 14.0, 12.6, 11.2, 9.8, 8.4, 7.0, 5.6, 4.2, 3.2,
                             2.2, 1.2, 0.2, -0.8],
        "standing_long_jump_cm": [275, 270, 265, 258, 250, 246, 242, 238, 234, 230, 226, 222, 218, 214, 210, 205, 200,
                                  195, 190, 185],
        "pullups": [20, 19, 18, 17, 16, _, 15, _, 14, _, 13, _, 12, _, 11, 10, 9, 8, 7, 6],
        "run_1000m_s": [195, 200, 205, 212, 220, 225, 230, 235, 240, 245, 250, 255, 260, 265, 270, 290, 310, 330, 350,
                        370],
    },
    ("university-3", "female"): {
        "vital_capacity_ml": [3450, 3400, 3350, 3200, 3050, 2950, 2850, 2750, 2650, 2550, 2450, 2350, 2250, 2150,
                              2050, 2010, 1970, 1930, 1890, 1850],
        "sprint_50m_s": [7.4, 7.5, 7.6, 7.9, 8.2, 8.4, 8.6, 8.8, 9.0, 9.2, 9.4, 9.6, 9.8, 10.0, 10.2, 10.4, 10.6, 10.8,
                         11.0, 11.2],
        "sit_and_reach_cm": [26.3, 24.4, 22.4, 21.0, 19.5, 18.2, 16.9, 15.6, 14.3, 13.0, 11.7, 10.4, 9.1, 7.8, 6.5, 5.7,
                             4.9, 4.1, 3.3, 2.5],
        "standing_long_jump_cm": [208, 202, 196, 189, 182, 179, 176, 173, 170, 167, 164, 161, 158, 155, 152, 147, 142,
                                  137, 132, 127],
        "situps_1min": [57, 55, 53, 50, 47, 45, 43, 41, 39, 37, 35, 33, 31, 29, 27, 25, 23, 21, 19, 17],
        "run_800m_s": [196, 202, 208, 215, 222, 227, 232, 237, 242, 247, 252, 257, 262, 267, 272, 282, 292, 302, 312,
                       322],
    },
}
LOWER_IS_BETTER = {"sprint_50m_s", "shuttle_50x8_s", "run_1000m_s", "run_800m_s"}
HALF_STEP = {"sprint_50m_s": 0.05, "sit_and_reach_cm": 0.05}  # others are whole units

# (low_weight max, normal max, overweight max); obese above. BMI is rounded to one decimal.
BMI_BANDS = {
    ("primary-5", "male"): (14.3, 21.4, 24.1), ("primary-5", "female"): (13.7, 20.5, 22.9),
    ("junior-2", "male"): (15.6, 22.5, 25.2), ("junior-2", "female"): (15.2, 22.2, 24.8),
    ("senior-1", "male"): (16.4, 23.2, 26.3), ("senior-1", "female"): (16.4, 22.7, 25.2),
    ("university-3", "male"): (17.8, 23.9, 27.9), ("university-3", "female"): (17.1, 23.9, 27.9),
}


def item_score(grade, sex, key, value):
    result = score("student-2014", sex, grade=grade, measurements={key: value})
    return next(i for i in result.items if i.key == key)


def boundary_cases(key, thresholds):
    """(value, expected score) for every row: on the row, between it and the next row, and both ends."""
    lower = key in LOWER_IS_BETTER
    half = HALF_STEP.get(key, 0.5)
    rows = [(t, s) for t, s in zip(thresholds, SCORES, strict=True) if t is not None]
    cases = []
    for i, (t, s) in enumerate(rows):
        cases.append((t, s))
        worse = t + half if lower else t - half
        cases.append((round(worse, 2), rows[i + 1][1] if i + 1 < len(rows) else 0))
    best = rows[0][0]
    cases.append((round(best - 0.4 * half if lower else best + 0.4 * half, 2), 100))
    last = rows[-1][0]
    cases.append((round(last + 10 if lower else last - 10, 2), 0))
    return cases


CASES = [
    pytest.param(grade, sex, key, value, expected, id=f"{grade}-{sex}-{key}-{value}")
    for (grade, sex), tables in TABLES.items()
    for key, thresholds in tables.items()
    for value, expected in boundary_cases(key, thresholds)
    if value >= 0 or key == "sit_and_reach_cm"
]


@pytest.mark.parametrize(("grade", "sex", "key", "value", "expected"), CASES)
def test_every_row_boundary(grade, sex, key, value, expected):
    assert item_score(grade, sex, key, value).score == expected


@pytest.mark.parametrize(("grade", "sex"), list(BMI_BANDS))
def test_bmi_bands(grade, sex):
    low, normal, over = BMI_BANDS[(grade, sex)]
    # At 100 cm the BMI equals the weight in kg.
    expected = [(low, 80, "low_weight"), (round(low + 0.1, 1), 100, "normal"), (normal, 100, "normal"),
                (round(normal + 0.1, 1), 80, "overweight"), (over, 80, "overweight"),
                (round(over + 0.1, 1), 60, "obese")]
    for bmi, points, band in expected:
        result = score("student-2014", sex, grade=grade, measurements={"height_cm": 100, "weight_kg": bmi})
        item = result.items[0]
        assert (item.key, item.value, item.score, item.band) == ("bmi", bmi, points, band)


def test_bmi_is_rounded_half_up_to_one_decimal():
    item = score("student-2014", "male", grade="university-1", measurements={"height_cm": 100, "weight_kg": 17.85})
    assert (item.items[0].value, item.items[0].score) == (17.9, 100)
    item = score("student-2014", "male", grade="university-1", measurements={"height_cm": 100, "weight_kg": 17.84})
    assert (item.items[0].value, item.items[0].score) == (17.8, 80)


STAGE_WEIGHTS = {
    "primary-1": {"bmi": 0.15, "vital_capacity_ml": 0.15, "sprint_50m_s": 0.2, "sit_and_reach_cm": 0.3,
                  "rope_skipping_1min": 0.2},
    "primary-3": {"bmi": 0.15, "vital_capacity_ml": 0.15, "sprint_50m_s": 0.2, "sit_and_reach_cm": 0.2,
                  "rope_skipping_1min": 0.2, "situps_1min": 0.1},
    "primary-6": {"bmi": 0.15, "vital_capacity_ml": 0.15, "sprint_50m_s": 0.2, "sit_and_reach_cm": 0.1,
                  "rope_skipping_1min": 0.1, "situps_1min": 0.2, "shuttle_50x8_s": 0.1},
    "junior-1": {"bmi": 0.15, "vital_capacity_ml": 0.15, "sprint_50m_s": 0.2, "sit_and_reach_cm": 0.1,
                 "standing_long_jump_cm": 0.1, "pullups": 0.1, "run_1000m_s": 0.2},
    "university-4": {"bmi": 0.15, "vital_capacity_ml": 0.15, "sprint_50m_s": 0.2, "sit_and_reach_cm": 0.1,
                     "standing_long_jump_cm": 0.1, "pullups": 0.1, "run_1000m_s": 0.2},
}


@pytest.mark.parametrize("grade", list(STAGE_WEIGHTS))
def test_items_and_weights_per_stage(grade):
    result = score("student-2014", "male", grade=grade, measurements={})
    assert {i.key: i.weight for i in result.items} == STAGE_WEIGHTS[grade]


def test_female_items_junior_and_up():
    keys = [i.key for i in score("student-2014", "female", grade="senior-2", measurements={}).items]
    assert keys[-2:] == ["situps_1min", "run_800m_s"]


def test_every_grade_has_a_table():
    std = load_standard("student-2014")
    assert len(std.grades) == 16
    for grade in std.grades:
        for sex in ("male", "female"):
            assert score(std, sex, grade=grade, measurements={}).group == grade


@pytest.mark.parametrize(("grade", "sex", "key", "value", "bonus"), [
    ("primary-5", "male", "rope_skipping_1min", 148, 0),
    ("primary-5", "male", "rope_skipping_1min", 149, 0),
    ("primary-5", "male", "rope_skipping_1min", 150, 1),
    ("primary-5", "male", "rope_skipping_1min", 187, 19),
    ("primary-5", "male", "rope_skipping_1min", 188, 20),
    ("primary-5", "male", "rope_skipping_1min", 260, 20),
    ("university-3", "male", "pullups", 20, 0),
    ("university-3", "male", "pullups", 21, 1),
    ("university-3", "male", "pullups", 29, 9),
    ("university-3", "male", "pullups", 35, 10),
    ("university-3", "female", "situps_1min", 58, 0),
    ("university-3", "female", "situps_1min", 59, 1),
    ("university-3", "female", "situps_1min", 61, 2),
    ("university-3", "female", "situps_1min", 63, 3),
    ("university-3", "female", "situps_1min", 64, 4),
    ("university-3", "female", "situps_1min", 70, 10),
    ("university-3", "male", "run_1000m_s", 192, 0),
    ("university-3", "male", "run_1000m_s", 191, 1),
    ("university-3", "male", "run_1000m_s", 172, 6),
    ("university-3", "male", "run_1000m_s", 166, 8),
    ("university-3", "male", "run_1000m_s", 160, 10),
    ("university-3", "female", "run_800m_s", 192, 0),
    ("university-3", "female", "run_800m_s", 191, 1),
    ("university-3", "female", "run_800m_s", 146, 10),
    ("junior-2", "male", "run_1000m_s", "3'15\"", 10),  # 195 s: 35 s under the 230 s top row
])
def test_bonus_points_above_the_top_row(grade, sex, key, value, bonus):
    item = item_score(grade, sex, key, value)
    assert (item.score, item.bonus) == (100, bonus)


def test_no_bonus_for_primary_endurance_or_situps():
    result = score("student-2014", "male", grade="primary-6", measurements={"situps_1min": 80, "shuttle_50x8_s": 50})
    assert result.bonus_total == 0


def full_marks(grade, sex):
    tables = TABLES[(grade, sex)]
    values = {k: (round(t[0] * 0.7, 1) if k in LOWER_IS_BETTER else t[0] + 60) for k, t in tables.items()}
    values.update(height_cm=170, weight_kg=60)
    return values


@pytest.mark.parametrize(("grade", "sex"), [("primary-5", "male"), ("university-3", "female"), ("junior-2", "male")])
def test_total_reaches_120_with_full_bonus(grade, sex):
    result = score("student-2014", sex, grade=grade, measurements=full_marks(grade, sex))
    assert (result.base_total, result.bonus_total, result.total, result.rating) == (100, 20, 120, "excellent")


def test_total_is_weighted_sum_plus_bonus_and_bonus_counts_for_rating():
    m = {"height_cm": 170, "weight_kg": 60, "vital_capacity_ml": 4400, "sprint_50m_s": 7.0, "sit_and_reach_cm": 18.2,
         "standing_long_jump_cm": 250, "pullups": 16, "run_1000m_s": 220}
    result = score("student-2014", "male", grade="university-3", measurements=m)
    assert (result.base_total, result.rating) == (83.0, "good")  # 15 + 0.85 * 80
    m.update(pullups=27)  # 100 points and 7 bonus points: 15 + 12 + 16 + 8 + 8 + 10 + 16 = 85, + 7
    result = score("student-2014", "male", grade="university-3", measurements=m)
    assert (result.base_total, result.bonus_total, result.total, result.rating) == (85.0, 7, 92.0, "excellent")


@pytest.mark.parametrize(("total", "rating"), [
    (120, "excellent"), (90.0, "excellent"), (89.9, "good"), (80.0, "good"), (79.9, "pass"), (60.0, "pass"),
    (59.9, "fail"), (0, "fail"),
])
def test_rating_edges(total, rating):
    assert rate_total("student-2014", total) == rating


def test_rating_edge_reached_exactly_through_scores():
    # 15 (BMI 100) + 13.5 + 18 + 9 + 9 (all 90) + 8.5 + 17 (85) = 90.0 exactly
    m = {"height_cm": 170, "weight_kg": 60, "vital_capacity_ml": 4900, "sprint_50m_s": 6.8, "sit_and_reach_cm": 21.5,
         "standing_long_jump_cm": 265, "pullups": 17, "run_1000m_s": 212}
    result = score("student-2014", "male", grade="university-3", measurements=m)
    assert (result.total, result.rating, result.passed) == (90.0, "excellent", True)


def test_missing_items_score_zero_and_are_reported():
    result = score("student-2014", "female", grade="junior-2", measurements={"vital_capacity_ml": 2900})
    assert result.total == 15.0 and result.rating == "fail" and not result.complete
    assert {i.key: i.reason for i in result.items if i.score is None} == {
        "bmi": "missing", "sprint_50m_s": "missing", "sit_and_reach_cm": "missing",
        "standing_long_jump_cm": "missing", "situps_1min": "missing", "run_800m_s": "missing"}


def test_measurements_not_used_by_the_grade_are_ignored():
    result = score("student-2014", "male", grade="university-1", measurements={"rope_skipping_1min": 150})
    assert result.ignored == ("rope_skipping_1min",)


@pytest.mark.parametrize(("final", "others", "expected"), [
    (85.0, [80.0, 78.5, 90.1], 83.9),  # 42.5 + 0.5 * 82.87
    (90.0, [90.0], 90.0),
    (70.0, [80.0, 90.0], 77.5),
    (66.6, [], 66.6),
])
def test_graduation_score_rule(final, others, expected):
    assert graduation_total(final, others) == expected
