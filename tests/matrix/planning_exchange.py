"""Permission rows for the experience exchange (E05: typical cases and on-site meetings), and the
objects they need.

Path parameters give each county's staff a case of their own county (the neighbouring county's for
`other_county`), everyone else one of 东昌府区's, sent and not yet reviewed: it is read by its
county's staff, the city's staff and supervisors. Only the county's own staff send and change a
case; only the city's staff review it and record on-site meetings. Posts of the pages answer
everyone who reads with a redirect and a message; the API answers those who may not act 403.
"""

from quanmin.planning.services import exchange

P = "/api/v1/planning"
CASE = {"year": 2026, "title": "社区运动会天天有", "theme": "events", "practice": "每个社区每年至少办一届运动会。"}


def _county(w, role):
    return ("other_county", w.other_county) if role == "other_county" else ("county", w.county)


def _fresh(w, role):
    who, county = _county(w, role)
    return exchange.send_case(w.users[who], division_code=county.code, **CASE)


def case_pk(w, role=None):
    return {"pk": _fresh(w, role).pk}


def case_id(w, role=None):
    return {"case_id": _fresh(w, role).pk}


def send_body(w, role=None):
    return {**CASE, "division_code": _county(w, role)[1].code}


def send_form(w, role=None):
    return {**CASE, "division": _county(w, role)[1].code}


def meeting_body(w, role=None):
    return {"division_code": w.city.code, "host_code": w.county.code, "held_on": "2026-01-10", "title": "全市现场会"}


def meeting_form(w, role=None):
    return {"division": w.city.code, "host": w.county.code, "held_on": "2026-01-10", "title": "全市现场会"}


WEB = {
    "planning:exchange": ("division_reader", None, "get", None),
    "planning:exchange_export": ("division_reader", None, "get", None),
    # Everyone who reads is sent back, with the case sent or a message why not.
    "planning:exchange_send": ("division_reader", None, "post", send_form, 302),
    "planning:exchange_meeting": ("division_reader", None, "post", meeting_form, 302),
    # The county's own staff change their case; other readers get the page again with 403.
    "planning:exchange_case": ("return_reader", case_pk, "get", None,
                               {"post": (CASE, 302, "return_filler")}),
    "planning:exchange_review": ("return_reader", case_pk, "post", {"decision": "return", "note": "补充成效"}, 302),
}

API = {
    f"GET {P}/experience-cases": ("division_reader", None, None),
    f"POST {P}/experience-cases": ("return_filler", None, send_body),
    f"GET {P}/experience-cases/{{case_id}}": ("return_reader", case_id, None),
    f"PUT {P}/experience-cases/{{case_id}}": ("return_filler", case_id, CASE),
    f"POST {P}/experience-cases/{{case_id}}/review": ("city_staff", case_id,
                                                      {"decision": "return", "note": "补充成效"}, 200),
    f"GET {P}/site-meetings": ("division_reader", None, None),
    f"POST {P}/site-meetings": ("city_staff", None, meeting_body),
}

CROSS_COUNTY = [
    ("web", "planning:exchange_case", case_pk, None, 200),
    ("api", f"GET {P}/experience-cases/{{case_id}}", case_id, None, 200),
    ("api", f"PUT {P}/experience-cases/{{case_id}}", case_id, CASE, 200),
]
