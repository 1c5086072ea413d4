"""Permission rows for venue safety (G14): division staff of every level read and keep the safety
records of the public venues in their divisions, record checks and confirm rectifications
(supervisors read); the checks, hazards and the operator's page are the back office's (operators
are not among the matrix's roles: tests/safety covers them). Residents and strangers are refused.
The path parameters make, in the role's own scope, a check with a hazard on first use; reporting
and confirming a rectification get a fresh hazard each time."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from quanmin.safety import services

P = "/api/v1/safety"


def _site(w, role):
    return w.other_site if role == "other_county" else w.site


def site_pk(w, role=None):
    return {"pk": _site(w, role).pk}


def site_id(w, role=None):
    return {"site_id": _site(w, role).pk}


def _check(w, role):
    if not hasattr(w, "safety_checks"):
        w.safety_checks = {}
    other = role == "other_county"
    if other not in w.safety_checks:
        w.safety_checks[other] = services.record_check(w.users["superuser"], _site(w, role), {},
                                                       [{"description": "安全出口堵塞", "level": "major"}])
    return w.safety_checks[other]


def check_pk(w, role=None):
    return {"pk": _check(w, role).pk}


def check_id(w, role=None):
    return {"check_id": _check(w, role).pk}


def _hazard(w, role, rectified=False):
    hazard = services.add_hazard(w.users["superuser"], _check(w, role), {"description": "灭火器过期"})
    if rectified:
        hazard = services.rectify(w.users["superuser"], hazard, {"rectify_note": "已更换"})
    return hazard


def open_pk(w, role=None):
    return {"pk": _hazard(w, role).pk}


def open_id(w, role=None):
    return {"hazard_id": _hazard(w, role).pk}


def rectified_pk(w, role=None):
    return {"pk": _hazard(w, role, rectified=True).pk}


def rectified_id(w, role=None):
    return {"hazard_id": _hazard(w, role, rectified=True).pk}


def photo_pk(w, role=None):
    """A hazard of the role's scope reported rectified with a photo."""
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buf, "PNG")
    hazard = services.add_hazard(w.users["superuser"], _check(w, role), {"description": "地面破损"})
    services.rectify(w.users["superuser"], hazard, {"rectify_note": "已修补"},
                     photo=SimpleUploadedFile("fixed.png", buf.getvalue(), content_type="image/png"))
    return {"pk": hazard.pk}


def record(w=None, role=None):
    return {"responsible_unit": "东关社区居委会", "responsible_person": "李建国", "safety_officer": "王磊",
            "emergency_plan_on": "2025-03-01", "fire_check_on": str(timezone.localdate()),
            "insured_until": str(timezone.localdate() + datetime.timedelta(days=200))}


def check_body(w=None, role=None):
    return {"site": _site(w, role).pk if w else 1, "hazards": [{"description": "护栏松动"}]}


WEB = {
    "safety:register": ("division_reader", None, "get", None),
    # A date that cannot be read: 400 with the form again.
    "safety:venue": ("division_reader", site_pk, "get", None,
                     {"post": ({"insured_until": "下个月"}, 400, "division_writer")}),
    "safety:checks": ("division_reader", None, "get", None),
    # A check that found nothing is a check too.
    "safety:check_new": ("division_writer", site_pk, "get", None, {"post": ({}, 302)}),
    # A hazard without a description: 400 with the page again.
    "safety:check": ("backoffice", check_pk, "get", None, {"post": ({}, 400, "division_writer")}),
    "safety:hazards": ("division_reader", None, "get", None),
    "safety:hazard_rectify": ("division_writer", open_pk, "post", {"note": "已整改"}),
    "safety:hazard_confirm": ("division_writer", rectified_pk, "post", {"accepted": "1"}),
    "safety:hazard_photo": ("division_reader", photo_pk, "get", None),
    "safety:my_hazards": ("backoffice", None, "get", None),
    # No file: 400 with the form again.
    "safety:import": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "safety:export": ("division_reader", None, "get", None),
}

API = {
    f"GET {P}/venues": ("division_reader", None, None),
    f"GET {P}/venues/{{site_id}}": ("division_reader", site_id, None),
    f"PUT {P}/venues/{{site_id}}": ("division_writer", site_id, record),
    f"GET {P}/venues/export.xlsx": ("division_reader", None, None),
    # No file: 400.
    f"POST {P}/venues/import": ("division_writer", None, None, 400),
    f"GET {P}/checks": ("backoffice", None, None),
    f"POST {P}/checks": ("division_writer", None, check_body),
    f"GET {P}/checks/{{check_id}}": ("backoffice", check_id, None),
    f"POST {P}/checks/{{check_id}}/hazards": ("division_writer", check_id, {"description": "配电箱未上锁"}),
    f"GET {P}/hazards": ("backoffice", None, None),
    f"POST {P}/hazards/{{hazard_id}}/rectify": ("division_writer", open_id, {"note": "已整改"}, 200),
    f"POST {P}/hazards/{{hazard_id}}/confirm": ("division_writer", rectified_id, {"accepted": True}, 200),
    f"GET {P}/figures": ("division_reader", None, None),
}

CROSS_COUNTY = [
    ("web", "safety:venue", site_pk, None, 200),
    ("api", f"GET {P}/venues/{{site_id}}", site_id, None, 200),
    ("api", f"POST {P}/hazards/{{hazard_id}}/rectify", open_id, {"note": "已整改"}, 200),
]
