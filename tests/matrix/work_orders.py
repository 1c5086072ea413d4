"""Permission rows for work orders, maintenance units, pieces past their design life and the photos
of work orders and inspection checks (the pages under /staff/maintenance/ and /api/v1/maintenance).

The world has none of these: the first call puts, at each county's site, a fitness path with one piece
installed in 2010 (past its design life), an open work order on the piece with a (tiny) before photo,
and an inspection check of the piece with a photo. Each role gets a maintenance unit in its own
division (read-only roles, residents and strangers get the county's unit), holding an assigned order
so that it cannot be deactivated, and one worker who may be removed from it. The neighbouring
county's staff get their own county's objects.

Writes in the role rows carry a body the services refuse (no form data, an order in the wrong state,
an unknown severity), so one role's calls leave the objects as they were for the next; the
cross-county rows make real changes for the owning county."""

import datetime

from django.utils import timezone

WO_PHOTO = "work_orders/matrix/sample.gif"
CHECK_PHOTO = "inspections/matrix/sample.gif"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"

# The division each role's maintenance unit serves.
UNIT_OF = {"community": "community", "township": "township", "county": "county", "other_county": "other_county",
           "city": "city"}


def _other(role) -> bool:
    return role == "other_county"


def _file(name: str) -> str:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    # Stored under a random name (core.uploads): the name the storage gives is the one to keep.
    return default_storage.save(name, ContentFile(GIF))


def _made(w):
    made = w.__dict__.get("_work_order_matrix")
    if made is None:
        from quanmin.facilities import equipment_services
        from quanmin.facilities import services as fs
        from quanmin.maintenance import inspections, services
        from quanmin.maintenance.models import Check, WorkOrderPhoto

        made = {}
        for key, site, community, staff in (("own", w.site, w.community, "county"),
                                            ("other", w.other_site, w.other_community, "other_county")):
            path = fs.add_facility(site, {"type": "fitness_path", "area_m2": "150"})
            piece = equipment_services.create_equipment(facility=path, kind="air_walker",
                                              install_date=datetime.date(2010, 5, 1))
            order = services.create_work_order(actor=w.users["superuser"], description="踏板松动", equipment=piece)
            photo = WorkOrderPhoto.objects.create(work_order=order, stage="before", image=_file(WO_PHOTO),
                                                  uploaded_by=w.users["superuser"])
            plan = inspections.create_plan(actor=w.users["superuser"], data={
                "name": f"{community.name}器材巡检", "kind": "daily", "region": community.code,
                "inspector": w.users[staff], "starts_on": timezone.localdate()})
            round_ = plan.rounds.get(scheduled_for=timezone.localdate())
            check = Check.objects.create(round=round_, equipment=piece, result="ok", photo=_file(CHECK_PHOTO),
                                         checked_at=timezone.now(), checked_by=w.users[staff])
            made[key] = {"path": path, "piece": piece, "order": order, "photo": photo, "check": check}
        w._work_order_matrix = made
    return made


def _own(w, role=None):
    return _made(w)["other" if _other(role) else "own"]


def _unit(w, role=None):
    """The role's own maintenance unit, with an assigned order (so it stays active) and a worker."""
    from quanmin.maintenance import services, units
    from tests.conftest import make_user

    cache = w.__dict__.setdefault("_work_order_matrix_units", {})
    key = UNIT_OF.get(role, "county")
    if key not in cache:
        n = len(cache)
        region = getattr(w, key)
        unit = units.create_unit(actor=w.users["superuser"], region=region, name=f"{region.name}维修队")
        services.create_work_order(actor=w.users["superuser"], description="护栏脱焊", facility=_own(w, role)["path"],
                                   unit=unit)
        worker = make_user(f"1370000009{n}", f"维修工{n}", seq=90 + n)
        units.add_unit_staff(unit, worker, actor=w.users["superuser"])
        cache[key] = (unit, worker)
    return cache[key]


def order_id(w, role=None):
    return {"order_id": _own(w, role)["order"].pk}


def order_photo(w, role=None):
    own = _own(w, role)
    return {"order_id": own["order"].pk, "photo_id": own["photo"].pk}


def photo_id(w, role=None):
    return {"photo_id": _own(w, role)["photo"].pk}


def check_id(w, role=None):
    return {"check_id": _own(w, role)["check"].pk}


def unit_id(w, role=None):
    return {"unit_id": _unit(w, role)[0].pk}


def unit_worker(w, role=None):
    unit, worker = _unit(w, role)
    return {"unit_id": unit.pk, "user_id": worker.pk}


def county_unit(w, role=None):
    return unit_id(w, "county")


def county_worker(w, role=None):
    return unit_worker(w, "county")


def past_life(w, role=None):
    """The role's piece past its design life, with a severity nobody may choose: writers get 400."""
    return {"equipment_ids": [_own(w, role)["piece"].pk], "severity": "nonsense"}


def replacement(w, role=None):
    """The county's piece past its design life (the neighbouring county's staff get 404)."""
    return {"equipment_ids": [_own(w, role)["piece"].pk]}


WEB = {
    "maintenance:work_orders": ("division_reader", None, "get", None),
    "maintenance:work_orders_export": ("division_reader", None, "get", None),
    "maintenance:work_order_new": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "maintenance:my_orders": ("division_reader", None, "get", None),
    "maintenance:work_order": ("division_reader", order_id, "get", None),
    # The order is open and unassigned; each form is empty or the move not allowed: writers get 400 with
    # the form's errors, supervisors 403.
    "maintenance:work_order_assign": ("division_writer", order_id, "post", {}, 400),
    "maintenance:work_order_start": ("division_writer", order_id, "post", {}, 400),
    "maintenance:work_order_complete": ("division_writer", order_id, "post", {}, 400),
    "maintenance:work_order_verify": ("division_writer", order_id, "post", {}, 400),
    "maintenance:work_order_cancel": ("division_writer", order_id, "post", {}, 400),
    "maintenance:work_order_photos": ("division_writer", order_id, "post", {"stage": "before"}, 400),
    "maintenance:work_order_photo": ("division_reader", photo_id, "get", None),
    # Residents are signed in but see no check: 404.
    "maintenance:check_photo": ("division_reader", check_id, "get", None),
    "maintenance:units": ("division_reader", None, "get", None),
    "maintenance:unit_new": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "maintenance:unit": ("division_reader", unit_id, "get", None, {"post": ({}, 400, "division_writer")}),
    # Active already: nothing changes; writers are sent back to the unit.
    "maintenance:unit_active": ("division_writer", unit_id, "post", {"active": "1"}),
    # No phone: writers get 400 with the form's error.
    "maintenance:unit_staff_add": ("division_writer", unit_id, "post", {}, 400),
    # Nobody named: writers are sent back to the unit with a message.
    "maintenance:unit_staff_remove": ("division_writer", unit_id, "post", {}),
    "maintenance:replacements": ("division_reader", None, "get", None),
    # No severity: writers are sent back to the list with the form's error.
    "maintenance:replacements_open": ("division_writer", None, "post", {}),
}

API = {
    "GET /api/v1/maintenance/work-orders": ("division_reader", None, None),
    # An unknown kind: writers get 400 kind_invalid and nothing is opened.
    "POST /api/v1/maintenance/work-orders": ("division_writer", None, {"description": "x", "kind": "nonsense"}, 400),
    "GET /api/v1/maintenance/work-orders/counts": ("division_reader", None, None),
    "GET /api/v1/maintenance/work-orders/{order_id}": ("division_reader", order_id, None),
    # No such unit: writers get 400 unit_not_serving.
    "POST /api/v1/maintenance/work-orders/{order_id}/assign": ("division_writer", order_id, {"unit_id": 999999999}, 400),
    # The order is open, not assigned: writers get 409 work_order_state.
    "POST /api/v1/maintenance/work-orders/{order_id}/start": ("division_writer", order_id, None, 409),
    "POST /api/v1/maintenance/work-orders/{order_id}/complete": ("division_writer", order_id, {}, 409),
    # Refused without a reason: writers get 400 reason_required.
    "POST /api/v1/maintenance/work-orders/{order_id}/verify": ("division_writer", order_id,
                                                              {"accepted": False, "note": ""}, 400),
    "POST /api/v1/maintenance/work-orders/{order_id}/cancel": ("division_writer", order_id, {"reason": ""}, 400),
    # The matrix posts JSON, without stage or file: writers get 400, supervisors 403, residents 403.
    "POST /api/v1/maintenance/work-orders/{order_id}/photos": ("division_writer", order_id, None, 400),
    "GET /api/v1/maintenance/work-orders/{order_id}/photos/{photo_id}": ("division_reader", order_photo, None),
    "GET /api/v1/maintenance/units": ("division_reader", None, None),
    # An unknown division: writers get 400 region_invalid.
    "POST /api/v1/maintenance/units": ("division_writer", None, {"name": "x", "region": "000000000000"}, 400),
    "GET /api/v1/maintenance/units/{unit_id}": ("division_reader", unit_id, None),
    "PATCH /api/v1/maintenance/units/{unit_id}": ("division_writer", unit_id, {"active": True}),
    # The unit has an assigned order: writers get 409 unit_has_open_orders.
    "DELETE /api/v1/maintenance/units/{unit_id}": ("division_writer", unit_id, None, 409),
    "GET /api/v1/maintenance/units/{unit_id}/staff": ("division_reader", unit_id, None),
    # Not a mobile number: writers get 400.
    "POST /api/v1/maintenance/units/{unit_id}/staff": ("division_writer", unit_id, {"phone": "1"}, 400),
    "DELETE /api/v1/maintenance/units/{unit_id}/staff/{user_id}": ("division_writer", unit_worker, None),
    "GET /api/v1/maintenance/replacements": ("division_reader", None, None),
    "POST /api/v1/maintenance/replacements": ("division_writer", None, past_life, 400),
}

CROSS_COUNTY = [
    ("web", "maintenance:work_order", order_id, None, 200),
    ("web", "maintenance:work_order_photo", photo_id, None, 200),
    ("web", "maintenance:check_photo", check_id, None, 200),
    ("web", "maintenance:unit", county_unit, None, 200),
    ("api", "GET /api/v1/maintenance/work-orders/{order_id}", order_id, None, 200),
    ("api", "GET /api/v1/maintenance/work-orders/{order_id}/photos/{photo_id}", order_photo, None, 200),
    ("api", "POST /api/v1/maintenance/work-orders/{order_id}/assign", order_id,
     lambda w, role=None: {"unit_id": _unit(w, "county")[0].pk}, 200),
    ("api", "POST /api/v1/maintenance/work-orders/{order_id}/cancel", order_id, {"reason": "重复"}, 200),
    ("api", "GET /api/v1/maintenance/units/{unit_id}", county_unit, None, 200),
    ("api", "PATCH /api/v1/maintenance/units/{unit_id}", county_unit, {"contact": "王师傅"}, 200),
    ("api", "GET /api/v1/maintenance/units/{unit_id}/staff", county_unit, None, 200),
    ("api", "DELETE /api/v1/maintenance/units/{unit_id}/staff/{user_id}", county_worker, None, 204),
    ("api", "POST /api/v1/maintenance/replacements", lambda w, role=None: {},
     lambda w, role=None: replacement(w), 200),
]
