"""Permission rows for the funding (issue 22, F05/F06): city and county staff only ("county_staff":
county, the neighbouring county, city, superuser); township and community staff, supervisors and
residents are refused everywhere. The path parameters make a project of the role's county on first
use (the neighbouring county's staff get their own county's); deletions get a fresh one each."""

from quanmin.funding import services

P = "/api/v1/funding"


def _county(w, role=None):
    return w.other_county if role == "other_county" else w.county


def _make(w, role, title):
    return services.save_project(w.users["superuser"], {
        "region": _county(w, role).code, "year": 2026, "title": title, "builds": "健身路径更新",
        "amounts": [{"kind": "source", "item": "central", "planned": "100000", "actual": "90000"},
                    {"kind": "line", "item": "equipment", "planned": "100000", "actual": "90000"}]})


def project(w, role=None):
    if not hasattr(w, "funding"):
        w.funding = {}
    key = "other" if role == "other_county" else "own"
    if key not in w.funding:
        w.funding[key] = _make(w, role, "全民健身路径更新工程")
    return w.funding[key]


def project_pk(w, role=None):
    return {"pk": project(w, role).pk}


def project_id(w, role=None):
    return {"project_id": project(w, role).pk}


def fresh_pk(w, role=None):
    return {"pk": _make(w, role, f"待删除项目{role}{len(getattr(w, 'funding_n', []))}").pk}


def fresh_id(w, role=None):
    if not hasattr(w, "funding_n"):
        w.funding_n = []
    w.funding_n.append(role)
    return {"project_id": _make(w, role, f"待删除项目{role}{len(w.funding_n)}").pk}


def body(w=None, role=None):
    return {"region": _county(w, role).code if w else "", "year": 2026, "title": "全民健身路径更新工程",
            "amounts": [{"kind": "source", "item": "donation", "planned": "5000", "actual": "5000"}]}


def fund(w, role=None):
    return {"region": _county(w, role).code, "year": 2025, "received": "1000000", "fitness": "650000"}


WEB = {
    "funding:projects": ("county_staff", None, "get", None),
    # A project of no division: 400 with the form again.
    "funding:project_new": ("county_staff", None, "get", None, {"post": ({}, 400)}),
    "funding:project": ("county_staff", project_pk, "get", None, {"post": ({}, 400)}),
    "funding:project_delete": ("county_staff", fresh_pk, "post", {}),
    "funding:figures": ("county_staff", None, "get", None),
    # An empty form: back to the figures with the reason.
    "funding:lottery": ("county_staff", None, "post", {}),
    # No file: 400 with the form again.
    "funding:import": ("county_staff", None, "get", None, {"post": ({}, 400)}),
    "funding:export": ("county_staff", None, "get", None),
}

API = {
    f"GET {P}/projects": ("county_staff", None, None),
    # A project of no division: 400.
    f"POST {P}/projects": ("county_staff", None, {**body(), "region": "000000000000"}, 400),
    f"GET {P}/projects/{{project_id}}": ("county_staff", project_id, None),
    f"PUT {P}/projects/{{project_id}}": ("county_staff", project_id, body),
    f"DELETE {P}/projects/{{project_id}}": ("county_staff", fresh_id, None),
    f"GET {P}/lottery": ("county_staff", None, None),
    f"POST {P}/lottery": ("county_staff", None, fund),
    f"GET {P}/figures": ("county_staff", None, None),
    f"GET {P}/export.xlsx": ("county_staff", None, None),
    # No file: 400.
    f"POST {P}/import": ("county_staff", None, None, 400),
}

CROSS_COUNTY = [
    ("web", "funding:project", project_pk, None, 200),
    ("api", f"GET {P}/projects/{{project_id}}", project_id, None, 200),
    ("api", f"PUT {P}/projects/{{project_id}}", project_id, body, 200),
]
