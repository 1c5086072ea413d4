"""Reads of physique data that pages and the API share, with the access rule in one place.

A person's results are readable by:
- the person (the participant's user account);
- the testing staff: division staff with a writing role (city, county, township or community
  staff) whose division holds the station where the result was taken. This platform has no
  separate "tester" role and accounts models are not changed for one: the division staff who run
  a station are its testers. Supervisors and evaluators (read-only roles) see figures only.
Anything else answers 404, the same as a missing result. Every read is logged by the caller with
`log_read` (quanmin.accounts.audit.read_personal).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.core.errors import ServiceError
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import errors, permissions, tables
from .models import (
    ExerciseCertificate,
    ExerciseGrade,
    ExerciseSession,
    Participant,
    Prescription,
    TestResult,
    TestSession,
    TestStation,
)


def _visible_q(user, model) -> Q | None:
    """Rows of `model` (results or prescriptions) the user may read; None = all (superuser)."""
    staff = scoping.scope_q(user, model, write=True)
    if staff is None:
        return None
    if getattr(user, "is_authenticated", False):
        return staff | Q(participant__user=user)
    return staff


def visible_results(user, qs: QuerySet | None = None) -> QuerySet:
    qs = qs if qs is not None else TestResult.objects.all()
    q = _visible_q(user, TestResult)
    return qs if q is None else qs.filter(q)


def result_or_404(user, pk) -> TestResult:
    qs = visible_results(user, TestResult.objects.select_related("participant__user", "session__station", "tester"))
    try:
        return qs.get(pk=pk)
    except (TestResult.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def prescription_or_404(user, pk) -> Prescription:
    q = _visible_q(user, Prescription)
    qs = Prescription.objects.select_related("result__session__station", "participant__user")
    if q is not None:
        qs = qs.filter(q)
    try:
        return qs.get(pk=pk)
    except (Prescription.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def own_participant(user) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.select_related("user").filter(user=user).first()


def participant_or_404(user, pk) -> Participant:
    """A participant for the testing staff: registered in their divisions or tested at their stations."""
    if not permissions.can_test(user):
        raise Http404
    staff_results = scoping.scope_q(user, TestResult, write=True)
    qs = Participant.objects.select_related("user")
    if staff_results is not None:
        in_scope = scoping.scope_q(user, Participant, write=True)
        tested_here = TestResult.objects.filter(staff_results).values("participant_id")
        qs = qs.filter(in_scope | Q(pk__in=tested_here))
    try:
        return qs.get(pk=pk)
    except (Participant.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def results_of(participant: Participant, viewer) -> QuerySet:
    """A participant's results the viewer may read, oldest first (the person sees all of them)."""
    qs = participant.results.select_related("session__station").order_by("tested_at", "id")
    if participant.user_id and participant.user_id == getattr(viewer, "pk", None):
        return qs
    return visible_results(viewer, qs)


def log_read(request, participant: Participant, purpose: str) -> None:
    """Log a read of a person's health data (their results, a report, a prescription)."""
    person = participant.user if participant.user_id else participant
    audit.read_personal(request, person, ["physique_results"], purpose)


def writable_region(user, raw_code: str):
    """The division a staff form names by code, if the user writes there; ValueError for a malformed
    code, a ServiceError (region_out_of_scope) for one outside their divisions or unknown."""
    code = codes.normalise(raw_code)
    region = Region.objects.filter(code=code).first()
    if region is None or not scoping.can_write_region(user, code):
        raise ServiceError("region_out_of_scope", _("This division is outside your scope."), "region_code")
    return region


def stations_for(user, write: bool = True) -> QuerySet:
    return scoping.scoped(user, TestStation.objects.select_related("region", "site"), write=write)


def station_or_404(user, pk) -> TestStation:
    return scoping.get_scoped_or_404(user, TestStation.objects.select_related("region", "site"), write=True, pk=pk)


def session_or_404(user, pk) -> TestSession:
    return scoping.get_scoped_or_404(user, TestSession.objects.select_related("station__region", "station__site",
                                                                                "slot"), write=True, pk=pk)


def upcoming_sessions(region_code: str = "", bookable: bool = True) -> QuerySet:
    """Sessions to come, for residents: with a booking slot (and its free places) when `bookable`."""
    qs = (TestSession.objects.filter(starts_at__gt=timezone.now(), station__active=True)
          .select_related("station__region", "station__site", "slot").order_by("starts_at", "id"))
    if bookable:
        qs = qs.filter(slot__isnull=False)
    if region_code:
        qs = qs.filter(station__region__code__within=codes.prefix(codes.normalise(region_code)))
    return qs


def items_for(standard: str, sex: str | None, grade: str | None = None, age: float | None = None):
    """The items (and their inputs) a person is tested on, or None when the group is unknown."""
    try:
        std = tables.load_standard(standard)
        if sex not in tables.SEXES:
            return None
        return std.group_for(grade=grade or None, age=age if std.subject == "age" else None).plans[sex]
    except errors.ScoringError:
        return None


def chart_data(results, item_labels: dict, standard_labels: dict | None = None) -> dict:
    """Series for the personal record: totals over time per standard, and each item's score."""
    totals, items = {}, {}
    for r in results:
        day = timezone.localtime(r.tested_at).date().isoformat()
        totals.setdefault((standard_labels or {}).get(r.standard, r.standard), []).append([day, float(r.total)])
        for it in r.scores:
            if it.get("score") is not None:
                key = f"{r.standard}:{it['key']}"
                items.setdefault(key, {"name": str(item_labels.get(it["key"], it["label"])), "standard": r.standard,
                                       "data": []})["data"].append([day, it["score"]])
    return {"totals": [{"name": k, "data": v} for k, v in totals.items()], "items": list(items.values())}


# --- the exercise standard ---------------------------------------------------------------------------

def exercise_sessions_for(user) -> QuerySet:
    """Exercise standard sessions of the staff's divisions (writers: they run them)."""
    return scoping.scoped(user, ExerciseSession.objects.select_related("region"), write=True)


def exercise_session_or_404(user, pk) -> ExerciseSession:
    return scoping.get_scoped_or_404(user, ExerciseSession.objects.select_related("region"), write=True, pk=pk)


def exercise_grade_or_404(user, pk) -> ExerciseGrade:
    return scoping.get_scoped_or_404(user, ExerciseGrade.objects.select_related("session", "participant"),
                                     write=True, pk=pk)


def people_named_by(user) -> QuerySet:
    """Participants the testing staff may name by system ID in a file: registered in their divisions,
    or tested (physique or exercise standard) there."""
    qs = Participant.objects.all()
    in_scope = scoping.scope_q(user, Participant, write=True)
    if in_scope is None:
        return qs
    tested = TestResult.objects.filter(scoping.scope_q(user, TestResult, write=True)).values("participant_id")
    graded = ExerciseGrade.objects.filter(scoping.scope_q(user, ExerciseGrade, write=True)).values("participant_id")
    return qs.filter(in_scope | Q(pk__in=tested) | Q(pk__in=graded))


def own_exercise_grades(participant: Participant | None) -> list[ExerciseGrade]:
    if participant is None:
        return []
    return list(participant.exercise_grades.select_related("session__region", "certificate")
                .order_by("-tested_at", "-id")[:50])


def own_certificate_or_404(user, number: str) -> ExerciseCertificate:
    """A certificate of the signed-in person (their printable copy); anyone else's answers 404."""
    found = (ExerciseCertificate.objects.select_related("grade__session__region", "participant__user", "region")
             .filter(number=(number or "").strip().upper()[:24], participant__user=user).first()
             if getattr(user, "is_authenticated", False) else None)
    if found is None:
        raise Http404
    return found


def certificate_by_number(number: str) -> ExerciseCertificate | None:
    """The public check: a certificate by its exact number, or None."""
    number = (number or "").strip().upper()[:24]
    if not number:
        return None
    return (ExerciseCertificate.objects.select_related("grade__session", "participant__user", "region")
            .filter(number=number).first())
