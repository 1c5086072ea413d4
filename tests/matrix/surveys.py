"""Permission rows for the surveys (issue 21). The world holds no survey, so the path parameters
make them on first use (cached on the world): a regular-exerciser survey of each role's division
(the neighbouring county's staff get their own county's), and an open city satisfaction survey."""

from quanmin.surveys import services


def _cache(w) -> dict:
    if not hasattr(w, "surveys"):
        w.surveys = {}
    return w.surveys


HOME = {"community": "community", "township": "township", "other_county": "other_county"}


def survey(w, role=None, status="draft"):
    """A regular-exerciser survey of the role's own division (the county's for county, city,
    supervisor and superuser), with a quota of women."""
    cache = _cache(w)
    where = HOME.get(role, "county")
    key = f"{where}-{status}"
    if key not in cache:
        found = services.create_survey({"title": "经常参加体育锻炼人数调查", "kind": "regular_exercise",
                                        "region": getattr(w, where).code, "opens_on": "2026-01-01",
                                        "closes_on": "2099-12-31", "sample_target": 400}, actor=w.users["superuser"])
        services.add_quota(found, {"target": 100, "sex": "female"}, actor=w.users["superuser"])
        if status == "open":
            services.set_status(found, "open", actor=w.users["superuser"])
        cache[key] = found
    return cache[key]


def city_survey(w):
    cache = _cache(w)
    if "city" not in cache:
        cache["city"] = found = services.create_survey(
            {"title": "全民健身满意度调查", "kind": "satisfaction", "region": w.city.code, "opens_on": "2026-01-01",
             "closes_on": "2099-12-31"}, actor=w.users["superuser"])
        services.set_status(found, "open", actor=w.users["superuser"])
    return cache["city"]


def survey_pk(w, role=None):
    return {"pk": survey(w, role).pk}


def open_survey_pk(w, role=None):
    return {"pk": survey(w, role, "open").pk}


def survey_id(w, role=None):
    return {"survey_id": survey(w, role).pk}


def question_pks(w, role=None):
    found = survey(w, role)
    return {"pk": found.pk, "question_pk": found.questions.get(key="place").pk}


def quota_pks(w, role=None):
    found = survey(w, role)
    return {"pk": found.pk, "quota_pk": found.quotas.first().pk}


def city_pk(w, role=None):
    return {"pk": city_survey(w).pk}


def city_id(w, role=None):
    return {"survey_id": city_survey(w).pk}


def _answer_status(role):
    # The resident misses the required questions (400); staff live nowhere in the city (409).
    return 400 if role == "resident" else 409


NEW = {"title": "满意度调查", "kind": "satisfaction", "region": "", "opens_on": "2026-01-01", "closes_on": "2026-01-31"}

WEB = {
    "surveys:open": ("public", None, "get", None),
    # Everyone reads the questionnaire; answering needs a signed-in real-name resident of the division.
    "surveys:answer": ("public", city_pk, "get", None, {"post": ({}, _answer_status, "signed_in")}),
    "surveys:staff_list": ("division_reader", None, "get", None),
    "surveys:staff_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "surveys:staff_survey": ("division_reader", survey_pk, "get", None),
    # Readers get a redirect back with the result or a message why not (a supervisor changes nothing).
    "surveys:staff_question_add": ("division_reader", survey_pk, "post", {"text": "x", "kind": "text"}),
    "surveys:staff_question_delete": ("division_reader", question_pks, "post", {}),
    "surveys:staff_quota_add": ("division_reader", survey_pk, "post", {"region": "", "target": "5"}),
    "surveys:staff_quota_delete": ("division_reader", quota_pks, "post", {}),
    "surveys:staff_status": ("division_reader", survey_pk, "post", {"status": "bogus"}),
    "surveys:staff_results": ("division_reader", open_survey_pk, "get", None),
    "surveys:staff_export": ("division_reader", open_survey_pk, "get", None),
}

API = {
    "GET /api/v1/surveys": ("division_reader", None, None),
    # A survey of no division: 400 for writers.
    "POST /api/v1/surveys": ("division_writer", None, {**NEW, "region": "000000000000"}, 400),
    "GET /api/v1/surveys/open": ("signed_in", None, None),
    "GET /api/v1/surveys/open/{survey_id}": ("signed_in", city_id, None),
    "POST /api/v1/surveys/open/{survey_id}/answers": ("signed_in", city_id, {"answers": {}}, _answer_status),
    "GET /api/v1/surveys/{survey_id}": ("division_reader", survey_id, None),
    # Writers add to the draft of their division (201); a supervisor is refused (403).
    "POST /api/v1/surveys/{survey_id}/questions": ("division_writer", survey_id, {"text": "您的职业？", "kind": "text"}),
    "POST /api/v1/surveys/{survey_id}/quotas": ("division_writer", survey_id,
                                                 lambda w, role=None: {"target": 20, "age_band": "60_plus"}),
    # An unknown status: 400 for writers.
    "POST /api/v1/surveys/{survey_id}/status": ("division_writer", survey_id, {"status": "paused"}, 400),
    "GET /api/v1/surveys/{survey_id}/results": ("division_reader", survey_id, None),
    "GET /api/v1/surveys/{survey_id}/export.xlsx": ("division_reader", survey_id, None),
}

CROSS_COUNTY = [
    ("web", "surveys:staff_survey", survey_pk, None, 200),
    ("web", "surveys:staff_results", open_survey_pk, None, 200),
    ("api", "GET /api/v1/surveys/{survey_id}", survey_id, None, 200),
    ("api", "POST /api/v1/surveys/{survey_id}/quotas", survey_id, {"target": 5, "sex": "male"}, 201),
]
