"""Permission rows for fitness provision for special populations (G06–G09): division staff of every
level read and write the institutions, fittings and activities of their divisions (supervisors
read); residents and strangers are refused; the residents' page of suitable places is public. The
path parameters make an institution in the role's own scope (its community, or the other county's)
on first use; a removal gets a fresh fitting or activity each time."""

import datetime

from quanmin.inclusive import services

P = "/api/v1/inclusive"
FITTING = {"kind": "elderly_equipment", "pieces": 4, "fitted_on": "2025-06-01"}


def _where(w, role):
    return w.other_community if role == "other_county" else w.community


def institution(w, role=None):
    if not hasattr(w, "inclusive"):
        w.inclusive = {}
    other = role == "other_county"
    if other not in w.inclusive:
        w.inclusive[other] = services.save_institution(w.users["superuser"], {
            "region": _where(w, role).code, "name": "东关幸福院", "kind": "elderly_care"})
    return w.inclusive[other]


def institution_pk(w, role=None):
    return {"pk": institution(w, role).pk}


def institution_id(w, role=None):
    return {"institution_id": institution(w, role).pk}


def _fresh_fitting(w, role):
    return services.record_fitting(w.users["superuser"], institution(w, role), FITTING)


def fresh_fitting_pk(w, role=None):
    return {"pk": _fresh_fitting(w, role).pk}


def fresh_fitting_id(w, role=None):
    return {"fitting_id": _fresh_fitting(w, role).pk}


def activity_body(w=None, role=None):
    return {"region": _where(w, role).code if w else "", "group": "elderly", "programme": "changqing_kele",
            "title": "常青可乐健步走", "held_on": (datetime.date.today() - datetime.timedelta(days=2)).isoformat(),
            "participants": 40}


def _fresh_activity(w, role):
    return services.record_activity(w.users["superuser"], activity_body(w, role))


def fresh_activity_pk(w, role=None):
    return {"pk": _fresh_activity(w, role).pk}


def fresh_activity_id(w, role=None):
    return {"activity_id": _fresh_activity(w, role).pk}


def institution_body(w=None, role=None):
    return {"region": _where(w, role).code if w else "", "name": "东关幸福院", "kind": "elderly_care",
            "address": "东关街1号"}


WEB = {
    "inclusive:institutions": ("division_reader", None, "get", None),
    # An institution of no division: 400 with the form again.
    "inclusive:institution_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "inclusive:institution": ("division_reader", institution_pk, "get", None, {"post": ({}, 400, "division_writer")}),
    # Nothing said of what was fitted: 400 with the institution's page again.
    "inclusive:fitting_new": ("division_writer", institution_pk, "post", {}, 400),
    "inclusive:fitting_delete": ("division_writer", fresh_fitting_pk, "post", {}),
    "inclusive:activities": ("division_reader", None, "get", None, {"post": ({}, 400, "division_writer")}),
    "inclusive:activity_delete": ("division_writer", fresh_activity_pk, "post", {}),
    "inclusive:figures": ("division_reader", None, "get", None),
    # No file: 400 with the form again.
    "inclusive:import": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "inclusive:export": ("division_reader", None, "get", None),
    "inclusive:near": ("public", None, "get", None),
}

API = {
    f"GET {P}/institutions": ("division_reader", None, None),
    f"POST {P}/institutions": ("division_writer", None, {**institution_body(), "region": "000000000000"}, 400),
    f"GET {P}/institutions/{{institution_id}}": ("division_reader", institution_id, None),
    f"PUT {P}/institutions/{{institution_id}}": ("division_writer", institution_id, institution_body),
    f"GET {P}/institutions/{{institution_id}}/fittings": ("division_reader", institution_id, None),
    f"POST {P}/institutions/{{institution_id}}/fittings": ("division_writer", institution_id, FITTING),
    f"DELETE {P}/fittings/{{fitting_id}}": ("division_writer", fresh_fitting_id, None),
    f"GET {P}/activities": ("division_reader", None, None),
    f"POST {P}/activities": ("division_writer", None, activity_body),
    f"DELETE {P}/activities/{{activity_id}}": ("division_writer", fresh_activity_id, None),
    f"GET {P}/figures": ("division_reader", None, None),
    f"GET {P}/near": ("public", None, None),
    f"GET {P}/export.xlsx": ("division_reader", None, None),
    # No file: 400.
    f"POST {P}/import": ("division_writer", None, None, 400),
}

CROSS_COUNTY = [
    ("web", "inclusive:institution", institution_pk, None, 200),
    ("api", f"GET {P}/institutions/{{institution_id}}", institution_id, None, 200),
    ("api", f"POST {P}/institutions/{{institution_id}}/fittings", institution_id, FITTING, 201),
]
