"""The physique-2003 corrections of 2026-12-06 and rescoring the results stored before them.

Every expected value here is written from the source named beside it (AutoGame 870d15d0
`other_score_table.py`; fitness-scorer 3a1dc5f `src/data/scoringTables.ts`), not computed by our code.
"""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from quanmin.accounts.models import AuditEntry
from quanmin.physique import services
from quanmin.physique.models import TestResult
from quanmin.physique.scoring import score
from tests.matrix import physique as pm
from tests.physique.test_physique_2003 import hfw_row_cases


def item_of(sex, age, measurements, key):
    return next(i for i in score("physique-2003", sex, age=age, measurements=measurements).items if i.key == key)


# --- 3-year-old boys, standing long jump (AutoGame 870d15d0: 1: 21-29, 2: 30-42, 3: 43-58, 4: 59-76, 5: 76-) --

@pytest.mark.parametrize(("cm", "points"), [
    (20, None), (21, 1), (29, 1), (30, 2), (42, 2), (43, 3), (58, 3), (59, 4), (60, 4), (76, 4), (77, 5), (120, 5),
])
@pytest.mark.parametrize("age", [3.0, 3.49])
def test_three_year_old_boys_standing_long_jump(age, cm, points):
    item = item_of("male", age, {"standing_long_jump_cm": cm}, "standing_long_jump_cm")
    assert item.score == points
    assert item.reason == (None if points else "below_table")


# --- men 50-59 height-for-weight (fitness-scorer 3a1dc5f HW_M_50_59: [height, w1Light, w3Light, w5Max, w3Heavy]) ---
MEN_50_59 = [
    [142, 37.5, 39.0, 52.9, 55.2], [143, 38.2, 39.8, 53.6, 55.9], [144, 38.9, 40.3, 54.3, 56.8],
    [145, 39.6, 41.0, 55.0, 57.7], [146, 40.1, 41.6, 55.7, 58.5], [147, 41.1, 42.2, 56.5, 59.3],
    [148, 41.6, 42.8, 57.3, 60.1], [149, 42.1, 43.4, 58.2, 60.9], [150, 42.8, 44.1, 59.0, 61.8],
    [151, 43.6, 44.7, 59.9, 62.6], [152, 44.3, 45.4, 60.7, 63.5], [153, 45.0, 46.2, 61.7, 64.5],
    [154, 45.7, 46.9, 62.8, 65.6], [155, 46.3, 47.7, 63.8, 66.6], [156, 46.9, 48.4, 64.9, 67.6],
    [157, 47.4, 49.0, 65.8, 68.6], [158, 48.0, 49.8, 66.8, 69.7], [159, 48.5, 50.6, 67.3, 70.7],
    [160, 49.0, 51.4, 68.4, 71.8], [161, 49.6, 52.3, 69.7, 72.8], [162, 50.2, 53.2, 70.9, 73.7],
    [163, 50.7, 54.0, 72.0, 74.7], [164, 51.3, 54.7, 73.0, 75.6], [165, 51.9, 55.2, 73.9, 76.5],
    [166, 52.4, 56.0, 74.8, 77.4], [167, 52.9, 56.6, 75.6, 78.3], [168, 53.5, 57.3, 76.5, 79.3],
    [169, 54.2, 57.9, 77.3, 80.4], [170, 55.0, 58.7, 78.2, 81.3], [171, 55.8, 59.6, 79.1, 82.4],
    [172, 56.4, 60.5, 80.0, 83.5], [173, 57.0, 61.3, 81.0, 84.5], [174, 57.7, 62.2, 82.0, 85.5],
    [175, 58.3, 63.0, 82.9, 86.5], [176, 58.9, 63.8, 84.0, 87.4], [177, 59.5, 64.4, 85.1, 88.5],
    [178, 60.1, 65.1, 86.2, 89.5], [179, 60.7, 65.8, 87.2, 90.5], [180, 61.3, 66.4, 88.2, 91.5],
    [181, 61.9, 67.1, 89.1, 92.6], [182, 62.5, 68.0, 90.1, 93.6], [183, 63.3, 68.8, 91.0, 94.6],
    [184, 63.8, 69.5, 91.9, 95.7], [185, 64.4, 70.2, 92.9, 96.7], [186, 65.1, 71.0, 93.9, 97.8],
    [187, 65.7, 71.8, 94.8, 97.9], [188, 66.3, 72.6, 95.8, 99.0], [189, 67.0, 73.4, 96.9, 100.2],
    [190, 67.6, 74.2, 97.9, 101.4], [191, 68.3, 75.0, 99.0, 102.6], [192, 68.9, 75.9, 100.2, 103.8],
    [193, 69.5, 76.7, 101.2, 105.0],
]


@pytest.mark.parametrize("age", [50, 59.9])
@pytest.mark.parametrize(("height", "weight", "points", "band"), list(hfw_row_cases(MEN_50_59)))
def test_men_50_59_height_for_weight_every_row_boundary(age, height, weight, points, band):
    item = item_of("male", age, {"height_cm": height, "weight_kg": weight}, "height_for_weight")
    assert (item.score, item.band, item.reason) == (points, band, None)


def test_men_50_59_no_longer_use_the_men_40_49_table():
    # 160 cm, 68.0 kg: normal up to 68.4 for men 50-59 (fitness-scorer), up to 67.4 for men 40-49.
    assert item_of("male", 52, {"height_cm": 160, "weight_kg": 68.0}, "height_for_weight").score == 5
    assert item_of("male", 45, {"height_cm": 160, "weight_kg": 68.0}, "height_for_weight").score == 3


# --- single cells -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("age", "weight", "points"), [
    # women 30-39 at 150 cm: high (3 points) up to 64.5 (fitness-scorer 3a1dc5f and AutoGame 870d15d0)
    (30, 64.2, 3), (39, 64.5, 3), (35, 64.6, 1),
])
def test_women_30_39_at_150_cm(age, weight, points):
    assert item_of("female", age, {"height_cm": 150.4, "weight_kg": weight}, "height_for_weight").score == points


@pytest.mark.parametrize(("age", "weight", "points"), [
    # men 40-49 at 152 cm: normal (5 points) up to 59.8 (fitness-scorer 3a1dc5f), high from 59.9
    (40, 59.8, 5), (49, 59.8, 5), (44, 59.9, 3),
])
def test_men_40_49_at_152_cm(age, weight, points):
    assert item_of("male", age, {"height_cm": 152.0, "weight_kg": weight}, "height_for_weight").score == points


@pytest.mark.parametrize(("cm", "points"), [
    # women 50-54 sit and reach: 1 point -6.5 … -0.6, 2 points from -0.5 (fitness-scorer 3a1dc5f)
    (-0.6, 1), (-0.5, 2), (0.4, 2), (5.9, 2), (6.0, 3),
])
def test_women_50_54_sit_and_reach(cm, points):
    assert item_of("female", 52, {"sit_and_reach_cm": cm}, "sit_and_reach_cm").score == points


# --- rescoring stored results ---------------------------------------------------------------------------------

def stored(world, *, sex, age, group, measurements, key, old_score, band=None):
    """A result as it was stored under the old tables (its stored score differs from today's)."""
    person = services.participant_for_user(world.users["resident"], world.community)
    session = pm.session(world)
    item = {"key": key, "label": key, "value": measurements.get("weight_kg", measurements.get(key)),
            "score": old_score, "weight": 1, "bonus": 0, "reason": None, "band": band}
    return TestResult.objects.create(
        participant=person, session=session, region=session.station.region, standard="physique-2003", sex=sex,
        age=age, age_group=group, measurements=measurements, scores=[item], total=old_score, rating="",
        passed=None, complete=False, tested_at=timezone.now() - datetime.timedelta(days=30))


def test_rescore_updates_results_stored_under_the_old_tables(world):
    boy = stored(world, sex="male", age=3.2, group="child-3", measurements={"standing_long_jump_cm": 60},
                 key="standing_long_jump_cm", old_score=5)
    man = stored(world, sex="male", age=52, group="adult-50-54", measurements={"height_cm": 160, "weight_kg": 68.0},
                 key="height_for_weight", old_score=3, band="high")

    out = io.StringIO()
    call_command("physique_rescore", "--standard", "physique-2003", "--dry-run", stdout=out)
    assert "2 results examined, 2 would change" in out.getvalue()
    boy.refresh_from_db()
    assert boy.scores[0]["score"] == 5  # a dry run writes nothing

    out = io.StringIO()
    call_command("physique_rescore", "--standard", "physique-2003", stdout=out)
    assert "2 results examined, 2 changed" in out.getvalue()
    boy.refresh_from_db()
    man.refresh_from_db()
    jump = next(i for i in boy.scores if i["key"] == "standing_long_jump_cm")
    hfw = next(i for i in man.scores if i["key"] == "height_for_weight")
    assert (jump["score"], float(boy.total)) == (4, 4.0)       # 59-76 cm: 4 points (AutoGame 870d15d0)
    assert (hfw["score"], hfw["band"], float(man.total)) == (5, "normal", 5.0)   # ≤ 68.4 kg (fitness-scorer)
    assert boy.rating == "" and boy.complete is False          # other items were not measured
    assert AuditEntry.objects.filter(action="physique_rescore", detail__changed=2).exists()

    out = io.StringIO()
    call_command("physique_rescore", "--standard", "physique-2003", stdout=out)
    assert "2 results examined, 0 changed" in out.getvalue()


def test_rescore_of_an_unknown_standard_is_a_clear_error(db):
    with pytest.raises(CommandError) as err:
        call_command("physique_rescore", "--standard", "physique-1999")
    assert "Unknown standard" in str(err.value)
