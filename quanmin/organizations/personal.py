"""A person's groups and amateur grades: their export (PIPL art. 45) and erasure (art. 47).

quanmin.web.personal_data calls these; `COVERS` names each reference to a person held here and what
the erasure does with it (tests/web/test_personal_data.py walks the models against it).
"""

from __future__ import annotations

from .models import AmateurGrade, GroupMembership

# reference to the person: (where the export lists it, what the erasure does: delete | unlink | keep)
COVERS = {
    "organizations.GroupMembership.user": ("group_memberships", "delete"),  # with a guardian's name
    "organizations.AmateurGrade.user": ("amateur_grades", "delete"),
}


def _iso(value):
    return value.isoformat() if value else None


def export_person(user) -> dict:
    return {
        "group_memberships": [
            {"group": m.organization.name, "status": m.status, "message": m.message,
             "guardian_name": m.guardian_name, "guardian_relation": m.guardian_relation,
             "asked_at": _iso(m.requested_at), "decided_at": _iso(m.decided_at), "left_at": _iso(m.left_at)}
            for m in GroupMembership.objects.filter(user=user).select_related("organization").order_by("requested_at")
        ],
        "amateur_grades": [
            {"awarded_by": g.organization.name, "sport": g.sport, "grade": g.level, "awarded_on": _iso(g.awarded_on),
             "certificate_no": g.certificate_no}
            for g in AmateurGrade.objects.filter(user=user).select_related("organization").order_by("awarded_on")
        ],
    }


def erase_person(user) -> None:
    GroupMembership.objects.filter(user=user).delete()
    AmateurGrade.objects.filter(user=user).delete()
