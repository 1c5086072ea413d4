"""Residents in groups: finding groups near them, asking to join, being accepted, leaving; a
group's announcements to its members; its regular activities as booking sessions.

The member cap is a quota: joining and accepting lock the organisation's row (select_for_update;
SQLite's IMMEDIATE transactions serialise writers) and count on `member_count`, which a database
check keeps within the cap. Minors (under 18) join with a guardian named, as accounts' consents do.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from quanmin.accounts import audit
from quanmin.booking import services_console
from quanmin.core.notify import notify
from quanmin.facilities import geo
from quanmin.facilities.models import Facility
from quanmin.regions import codes

from . import permissions, selectors
from .errors import OrganizationError
from .models import Activity, Announcement, GroupMembership, Organization

Org = Organization
M = GroupMembership.Status
ADULT_AGE = 18
GROUP_KINDS = (Org.Kind.COMMUNITY_GROUP, Org.Kind.FITNESS_POINT, Org.Kind.CLUB, Org.Kind.ASSOCIATION,
               Org.Kind.GROUP_ASSOCIATION)
NEAR_M = 5000


def _err(code, message, field=None, status=None):
    return OrganizationError(code, message, field, status=status)


# ---------------------------------------------------------------- finding groups


def public_groups() -> QuerySet[Org]:
    """Groups a resident may find: active, approved, of a kind people join."""
    return Org.objects.filter(active=True, review=Org.Review.APPROVED, kind__in=GROUP_KINDS).select_related("region")


def find_groups(params, lat: float | None = None, lon: float | None = None, radius_m: int = NEAR_M) -> list | QuerySet:
    """Filters: sport, region, meets, kind, open (taking new members, places left), q; near a point
    (nearest first, with `distance_m`)."""
    qs = selectors.filtered(public_groups(), {k: params.get(k) for k in ("q", "sport", "region", "kind")})
    meets = params.get("meets")
    if meets:
        qs = qs.filter(meets=meets) if meets in Org.Time.values else qs.none()
    if str(params.get("open") or "") in ("1", "true", "on"):
        qs = qs.exclude(join_policy=Org.JoinPolicy.CLOSED).filter(Q(member_cap__isnull=True)
                                                                  | Q(member_count__lt=F("member_cap")))
    if lat is None or lon is None:
        return qs.order_by("region_id", "name")
    min_lat, max_lat, min_lon, max_lon = geo.bbox(lat, lon, radius_m)
    found = []
    for org in qs.filter(lat__range=(min_lat, max_lat), lon__range=(min_lon, max_lon))[:2000]:
        org.distance_m = round(geo.haversine_m(lat, lon, org.lat, org.lon))
        if org.distance_m <= radius_m:
            found.append(org)
    return sorted(found, key=lambda o: o.distance_m)


def membership_of(user, org: Org) -> GroupMembership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return org.memberships.filter(user=user, status__in=[M.PENDING, M.ACTIVE]).first()


def my_groups(user) -> QuerySet[GroupMembership]:
    return (GroupMembership.objects.filter(user=user, status__in=[M.PENDING, M.ACTIVE])
            .select_related("organization", "organization__region").order_by("organization__name"))


# ---------------------------------------------------------------- joining and leaving


def _needs_guardian(user) -> bool:
    age = user.age()
    return age is not None and age < ADULT_AGE


def check_room(org: Org, count: int = 1) -> None:
    """Refused when `count` more members would pass the cap."""
    if org.member_cap is not None and org.member_count + count > org.member_cap:
        raise _err("group_full", _("This group has reached its member cap."), status=409)


def admit(org: Org, count: int = 1) -> None:
    """Take `count` places under the cap; the organisation's row is locked by the caller."""
    check_room(org, count)
    Org.objects.filter(pk=org.pk).update(member_count=F("member_count") + count)
    org.member_count += count


def release(org: Org) -> None:
    """Give a place back; the organisation's row is locked by the caller."""
    Org.objects.filter(pk=org.pk).update(member_count=F("member_count") - 1)


def join(user, org_id: int, *, message: str = "", guardian_name: str = "", guardian_relation: str = "",
         request=None) -> GroupMembership:
    """Ask to join a group: a member at once when the group admits anyone, otherwise a request for
    its staff. A closed or full group, a second request, a minor without a guardian: refused."""
    guardian_name, guardian_relation = str(guardian_name or "").strip(), str(guardian_relation or "").strip()
    if _needs_guardian(user) and not (guardian_name and guardian_relation):
        raise _err("guardian_required", _("A minor joins with a guardian's consent: give the guardian's name and "
                                          "relation."), "guardian_name")
    if len(guardian_name) > 50 or len(guardian_relation) > 20 or len(str(message or "")) > 200:
        raise _err("text_too_long", _("The message or the guardian's details are too long."), "message")
    try:
        with transaction.atomic():
            org = public_groups().select_for_update(of=("self",)).filter(pk=org_id).first()
            if org is None:
                raise _err("not_found", _("Not found."), status=404)
            if org.join_policy == Org.JoinPolicy.CLOSED:
                raise _err("group_closed", _("This group is not taking new members."), status=409)
            if org.memberships.filter(user=user, status__in=[M.PENDING, M.ACTIVE]).exists():
                raise _err("already_member", _("You are a member of this group or have asked to join."), status=409)
            status = M.ACTIVE if org.join_policy == Org.JoinPolicy.OPEN else M.PENDING
            if status == M.ACTIVE:
                admit(org)
            membership = GroupMembership.objects.create(
                organization=org, user=user, status=status, message=str(message or "").strip(),
                guardian_name=guardian_name, guardian_relation=guardian_relation,
                decided_at=timezone.now() if status == M.ACTIVE else None)
            audit.record("group.join", request=request, actor=user, obj=org, detail={"status": status})
    except IntegrityError:
        raise _err("already_member", _("You are a member of this group or have asked to join."), status=409) from None
    return membership


def decide(membership: GroupMembership, accept: bool, *, actor, request=None) -> GroupMembership:
    """The group's staff (or its division's) accept or refuse a request; accepting takes a place."""
    org = membership.organization
    if not permissions.can_change(actor, org):
        raise _err("forbidden", _("You may not change this organisation."), status=403)
    with transaction.atomic():
        org = Org.objects.select_for_update().get(pk=org.pk)
        membership = GroupMembership.objects.select_for_update().get(pk=membership.pk)
        if membership.status != M.PENDING:
            raise _err("not_pending", _("This request has already been decided."), status=409)
        if accept:
            admit(org)
        membership.status = M.ACTIVE if accept else M.REFUSED
        membership.decided_at = timezone.now()
        membership.save(update_fields=["status", "decided_at"])
        audit.record("group.accept" if accept else "group.refuse", request=request, actor=actor, obj=org,
                     detail={"user": membership.user_id})
        notify(membership.user, _("Your request to join %(group)s") % {"group": org.name},
               _("You are now a member of %(group)s.") % {"group": org.name} if accept
               else _("%(group)s could not take you as a member.") % {"group": org.name})
    return membership


def leave(user, org_id: int, *, request=None) -> GroupMembership:
    """A member leaves (or withdraws a request); a place is freed."""
    with transaction.atomic():
        org = Org.objects.select_for_update().filter(pk=org_id).first()
        membership = org and org.memberships.select_for_update().filter(
            user=user, status__in=[M.PENDING, M.ACTIVE]).first()
        if membership is None:
            raise _err("not_member", _("You are not a member of this group."), status=404)
        if membership.status == M.ACTIVE:
            release(org)
        membership.status, membership.left_at = M.LEFT, timezone.now()
        membership.save(update_fields=["status", "left_at"])
        audit.record("group.leave", request=request, actor=user, obj=org)
    return membership


def members(org: Org, status: str | None = None) -> QuerySet[GroupMembership]:
    qs = org.memberships.select_related("user")
    return qs.filter(status=status) if status else qs.filter(status__in=[M.PENDING, M.ACTIVE])


MEMBER_HEADERS = ["姓名", "手机号（隐去中间四位）", "状态", "申请时间", "加入、拒绝时间", "退出时间", "监护人同意"]


def member_rows(org: Org, *, request=None) -> list[list]:
    """A group's members, requests and past members for its staff's Excel: names and masked phones only
    (no ID number, no birth date); the read is audited with the accounts listed."""
    qs = list(org.memberships.select_related("user").order_by("status", "requested_at", "id")[:50000])
    audit.list_personal(request, "group_members", [m.user_id for m in qs])
    local = timezone.localtime
    with translation.override("zh-hans"):
        return [[m.user.real_name or "", m.user.phone_masked, m.get_status_display(),
                 local(m.requested_at).strftime("%Y-%m-%d %H:%M"),
                 local(m.decided_at).strftime("%Y-%m-%d %H:%M") if m.decided_at else "",
                 local(m.left_at).strftime("%Y-%m-%d %H:%M") if m.left_at else "",
                 f"{m.guardian_relation}同意" if m.guardian_name else ""] for m in qs]


# ---------------------------------------------------------------- announcements


def announce(org: Org, title: str, text: str, *, actor, request=None) -> Announcement:
    """An announcement to every member, in-app (accounts' notifications) and kept on the group's page."""
    if not permissions.can_change(actor, org):
        raise _err("forbidden", _("You may not change this organisation."), status=403)
    title, text = str(title or "").strip(), str(text or "").strip()
    if not title or not text:
        raise _err("announcement_empty", _("Give a title and a text."), "title")
    if len(title) > 100 or len(text) > 2000:
        raise _err("announcement_too_long", _("At most 100 characters of title and 2,000 of text."), "text")
    with transaction.atomic():
        recipients = [m.user for m in members(org, M.ACTIVE)]
        announcement = Announcement.objects.create(organization=org, title=title, text=text, author=actor,
                                                   recipients=len(recipients))
        for user in recipients:
            notify(user, f"{org.name}：{title}", text)
        audit.record("group.announce", request=request, actor=actor, obj=org, detail={"recipients": len(recipients)})
    return announcement


# ---------------------------------------------------------------- regular activities (booking sessions)


def add_activity(org: Org, *, facility_id: int, title: str, weekday: int, start: datetime.time, end: datetime.time,
                 places: int, actor, request=None) -> Activity:
    """A weekly activity residents book through the booking app: a session unit on a facility of the
    group's division (or of its site), with one weekly time and its places."""
    if not permissions.can_change(actor, org):
        raise _err("forbidden", _("You may not change this organisation."), status=403)
    title = str(title or "").strip()
    if not title or len(title) > 60:
        raise _err("title_invalid", _("Give the activity a title of at most 60 characters."), "title")
    facility = Facility.objects.select_related("site").filter(pk=facility_id).first()
    if facility is None or not (facility.site_id == org.site_id or codes.contains(org.region_id, facility.region_id)):
        raise _err("facility_invalid", _("Choose a facility in the group's division or at its site."), "facility_id")
    with transaction.atomic():
        unit = services_console.add_unit(facility, {"name": f"{org.name}·{title}"[:80], "kind": "session",
                                                    "payment_provider": "free"}, staff=actor, request=request)
        services_console.save_template(unit, {"weekday": weekday, "start": start, "end": end, "capacity": places},
                                       staff=actor, request=request)
        activity = Activity.objects.create(organization=org, title=title, unit=unit)
    return activity


def upcoming_sessions(org: Org, limit: int = 6) -> list:
    """The next sessions of the group's activities, soonest first: (activity, slot)."""
    now = timezone.now()
    out = []
    for activity in org.activities.select_related("unit"):
        for slot in activity.unit.slots.filter(start__gte=now, blocked=False).order_by("start")[:limit]:
            out.append((activity, slot))
    return sorted(out, key=lambda pair: pair[1].start)[:limit]
