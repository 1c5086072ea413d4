"""A person's lecture sign-ups and online courses marked done: their export (PIPL art. 45) and erasure (art. 47).

quanmin.web.personal_data calls these; `COVERS` names each reference to a person held here and what
the erasure does with it (tests/web/test_personal_data.py walks the models against it).
"""

from django.db import transaction

from .models import CourseCompletion, LectureSignup

# reference to the person: (where the export lists it, what the erasure does: delete | unlink | keep).
# A sign-up is the resident's own: it goes (the lecture's audience, a count staff record, stays).
COVERS = {"outreach.LectureSignup.user": ("lecture_signups", "delete"),
          "outreach.CourseCompletion.user": ("online_courses_done", "delete")}


def export_person(user) -> dict:
    return {"lecture_signups": [
        {"lecture": s.lecture.title, "starts_at": s.lecture.starts_at.isoformat(), "place": s.lecture.place,
         "signed_up_at": s.created_at.isoformat(),
         "cancelled_at": s.cancelled_at.isoformat() if s.cancelled_at else None}
        for s in LectureSignup.objects.filter(user=user).select_related("lecture").order_by("created_at", "pk")],
        "online_courses_done": [
            {"course": d.course.title, "sport": d.course.sport, "done_at": d.created_at.isoformat()}
            for d in CourseCompletion.objects.filter(user=user).select_related("course").order_by("created_at", "pk")]}


def erase_person(user) -> None:
    with transaction.atomic():
        LectureSignup.objects.filter(user=user).delete()
        CourseCompletion.objects.filter(user=user).delete()
