"""Permission rows for physique monitoring (issue 6), and the helpers that make its objects.

The world fixture holds no physique data, so the path parameters make it on first use (cached on the
world): a station at each county's community site with a session open for booking, and for every
role a result of their own (each person may read their own results: "signed_in" rows) after they
consented. Results of the resident, tested at the county's station, are what the testing staff of
the county read and the neighbouring county's staff must not (CROSS_COUNTY).
Supervisors see figures only: every staff row is "division_writer" except the figures.
"""

import datetime

from django.utils import timezone

STANDARD_BODY = {"standard": "student-2014", "sex": "male", "grade": "junior-2",
                 "measurements": {"height_cm": 165, "weight_kg": 52, "vital_capacity_ml": 3200, "sprint_50m_s": 8.1,
                                  "sit_and_reach_cm": 9.5, "standing_long_jump_cm": 215, "pullups": 6,
                                  "run_1000m_s": "3'55\""}}
ADULT = {"height_cm": 170, "weight_kg": 66, "vital_capacity_ml": 3900, "step_index": 56, "grip_kg": 45,
         "pushups": 25, "vertical_jump_cm": 38, "sit_and_reach_cm": 8, "reaction_time_s": 0.5,
         "one_leg_stand_eyes_closed_s": 20}


def _cache(w) -> dict:
    if not hasattr(w, "physique"):
        w.physique = {}
    return w.physique


def station(w, other=False):
    from quanmin.physique import services

    key = "other_station" if other else "station"
    cache = _cache(w)
    if key not in cache:
        site, region = (w.other_site, w.other_community) if other else (w.site, w.community)
        cache[key] = services.create_station(name="东关社区体质监测点" if not other else "新华社区体质监测点",
                                             region=region, site=site)
    return cache[key]


def session(w, other=False, bookable=True):
    """A session tomorrow at the station (open for booking), or one the day after (not yet open)."""
    from quanmin.physique import services

    key = f"session-{other}-{bookable}"
    cache = _cache(w)
    if key not in cache:
        day = timezone.localdate() + datetime.timedelta(days=1 if bookable else 2)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        cache[key] = services.create_session(station(w, other), starts_at=start,
                                             ends_at=start + datetime.timedelta(hours=2), capacity=20,
                                             open_booking=bookable)
    return cache[key]


def result_of(w, user_key, other=False, measurements=None):
    """A physique-2003 result of a world user (who consents first), tested at a county's station."""
    from quanmin.physique import services

    key = f"result-{user_key}"
    cache = _cache(w)
    if key not in cache:
        user = w.users[user_key]
        services.give_health_consent(user)
        st = station(w, other)
        person = services.participant_for_user(user, st.region)
        cache[key] = services.record_result(session(w, other), person, standard="physique-2003",
                                            measurements=measurements or ADULT, tester=None)
    return cache[key]


def prescription_of(w, user_key, other=False):
    from quanmin.physique import services

    key = f"rx-{user_key}"
    cache = _cache(w)
    if key not in cache:
        cache[key] = services.make_prescription(result_of(w, user_key, other), [False] * 7)
    return cache[key]


def _own_user(role):
    return "resident" if role in (None, "anonymous") else role


def own_result(w, role=None):
    return {"result_id": result_of(w, _own_user(role), other=role == "other_county").pk}


def own_result_pk(w, role=None):
    return {"pk": result_of(w, _own_user(role), other=role == "other_county").pk}


def own_prescription(w, role=None):
    return {"prescription_id": prescription_of(w, _own_user(role), other=role == "other_county").pk}


def own_prescription_pk(w, role=None):
    return {"pk": prescription_of(w, _own_user(role), other=role == "other_county").pk}


def scoped_station(w, role=None):
    return {"station_id": station(w, role == "other_county").pk}


def scoped_station_pk(w, role=None):
    return {"pk": station(w, role == "other_county").pk}


def scoped_session(w, role=None):
    return {"session_id": session(w, role == "other_county").pk}


def scoped_session_pk(w, role=None):
    return {"pk": session(w, role == "other_county").pk}


def closed_session(w, role=None):
    return {"session_id": session(w, role == "other_county", bookable=False).pk}


def closed_session_pk(w, role=None):
    return {"pk": session(w, role == "other_county", bookable=False).pk}


def tested_person(w, role=None):
    """The resident (tested at the county's station), or for the neighbouring county its resident."""
    other = role == "other_county"
    return {"participant_id": result_of(w, "other_resident" if other else "resident", other).participant_id}


def tested_person_pk(w, role=None):
    return {"pk": tested_person(w, role)["participant_id"]}


def own_division(w, role=None):
    place = {"community": w.community, "township": w.township, "other_county": w.other_county}.get(role, w.county)
    return {"code": place.code}


def county_code(w, role=None):
    return {"code": w.county.code}


def new_station(w, role=None):
    region = w.other_community if role == "other_county" else w.community
    return {"name": "新监测点", "region_code": region.code}


def new_session(w, role=None):
    start = timezone.now() + datetime.timedelta(days=3)
    return {"starts_at": start.isoformat(), "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
            "capacity": 10}


def record_body(w, role=None):
    """A walk-in tested at the role's own station, consent recorded at the station."""
    other = role == "other_county"
    from quanmin.demo.accounts import make_id_number

    return {"session_id": session(w, other).pk, "id_number": make_id_number("371502", "19900101", 77, True),
            "real_name": "路人甲", "consent": True, "standard": "physique-2003", "measurements": ADULT}


def cross_record_body(w, role=None):
    body = record_body(w)
    return body


def prescription_body(w, role=None):
    return {"answers": [False] * 7}


def booked_or_site_closed(role):
    """Booked by the roles that close no site; the writers' own run of the matrix has closed the site
    by then (the facilities row POST /api/v1/facilities/sites/{site_id}/close comes first)."""
    return 201 if role in ("resident", "supervisor", "oversight") else 409


# --- the exercise standard (国家体育锻炼标准) -----------------------------------------------------------

def exercise_session(w, other=False):
    """An exercise standard session a community organised (of the county, or of the neighbouring county)."""
    from quanmin.physique import services_exercise

    key = f"exercise-session-{other}"
    cache = _cache(w)
    if key not in cache:
        cache[key] = services_exercise.create_session(
            region=w.other_community if other else w.community,
            held_on=timezone.localdate() - datetime.timedelta(days=3),
            place="区体育中心", organiser="区文化体育和旅游局")
    return cache[key]


def exercise_grade_of(w, user_key, other=False, level="good"):
    """A world user's grade (consented first) in a county's session: with a certificate unless "fail"."""
    from quanmin.physique import services, services_exercise

    key = f"exercise-grade-{user_key}-{other}"
    cache = _cache(w)
    if key not in cache:
        user = w.users[user_key]
        services.give_health_consent(user)
        person = services.participant_for_user(user, w.other_community if other else w.community)
        cache[key] = services_exercise.record_grade(exercise_session(w, other), person, level=level)
    return cache[key]


def scoped_exercise_session_pk(w, role=None):
    return {"pk": exercise_session(w, role == "other_county").pk}


def scoped_exercise_session(w, role=None):
    return {"session_id": exercise_session(w, role == "other_county").pk}


def scoped_exercise_grade_pk(w, role=None):
    """A fresh grade each time (an annulment is once): a walk-in graded in the role's county."""
    from quanmin.demo.accounts import make_id_number
    from quanmin.physique import services_exercise

    cache = _cache(w)
    cache["walk_in_seq"] = cache.get("walk_in_seq", 100) + 1
    s = exercise_session(w, role == "other_county")
    person = services_exercise.person_for(s, id_number=make_id_number("371502", "19850101", cache["walk_in_seq"], True),
                                          real_name="路人乙", consent=True)
    return {"pk": services_exercise.record_grade(s, person, level="pass").pk}


def scoped_exercise_grade(w, role=None):
    return {"grade_id": scoped_exercise_grade_pk(w, role)["pk"]}


def own_certificate_number(w, role=None):
    grade = exercise_grade_of(w, _own_user(role), other=role == "other_county")
    return {"number": grade.certificate.number}


def resident_certificate_number(w, role=None):
    return {"number": exercise_grade_of(w, "resident").certificate.number}


def exercise_session_body(w, role=None):
    region = w.other_community if role == "other_county" else w.community
    return {"region_code": region.code, "held_on": timezone.localdate().isoformat(), "place": "体育馆",
            "organiser": "体育局"}


def exercise_grade_body(w, role=None):
    from quanmin.demo.accounts import make_id_number

    cache = _cache(w)
    cache["grade_seq"] = cache.get("grade_seq", 300) + 1
    return {"id_number": make_id_number("371502", "19900101", cache["grade_seq"], False), "real_name": "路人丙",
            "level": "达标", "consent": True}


WEB = {
    "physique:index": ("public", None, "get", None),
    "physique:sessions": ("public", None, "get", None),
    "physique:session_book": ("signed_in", scoped_session_pk, "post", {}),
    "physique:report": ("signed_in", own_result_pk, "get", None),
    "physique:prescribe": ("signed_in", own_result_pk, "get", None, {"post": ({}, 200)}),
    "physique:prescription": ("signed_in", own_prescription_pk, "get", None),
    "physique:me": ("signed_in", None, "get", None),
    "physique:consent": ("signed_in", None, "post", {"agree": "on"}),
    "physique:staff": ("division_writer", None, "get", None),
    "physique:station_new": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "physique:station": ("division_writer", scoped_station_pk, "get", None, {"post": ({}, 200)}),
    "physique:session": ("division_writer", scoped_session_pk, "get", None),
    "physique:session_open": ("division_writer", closed_session_pk, "post", {}),
    "physique:record": ("division_writer", scoped_session_pk, "get", None, {"post": ({}, 400)}),
    "physique:import": ("division_writer", scoped_session_pk, "get", None, {"post": ({}, 200)}),
    "physique:participant": ("division_writer", tested_person_pk, "get", None),
    "physique:figures": ("division_reader", None, "get", None, 302),
    "physique:figures_region": ("division_reader", own_division, "get", None),
    "physique:exercise_sessions": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "physique:exercise_session": ("division_writer", scoped_exercise_session_pk, "get", None),
    "physique:exercise_grade": ("division_writer", scoped_exercise_session_pk, "post", {}, 400),
    "physique:exercise_import": ("division_writer", scoped_exercise_session_pk, "get", None, {"post": ({}, 200)}),
    "physique:exercise_export": ("division_writer", scoped_exercise_session_pk, "get", None),
    "physique:exercise_annul": ("division_writer", scoped_exercise_grade_pk, "post", {"reason": "录入错误"}),
    "physique:certificate": ("signed_in", own_certificate_number, "get", None),
    "physique:certificate_lookup": ("public", None, "get", None),
    "physique:certificate_check": ("public", resident_certificate_number, "get", None),
}

API = {
    "POST /api/v1/physique/score": ("public", None, STANDARD_BODY, 200),
    "GET /api/v1/physique/standards": ("public", None, None),
    "GET /api/v1/physique/parq": ("public", None, None),
    "GET /api/v1/physique/stations": ("public", None, None),
    "GET /api/v1/physique/sessions": ("public", None, None),
    "POST /api/v1/physique/stations": ("division_writer", None, new_station),
    "POST /api/v1/physique/stations/{station_id}/sessions": ("division_writer", scoped_station, new_session),
    "POST /api/v1/physique/sessions/{session_id}/open-booking": ("division_writer", closed_session, None, 200),
    "POST /api/v1/physique/sessions/{session_id}/book": ("signed_in", scoped_session, None, booked_or_site_closed),
    # Without a file writers get 400 file_required; everyone else is refused first.
    "POST /api/v1/physique/sessions/{session_id}/import": ("division_writer", scoped_session, None, 400),
    "POST /api/v1/physique/me/consent": ("signed_in", None, {"agree": True}),
    "GET /api/v1/physique/me/results": ("signed_in", None, None),
    "GET /api/v1/physique/results/{result_id}": ("signed_in", own_result, None),
    "POST /api/v1/physique/results/{result_id}/prescriptions": ("signed_in", own_result, prescription_body),
    "GET /api/v1/physique/prescriptions/{prescription_id}": ("signed_in", own_prescription, None),
    "GET /api/v1/physique/participants/{participant_id}/results": ("division_writer", tested_person, None),
    "POST /api/v1/physique/results": ("division_writer", None, record_body),
    "GET /api/v1/physique/figures/{code}": ("division_reader", own_division, None),
    "GET /api/v1/physique/standard/sessions": ("division_writer", None, None),
    "POST /api/v1/physique/standard/sessions": ("division_writer", None, exercise_session_body),
    "POST /api/v1/physique/standard/sessions/{session_id}/grades": ("division_writer", scoped_exercise_session,
                                                                    exercise_grade_body),
    # Without a file writers get 400 file_required; everyone else is refused first.
    "POST /api/v1/physique/standard/sessions/{session_id}/import": ("division_writer", scoped_exercise_session, None,
                                                                    400),
    "POST /api/v1/physique/standard/grades/{grade_id}/annul": ("division_writer", scoped_exercise_grade,
                                                               {"reason": "录入错误"}, 200),
    "GET /api/v1/physique/standard/me": ("signed_in", None, None),
    "GET /api/v1/physique/standard/certificates/{number}": ("public", resident_certificate_number, None),
}


def resident_result(w, role=None):
    return {"result_id": result_of(w, "resident").pk}


def resident_result_pk(w, role=None):
    return {"pk": result_of(w, "resident").pk}


def resident_prescription(w, role=None):
    return {"prescription_id": prescription_of(w, "resident").pk}


def resident_prescription_pk(w, role=None):
    return {"pk": prescription_of(w, "resident").pk}


def county_person(w, role=None):
    return {"participant_id": result_of(w, "resident").participant_id}


def county_person_pk(w, role=None):
    return {"pk": result_of(w, "resident").participant_id}


def county_station(w, role=None):
    return {"station_id": station(w).pk}


def county_station_pk(w, role=None):
    return {"pk": station(w).pk}


def county_session(w, role=None):
    return {"session_id": session(w).pk}


def county_session_pk(w, role=None):
    return {"pk": session(w).pk}


def county_closed_session(w, role=None):
    return {"session_id": session(w, bookable=False).pk}


CROSS_COUNTY = [
    ("web", "physique:report", resident_result_pk, None, 200),
    ("web", "physique:prescribe", resident_result_pk, None, 200),
    ("web", "physique:prescription", resident_prescription_pk, None, 200),
    ("web", "physique:participant", county_person_pk, None, 200),
    ("web", "physique:station", county_station_pk, None, 200),
    ("web", "physique:session", county_session_pk, None, 200),
    ("web", "physique:record", county_session_pk, None, 200),
    ("web", "physique:import", county_session_pk, None, 200),
    ("web", "physique:figures_region", county_code, None, 200),
    ("api", "GET /api/v1/physique/results/{result_id}", resident_result, None, 200),
    ("api", "GET /api/v1/physique/prescriptions/{prescription_id}", resident_prescription, None, 200),
    ("api", "POST /api/v1/physique/results/{result_id}/prescriptions", resident_result, prescription_body, 201),
    ("api", "GET /api/v1/physique/participants/{participant_id}/results", county_person, None, 200),
    ("api", "POST /api/v1/physique/results", lambda w, role=None: {}, cross_record_body, 201),
    ("api", "POST /api/v1/physique/stations/{station_id}/sessions", county_station, new_session, 201),
    ("api", "POST /api/v1/physique/sessions/{session_id}/open-booking", county_closed_session, None, 200),
    ("api", "POST /api/v1/physique/sessions/{session_id}/import", county_session, None, 400),
    ("api", "GET /api/v1/physique/figures/{code}", county_code, None, 200),
    ("web", "physique:exercise_session", lambda w, role=None: {"pk": exercise_session(w).pk}, None, 200),
    ("web", "physique:exercise_export", lambda w, role=None: {"pk": exercise_session(w).pk}, None, 200),
    ("api", "POST /api/v1/physique/standard/sessions/{session_id}/grades",
     lambda w, role=None: {"session_id": exercise_session(w).pk}, exercise_grade_body, 201),
    ("api", "POST /api/v1/physique/standard/grades/{grade_id}/annul", lambda w, role=None: scoped_exercise_grade(w),
     {"reason": "录入错误"}, 200),
]
