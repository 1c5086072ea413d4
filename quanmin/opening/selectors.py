"""Reads the pages, the API and the export share: the rounds, evaluations and rectifications a user
may see. A county's staff see the evaluations of their county's venues, in its own round and in the
city's; a round shows them only those."""

from collections import Counter

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from quanmin.accounts import scoping
from quanmin.regions.selectors import subtree_q

from . import permissions
from .models import OpeningEvaluation, OpeningRectification, OpeningRound


def evaluations_in_scope(user) -> QuerySet[OpeningEvaluation]:
    return scoping.scoped(user, OpeningEvaluation.objects.select_related("round", "site", "site__region"))


def rounds_for(user) -> QuerySet[OpeningRound]:
    """The rounds of the user's divisions, and those above holding a venue of theirs."""
    if not permissions.can_read(user):
        return OpeningRound.objects.none()
    mine = scoping.scope_q(user, OpeningRound)
    if mine is None:
        return OpeningRound.objects.select_related("region")
    holding = Exists(evaluations_in_scope(user).filter(round_id=OuterRef("pk")))
    return OpeningRound.objects.filter(mine | Q(holding)).select_related("region")


def round_or_404(user, pk) -> OpeningRound:
    try:
        return rounds_for(user).get(pk=pk)
    except (OpeningRound.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def evaluations_for(user, params=None) -> QuerySet[OpeningEvaluation]:
    """Evaluations of the venues in scope. Filters: round, region (a subtree), status, result, special
    (the certified-free-use conclusion), q (venue name contains)."""
    if not permissions.can_read(user):
        return OpeningEvaluation.objects.none()
    qs = evaluations_in_scope(user)
    get = (params or {}).get
    for key, choices in (("status", OpeningEvaluation.Status), ("result", OpeningEvaluation.Result),
                         ("special", OpeningEvaluation.Special)):
        value = str(get(key) or "")
        if value:
            field = "special_result" if key == "special" else key
            qs = qs.filter(**{field: value}) if value in choices.values else qs.none()
    found_round = str(get("round") or "")
    if found_round:
        qs = qs.filter(round_id=found_round) if found_round.isdigit() else qs.none()
    found = subtree_q(get("region"), "site__region__code")
    if found is not None:
        qs = qs.filter(found)
    q = str(get("q") or "").strip()[:60]
    if q:
        qs = qs.filter(site__name__icontains=q)
    return qs.order_by("site__region_id", "site__name", "pk")


def evaluation_or_404(user, pk, write: bool = False) -> OpeningEvaluation:
    if not permissions.can_read(user):
        raise Http404
    return scoping.get_scoped_or_404(user, OpeningEvaluation.objects.select_related("round", "site", "site__region"),
                                     write, pk=pk)


def summary(evaluations: QuerySet[OpeningEvaluation]) -> dict:
    """Counts of a list of evaluations: venues, evaluated, each result and each special conclusion."""
    rows = list(evaluations.values_list("status", "result", "special_result"))
    results, special = Counter(r for _s, r, _p in rows if r), Counter(p for _s, _r, p in rows if p)
    return {"venues": len(rows), "done": sum(s == OpeningEvaluation.Status.DONE for s, _r, _p in rows),
            "results": [(label, results.get(value, 0)) for value, label in OpeningEvaluation.Result.choices],
            "special": [(label, special.get(value, 0)) for value, label in OpeningEvaluation.Special.choices]}


def rectifications_for(user, params=None) -> QuerySet[OpeningRectification]:
    """Rectifications of the venues in scope (a venue's operator: its own). Filters: status, overdue
    (1: open past the due date), round, region, site."""
    qs = scoping.scoped(user, OpeningRectification.objects.select_related("site", "site__region",
                                                                          "evaluation__round"))
    get = (params or {}).get
    status = str(get("status") or "")
    if status:
        qs = qs.filter(status=status) if status in OpeningRectification.Status.values else qs.none()
    if str(get("overdue") or "") == "1":
        qs = qs.filter(status=OpeningRectification.Status.OPEN, due__lt=timezone.localdate())
    for key, field in (("round", "evaluation__round_id"), ("site", "site_id")):
        value = str(get(key) or "")
        if value:
            qs = qs.filter(**{field: value}) if value.isdigit() else qs.none()
    found = subtree_q(get("region"), "site__region__code")
    if found is not None:
        qs = qs.filter(found)
    return qs.order_by("due", "pk")


def rectification_or_404(user, pk, write: bool = False) -> OpeningRectification:
    return scoping.get_scoped_or_404(
        user, OpeningRectification.objects.select_related("site", "site__region", "evaluation__round"), write, pk=pk)
