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

from quanmin.accounts import audit, scoping
from quanmin.regions import codes

from . import errors, permissions, tables
from .models import Participant, Prescription, TestResult, TestSession, TestStation


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
