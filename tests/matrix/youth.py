"""Permission rows for youth sports in schools (G05, G15): division staff of every level read and
write the schools of their divisions (supervisors read); residents and strangers are refused. The
path parameters make a school in the role's own scope (its community, or the other county's) on
first use; a removal gets a fresh return each time."""

from quanmin.youth import services

P = "/api/v1/youth"
RETURN = {"school_year": 2025, "term": 1, "students": 100, "minutes_in_school": 60, "minutes_out_of_school": 60,
          "students_meeting_both": 50, "skills_assessed": 100, "skills_two_plus": 60, "myopia_screened": 100,
          "myopia_found": 30, "myopia_intervened": 20, "obesity_screened": 100, "obesity_found": 10,
          "obesity_intervened": 5, "scoliosis_screened": 100, "scoliosis_found": 2, "scoliosis_intervened": 2}


def school(w, role=None):
    if not hasattr(w, "youth"):
        w.youth = {}
    other = role == "other_county"
    if other not in w.youth:
        where = w.other_community if other else w.community
        w.youth[other] = services.save_school(w.users["superuser"], {"region": where.code, "name": "东关小学",
                                                                     "stage": "primary", "students": 100})
    return w.youth[other]


def school_pk(w, role=None):
    return {"pk": school(w, role).pk}


def school_id(w, role=None):
    return {"school_id": school(w, role).pk}


def _fresh_return(w, role):
    found, _created = services.save_return(w.users["superuser"], school(w, role), {**RETURN, "school_year": 2024})
    return found


def fresh_return_pk(w, role=None):
    return {"pk": _fresh_return(w, role).pk}


def fresh_return_id(w, role=None):
    return {"return_id": _fresh_return(w, role).pk}


def school_body(w=None, role=None):
    where = (w.other_community if role == "other_county" else w.community) if w else None
    return {"region": where.code if where else "", "name": "东关小学", "stage": "primary", "students": 120}


WEB = {
    "youth:schools": ("division_reader", None, "get", None),
    # A school of no division: 400 with the form again.
    "youth:school_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "youth:school": ("division_reader", school_pk, "get", None, {"post": ({}, 400, "division_writer")}),
    "youth:return": ("division_reader", school_pk, "get", None, {"post": ({}, 400, "division_writer")}),
    "youth:return_delete": ("division_writer", fresh_return_pk, "post", {}),
    "youth:figures": ("division_reader", None, "get", None),
    # No file: 400 with the form again.
    "youth:import": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "youth:export": ("division_reader", None, "get", None),
}

API = {
    f"GET {P}/schools": ("division_reader", None, None),
    f"POST {P}/schools": ("division_writer", None, {**school_body(), "region": "000000000000"}, 400),
    f"GET {P}/schools/{{school_id}}": ("division_reader", school_id, None),
    f"PUT {P}/schools/{{school_id}}": ("division_writer", school_id, school_body),
    f"GET {P}/returns": ("division_reader", None, None),
    f"PUT {P}/schools/{{school_id}}/returns": ("division_writer", school_id, RETURN, (200, 201)),
    f"DELETE {P}/returns/{{return_id}}": ("division_writer", fresh_return_id, None),
    f"GET {P}/figures": ("division_reader", None, None),
    f"GET {P}/export.xlsx": ("division_reader", None, None),
    # No file: 400.
    f"POST {P}/import": ("division_writer", None, None, 400),
}

CROSS_COUNTY = [
    ("web", "youth:school", school_pk, None, 200),
    ("api", f"GET {P}/schools/{{school_id}}", school_id, None, 200),
    ("api", f"PUT {P}/schools/{{school_id}}/returns", school_id, RETURN, 201),
]
