"""The cross-check of the standards' data files against the committed source extracts
(quanmin/physique/standards/crosscheck.py): every disagreement documented, and a changed cell found.

Expected values are written from the source named beside them, not computed by our code.
"""

import io
import json

import pytest

from quanmin.physique.scoring import score
from quanmin.physique.standards import crosscheck

# --- the cross-check ----------------------------------------------------------------------------------------

def test_every_disagreement_with_a_source_is_documented():
    reports = {r.source: r for r in crosscheck.run("physique-2003")}
    assert set(reports) == {"AutoGame", "fitness-scorer"}
    # Every table of both extracts is compared (distinct printed tables; a decade's height-for-weight once).
    assert reports["AutoGame"].cells >= 3600 and reports["fitness-scorer"].cells >= 2100
    for rep in reports.values():
        assert rep.undocumented == [], [f"{d.group} {d.sex} {d.key} {d.cell}" for d in rep.undocumented[:10]]
    out = io.StringIO()
    crosscheck.print_reports(list(reports.values()), out=out)
    assert "0 undocumented" in out.getvalue()


def test_the_cross_check_finds_a_changed_cell():
    doc = {"groups": [{"id": "child-3", "sexes": {"male": {"items": [
        {"key": "standing_long_jump_cm", "direction": "higher", "scores": [5, 4, 3, 2, 1],
         "thresholds": [59, 43, 30, 22, None]}]}, "female": {"items": []}}}]}
    bands = [[1, 21, 29], [2, 30, 42], [3, 43, 58], [4, 59, 76], [5, 76, "inf"]]
    table = {("child-3", "male", "standing_long_jump_cm"): crosscheck._thresholds_from_bands(bands, True, 1)}
    rep = crosscheck.compare(doc, "AutoGame", table)
    assert rep.cells == 5 and [(d.cell, d.ours, d.theirs) for d in rep.undocumented] == [
        ("score 5", 59, 77), ("score 4", 43, 59), ("score 3", 30, 43), ("score 2", 22, 30), ("score 1", None, 21)]


def test_autogame_height_for_weight_bands_read_as_the_readme_says():
    # 144 cm, men 20-29: heavy 1 [52.3, inf), heavy 3 [48.3, 52.3], normal [37.7, 48.2], light 3 [36.6, 37.6], light 1
    row = [144.0, 144.9, [1, 52.3, "inf"], [3, 48.3, 52.3], [5, 37.7, 48.2], [3, 36.6, 37.6], [1, "-inf", 36.6]]
    assert crosscheck._autogame_hfw_row(row) == [144.0, 36.6, 37.7, 48.2, 52.3]
    # a normal band sharing its upper edge with heavy 3, heavy listed first: the edge is heavy 3
    row = [160.0, 160.9, [1, 74.1, "inf"], [3, 68.8, 74.1], [5, 54.3, 68.8], [3, 47.6, 54.2], [1, "-inf", 47.6]]
    assert crosscheck._autogame_hfw_row(row) == [160.0, 47.6, 54.3, 68.7, 74.1]


# --- the student standard against its extracts -----------------------------------------------------------

def test_student_2014_agrees_with_daocodedao_sport_cell_by_cell():
    rep = next(r for r in crosscheck.run("student-2014") if r.source == "sport")
    assert rep.cells >= 2700 and rep.disagreements == []


def test_a_changed_student_cell_is_found():
    doc = json.loads((crosscheck.HERE / "student-2014.json").read_text(encoding="utf-8"))
    extract = crosscheck.load_extract(crosscheck.SOURCES_DIR / "student-2014.sport.json")
    group = next(g for g in doc["groups"] if g["id"] == "primary-1")
    sprint = next(i for i in group["sexes"]["male"]["items"] if i["key"] == "sprint_50m_s")
    sprint["thresholds"][0] = 10.3  # the source (and the standard) give 10.2 s for 100 points
    bmi = next(i for i in group["sexes"]["male"]["items"] if i["key"] == "bmi")
    bmi["bands"][0]["max"] = 13.5  # low weight: ≤ 13.4
    rep = crosscheck.compare(doc, "sport", crosscheck.normalise_sport(extract["data"]))
    assert [(d.group, d.key, d.cell, d.ours, d.theirs) for d in rep.undocumented] == [
        ("primary-1", "bmi", "band low_weight", 13.5, 13.4), ("primary-1", "sprint_50m_s", "score 100", 10.3, 10.2)]


def test_the_student_standard_agrees_with_every_extract_but_one_documented_cell():
    reports = {r.source: r for r in crosscheck.run("student-2014")}
    assert set(reports) == {"sport", "physical-test-calculator", "SportScoreSystem"}
    assert reports["physical-test-calculator"].cells >= 550 and reports["SportScoreSystem"].cells >= 700
    assert all(r.undocumented == [] for r in reports.values())
    (only,) = reports["SportScoreSystem"].disagreements
    assert (only.group, only.sex, only.key, only.cell, only.ours, only.theirs) == (
        "senior-2", "female", "standing_long_jump_cm", "score 60", 149, 150)


@pytest.mark.parametrize(("cm", "points"), [(148, 50), (149, 60), (151, 60), (152, 62)])
def test_senior_2_girls_standing_long_jump_at_60_points(cm, points):
    # 60 points from 149 cm (the VB tool's table; the column steps 152, 149 as senior-1 151, 148)
    result = score("student-2014", "female", grade="senior-2", measurements={"standing_long_jump_cm": cm})
    assert next(i for i in result.items if i.key == "standing_long_jump_cm").score == points
