"""Permission rows for booking's venue side: the console, units and times, check-in, visitor counts,
the eligibility check and the plan figures (issue 4).

Operators are not among the matrix's roles; tests/booking/test_console.py covers them. Write rows
send bodies that pass the schema but fail in the service (a past date, a missing reason, a full
slot), so that an allowed role gets a 4xx other than 401/403/404 and nothing changes.
"""

import datetime

from django.utils import timezone

API_ROOT = "/api/v1/booking/staff"


def _other(role) -> bool:
    return role == "other_county"


def site_id(w, role=None):
    return {"site_id": (w.other_site if _other(role) else w.site).pk}


def unit_id(w, role=None):
    return {"unit_id": (w.other_unit if _other(role) else w.unit).pk}


def template_ids(w, role=None):
    unit = w.other_unit if _other(role) else w.unit
    return {"unit_id": unit.pk, "template_id": unit.templates.order_by("pk").first().pk}


def spare_template_ids(w, role=None):
    """A weekly time made for the occasion, so that removing it touches nothing else."""
    from quanmin.booking.models import WeeklyTemplate

    unit = w.other_unit if _other(role) else w.unit
    t, _ = WeeklyTemplate.objects.get_or_create(unit=unit, weekday=7, start=datetime.time(22), end=datetime.time(23))
    return {"unit_id": unit.pk, "template_id": t.pk}


def slot_id(w, role=None):
    return {"slot_id": (w.other_slot if _other(role) else w.slot).pk}


def booking_id(w, role=None):
    return {"booking_id": (w.other_booking if _other(role) else w.booking).pk}


def certificate(w, role=None):
    """A pending certificate of the resident of the role's county, with a real (tiny) photo."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from quanmin.booking.models import Certificate

    user = w.users["other_resident" if _other(role) else "resident"]
    cert = Certificate.objects.filter(user=user, status="pending").first()
    if cert is None:
        name = default_storage.save("certificates/sample.gif", ContentFile(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
        cert = Certificate.objects.create(user=user, kind="senior", image=name, region=user.home_region)
    return {"cert_id": cert.pk}


def own_division(w, role=None):
    place = {"community": w.community, "township": w.township, "other_county": w.other_county}.get(role, w.county)
    return {"code": place.code}


def county_code(w, role=None):
    return {"code": w.county.code}


def no_params(w, role=None):
    return {}


def check_in_body(w, role=None):
    return {"code": (w.other_booking if _other(role) else w.booking).code}


def future_hour(w, role=None):
    return {"hour_start": (timezone.now() + datetime.timedelta(hours=3)).isoformat(), "count_in": 1, "count_out": 0}


def bad_unit_body(w, role=None):
    facility = w.other_facility if _other(role) else w.facility
    return {"facility_id": facility.pk, "name": "3号场", "payment_provider": "no-such-provider"}


BAD_TEMPLATE = {"weekday": 1, "start": "10:00", "end": "09:00", "capacity": 1, "price": "0"}
PAST_TERM = {"weekday": 0, "start": "08:00", "first_day": "2000-01-03", "last_day": "2000-02-03", "label": "校篮球队"}
BACKWARDS = {"start": "2030-01-01T10:00:00+08:00", "end": "2030-01-01T09:00:00+08:00", "reason": "检修"}

WEB = {
    "booking:staff_home": ("division_reader", None, "get", None),
    "booking:staff_site": ("division_reader", site_id, "get", None),
    "booking:staff_unit_new": ("division_writer", site_id, "get", None, {"post": ({}, 200)}),
    "booking:staff_unit": ("division_reader", unit_id, "get", None, {"post": ({}, 400, "division_writer")}),
    "booking:staff_template_add": ("division_writer", unit_id, "post", {}),
    "booking:staff_template_edit": ("division_writer", template_ids, "get", None, {"post": ({}, 200)}),
    "booking:staff_template_delete": ("division_writer", spare_template_ids, "post", {}),
    "booking:staff_block_time": ("division_writer", unit_id, "post", {}),
    "booking:staff_generate": ("division_writer", unit_id, "post", {}),
    "booking:staff_block_booking": ("division_writer", unit_id, "get", None, {"post": ({}, 200)}),
    "booking:staff_day": ("division_reader", site_id, "get", None),
    "booking:staff_day_list": ("division_reader", site_id, "get", None),
    "booking:staff_export": ("division_reader", site_id, "get", None),
    "booking:staff_visits": ("division_reader", site_id, "get", None),
    "booking:staff_visit_count": ("division_writer", site_id, "post", {}),
    "booking:staff_slot": ("division_reader", slot_id, "get", None),
    "booking:staff_walk_in": ("division_writer", slot_id, "post", {}),
    "booking:staff_cancel": ("division_writer", booking_id, "post", {}),
    "booking:staff_check_in": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "booking:staff_certificates": ("division_writer", None, "get", None),
    "booking:staff_certificate": ("division_writer", certificate, "get", None, {"post": ({}, 400)}),
    "booking:staff_certificate_image": ("division_writer", certificate, "get", None),
    "booking:staff_figures": ("division_reader", None, "get", None, 302),
    "booking:staff_figures_region": ("division_reader", own_division, "get", None),
}

API = {
    f"GET {API_ROOT}/sites": ("division_reader", None, None),
    f"GET {API_ROOT}/sites/{{site_id}}/units": ("division_reader", site_id, None),
    f"POST {API_ROOT}/sites/{{site_id}}/units": ("division_writer", site_id, bad_unit_body, 400),
    f"PATCH {API_ROOT}/units/{{unit_id}}": ("division_writer", unit_id, {"payment_provider": "no-such-provider"}, 400),
    f"GET {API_ROOT}/units/{{unit_id}}/templates": ("division_reader", unit_id, None),
    f"POST {API_ROOT}/units/{{unit_id}}/templates": ("division_writer", unit_id, BAD_TEMPLATE, 400),
    f"PUT {API_ROOT}/units/{{unit_id}}/templates/{{template_id}}": ("division_writer", template_ids, BAD_TEMPLATE, 400),
    f"DELETE {API_ROOT}/units/{{unit_id}}/templates/{{template_id}}": ("division_writer", spare_template_ids, None, 200),
    f"POST {API_ROOT}/units/{{unit_id}}/generate": ("division_writer", unit_id, None, 200),
    f"POST {API_ROOT}/units/{{unit_id}}/block": ("division_writer", unit_id, BACKWARDS, 400),
    f"POST {API_ROOT}/units/{{unit_id}}/block-bookings": ("division_writer", unit_id, PAST_TERM, 400),
    f"GET {API_ROOT}/sites/{{site_id}}/day": ("division_reader", site_id, None),
    f"POST {API_ROOT}/slots/{{slot_id}}/walk-in": ("division_writer", slot_id, {"places": 1}, 409),
    f"POST {API_ROOT}/bookings/{{booking_id}}/cancel": ("division_writer", booking_id, {"reason": ""}, 400),
    f"POST {API_ROOT}/check-in": ("division_writer", None, check_in_body, 409),
    f"GET {API_ROOT}/sites/{{site_id}}/visits": ("division_reader", site_id, None),
    f"PUT {API_ROOT}/sites/{{site_id}}/visits": ("division_writer", site_id, future_hour, 400),
    f"GET {API_ROOT}/certificates": ("division_writer", None, None),
    f"POST {API_ROOT}/certificates/{{cert_id}}/verify": ("division_writer", certificate, {"valid_until": "2000-01-01"}, 400),
    f"POST {API_ROOT}/certificates/{{cert_id}}/reject": ("division_writer", certificate, {"reason": ""}, 400),
    f"GET {API_ROOT}/figures/{{code}}": ("division_reader", own_division, None),
}

CROSS_COUNTY = [
    ("web", "booking:staff_site", site_id, None, 200),
    ("web", "booking:staff_unit", unit_id, None, 200),
    ("web", "booking:staff_day", site_id, None, 200),
    ("web", "booking:staff_slot", slot_id, None, 200),
    ("web", "booking:staff_export", site_id, None, 200),
    ("web", "booking:staff_visits", site_id, None, 200),
    ("web", "booking:staff_certificate", certificate, None, 200),
    ("web", "booking:staff_certificate_image", certificate, None, 200),
    ("web", "booking:staff_figures_region", county_code, None, 200),
    ("api", f"GET {API_ROOT}/sites/{{site_id}}/day", site_id, None, 200),
    ("api", f"GET {API_ROOT}/sites/{{site_id}}/visits", site_id, None, 200),
    ("api", f"GET {API_ROOT}/figures/{{code}}", county_code, None, 200),
    ("api", f"POST {API_ROOT}/bookings/{{booking_id}}/cancel", booking_id, {"reason": ""}, 400),
    ("api", f"POST {API_ROOT}/slots/{{slot_id}}/walk-in", slot_id, {"places": 1}, 409),
    ("api", f"POST {API_ROOT}/check-in", no_params, lambda w, role=None: {"code": w.booking.code}, 409),
    ("api", f"POST {API_ROOT}/certificates/{{cert_id}}/verify", certificate, {"valid_until": "2000-01-01"}, 400),
]
