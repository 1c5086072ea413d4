"""Permission rows for county titles (G16: 体育现代化县, 全民健身运动模范县), and the objects they need.

Path parameters give each county's staff their own county's application (the neighbouring
county's for `other_county`), everyone else 东昌府区's. An application is read by its county's
staff, the city's staff and supervisors (and evaluators); only the county's own staff open, answer
and submit it; only an evaluator scores (evaluators are not among the matrix's roles: everyone here
is refused); only the city's staff decide. Posts of the pages answer everyone who reads the
application with a redirect and a message; the API answers those who may not act 403.
"""

from quanmin.planning.services import titles

P = "/api/v1/planning"
MODERN = "sports_modern_county"


def _county(w, role):
    return ("other_county", w.other_county) if role == "other_county" else ("county", w.county)


def _open(w, role, year):
    who, county = _county(w, role)
    return titles.open_application(w.users[who], title=MODERN, division_code=county.code, year=year)


def application(w, role=None):
    if not hasattr(w, "titles"):
        w.titles = {}
    who, _county_ = _county(w, role)
    if who not in w.titles:
        w.titles[who] = _open(w, role, 2020)
    return w.titles[who]


def application_pk(w, role=None):
    return {"pk": application(w, role).pk}


def application_id(w, role=None):
    return {"application_id": application(w, role).pk}


def _fresh(w, role, submit: bool):
    w.title_year = getattr(w, "title_year", 2000) + 1
    found = _open(w, role, w.title_year)
    who, _county_ = _county(w, role)
    titles.save_answers(w.users[who], found, [{"key": c.key, "met": True} for c in found.criteria.all()])
    return titles.submit(w.users[who], found) if submit else found


def answered_id(w, role=None):
    return {"application_id": _fresh(w, role, False).pk}


def submitted_id(w, role=None):
    return {"application_id": _fresh(w, role, True).pk}


def apply_body(w, role=None):
    return {"title": "fitness_model_county", "division_code": _county(w, role)[1].code, "year": 2025}


def apply_form(w, role=None):
    return {"title": "fitness_model_county", "division": _county(w, role)[1].code, "year": "2025"}


WEB = {
    "planning:titles": ("division_reader", None, "get", None),
    # Everyone who reads is sent back to the list, with the title applied for or a message why not.
    "planning:title_apply": ("division_reader", None, "post", apply_form, 302),
    # The county's own staff save their answers; other readers get the page again with 403.
    "planning:title_application": ("return_reader", application_pk, "get", None,
                                   {"post": ({"met_area": "1"}, 302, "return_filler")}),
    "planning:title_submit": ("return_reader", application_pk, "post", {}, 302),
    "planning:title_score": ("return_reader", application_pk, "post", {"score_area": "80"}, 302),
    "planning:title_decide": ("return_reader", application_pk, "post", {"decision": "return", "note": "补充"}, 302),
}

API = {
    f"GET {P}/titles": ("division_reader", None, None),
    f"GET {P}/title-applications": ("division_reader", None, None),
    f"POST {P}/title-applications": ("return_filler", None, apply_body),
    f"GET {P}/title-applications/{{application_id}}": ("return_reader", application_id, None),
    f"PUT {P}/title-applications/{{application_id}}/answers": ("return_filler", application_id,
                                                                {"answers": [{"key": "area", "met": True}]}),
    f"POST {P}/title-applications/{{application_id}}/submit": ("return_filler", answered_id, None, 200),
    f"PUT {P}/title-applications/{{application_id}}/scores": ("nobody", application_id,
                                                               {"scores": [{"key": "area", "score": 80}]}),
    f"POST {P}/title-applications/{{application_id}}/decision": ("city_staff", submitted_id,
                                                                  {"decision": "return", "note": "请补充"}, 200),
    f"GET {P}/title-holders": ("division_reader", None, None),
}

CROSS_COUNTY = [
    ("web", "planning:title_application", application_pk, None, 200),
    ("api", f"GET {P}/title-applications/{{application_id}}", application_id, None, 200),
    ("api", f"PUT {P}/title-applications/{{application_id}}/answers", application_id,
     {"answers": [{"key": "area", "met": True}]}, 200),
]
