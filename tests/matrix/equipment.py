"""Permission rows for the equipment register: staff pages, QR tags, Excel in and out, API.

The world has no equipment: the first call puts a fitness path with one piece at each county's
site (the neighbouring county's staff get their own county's piece)."""


def _made(w):
    made = w.__dict__.get("_equipment_matrix")
    if made is None:
        from quanmin.facilities import equipment_services
        from quanmin.facilities import services as fs

        made = {}
        for key, site in (("own", w.site), ("other", w.other_site)):
            path = fs.add_facility(site, {"type": "fitness_path", "area_m2": "120"})
            made[key] = (path, equipment_services.create_equipment(facility=path, kind="air_walker"))
        w._equipment_matrix = made
    return made


def _own(w, role=None):
    return _made(w)["other" if role == "other_county" else "own"]


def piece_pk(w, role=None):
    return {"pk": _own(w, role)[1].pk}


def path_pk(w, role=None):
    return {"facility_id": _own(w, role)[0].pk}


def piece_id(w, role=None):
    return {"equipment_id": _own(w, role)[1].pk}


def new_piece(w, role=None):
    return {"facility_id": _own(w, role)[0].pk, "kind": "elliptical"}


WEB = {
    "facilities:equipment_list": ("division_reader", None, "get", None),
    "facilities:equipment_new": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "facilities:equipment": ("division_reader", piece_pk, "get", None),
    "facilities:equipment_edit": ("division_writer", piece_pk, "get", None, {"post": ({}, 200)}),
    # Already in service: nothing changes; writers are sent back to the piece.
    "facilities:equipment_status": ("division_writer", piece_pk, "post", {"status": "in_service"}),
    "feedback:equipment_tag": ("division_reader", piece_pk, "get", None),
    "feedback:equipment_facility_tags": ("division_reader", path_pk, "get", None),
    "facilities:equipment_import": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    # No token: writers are sent back to the import page, the others are refused.
    "facilities:equipment_import_apply": ("division_writer", None, "post", {}),
    "facilities:equipment_import_template": ("division_writer", None, "get", None),
    "facilities:equipment_export": ("division_reader", None, "get", None),
}

API = {
    "GET /api/v1/equipment/types": ("public", None, None),
    "GET /api/v1/equipment": ("division_reader", None, None),
    "POST /api/v1/equipment": ("division_writer", None, new_piece),
    "GET /api/v1/equipment/export.xlsx": ("division_reader", None, None),
    "GET /api/v1/equipment/import-template.xlsx": ("division_writer", None, None),
    # Without a file writers get 400 file_required; supervisors 403.
    "POST /api/v1/equipment/import": ("division_writer", None, None, 400),
    "GET /api/v1/equipment/{equipment_id}": ("division_reader", piece_id, None),
    "PATCH /api/v1/equipment/{equipment_id}": ("division_writer", piece_id, {"note": "扶手已紧固"}),
    "POST /api/v1/equipment/{equipment_id}/status": ("division_writer", piece_id, {"status": "in_service"}, 200),
    "GET /api/v1/equipment/{equipment_id}/tag.svg": ("division_reader", piece_id, None),
}

CROSS_COUNTY = [
    ("web", "facilities:equipment", piece_pk, None, 200),
    ("web", "facilities:equipment_edit", piece_pk, None, 200),
    ("web", "feedback:equipment_tag", piece_pk, None, 200),
    ("web", "feedback:equipment_facility_tags", path_pk, None, 200),
    ("api", "GET /api/v1/equipment/{equipment_id}", piece_id, None, 200),
    ("api", "GET /api/v1/equipment/{equipment_id}/tag.svg", piece_id, None, 200),
    ("api", "PATCH /api/v1/equipment/{equipment_id}", piece_id, {"note": "x"}, 200),
    ("api", "POST /api/v1/equipment/{equipment_id}/status", piece_id, {"status": "defective", "reason": "x"}, 200),
    ("api", "POST /api/v1/equipment", lambda w, role=None: {}, lambda w, role=None: new_piece(w), 201),
]
