"""Permission rows for the venue-opening evaluation (D13): division staff of every level (and
supervisors) read the rounds and evaluations of their divisions' venues; county and city staff
open and finish rounds, evaluate venues, request and confirm rectifications; division staff (and a
venue's operator: tests/opening covers them) report a rectification done. Residents and strangers
are refused. The path parameters make, in the role's own county and on first use, a round of 2020
with its venue evaluated, and a round of 2019 left pending for the finishing rows (finishing it is
refused while a venue is still to evaluate, so the other rows keep an open round)."""

from django.utils import timezone

from quanmin.facilities import services as fs
from quanmin.opening import services

P = "/api/v1/opening"


def _county(w, role):
    return w.other_county if role == "other_county" else w.county


def _venue(w, role):
    """A government venue of the role's community, made on first use (other rows may close the world's)."""
    if not hasattr(w, "opening_venues"):
        w.opening_venues = {}
    other = role == "other_county"
    if other not in w.opening_venues:
        w.opening_venues[other] = fs.create_site({"name": "开放评估体育馆", "lon": 116.0, "lat": 36.5,
                                                  "region": w.other_community if other else w.community})
    return w.opening_venues[other]


def _round(w, role, year):
    if not hasattr(w, "opening_rounds"):
        w.opening_rounds = {}
    key = (role == "other_county", year)
    if key not in w.opening_rounds:
        _venue(w, role)
        w.opening_rounds[key] = services.open_round(w.users["superuser"], {"region": _county(w, role).code,
                                                                           "year": year})
    return w.opening_rounds[key]


def _evaluation(w, role):
    found = _round(w, role, 2020).evaluations.get(site=_venue(w, role))
    if found.status != "done":
        found = services.evaluate(w.users["superuser"], found, {"hours_posted": "1"})
    return found


def round_pk(w, role=None):
    return {"pk": _round(w, role, 2020).pk}


def round_id(w, role=None):
    return {"round_id": _round(w, role, 2020).pk}


def pending_pk(w, role=None):
    return {"pk": _round(w, role, 2019).pk}


def pending_id(w, role=None):
    return {"round_id": _round(w, role, 2019).pk}


def evaluation_pk(w, role=None):
    return {"pk": _evaluation(w, role).pk}


def evaluation_id(w, role=None):
    return {"evaluation_id": _evaluation(w, role).pk}


def _rectification(w, role, reported=False):
    found = services.request_rectification(w.users["superuser"], _evaluation(w, role), {"request": "公示开放时间"})
    if reported:
        found = services.report_done(w.users["superuser"], found, {"note": "已公示"})
    return found


def open_pk(w, role=None):
    return {"pk": _rectification(w, role).pk}


def open_id(w, role=None):
    return {"rectification_id": _rectification(w, role).pk}


def reported_pk(w, role=None):
    return {"pk": _rectification(w, role, reported=True).pk}


def reported_id(w, role=None):
    return {"rectification_id": _rectification(w, role, reported=True).pk}


def round_body(w=None, role=None):
    region = {"other_county": w.other_county, "city": w.city, "superuser": w.city}.get(role, w.county)
    return {"region": region.code, "year": timezone.localdate().year}


WEB = {
    # No division: 400 with the form again.
    "opening:rounds": ("division_reader", None, "get", None, {"post": ({"year": "2025"}, 400, "county_staff")}),
    "opening:round": ("division_reader", round_pk, "get", None),
    # A venue still to evaluate: the round stays open, the page says why.
    "opening:round_close": ("county_staff", pending_pk, "post", {}),
    "opening:round_export": ("division_reader", round_pk, "get", None),
    "opening:evaluation": ("division_reader", evaluation_pk, "get", None, {"post": ({}, 302, "county_staff")}),
    "opening:evaluation_rectify": ("county_staff", evaluation_pk, "post", {"request": "在入口公示持证免费政策"}),
    "opening:rectifications": ("backoffice", None, "get", None),
    "opening:rectification_report": ("division_writer", open_pk, "post", {"note": "已整改"}),
    "opening:rectification_confirm": ("county_staff", reported_pk, "post", {"accepted": "1"}),
}

API = {
    f"GET {P}/rounds": ("division_reader", None, None),
    f"POST {P}/rounds": ("county_staff", None, round_body),
    f"GET {P}/rounds/{{round_id}}": ("division_reader", round_id, None),
    # A venue still to evaluate: 409.
    f"POST {P}/rounds/{{round_id}}/close": ("county_staff", pending_id, None, 409),
    f"GET {P}/rounds/{{round_id}}/export.xlsx": ("division_reader", round_id, None),
    f"GET {P}/evaluations": ("division_reader", None, None),
    f"GET {P}/evaluations/{{evaluation_id}}": ("division_reader", evaluation_id, None),
    f"PUT {P}/evaluations/{{evaluation_id}}": ("county_staff", evaluation_id, {"hours_posted": True}),
    f"POST {P}/evaluations/{{evaluation_id}}/rectifications": ("county_staff", evaluation_id, {"request": "公示收费标准"}),
    f"GET {P}/rectifications": ("backoffice", None, None),
    f"POST {P}/rectifications/{{rectification_id}}/report": ("division_writer", open_id, {"note": "已整改"}, 200),
    f"POST {P}/rectifications/{{rectification_id}}/confirm": ("county_staff", reported_id, {"accepted": True}, 200),
}

CROSS_COUNTY = [
    ("web", "opening:evaluation", evaluation_pk, None, 200),
    ("api", f"GET {P}/evaluations/{{evaluation_id}}", evaluation_id, None, 200),
    ("api", f"PUT {P}/evaluations/{{evaluation_id}}", evaluation_id, {"note": "开放良好"}, 200),
]
