"""Bad input gets a ScoringError (a ValueError) naming the field and a stable code; helpers for device exports."""

import math

import pytest

from quanmin.physique import figures, forms, prescriptions, services, tables
from quanmin.physique.device_headers import canonical_key, map_headers, parse_grade, parse_sex
from quanmin.physique.errors import ScoringError
from quanmin.physique.scoring import graduation_total, parse_value, score
from quanmin.physique.tables import MEASUREMENT_KEYS, available_standards, load_standard

OK = {"standard": "student-2014", "sex": "male", "grade": "junior-1", "measurements": {"pullups": 5}}


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"standard": "student-1999"}, "standard", "unknown_standard"),
    ({"standard": "../settings"}, "standard", "unknown_standard"),
    ({"sex": "M"}, "sex", "invalid_sex"),
    ({"sex": None}, "sex", "invalid_sex"),
    ({"grade": "junior-4"}, "grade", "invalid_grade"),
    ({"grade": None}, "grade", "required"),
    ({"measurements": {"situps": 30}}, "measurements.situps", "unknown_measurement"),
    ({"measurements": {"pullups": "many"}}, "measurements.pullups", "not_a_number"),
    ({"measurements": {"pullups": True}}, "measurements.pullups", "not_a_number"),
    ({"measurements": {"pullups": [3]}}, "measurements.pullups", "not_a_number"),
    ({"measurements": {"pullups": math.nan}}, "measurements.pullups", "not_a_number"),
    ({"measurements": {"run_1000m_s": math.inf}}, "measurements.run_1000m_s", "not_a_number"),
    ({"measurements": {"pullups": -1}}, "measurements.pullups", "negative_value"),
    ({"measurements": {"vital_capacity_ml": "-300"}}, "measurements.vital_capacity_ml", "negative_value"),
    ({"measurements": {"height_cm": 0, "weight_kg": 50}}, "measurements.height_cm", "must_be_positive"),
    ({"measurements": ["pullups", 5]}, "measurements", "invalid"),
])
def test_student_bad_input(change, field, code):
    with pytest.raises(ScoringError) as err:
        score(**(OK | change))
    assert (err.value.field, err.value.code) == (field, code)
    assert isinstance(err.value, ValueError)
    assert err.value.as_dict()["code"] == code


@pytest.mark.parametrize(("age", "code"), [
    (None, "required"), (19.99, "age_out_of_range"), (70, "age_out_of_range"), (2.9, "age_out_of_range"),
    (7, "age_out_of_range"), (-5, "age_out_of_range"), ("forty", "not_a_number"), (True, "not_a_number"),
    (math.nan, "not_a_number"),
])
def test_physique_age_errors(age, code):
    with pytest.raises(ScoringError) as err:
        score("physique-2003", "female", age=age, measurements={})
    assert (err.value.field, err.value.code) == ("age", code)


def test_valid_edge_values_are_accepted():
    result = score("student-2014", "female", grade="senior-1", measurements={"sit_and_reach_cm": -5, "situps_1min": 0})
    assert [i.score for i in result.items if i.key in ("sit_and_reach_cm", "situps_1min")] == [0, 0]
    assert score("student-2014", "male", grade="senior-1", measurements={"pullups": None}).items[5].reason == "missing"
    assert score("student-2014", "male", grade="senior-1", measurements={"pullups": " "}).items[5].reason == "missing"


@pytest.mark.parametrize(("key", "raw", "value"), [
    ("run_1000m_s", "3'55\"", 235.0), ("run_1000m_s", "3′55″", 235.0), ("run_800m_s", "4:05", 245.0),
    ("run_800m_s", "3分40秒", 220.0), ("run_800m_s", "215", 215.0), ("sprint_50m_s", "8.7", 8.7),
    ("vital_capacity_ml", " 3200 ", 3200.0), ("pullups", 7, 7.0), ("sit_and_reach_cm", "-2.5", -2.5),
])
def test_parse_value(key, raw, value):
    assert parse_value(key, raw) == value


def test_grade_is_required_for_students_and_age_is_ignored():
    with pytest.raises(ScoringError) as err:
        score("student-2014", "male", age=12, measurements={})
    assert err.value.code == "required"


def test_standards_are_data_files_and_a_new_version_needs_no_code(tmp_path, monkeypatch):
    assert {"student-2014", "physique-2003"} <= set(available_standards())
    import json

    doc = json.loads((tables.STANDARDS_DIR / "physique-2003.json").read_text(encoding="utf-8"))
    doc["name"], doc["title"] = "physique-2023", "国民体质测定标准（2023年修订）"
    doc["item_scale"] = {"pass": 60, "top": 100}  # the 2023 revision scores items out of 100
    elderly = next(g for g in doc["groups"] if g["id"].startswith("elderly-60"))
    doc["groups"] = [g for g in doc["groups"] if g["id"] == "adult-20-24"] + [
        {**elderly, "id": "elderly-70-74", "age_min": 70, "age_max": 75}]
    (tmp_path / "physique-2023.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(tables, "STANDARDS_DIR", tmp_path)
    tables._load.cache_clear()
    try:
        result = score("physique-2023", "male", age=21, measurements={"grip_kg": 50})
        assert (result.standard, result.group, result.items[3].score) == ("physique-2023", "adult-20-24", 4)
        assert score("physique-2023", "female", age=72, measurements={}).group == "elderly-70-74"
        # The pages offer it by its title, a prescription reads its item scale, the figures count it as physique.
        assert ("physique-2023", "国民体质测定标准（2023年修订）") in forms.standard_choices()
        assert prescriptions.item_is_weak("physique-2023", {"key": "grip_kg", "score": 55})
        assert not prescriptions.item_is_weak("physique-2023", {"key": "grip_kg", "score": 60})
        counts = figures.Counts()
        counts.add({"n": 2, "standard": "physique-2023", "passed": True, "rating": "good"})
        assert (counts.physique_known, counts.physique_pass) == (2, 2)
        assert services.age_group(load_standard("physique-2023"), "", 72) in figures.AGE_GROUP_LABELS
    finally:
        tables._load.cache_clear()


@pytest.mark.parametrize("name", ["student-2014", "physique-2003"])
def test_every_standard_names_its_source(name):
    source = load_standard(name).source
    assert source["title"] and source["issued_by"] and source["year"]


def test_graduation_needs_a_standard_with_the_rule():
    with pytest.raises(ScoringError) as err:
        graduation_total(80, [70], standard="physique-2003")
    assert err.value.code == "no_graduation_rule"


@pytest.mark.parametrize(("header", "key"), [
    ("身高", "height_cm"), ("体重（kg）", "weight_kg"), ("肺活量(ml)", "vital_capacity_ml"),
    ("50米跑（单位：秒）", "sprint_50m_s"), ("坐位体前屈", "sit_and_reach_cm"), ("一分钟跳绳", "rope_skipping_1min"),
    ("1分钟跳绳", "rope_skipping_1min"), ("一分钟仰卧起坐", "situps_1min"), ("50米×8往返跑", "shuttle_50x8_s"),
    ("50米*8往返跑", "shuttle_50x8_s"), ("立定跳远", "standing_long_jump_cm"), ("引体向上", "pullups"),
    ("1000米跑", "run_1000m_s"), ("800米跑", "run_800m_s"), ("握力", "grip_kg"), ("俯卧撑", "pushups"),
    ("纵跳", "vertical_jump_cm"), ("台阶试验", "step_index"), ("选择反应时", "reaction_time_s"),
    ("闭眼单脚站立", "one_leg_stand_eyes_closed_s"), ("性别", "sex"), ("年级", "grade"), ("年龄", "age"),
    ("Sprint_50m_S", "sprint_50m_s"), ("姓名", None), ("学号", None),
])
def test_canonical_key(header, key):
    assert canonical_key(header) == key


def test_every_canonical_key_maps_to_itself():
    assert map_headers(MEASUREMENT_KEYS) == {k: k for k in MEASUREMENT_KEYS}


@pytest.mark.parametrize(("raw", "sex"), [("男", "male"), ("女", "female"), ("1", "male"), ("2", "female"),
                                          (" Female ", "female"), ("M", "male")])
def test_parse_sex(raw, sex):
    assert parse_sex(raw) == sex


@pytest.mark.parametrize(("raw", "grade"), [
    ("一年级", "primary-1"), ("六年级", "primary-6"), ("七年级", "junior-1"), ("九年级", "junior-3"),
    ("初一", "junior-1"), ("初中三年级", "junior-3"), ("高一", "senior-1"), ("高中二年级", "senior-2"),
    ("大一", "university-1"), ("大学四年级", "university-4"), ("11", "primary-1"), ("23", "junior-3"),
    (31, "senior-1"), ("44", "university-4"), ("university-2", "university-2"),
])
def test_parse_grade(raw, grade):
    assert parse_grade(raw) == grade


@pytest.mark.parametrize("raw", ["十年级", "初四", "大五", "17", "45", "primary-7", "", "grade 1"])
def test_parse_grade_rejects(raw):
    with pytest.raises(ScoringError) as err:
        parse_grade(raw)
    assert (err.value.field, err.value.code) == ("grade", "invalid_grade")


def test_parse_sex_rejects():
    with pytest.raises(ScoringError) as err:
        parse_sex("unknown")
    assert (err.value.field, err.value.code) == ("sex", "invalid_sex")
