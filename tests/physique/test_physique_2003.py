"""Table-driven tests of physique-2003 (国民体质测定标准（2003）).

Expected band bounds are typed from the published tables (scores 1..5: lowest value of each band, or for
reaction time and the children's timed items the slowest time of each band), independently of the data file.
"""

import pytest

from quanmin.physique.scoring import score
from quanmin.physique.tables import load_standard

N = None
BANDS = {
    ("male", 22): {
        "vital_capacity_ml": [2369, 2848, 3465, 3985, 4635], "step_index": [42.1, 46.2, 52.1, 58.1, 67.7],
        "grip_kg": [29.6, 37.0, 43.6, 49.3, 56.4], "pushups": [7, 13, 20, 28, 41],
        "vertical_jump_cm": [19.9, 24.9, 32.4, 38.5, 45.9], "sit_and_reach_cm": [-3.5, 1.8, 9.0, 14.2, 20.2],
        "reaction_time_s": [0.69, 0.60, 0.49, 0.43, 0.38], "one_leg_stand_eyes_closed_s": [3, 6, 18, 42, 99]},
    ("female", 22): {
        "vital_capacity_ml": [1423, 1874, 2355, 2780, 3260], "step_index": [40.9, 46.2, 52.3, 58.1, 67.2],
        "grip_kg": [18.6, 21.2, 25.8, 29.9, 35.1], "situps_1min": [1, 6, 16, 26, 37],
        "vertical_jump_cm": [12.7, 15.9, 20.6, 24.8, 30.1], "sit_and_reach_cm": [-2.1, 2.9, 9.5, 14.4, 20.3],
        "reaction_time_s": [0.79, 0.65, 0.52, 0.45, 0.39], "one_leg_stand_eyes_closed_s": [3, 6, 16, 37, 91]},
    ("male", 42): {
        "vital_capacity_ml": [2007, 2450, 3085, 3600, 4224], "step_index": [37.8, 46.6, 53.6, 60.0, 70.3],
        "grip_kg": [30.0, 36.5, 43.5, 49.6, 56.8], "sit_and_reach_cm": [-9.4, -3.7, 4.0, 10.0, 16.3],
        "reaction_time_s": [0.81, 0.70, 0.59, 0.48, 0.42], "one_leg_stand_eyes_closed_s": [3, 4, 10, 22, 55]},
    ("female", 42): {
        "vital_capacity_ml": [1228, 1630, 2150, 2574, 3075], "step_index": [31.5, 46.9, 54.9, 61.6, 71.4],
        "grip_kg": [19.1, 22.1, 27.0, 31.1, 36.6], "sit_and_reach_cm": [-5.9, 0.2, 6.6, 12.0, 18.0],
        "reaction_time_s": [0.90, 0.75, 0.61, 0.51, 0.43], "one_leg_stand_eyes_closed_s": [3, 4, 8, 19, 46]},
    ("male", 61): {
        "vital_capacity_ml": [1400, 1828, 2426, 2940, 3500], "grip_kg": [21.5, 27.0, 34.5, 40.5, 47.6],
        "sit_and_reach_cm": [N, -7.7, 1.0, 6.8, 13.2], "reaction_time_s": [1.40, 1.00, 0.76, 0.62, 0.50],
        "one_leg_stand_eyes_closed_s": [1, 4, 7, 15, 49]},
    ("female", 67): {
        "vital_capacity_ml": [895, 1105, 1560, 1965, 2455], "grip_kg": [13.8, 16.3, 20.4, 24.4, 29.8],
        "sit_and_reach_cm": [N, -3.0, 4.1, 10.1, 16.5], "reaction_time_s": [1.63, 1.21, 0.88, 0.68, 0.56],
        "one_leg_stand_eyes_closed_s": [1, 3, 5, 11, 36]},
    ("male", 5.2): {
        "height_cm": [N, 103.1, 107.9, 112.0, 117.0], "shuttle_10m_s": [10.3, 8.9, 7.6, 6.9, 6.3],
        "standing_long_jump_cm": [50, 65, 80, 96, 111], "tennis_ball_throw_m": [3.0, 4.0, 5.5, 7.5, 9.1],
        "double_leg_jump_s": [12.5, 9.8, 7.2, 5.9, 5.0], "sit_and_reach_cm": [1.1, 3.5, 7.6, 11.0, 14.5],
        "balance_beam_s": [22.2, 14.0, 7.8, 5.2, 3.6]},
    ("female", 4.7): {
        "height_cm": [N, 99.0, 103.7, 107.4, 112.0], "shuttle_10m_s": [12.4, 10.2, 8.5, 7.6, 6.9],
        "standing_long_jump_cm": [40, 50, 68, 81, 97], "tennis_ball_throw_m": [2.0, 2.5, 3.5, 4.5, 5.6],
        "double_leg_jump_s": [14.9, 11.9, 8.5, 6.7, 5.4], "sit_and_reach_cm": [3.0, 6.0, 10.0, 13.0, 16.1],
        "balance_beam_s": [26.5, 18.6, 10.1, 6.9, 4.6]},
}
LOWER = {"reaction_time_s", "shuttle_10m_s", "double_leg_jump_s", "balance_beam_s"}
INTEGER = {"vital_capacity_ml", "pushups", "situps_1min", "one_leg_stand_eyes_closed_s", "standing_long_jump_cm"}


def half_step(key):
    return 0.5 if key in INTEGER else 0.005 if key == "reaction_time_s" else 0.05


def cases():
    for (sex, age), items in BANDS.items():
        for key, bounds in items.items():
            for k, bound in enumerate(bounds, start=1):
                if bound is None:
                    continue
                worse = round(bound + half_step(key) if key in LOWER else bound - half_step(key), 3)
                yield pytest.param(sex, age, key, bound, k, id=f"{sex}-{age}-{key}-{bound}")
                if worse >= 0 or key == "sit_and_reach_cm":
                    yield pytest.param(sex, age, key, worse, k - 1 or None, id=f"{sex}-{age}-{key}-{worse}")
            best = bounds[-1]
            yield pytest.param(sex, age, key, round(best * 0.8 if key in LOWER else best + 50, 3), 5,
                               id=f"{sex}-{age}-{key}-beyond-best")


@pytest.mark.parametrize(("sex", "age", "key", "value", "expected"), list(cases()))
def test_every_band_boundary(sex, age, key, value, expected):
    result = score("physique-2003", sex, age=age, measurements={key: value})
    item = next(i for i in result.items if i.key == key)
    assert item.score == expected
    assert item.reason == (None if expected else "below_table")


# height 175.x for men 20-29: very low < 55.2 <= low < 60.1 <= normal <= 76.9 < high <= 82.0 < very high
@pytest.mark.parametrize(("height", "weight", "points", "band"), [
    (175.0, 55.1, 1, "very_low"), (175.0, 55.2, 3, "low"), (175.5, 60.0, 3, "low"), (175.9, 60.1, 5, "normal"),
    (175.0, 76.9, 5, "normal"), (175.0, 77.0, 3, "high"), (175.0, 82.0, 3, "high"), (175.0, 82.1, 1, "very_high"),
])
def test_height_for_weight(height, weight, points, band):
    result = score("physique-2003", "male", age=27, measurements={"height_cm": height, "weight_kg": weight})
    item = result.items[0]
    assert (item.key, item.score, item.band) == ("height_for_weight", points, band)


def test_height_for_weight_outside_the_table():
    item = score("physique-2003", "male", age=27, measurements={"height_cm": 143.9, "weight_kg": 50}).items[0]
    assert (item.score, item.reason) == (None, "out_of_table")
    item = score("physique-2003", "female", age=65, measurements={"height_cm": 160, "weight_kg": 60}).items[0]
    assert item.score == 5


# Men 60-69 身高标准体重, typed from the published table: [height, a, b, c, d] for heights h.0-h.9 cm;
# weight < a: 1 (very low), < b: 3 (low), <= c: 5 (normal), <= d: 3 (high), above: 1 (very high).
MEN_60_69 = [
    [140, 33.9, 35.7, 53.2, 56.9], [141, 34.5, 36.4, 53.9, 57.4], [142, 35.1, 37.2, 54.5, 58.0],
    [143, 35.7, 38.0, 55.1, 58.6], [144, 36.3, 38.8, 55.8, 59.3], [145, 36.9, 39.6, 56.4, 60.0],
    [146, 37.5, 40.4, 57.0, 60.6], [147, 38.1, 41.2, 57.6, 61.2], [148, 38.8, 42.0, 58.2, 61.9],
    [149, 39.5, 42.8, 58.8, 62.5], [150, 40.1, 43.6, 59.4, 63.4], [151, 40.7, 44.3, 60.1, 64.0],
    [152, 41.3, 45.0, 60.6, 64.8], [153, 41.9, 45.7, 61.2, 65.7], [154, 42.5, 46.5, 61.8, 66.7],
    [155, 43.1, 47.3, 62.5, 67.6], [156, 43.7, 48.2, 63.3, 68.6], [157, 44.3, 49.1, 64.1, 69.6],
    [158, 44.9, 50.0, 64.9, 70.4], [159, 45.5, 50.8, 65.7, 71.3], [160, 46.2, 51.7, 66.6, 72.0],
    [161, 46.9, 52.8, 67.4, 72.9], [162, 47.6, 53.8, 68.3, 73.7], [163, 48.4, 54.9, 69.2, 74.6],
    [164, 49.5, 55.8, 70.0, 75.6], [165, 50.4, 56.8, 71.0, 76.6], [166, 51.2, 57.7, 72.2, 77.6],
    [167, 52.0, 58.5, 73.3, 78.6], [168, 52.8, 59.3, 73.9, 79.7], [169, 53.6, 60.2, 75.5, 80.7],
    [170, 54.4, 61.0, 76.5, 81.8], [171, 55.1, 61.8, 77.5, 82.8], [172, 55.7, 62.5, 78.5, 83.8],
    [173, 56.4, 63.2, 79.5, 84.7], [174, 57.1, 63.9, 80.4, 85.7], [175, 57.9, 64.7, 81.5, 86.7],
    [176, 58.7, 65.5, 82.4, 87.6], [177, 59.4, 66.3, 83.3, 88.6], [178, 60.1, 67.2, 84.3, 89.5],
    [179, 60.7, 68.1, 85.2, 90.5], [180, 61.4, 68.8, 86.1, 91.3], [181, 62.1, 69.6, 87.0, 92.1],
    [182, 62.8, 70.4, 88.0, 92.9], [183, 63.5, 71.3, 88.9, 93.6], [184, 64.1, 72.2, 89.9, 94.4],
    [185, 64.7, 73.0, 90.8, 95.3], [186, 65.3, 73.7, 91.8, 96.1], [187, 66.0, 74.5, 92.7, 96.8],
]


def hfw_row_cases(rows):
    """Each row's eight band edges at both ends of its 1-cm height band: [height, a, b, c, d] rows."""
    for height, a, b, c, d in rows:
        for h in (height, height + 0.9):
            for w, points, band in [
                (a - 0.1, 1, "very_low"), (a, 3, "low"), (b - 0.1, 3, "low"), (b, 5, "normal"),
                (c, 5, "normal"), (c + 0.1, 3, "high"), (d, 3, "high"), (d + 0.1, 1, "very_high"),
            ]:
                yield pytest.param(h, round(w, 1), points, band, id=f"{h}cm-{round(w, 1)}kg")


@pytest.mark.parametrize("age", [60, 69.9])
@pytest.mark.parametrize(("height", "weight", "points", "band"), list(hfw_row_cases(MEN_60_69)))
def test_height_for_weight_men_60_69_every_row_boundary(age, height, weight, points, band):
    item = score("physique-2003", "male", age=age, measurements={"height_cm": height, "weight_kg": weight}).items[0]
    assert (item.key, item.score, item.band, item.reason) == ("height_for_weight", points, band, None)


@pytest.mark.parametrize("height", [139.9, 188.0])
def test_height_for_weight_men_60_69_outside_the_table(height):
    item = score("physique-2003", "male", age=62, measurements={"height_cm": height, "weight_kg": 60}).items[0]
    assert (item.score, item.reason) == (None, "out_of_table")


def test_every_height_for_weight_table_and_rating_table_is_present():
    for group in load_standard("physique-2003").groups:
        assert group.ratings is not None and group.ratings_unavailable is None, group.id
        for sex in ("male", "female"):
            hfw = group.plans[sex][0]
            assert hfw.kind == "height_for_weight" and hfw.unavailable is None and len(hfw.rows), (group.id, sex)


@pytest.mark.parametrize(("age", "group"), [
    (3, "child-3"), (3.49, "child-3"), (3.5, "child-3.5"), (5.99, "child-5.5"), (6.0, "child-6"),
    (6.99, "child-6"), (20, "adult-20-24"), (24.99, "adult-20-24"), (25, "adult-25-29"), (39.9, "adult-35-39"),
    (40, "adult-40-44"), (59.99, "adult-55-59"), (60, "elderly-60-64"), (69.99, "elderly-65-69"),
])
def test_age_bands(age, group):
    assert score("physique-2003", "female", age=age, measurements={}).group == group


@pytest.mark.parametrize(("sex", "age", "items"), [
    ("male", 30, ["height_for_weight", "vital_capacity_ml", "step_index", "grip_kg", "pushups", "vertical_jump_cm",
                  "sit_and_reach_cm", "reaction_time_s", "one_leg_stand_eyes_closed_s"]),
    ("female", 30, ["height_for_weight", "vital_capacity_ml", "step_index", "grip_kg", "situps_1min",
                    "vertical_jump_cm", "sit_and_reach_cm", "reaction_time_s", "one_leg_stand_eyes_closed_s"]),
    ("male", 50, ["height_for_weight", "vital_capacity_ml", "step_index", "grip_kg", "sit_and_reach_cm",
                  "reaction_time_s", "one_leg_stand_eyes_closed_s"]),
    ("female", 66, ["height_for_weight", "vital_capacity_ml", "grip_kg", "sit_and_reach_cm", "reaction_time_s",
                    "one_leg_stand_eyes_closed_s"]),
    ("male", 4, ["height_for_weight", "height_cm", "shuttle_10m_s", "standing_long_jump_cm", "tennis_ball_throw_m",
                 "double_leg_jump_s", "sit_and_reach_cm", "balance_beam_s"]),
])
def test_item_sets_by_age_band(sex, age, items):
    assert [i.key for i in score("physique-2003", sex, age=age, measurements={}).items] == items


def value_for(item, points):
    if points in item.scores:
        return item.thresholds[item.scores.index(points)]
    worst = item.thresholds[-1]  # an open-ended 1-point band: anything worse than the 2-point row
    return worst + 1 if item.kind == "table" and not item.higher else worst - 1


def measurements_for(sex, age, total):
    """Measurements whose item scores add up to ``total``, height-for-weight in the normal band (5)."""
    group = load_standard("physique-2003").group_for(age=age)
    tables = [item for item in group.plans[sex] if item.kind == "table"]
    rest = total - 5
    wanted = [rest // len(tables) + (1 if i < rest % len(tables) else 0) for i in range(len(tables))]
    values = {"height_cm": 170.0}
    values.update({item.key: value_for(item, points) for item, points in zip(tables, wanted, strict=True)})
    hfw = group.plans[sex][0]
    if hfw.unavailable is None:
        _, _, normal_min, normal_max, _ = hfw.rows[int(values["height_cm"]) - hfw.first_height]
        values["weight_kg"] = round((normal_min + normal_max) / 2, 1)
    else:
        values["weight_kg"] = 65.0
    return values


@pytest.mark.parametrize(("age", "total", "rating"), [
    (25, 45, "excellent"), (25, 34, "excellent"), (25, 33, "good"), (31, 30, "good"), (36, 29, "pass"),
    (36, 23, "pass"), (22, 22, "fail"), (22, 13, "fail"),
    (41, 35, "excellent"), (41, 27, "excellent"), (47, 26, "good"), (53, 24, "good"), (58, 23, "pass"),
    (58, 18, "pass"), (44, 17, "fail"), (44, 12, "fail"),
])
@pytest.mark.parametrize("sex", ["male", "female"])
def test_adult_rating_edges(sex, age, total, rating):
    result = score("physique-2003", sex, age=age, measurements=measurements_for(sex, age, total))
    assert (result.total, result.rating, result.complete) == (total, rating, True)
    assert result.passed == (rating != "fail")


def test_rating_labels_follow_the_standard():
    result = score("physique-2003", "male", age=25, measurements=measurements_for("male", 25, 40))
    assert result.rating_label == "一级（优秀）"
    result = score("physique-2003", "male", age=45, measurements=measurements_for("male", 45, 17))
    assert result.rating_label == "四级（不合格）"


def test_any_item_without_a_score_withholds_the_rating():
    values = measurements_for("female", 33, 40)
    del values["step_index"]
    result = score("physique-2003", "female", age=33, measurements=values)
    assert (result.rating, result.passed, result.complete) == (None, None, False)
    assert result.reasons == ("rating_withheld_item_without_score",)
    values = measurements_for("female", 33, 40) | {"vital_capacity_ml": 1000}  # below the 1-point band
    result = score("physique-2003", "female", age=33, measurements=values)
    assert result.rating is None and result.items[1].reason == "below_table"


# Children 3-6: 一级 > 31, 二级 28-31, 三级 20-27, 四级 < 20; elderly 60-69: > 23, 21-23, 15-20, < 15.
@pytest.mark.parametrize(("age", "total", "rating"), [
    (3, 40, "excellent"), (3.5, 32, "excellent"), (4, 31, "good"), (4.5, 28, "good"), (5, 27, "pass"),
    (5.5, 20, "pass"), (6, 19, "fail"), (6.9, 12, "fail"),
    (60, 30, "excellent"), (64.9, 24, "excellent"), (65, 23, "good"), (67, 21, "good"), (62, 20, "pass"),
    (69.9, 15, "pass"), (61, 14, "fail"), (68, 10, "fail"),
])
@pytest.mark.parametrize("sex", ["male", "female"])
def test_children_and_elderly_rating_edges(sex, age, total, rating):
    result = score("physique-2003", sex, age=age, measurements=measurements_for(sex, age, total))
    assert (result.total, result.rating, result.complete, result.reasons) == (total, rating, True, ())
    assert result.passed == (rating != "fail")


@pytest.mark.parametrize(("sex", "age", "total", "label"), [
    ("female", 4.2, 32, "一级（优秀）"), ("male", 6.5, 30, "二级（良好）"), ("male", 62, 20, "三级（合格）"),
    ("female", 68, 14, "四级（不合格）"),
])
def test_children_and_elderly_rating_labels(sex, age, total, label):
    result = score("physique-2003", sex, age=age, measurements=measurements_for(sex, age, total))
    assert (result.total, result.rating_label) == (total, label)


def test_pass_marks_match_the_rating_tables():
    """The qualified-physique pass marks (an independent source) equal each group's 三级（合格） lower edge."""
    expected = {"child": 20, "adult-2": 23, "adult-3": 23, "adult-4": 18, "adult-5": 18, "elderly": 15}
    for group in load_standard("physique-2003").groups:
        want = next(v for k, v in expected.items() if group.id.startswith(k))
        pass_band = next(r for r in group.ratings if r.code == "pass")
        assert pass_band.min_x100 == group.pass_min_x100 == want * 100, group.id
