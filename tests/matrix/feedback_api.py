"""Permission rows for the residents' reports API (/api/v1/feedback).

The world has no reports: the first call puts one about each county's site (the neighbouring county's
staff get their own county's report), each with a real (tiny) photo. Writes in the role rows carry a
body the services refuse (an empty answer, an unknown severity), so one role's calls leave the report
as it was for the next; the cross-county rows make real changes for the owning county."""

API_ROOT = "/api/v1/feedback"
PHOTO = "reports/matrix/sample.gif"


def _other(role) -> bool:
    return role == "other_county"


def _made(w):
    made = w.__dict__.get("_feedback_api_matrix")
    if made is None:
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        from quanmin.feedback import services
        from quanmin.feedback.models import ReportPhoto

        # Stored under a random name (core.uploads): keep the name the storage gives.
        photo = default_storage.save(PHOTO, ContentFile(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
        made = {}
        for key, site in (("own", w.site), ("other", w.other_site)):
            report = services.submit_report(
                category="hygiene", description="垃圾未清理", phone="13912345678", site=site
            )
            made[key] = (report, ReportPhoto.objects.create(report=report, image=photo))
        w._feedback_api_matrix = made
    return made


def _own(w, role=None):
    return _made(w)["other" if _other(role) else "own"]


def token(w, role=None):
    return {"token": _own(w, role)[0].token}


def token_photo(w, role=None):
    report, photo = _own(w, role)
    return {"token": report.token, "photo_id": photo.pk}


def report_id(w, role=None):
    return {"report_id": _own(w, role)[0].pk}


def report_photo(w, role=None):
    report, photo = _own(w, role)
    return {"report_id": report.pk, "photo_id": photo.pk}


def own_division(w, role=None):
    place = {"community": w.community, "township": w.township, "other_county": w.other_county, "city": w.city}.get(
        role, w.county
    )
    return {"code": place.code}


def county_code(w, role=None):
    return {"code": w.county.code}


SETTINGS = {"hotline": "0635-12345", "response_working_days": 1, "resolution_working_days": 5}

API = {
    "GET /api/v1/feedback/hotline": ("public", None, None),
    "GET /api/v1/feedback/categories": ("public", None, None),
    # The matrix posts JSON: everyone gets 415 form_required (the report is sent as multipart).
    "POST /api/v1/feedback/reports": ("public", None, {"category": "hygiene"}, 415),
    "GET /api/v1/feedback/reports/{token}": ("public", token, None),
    # No file: 400 photos_required for anyone holding the token.
    "POST /api/v1/feedback/reports/{token}/photos": ("public", token, None, 400),
    "GET /api/v1/feedback/reports/{token}/photos/{photo_id}": ("public", token_photo, None),
    # Not resolved yet: 409 not_resolved for anyone holding the token.
    "POST /api/v1/feedback/reports/{token}/rating": ("public", token, {"rating": 5}, 409),
    "GET /api/v1/feedback/mine": ("signed_in", None, None),
    "GET /api/v1/feedback/staff/reports": ("division_reader", None, None),
    "GET /api/v1/feedback/staff/reports/{report_id}": ("division_reader", report_id, None),
    # Empty answers: writers get 400, supervisors 403, residents 403, strangers 401.
    "POST /api/v1/feedback/staff/reports/{report_id}/respond": ("division_writer", report_id, {"text": ""}, 400),
    "POST /api/v1/feedback/staff/reports/{report_id}/resolve": ("division_writer", report_id, {"answer": ""}, 400),
    "POST /api/v1/feedback/staff/reports/{report_id}/reject": ("division_writer", report_id, {"reason": ""}, 400),
    "POST /api/v1/feedback/staff/reports/{report_id}/note": ("division_writer", report_id, {"text": ""}, 400),
    # An unknown severity: writers get 400 and no order is opened.
    "POST /api/v1/feedback/staff/reports/{report_id}/work-order": (
        "division_writer",
        report_id,
        {"severity": "nonsense"}, 400,
    ),
    "POST /api/v1/feedback/staff/reports/{report_id}/phone": ("division_writer", report_id, {"purpose": "回访"}, 200),
    "GET /api/v1/feedback/staff/reports/{report_id}/photos/{photo_id}": ("division_reader", report_photo, None),
    "GET /api/v1/feedback/staff/settings/{code}": ("division_reader", own_division, None),
    "PUT /api/v1/feedback/staff/settings/{code}": ("division_writer", own_division, SETTINGS),
}

CROSS_COUNTY = [
    ("api", "GET /api/v1/feedback/staff/reports/{report_id}", report_id, None, 200),
    ("api", "POST /api/v1/feedback/staff/reports/{report_id}/respond", report_id, {"text": "已收到"}, 200),
    ("api", "POST /api/v1/feedback/staff/reports/{report_id}/resolve", report_id, {"answer": "已清理"}, 200),
    ("api", "POST /api/v1/feedback/staff/reports/{report_id}/reject", report_id, {"reason": "重复"}, 200),
    ("api", "POST /api/v1/feedback/staff/reports/{report_id}/note", report_id, {"text": "明天处理"}, 201),
    ("api", "POST /api/v1/feedback/staff/reports/{report_id}/work-order", report_id, {}, 201),
    ("api", "POST /api/v1/feedback/staff/reports/{report_id}/phone", report_id, {"purpose": "回访"}, 200),
    ("api", "GET /api/v1/feedback/staff/reports/{report_id}/photos/{photo_id}", report_photo, None, 200),
    ("api", "GET /api/v1/feedback/staff/settings/{code}", county_code, None, 200),
    ("api", "PUT /api/v1/feedback/staff/settings/{code}", county_code, SETTINGS, 200),
]
