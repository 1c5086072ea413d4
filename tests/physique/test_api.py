"""The calculator API answers what the engine answers; every bad input gets a field-level error, never a 500."""

import json
import math

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quanmin.accounts.models import AuditEntry
from quanmin.physique import scoring, tables
from quanmin.physique.models import Participant, TestResult
from tests.matrix import physique as pm

URL = "/api/v1/physique/score"
STUDENT = pm.STANDARD_BODY
ADULT = {"standard": "physique-2003", "sex": "female", "age": 42, "measurements": {
    "height_cm": 160, "weight_kg": 55, "vital_capacity_ml": 2600, "step_index": 55, "grip_kg": 27,
    "sit_and_reach_cm": 10, "reaction_time_s": 0.55, "one_leg_stand_eyes_closed_s": 15}}
CHILD = {"standard": "physique-2003", "sex": "male", "age": 4.5, "measurements": {
    "height_cm": 106, "weight_kg": 17.5, "shuttle_10m_s": 7.9, "standing_long_jump_cm": 90,
    "tennis_ball_throw_m": 5, "double_leg_jump_s": 7.5, "sit_and_reach_cm": 11, "balance_beam_s": 8}}


def post(body, raw=False):
    data = body if raw else json.dumps(body)
    return Client().post(URL, data, content_type="application/json")


def expected(body):
    return scoring.score(body["standard"], body["sex"], grade=body.get("grade"), age=body.get("age"),
                         measurements=body["measurements"]).as_dict()


@pytest.mark.django_db
@pytest.mark.parametrize("body", [STUDENT, ADULT, CHILD], ids=["student", "adult", "child"])
def test_answer_equals_the_engine(body):
    r = post(body)
    assert r.status_code == 200, r.content
    assert r.json() == json.loads(json.dumps(expected(body)))
    item = r.json()["items"][0]
    assert {"key", "value", "score", "weight", "bonus"} <= set(item)


@pytest.mark.django_db
def test_student_answer_in_detail():
    got = post(STUDENT).json()
    assert got["total"] == 83.6 and got["rating"] == "good" and got["passed"] is True
    run = next(i for i in got["items"] if i["key"] == "run_1000m_s")
    assert run["value"] == 235 and run["weight"] == 0.2  # 3'55" read as 235 s


@pytest.mark.django_db
def test_bonus_points_shown():
    body = {**STUDENT, "measurements": {**STUDENT["measurements"], "pullups": 25}}
    pullups = next(i for i in post(body).json()["items"] if i["key"] == "pullups")
    assert pullups["score"] == 100 and pullups["bonus"] > 0


BAD = [
    ("not json", '{"standard": ', 400, "body"),
    ("not utf-8", b"\xff\xfe\x00{", 400, "body"),
    ("a list", "[1, 2, 3]", 422, "body"),
    ("a string", '"student-2014"', 422, "body"),
    ("null", "null", 422, "body"),
    ("empty", "", 422, "body"),
    ("deep nesting", "[" * 100000 + "]" * 100000, 400, "body"),
    ("no standard", json.dumps({"sex": "male"}), 422, "standard"),
    ("unknown standard", json.dumps({**STUDENT, "standard": "student-1999"}), 422, "standard"),
    ("standard as number", json.dumps({**STUDENT, "standard": 2014}), 422, "standard"),
    ("path in standard", json.dumps({**STUDENT, "standard": "../../etc/passwd"}), 422, "standard"),
    ("unknown field", json.dumps({**STUDENT, "weight": 3}), 422, "weight"),
    ("bad sex", json.dumps({**STUDENT, "sex": "M"}), 422, "sex"),
    ("sex as object", json.dumps({**STUDENT, "sex": {"a": 1}}), 422, "sex"),
    ("no grade", json.dumps({**STUDENT, "grade": None}), 422, "grade"),
    ("bad grade", json.dumps({**STUDENT, "grade": "junior-9"}), 422, "grade"),
    ("grade as list", json.dumps({**STUDENT, "grade": ["junior-1"]}), 422, "grade"),
    ("no age", json.dumps({**ADULT, "age": None}), 422, "age"),
    ("age as string", json.dumps({**ADULT, "age": "forty"}), 422, "age"),
    ("age NaN", json.dumps({**ADULT, "age": math.nan}), 422, "age"),
    ("age Infinity", json.dumps({**ADULT, "age": math.inf}), 422, "age"),
    ("age negative", json.dumps({**ADULT, "age": -5}), 422, "age"),
    ("age huge", json.dumps({**ADULT, "age": 10 ** 400}), 422, "age"),
    ("age 15", json.dumps({**ADULT, "age": 15}), 422, "age"),
    ("age true", json.dumps({**ADULT, "age": True}), 422, "age"),
    ("measurements a list", json.dumps({**STUDENT, "measurements": [1, 2]}), 422, "measurements"),
    ("measurements a string", json.dumps({**STUDENT, "measurements": "height"}), 422, "measurements"),
    ("unknown measurement", json.dumps({**STUDENT, "measurements": {"situps": 3}}), 422, "measurements.situps"),
    ("value a word", json.dumps({**STUDENT, "measurements": {"pullups": "many"}}), 422, "measurements.pullups"),
    ("value a list", json.dumps({**STUDENT, "measurements": {"pullups": [3]}}), 422, "measurements.pullups"),
    ("value an object", json.dumps({**STUDENT, "measurements": {"pullups": {"n": 3}}}), 422, "measurements.pullups"),
    ("value true", json.dumps({**STUDENT, "measurements": {"pullups": True}}), 422, "measurements.pullups"),
    ("value NaN", json.dumps({**STUDENT, "measurements": {"pullups": math.nan}}), 422, "measurements.pullups"),
    ("value -Infinity", json.dumps({**STUDENT, "measurements": {"run_1000m_s": -math.inf}}), 422,
     "measurements.run_1000m_s"),
    ("value 1e999", '{"standard": "student-2014", "sex": "male", "grade": "junior-1", "measurements": {"pullups": 1e999}}',
     422, "measurements.pullups"),
    ("value huge integer", json.dumps({**STUDENT, "measurements": {"pullups": 10 ** 400}}), 422,
     "measurements.pullups"),
    ("value negative", json.dumps({**STUDENT, "measurements": {"pullups": -1}}), 422, "measurements.pullups"),
    ("negative as text", json.dumps({**STUDENT, "measurements": {"vital_capacity_ml": "-300"}}), 422,
     "measurements.vital_capacity_ml"),
    ("zero height", json.dumps({**STUDENT, "measurements": {"height_cm": 0, "weight_kg": 50}}), 422,
     "measurements.height_cm"),
    ("run time garbage", json.dumps({**STUDENT, "measurements": {"run_1000m_s": "3'xx\""}}), 422,
     "measurements.run_1000m_s"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "body", "status", "field"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_gets_a_field_error(name, body, status, field):
    r = post(body, raw=True)
    assert r.status_code == status, (r.status_code, r.content[:300])
    assert r["Content-Type"].startswith("application/json")
    got = r.json()
    assert {"code", "message", "field"} <= set(got) and got["field"] == field and got["message"]


@pytest.mark.django_db
def test_absurd_but_valid_numbers_do_not_break_the_answer():
    # A height whose square underflows: BMI is infinite (obese band); JSON gets null, not Infinity.
    body = {**STUDENT, "measurements": {"height_cm": 1e-300, "weight_kg": 1e300}}
    r = post(body)
    assert r.status_code == 200
    bmi = r.json()["items"][0]
    assert bmi["key"] == "bmi" and bmi["value"] is None and bmi["score"] == 60
    huge = post({**STUDENT, "measurements": {"vital_capacity_ml": 1e308}}).json()
    assert next(i for i in huge["items"] if i["key"] == "vital_capacity_ml")["score"] == 100


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8)
KEYS = st.sampled_from([*tables.MEASUREMENT_KEYS, "situps", ""])


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(standard=st.sampled_from(["student-2014", "physique-2003", "x", None, 1]),
       sex=st.sampled_from(["male", "female", "M", None, 0]),
       grade=st.one_of(st.sampled_from(["junior-1", "university-4", "primary-7"]), JSON_VALUES),
       age=st.one_of(st.floats(allow_nan=True, allow_infinity=True), JSON_VALUES),
       measurements=st.one_of(st.dictionaries(KEYS, JSON_VALUES, max_size=5), JSON_VALUES))
def test_fuzz_never_500(standard, sex, grade, age, measurements):
    body = {"standard": standard, "sex": sex, "grade": grade, "age": age, "measurements": measurements}
    r = Client().post(URL, json.dumps(body), content_type="application/json")
    assert r.status_code in (200, 400, 422), r.content[:300]
    got = r.json()
    if r.status_code != 200:
        assert {"code", "message", "field"} <= set(got)


@pytest.mark.django_db
def test_standards_and_screening_questions_are_public():
    standards = Client().get("/api/v1/physique/standards").json()
    assert {s["name"] for s in standards} >= {"student-2014", "physique-2003"}
    student = next(s for s in standards if s["name"] == "student-2014")
    assert len(student["grades"]) == 16
    assert len(Client().get("/api/v1/physique/parq").json()["questions"]) == 7


@pytest.mark.django_db
def test_the_openapi_document_describes_the_score_body():
    schema = Client().get("/api/v1/openapi.json").json()
    body = schema["paths"]["/api/v1/physique/score"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {"standard", "sex", "grade", "age", "measurements"} <= set(body["properties"])


# --- recording through the API ------------------------------------------------------------------

def test_record_a_walk_in_with_consent(world, client_for):
    body = pm.record_body(world)
    r = client_for("county").post("/api/v1/physique/results", body, content_type="application/json")
    assert r.status_code == 201, r.content
    got = r.json()
    res = scoring.score("physique-2003", "male", age=got["age"], measurements=body["measurements"])
    assert got["total"] == res.total and got["rating"] == res.rating
    person = Participant.objects.get(pk=got["participant_id"])
    assert person.real_name == "路人甲" and body["id_number"] not in person.id_number_enc
    assert person.id_number == body["id_number"]  # stored encrypted, readable with the key


def test_record_without_consent_is_refused_and_changes_nothing(world, client_for):
    body = {**pm.record_body(world), "consent": False}
    r = client_for("county").post("/api/v1/physique/results", body, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "consent_required" and r.json()["field"] == "consent"
    assert TestResult.objects.count() == 0


def test_record_bad_measurement_names_the_field(world, client_for):
    body = {**pm.record_body(world), "measurements": {"grip_kg": "strong"}}
    r = client_for("county").post("/api/v1/physique/results", body, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "measurements.grip_kg"
    assert TestResult.objects.count() == 0


def test_record_bad_id_number(world, client_for):
    body = {**pm.record_body(world), "id_number": "371502199001010000"}
    r = client_for("county").post("/api/v1/physique/results", body, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "id_number"


def test_my_results_are_mine_and_the_read_is_logged(world, client_for):
    mine = pm.result_of(world, "resident")
    pm.result_of(world, "other_resident", other=True)
    got = client_for("resident").get("/api/v1/physique/me/results").json()
    assert [r["id"] for r in got] == [mine.pk]
    entry = AuditEntry.objects.filter(action="read_personal").latest("id")
    assert entry.actor == world.users["resident"] and entry.detail["fields"] == ["physique_results"]
    assert client_for("other_resident").get(f"/api/v1/physique/results/{mine.pk}").status_code == 404
    assert client_for("supervisor").get(f"/api/v1/physique/results/{mine.pk}").status_code == 404


def test_testing_staff_read_is_logged_with_them_as_actor(world, client_for):
    mine = pm.result_of(world, "resident")
    r = client_for("township").get(f"/api/v1/physique/results/{mine.pk}")
    assert r.status_code == 200
    entry = AuditEntry.objects.filter(action="read_personal").latest("id")
    assert entry.actor == world.users["township"] and entry.target_id == str(world.users["resident"].pk)


def test_book_a_session_through_the_booking_core(world, client_for):
    session = pm.session(world)
    r = client_for("resident").post(f"/api/v1/physique/sessions/{session.pk}/book")
    assert r.status_code == 201
    session.slot.refresh_from_db()
    assert session.slot.taken == 1
    again = client_for("resident").post(f"/api/v1/physique/sessions/{session.pk}/book")
    assert again.status_code == 409 and again.json()["code"] == "already_booked"
    listed = Client().get("/api/v1/physique/sessions").json()
    assert listed[0]["id"] == session.pk and listed[0]["free_places"] == 19
