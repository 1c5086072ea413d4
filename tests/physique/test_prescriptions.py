"""Prescriptions: screening first, weak components from a result, FITT from ACSM numbers, places that fit."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quanmin.physique import prescriptions, services, tables
from quanmin.physique.models import TestResult
from tests.matrix import physique as pm


def made(standard, sex, items, age=None, grade=""):
    """A hand-made result: only what the prescription reads."""
    return TestResult(standard=standard, sex=sex, age=age, grade=grade, scores=items)


def item(key, score, band=None):
    return {"key": key, "label": key, "value": 1.0, "score": score, "band": band}


ADULT_ITEMS = [item("height_for_weight", 5, "normal"), item("vital_capacity_ml", 4), item("step_index", 3),
               item("grip_kg", 4), item("sit_and_reach_cm", 1), item("reaction_time_s", 3),
               item("one_leg_stand_eyes_closed_s", 2)]


def test_weak_components_from_a_hand_made_result():
    scores, weak = prescriptions.component_scores("physique-2003", ADULT_ITEMS)
    assert weak == ["flexibility", "balance"]
    assert scores["flexibility"] == 0.2 and scores["cardio"] == 0.7 and scores["body_composition"] == 1.0


def test_without_weak_items_the_lowest_component_is_the_focus():
    items = [item("vital_capacity_ml", 5), item("grip_kg", 3), item("sit_and_reach_cm", 4),
             item("height_for_weight", 5, "normal")]
    _scores, weak = prescriptions.component_scores("physique-2003", items)
    assert weak == ["strength"]


def test_an_even_profile_has_no_focus():
    items = [item("vital_capacity_ml", 4), item("grip_kg", 4), item("sit_and_reach_cm", 4),
             item("one_leg_stand_eyes_closed_s", 4), item("height_for_weight", 5, "normal")]
    assert prescriptions.component_scores("physique-2003", items)[1] == []


def test_student_items_and_bands():
    items = [item("bmi", 80, "overweight"), item("vital_capacity_ml", 90), item("run_1000m_s", 50),
             item("pullups", 0), item("sit_and_reach_cm", 76)]
    _scores, weak = prescriptions.component_scores("student-2014", items)
    assert weak == ["cardio", "strength", "body_composition"]


def test_unscored_item_is_weak():
    assert prescriptions.item_is_weak("physique-2003", item("grip_kg", None))


def test_parq_yes_means_doctor_first_and_light_activity_only():
    result = made("physique-2003", "female", ADULT_ITEMS, age=42)
    built = prescriptions.build(result, [False, False, True, False, False, False, False])
    assert not built.cleared and built.plan["doctor_first"]
    assert [p["component"] for p in built.plan["parts"]] == ["light"]
    light = built.plan["parts"][0]
    assert light["heart_rate"] == {"max": 178, "low": 101, "high": 112, "pct": [57, 63]}  # 57-63 % of 220-42
    assert built.weak_components == ["flexibility", "balance"]  # still told, for the doctor


def test_cleared_prescription_in_fitt_terms():
    result = made("physique-2003", "male", ADULT_ITEMS, age=40)
    built = prescriptions.build(result, [False] * 7)
    assert built.cleared and not built.plan["doctor_first"]
    parts = {p["component"]: p for p in built.plan["parts"]}
    assert list(parts)[:2] == ["flexibility", "balance"] and parts["flexibility"]["focus"]
    assert parts["cardio"]["heart_rate"] == {"max": 180, "low": 115, "high": 137, "pct": [64, 76]}
    assert parts["cardio"]["days"] == [5, 7] and parts["cardio"]["weekly_minutes"] == 150
    assert parts["strength"]["rm_pct"] == [60, 70] and parts["strength"]["reps"] == [8, 12]
    assert parts["flexibility"]["hold_s"] == [10, 30]
    text = prescriptions.describe(parts["cardio"])
    assert "115" in text["intensity"] and "137" in text["intensity"]
    assert set(text) >= {"frequency", "intensity", "time", "type"}


def test_older_adults_and_children():
    older = {p["component"]: p for p in prescriptions.build(made("physique-2003", "female", ADULT_ITEMS, age=66),
                                                             [False] * 7).plan["parts"]}
    assert older["strength"]["rm_pct"] == [40, 50] and older["flexibility"]["hold_s"] == [30, 60]
    assert "balance" in older
    child = {p["component"]: p for p in prescriptions.build(
        made("student-2014", "male", [item("run_1000m_s", 40)], grade="junior-1"), [False] * 7).plan["parts"]}
    assert child["cardio"]["days"] == [7, 7] and child["cardio"]["minutes"] == [60, 60]
    assert child["cardio"]["heart_rate"]["max"] == 220 - 13  # a junior-1 pupil is about 13


def test_prescription_from_a_real_result_through_the_api(world, client_for):
    result = pm.result_of(world, "resident", measurements={**pm.ADULT, "sit_and_reach_cm": -8})
    client = client_for("resident")
    bad = client.post(f"/api/v1/physique/results/{result.pk}/prescriptions", {"answers": [False] * 6},
                      content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "parq_incomplete"
    r = client.post(f"/api/v1/physique/results/{result.pk}/prescriptions", {"answers": [False] * 7},
                    content_type="application/json")
    assert r.status_code == 201
    got = r.json()
    assert "flexibility" in [w["code"] for w in got["weak_components"]] and got["cleared"]
    assert client_for("other_resident").get(f"/api/v1/physique/prescriptions/{got['id']}").status_code == 404


def test_prescription_page_with_nearby_places_and_sessions(world, client_for):
    from quanmin.booking import services as booking_services
    from quanmin.booking.models import Slot
    from quanmin.facilities import services as fs

    trail = fs.add_facility(world.site, {"type": "fitness_trail", "length_km": "1.2", "name": "滨河步道"})
    path = fs.add_facility(world.site, {"type": "fitness_path", "area_m2": "200", "name": "健身路径"})
    unit = booking_services.create_unit(path, name="力量课", kind="session")
    start = timezone.now() + datetime.timedelta(days=2)
    Slot.objects.create(unit=unit, start=start, end=start + datetime.timedelta(hours=1), capacity=10)
    result = pm.result_of(world, "resident")
    rx = services.make_prescription(result, [False] * 7)
    html = client_for("resident").get(reverse("physique:prescription", args=[rx.pk]),
                                      headers={"Accept-Language": "en"}).content.decode()
    assert world.site.name in html and "Fitness trail" in html and "Fitness path" in html and "力量课" in html
    # The resident's home division (a community) has the site: the point is its position.
    assert prescriptions.home_point(world.users["resident"]) == pytest.approx((world.site.lat, world.site.lon))
    near = prescriptions.nearby_places(rx.plan, world.site.lat, world.site.lon)
    cardio = next(n for n in near if n["component"] == "cardio")
    assert [f.pk for place in cardio["places"] for f in place["facilities"]] == [trail.pk]
    strength = next(n for n in near if n["component"] == "strength")
    assert [s.unit.name for s in strength["slots"]] == ["力量课"]
    # Far away: nothing near.
    assert all(not n["places"] for n in prescriptions.nearby_places(rx.plan, 30.0, 120.0))


def test_doctor_first_page(world, client_for):
    result = pm.result_of(world, "resident")
    client = client_for("resident")
    answers = {f"q{i}": "no" for i in range(1, 8)} | {"q1": "yes"}
    r = client.post(reverse("physique:prescribe", args=[result.pk]), answers)
    assert r.status_code == 302
    html = client.get(r["Location"], headers={"Accept-Language": "en"}).content.decode()
    assert "See a doctor first" in html and "Light activity" in html
    incomplete = client.post(reverse("physique:prescribe", args=[result.pk]), {"q1": "no"})
    assert incomplete.status_code == 400


def test_fitt_numbers_are_data_with_their_source():
    assert prescriptions.HR_MODERATE == (64, 76) and prescriptions.HR_LIGHT == (57, 63)
    assert "ACSM" in prescriptions.__doc__ and "220 - age" in prescriptions.__doc__
    assert len(prescriptions.PARQ_QUESTIONS) == 7
    assert set(prescriptions.ITEM_COMPONENT) >= {k for k in tables.MEASUREMENT_KEYS
                                                  if k not in ("height_cm", "weight_kg")}


def test_screening_questions_api_is_public():
    r = Client().get("/api/v1/physique/parq")  # no sign-in
    assert r.status_code == 200
    body = r.json()
    # The seven questions, in the site's language (Chinese), with where they come from.
    assert len(body["questions"]) == 7 and all(re.search("[\u4e00-\u9fff]", q) for q in body["questions"])
    assert body["source"]
