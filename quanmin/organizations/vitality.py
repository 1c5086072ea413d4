"""The vitality index (活力指数, C08) of sports organisations and the promotion measure of single-sport
associations (C09).

Vitality: each component is counted from the register's own records over the 365 days ending on
the day, then divided by the largest value among organisations of the same kind in the same county
(so a sports community is measured against the county's other sports communities, a club against
its clubs), and the weighted sum is scaled to 0-100:

    index = 100 × Σ weight_c × value_c / max(value_c in kind and county) ÷ Σ weight_c

Components (weights in settings.QUANMIN_VITALITY_WEIGHTS, these by default):
    members             active members now                                          0.25
    participation       places booked (held, confirmed, attended) at its regular
                        activities                                                  0.15
    announcements       announcements sent to members                               0.10
    grade               its grade valid on the day (0 ungraded … 5 for 5A)          0.15
    awards              amateur sport grades it awarded                             0.10
    events              games and events it organised (first day in the year)       0.10
    event_participants  athletes entered in those games                             0.05
    instructors         its members who are active social sports instructors        0.10
A component nobody in the group has scores 0 for all.

Where the last three come from: the events register and the instructor register keep them, and
organisations may not import either (the allowed edge is events → organizations). Each keeper
declares the fact in its own facts.py through quanmin.core.facts, and this module reads it by key
(`events`, `event_participants` about organisations; the subset `active_instructor` of accounts,
joined to its members in SQL). Without the keeper installed the component reads 0.

Promotion (C09), for a single-sport association: in its division's subtree, the other counted
organisations practising its sports, the members they have, the communities they reach, the places
booked at their activities over the year, and the amateur grades the association awarded.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from quanmin.booking.models import ACTIVE_STATUSES, Booking
from quanmin.core import facts
from quanmin.core.indicators import local_span, year_ending
from quanmin.regions import codes

from .models import Activity, AmateurGrade, Announcement, Grading, GroupMembership, Organization

Org = Organization
DEFAULT_WEIGHTS = {"members": 0.25, "participation": 0.15, "announcements": 0.10, "grade": 0.15, "awards": 0.10,
                   "events": 0.10, "event_participants": 0.05, "instructors": 0.10}
ORG_LABEL = "organizations.Organization"


def weights() -> dict[str, float]:
    found = {**DEFAULT_WEIGHTS, **getattr(settings, "QUANMIN_VITALITY_WEIGHTS", {})}
    return {k: float(v) for k, v in found.items() if k in DEFAULT_WEIGHTS and float(v) > 0}


def _participation(org_ids, start, end) -> dict[int, int]:
    """Places booked at the organisations' regular activities, by organisation (two queries)."""
    activities = Activity.objects.filter(organization_id__in=org_ids)
    units = dict(activities.values_list("unit_id", "organization_id"))
    if not units:
        return {}
    out: dict[int, int] = defaultdict(int)
    rows = (Booking.objects.filter(slot__unit_id__in=activities.values("unit_id"), status__in=ACTIVE_STATUSES,
                                   created_at__gte=start, created_at__lt=end)
            .values("slot__unit_id").annotate(n=Sum("places")).order_by())
    for row in rows:
        out[units[row["slot__unit_id"]]] += row["n"] or 0
    return out


def _instructors(org_ids) -> dict[int, int]:
    """Active members who are active instructors, by organisation: people's subset of accounts, joined
    by the database (one query)."""
    accounts = facts.subset_of("accounts.User", "active_instructor")
    if accounts is None:
        return {}
    return dict(GroupMembership.objects.filter(organization_id__in=org_ids, status=GroupMembership.Status.ACTIVE,
                                               user_id__in=accounts)
                .values_list("organization_id").annotate(n=Count("id")).order_by())


def components(group: QuerySet, day: datetime.date) -> dict[int, dict[str, float]]:
    """{organisation id: {component: raw value}} for every organisation of `group` (a queryset): one
    grouped query per component, each filtered by the group as a subquery, whatever its size."""
    ids = group.values("pk")
    members = dict(group.order_by().values_list("pk", "member_count"))
    first, last = year_ending(day)
    start, end = local_span(first, last)
    announcements = dict(Announcement.objects.filter(organization_id__in=ids, created_at__gte=start, created_at__lt=end)
                         .values_list("organization_id").annotate(n=Count("id")).order_by())
    awards = dict(AmateurGrade.objects.filter(organization_id__in=ids, awarded_on__range=(first, last))
                  .values_list("organization_id").annotate(n=Count("id")).order_by())
    grades: dict[int, tuple] = {}
    for org_id, grade, assessed, pk in Grading.objects.filter(
            organization_id__in=ids, assessed_on__lte=day, valid_until__gte=day).values_list(
            "organization_id", "grade", "assessed_on", "id"):
        if org_id not in grades or (assessed, pk) > grades[org_id][1]:
            grades[org_id] = (grade, (assessed, pk))
    participation = _participation(ids, start, end)
    events = facts.compute(ORG_LABEL, "events", ids, first, last)
    entered = facts.compute(ORG_LABEL, "event_participants", ids, first, last)
    instructors = _instructors(ids)
    return {pk: {"members": count, "participation": participation.get(pk, 0),
                 "announcements": announcements.get(pk, 0), "grade": grades.get(pk, (0,))[0],
                 "awards": awards.get(pk, 0), "events": events.get(pk, 0),
                 "event_participants": entered.get(pk, 0), "instructors": instructors.get(pk, 0)}
            for pk, count in members.items()}


def scores(group: QuerySet, day: datetime.date | None = None) -> dict[int, dict]:
    """{organisation id: {"index": 0-100, "components": raw values}} for the organisations of one
    group (`group`, a queryset: one kind in one county), normalised among them."""
    raw = components(group, day or timezone.localdate())
    w = weights()
    total = sum(w.values()) or 1.0
    top = {key: max((values[key] for values in raw.values()), default=0) for key in DEFAULT_WEIGHTS}
    return {pk: {"index": round(100 * sum(weight * (values[key] / top[key] if top[key] else 0)
                                          for key, weight in w.items()) / total, 1),
                 "components": values}
            for pk, values in raw.items()}


def peers(org: Org) -> QuerySet:
    """The organisation's group for normalising: same kind, same county, counted; and itself."""
    county = codes.ancestor_at(org.region_id, "county") if codes.level(org.region_id) != "city" else org.region_id
    return Org.objects.filter(Q(kind=org.kind, active=True, review=Org.Review.APPROVED,
                                region__code__within=codes.prefix(county)) | Q(pk=org.pk))


def of(org: Org, day: datetime.date | None = None) -> dict:
    """The organisation's index among its peers, computed for the whole group in one pass."""
    found = scores(peers(org), day)
    mine = found[org.pk]
    rank = 1 + sum(1 for v in found.values() if v["index"] > mine["index"])
    return {**mine, "rank": rank, "of": len(found), "weights": weights()}


def promotion(org: Org, day: datetime.date | None = None) -> dict | None:
    """C09 for a single-sport association: how far its sports reach in its division."""
    if org.kind != Org.Kind.ASSOCIATION or not org.sport_codes:
        return None
    day = day or timezone.localdate()
    sport_q = Q()
    for code in org.sport_codes:
        sport_q |= Q(sports__contains=f",{code},")
    reached = (Org.objects.filter(sport_q, active=True, review=Org.Review.APPROVED,
                                  region__code__within=codes.prefix(org.region_id)).exclude(pk=org.pk))
    summary = reached.aggregate(n=Count("id"), members=Sum("member_count"))
    communities = {codes.ancestor_at(c, "community") for c in reached.values_list("region_id", flat=True)
                   if codes.level(c) == "community"}
    ids = list(reached.values_list("pk", flat=True)[:20000])
    first, last = year_ending(day)
    start, end = local_span(first, last)
    participation = sum(_participation([*ids, org.pk], start, end).values())
    awards = AmateurGrade.objects.filter(organization=org, awarded_on__range=(first, last)).count()
    return {"organizations": summary["n"] or 0, "members": (summary["members"] or 0) + org.member_count,
            "communities": len(communities), "participation": participation, "amateur_grades": awards}
