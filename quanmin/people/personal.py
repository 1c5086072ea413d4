"""A person's part in the instructors' register: their export (PIPL art. 45) and erasure (art. 47).

quanmin.web.personal_data calls these; `COVERS` names each reference to a person held here and what
the erasure does with it (tests/web/test_personal_data.py walks the models against it).
"""

from __future__ import annotations

from .models import DutyLog, GuidanceRequest, Instructor

# reference to the person: (where the export lists it, what the erasure does: delete | unlink | keep)
COVERS = {
    # The register is the sports bureau's, kept under the instructor rules; the account leaves it.
    "people.Instructor.user": ("instructor", "unlink"),
    "people.GuidanceRequest.user": ("guidance_requests", "delete"),
}


def _iso(value):
    return value.isoformat() if value else None


def export_person(user) -> dict:
    instructor = Instructor.objects.filter(user=user).first()
    registered = None
    if instructor is not None:
        registered = {
            "kind": instructor.kind, "real_name": instructor.real_name, "phone": instructor.phone,
            "sex": instructor.sex, "birth_date": _iso(instructor.birth_date), "division": instructor.region.name,
            "grade": instructor.grade, "certificate_no": instructor.certificate_no, "status": instructor.status,
            "approved_on": _iso(instructor.approved_on), "sports": instructor.sports,
            "association": instructor.association, "name_on_public_card": instructor.public_name,
            "history": [{"action": h.action, "grade": h.grade, "on": _iso(h.on), "note": h.note}
                        for h in instructor.history.order_by("on", "pk")],
            "service_log": [
                {"started_at": _iso(d.started_at), "ended_at": _iso(d.ended_at), "hours": str(d.hours),
                 "activity": d.activity, "status": d.status}
                for d in DutyLog.objects.filter(instructor=instructor).order_by("started_at")],
        }
    return {
        "instructor": registered,
        "guidance_requests": [
            {"station": g.station.name, "sport": g.sport, "message": g.message, "status": g.status,
             "answer": g.answer, "asked_at": _iso(g.created_at)}
            for g in GuidanceRequest.objects.filter(user=user).select_related("station").order_by("created_at")
        ],
    }


def erase_person(user) -> None:
    Instructor.objects.filter(user=user).update(user=None)
    GuidanceRequest.objects.filter(user=user).delete()
