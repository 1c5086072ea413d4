"""A person's reports: their part of the export (PIPL art. 45) and of the erasure (art. 47).

quanmin.web.personal_data calls these; `COVERS` names each reference to a person held here and what
the erasure does with it (tests/web/test_personal_data.py walks the models against it).
"""

from __future__ import annotations

from .models import Report

# reference to the person: (where the export lists it, what the erasure does: delete | unlink | keep)
COVERS = {
    # The report is about a place and stays with the division that answers it; who sent it does not
    # (the phone left with it is removed too).
    "feedback.Report.reporter": ("reports", "unlink"),
}


def _iso(value):
    return value.isoformat() if value else None


def export_person(user) -> dict:
    reports = (Report.objects.filter(reporter=user).select_related("site", "equipment")
               .prefetch_related("photos", "events").order_by("created_at", "pk"))
    return {"reports": [
        {"number": r.number, "category": r.category, "description": r.description,
         "place": r.site.name if r.site else None, "equipment": str(r.equipment) if r.equipment else None,
         "lon": r.lon, "lat": r.lat, "phone": r.phone_masked, "status": r.status, "sent_at": _iso(r.created_at),
         "responded_at": _iso(r.responded_at), "resolved_at": _iso(r.resolved_at), "answer": r.answer,
         "rating": r.rating, "rating_comment": r.rating_comment,
         "photos": [p.image.name for p in r.photos.all()],
         "timeline": [{"kind": e.kind, "at": _iso(e.at), "text": e.text} for e in r.events.all() if e.public]}
        for r in reports
    ]}


def erase_person(user) -> None:
    Report.objects.filter(reporter=user).update(reporter=None, phone_encrypted="", phone_masked="", source="",
                                                client_key="")


