"""Permission rows for the register of new residential areas (G11): division staff of every level
read and write the projects of their divisions (supervisors read); residents and strangers are
refused. The path parameters make a built project in the role's own scope (its community, or the
other county's) on first use; an acceptance gets a fresh built project each time."""

from quanmin.residential import services

P = "/api/v1/residential"


def _data(w, role, name="东关花园"):
    where = w.other_community if role == "other_county" else w.community
    return {"region": where.code, "name": name, "residents": 1000, "indoor_area": "100", "status": "built",
            "approved_on": "2023-04-10", "completed_on": "2025-09-30"}


def project(w, role=None):
    if not hasattr(w, "residential"):
        w.residential = {}
    other = role == "other_county"
    if other not in w.residential:
        w.residential[other] = services.save_project(w.users["superuser"], _data(w, role))
    return w.residential[other]


def project_pk(w, role=None):
    return {"pk": project(w, role).pk}


def project_id(w, role=None):
    return {"project_id": project(w, role).pk}


def _fresh(w, role):
    w.residential_seq = getattr(w, "residential_seq", 0) + 1
    return services.save_project(w.users["superuser"], _data(w, role, f"新城{w.residential_seq}期"))


def fresh_pk(w, role=None):
    return {"pk": _fresh(w, role).pk}


def fresh_id(w, role=None):
    return {"project_id": _fresh(w, role).pk}


def body(w=None, role=None):
    if w is None:
        return {"region": "", "name": "东关花园", "residents": 1000}
    data = _data(w, role)
    data["indoor_area"] = 100
    return data


WEB = {
    "residential:projects": ("division_reader", None, "get", None),
    # A project of no division: 400 with the form again.
    "residential:project_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "residential:project": ("division_reader", project_pk, "get", None, {"post": ({}, 400, "division_writer")}),
    "residential:project_accept": ("division_writer", fresh_pk, "post", {"accepted_on": "2025-11-01"}),
    "residential:figures": ("division_reader", None, "get", None),
    # No file: 400 with the form again.
    "residential:import": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "residential:export": ("division_reader", None, "get", None),
}

API = {
    f"GET {P}/norm": ("division_reader", None, None),
    f"GET {P}/projects": ("division_reader", None, None),
    f"POST {P}/projects": ("division_writer", None, {**body(), "region": "000000000000"}, 400),
    f"GET {P}/projects/{{project_id}}": ("division_reader", project_id, None),
    f"PUT {P}/projects/{{project_id}}": ("division_writer", project_id, body),
    f"POST {P}/projects/{{project_id}}/accept": ("division_writer", fresh_id, {"accepted_on": "2025-11-01"}, 200),
    f"GET {P}/figures": ("division_reader", None, None),
    f"GET {P}/export.xlsx": ("division_reader", None, None),
    # No file: 400.
    f"POST {P}/import": ("division_writer", None, None, 400),
}

CROSS_COUNTY = [
    ("web", "residential:project", project_pk, None, 200),
    ("api", f"GET {P}/projects/{{project_id}}", project_id, None, 200),
    ("api", f"POST {P}/projects/{{project_id}}/accept", project_id, {"accepted_on": "2025-11-01"}, 200),
]
