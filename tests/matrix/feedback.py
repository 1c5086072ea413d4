"""Permission rows for the residents' report pages (/r/…) and the staff queue (/staff/reports/…).

The reports are those of the feedback API rows (tests/matrix/feedback_api.py): one about each county's
site, each with a tiny photo; the neighbouring county's staff get their own county's report. The QR
tag page needs a piece of equipment: one is installed on a fitness path at the county's site.
Writes carry what the services refuse (an empty answer, an unknown severity, no photo, a rating of a
report not yet resolved), so one row leaves the report as it was for the next; revealing the phone
only reads (and logs)."""

from .feedback_api import _own


def tag(w, role=None):
    piece = w.__dict__.get("_feedback_pages_piece")
    if piece is None:
        from quanmin.facilities import equipment_services
        from quanmin.facilities import services as fs

        path = fs.add_facility(w.site, {"type": "fitness_path", "area_m2": "200"})
        piece = equipment_services.create_equipment(facility=path, kind="air_walker")
        w._feedback_pages_piece = piece
    return {"tag": piece.tag}


def site_pk(w, role=None):
    return {"site_pk": (w.other_site if role == "other_county" else w.site).pk}


def token(w, role=None):
    return {"token": _own(w, role)[0].token}


def token_photo(w, role=None):
    report, photo = _own(w, role)
    return {"token": report.token, "photo_id": photo.pk}


def pk(w, role=None):
    return {"pk": _own(w, role)[0].pk}


def photo_id(w, role=None):
    return {"photo_id": _own(w, role)[1].pk}


WEB = {
    "feedback:report_equipment": ("public", tag, "get", None, {"post": ({}, 400)}),
    "feedback:report_site": ("public", site_pk, "get", None, {"post": ({}, 400)}),
    "feedback:report_map": ("public", None, "get", None, {"post": ({}, 400)}),
    "feedback:my_reports": ("signed_in", None, "get", None),
    "feedback:report": ("public", token, "get", None),
    # Not resolved yet: refused with a message, back to the report's page (302) for anyone with the link.
    "feedback:report_rate": ("public", token, "post", {"rating": "5"}),
    # No file: "Choose a photo." and back to the report's page.
    "feedback:report_photos_add": ("public", token, "post", {}),
    "feedback:report_photo": ("public", token_photo, "get", None),
    "feedback:staff_reports": ("division_reader", None, "get", None),
    "feedback:settings": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "feedback:staff_report": ("division_reader", pk, "get", None),
    # Empty answers: writers get 400 and nothing changes; supervisors and residents 403.
    "feedback:staff_respond": ("division_writer", pk, "post", {"text": ""}, 400),
    "feedback:staff_resolve": ("division_writer", pk, "post", {"text": ""}, 400),
    "feedback:staff_reject": ("division_writer", pk, "post", {"text": ""}, 400),
    "feedback:staff_note": ("division_writer", pk, "post", {"text": ""}, 400),
    # An unknown severity: writers get 400 and no order is opened.
    "maintenance:report_work_order": ("division_writer", pk, "post", {"severity": "nonsense", "kind": "repair"}, 400),
    # Readers reach the view; only those who may handle the report see the number (supervisors 403).
    "feedback:staff_phone": ("division_writer", pk, "post", {"purpose": "回访"}, 200),
    "feedback:staff_photo": ("division_reader", photo_id, "get", None),
}

CROSS_COUNTY = [
    ("web", "feedback:staff_report", pk, None, 200),
    ("web", "feedback:staff_photo", photo_id, None, 200),
]
