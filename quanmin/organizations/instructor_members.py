"""Instructors' associations (社会体育指导员协会, B09): the city's and each county's, and their members.

An association is an organisation of the register marked `instructor_association`: of the kind
association (single-sport or population-group), at a city's or a county's own code, one per
division (the service says so, and a partial unique constraint makes two impossible). Its members
are registered instructors of its division (people.Instructor), enrolled by the association's staff
or its division's, one by one or from a sheet of certificate numbers and names; leaving keeps the
row. Members count on the organisation's `member_count` under its cap, as a group's residents do
(memberships.admit / release).

Organisations import no people: the instructor model is the one InstructorMember points to, and who
may join (an active social sports instructor) is people's subset `active_instructor` (core.facts).
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.core import bulk, facts
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import memberships, permissions
from .errors import OrganizationError
from .models import InstructorMember, Organization

Org = Organization
M = InstructorMember.Status
KINDS = (Org.Kind.ASSOCIATION, Org.Kind.GROUP_ASSOCIATION)
LEVELS = ("city", "county")
INSTRUCTOR = "people.Instructor"


def _err(code, message, field=None, status=None):
    return OrganizationError(code, message, field, status=status)


def instructor_model():
    """people.Instructor, as the member rows point to it (organisations import no people)."""
    return InstructorMember._meta.get_field("instructor").related_model


# ---------------------------------------------------------------- marking an organisation


def check_marking(values: dict, instance: Org | None) -> None:
    """The register's rule for the mark: an association, at a city's or a county's own code."""
    if not values.get("instructor_association"):
        return
    if values.get("kind") not in KINDS:
        raise _err("instructor_association_kind", _("An instructors' association is registered as a single-sport "
                                                     "or population-group association."), "instructor_association")
    if values["region"].level not in LEVELS:
        raise _err("instructor_association_level", _("Only a city or a county (district) has an instructors' "
                                                     "association: choose the city's or the county's own division."),
                   "instructor_association")


def check_one_per_division(values: dict, exclude: int | None) -> None:
    """A second association marked in one division: refused, naming the first."""
    if not values.get("instructor_association"):
        return
    other = Org.objects.filter(region=values["region"], instructor_association=True).exclude(pk=exclude).first()
    if other is not None:
        raise _err("instructor_association_taken",
                   _("%(division)s already has an instructors' association: %(name)s.")
                   % {"division": values["region"].name, "name": other.name}, "instructor_association", status=409)


def check_change(org: Org, diff: dict) -> None:
    """An association with members keeps its mark and its division (its members are the division's)."""
    unmarked = "instructor_association" in diff and not diff["instructor_association"][1]
    if (unmarked or "region" in diff) and org.instructor_members.filter(status=M.ACTIVE).exists():
        raise _err("instructor_association_has_members",
                   _("The association still has instructor members: remove them before changing its mark or its "
                     "division."), "instructor_association", status=409)


def is_association(org: Org) -> bool:
    """Marked, active and approved: the association members join."""
    return org.instructor_association and org.counted


# ---------------------------------------------------------------- finding the instructor


def _pool(org: Org) -> QuerySet:
    """The registered instructors of the association's division (any status)."""
    return instructor_model().objects.filter(region__code__within=codes.prefix(org.region_id))


def _clean(certificate_no, name) -> tuple[str, str]:
    return str(certificate_no or "").strip()[:40], str(name or "").strip()[:50]


def division_name(org: Org) -> str:
    return Region.objects.only("name").get(pk=org.region_id).name


def candidates(org: Org, numbers, names) -> list:
    """The instructors of the association's division that any of the certificate numbers, or (for
    social sports instructors) any of the names, may name: one query, however many."""
    numbers, names = [n for n in set(numbers) if n], [n for n in set(names) if n]
    if not numbers and not names:
        return []
    wanted = Q()
    if numbers:
        wanted |= Q(bulk.any_of("certificate_no", numbers))
    if names:
        wanted |= Q(bulk.any_of("real_name", names), kind="instructor")
    return list(_pool(org).filter(wanted))


def match(found: list, certificate_no: str, name: str, division: str):
    """The one instructor of `found` (candidates) a certificate number (and name) or a name alone
    names; a clear error when none or several do."""
    if not certificate_no and not name:
        raise _err("instructor_required", _("Give the instructor's certificate number or name."), "certificate_no")
    if certificate_no:
        found = [i for i in found if i.certificate_no == certificate_no]
        if not found:
            raise _err("certificate_unknown", _("No registered instructor of %(division)s has the certificate number "
                                                "%(number)s.") % {"division": division, "number": certificate_no},
                       "certificate_no")
        if name:
            found = [i for i in found if i.real_name == name]
            if not found:
                raise _err("name_mismatch", _("The certificate number %(number)s belongs to someone else, not to "
                                              "%(name)s.") % {"number": certificate_no, "name": name}, "name")
    else:
        found = [i for i in found if i.real_name == name and i.kind == "instructor"]
        if not found:
            raise _err("instructor_unknown", _("No registered instructor of %(division)s is named %(name)s.")
                       % {"division": division, "name": name}, "name")
    if len(found) > 1:
        raise _err("instructor_ambiguous", _("Several instructors of %(division)s match: give the certificate number "
                                             "and the name.") % {"division": division}, "certificate_no")
    return found[0]


def find_instructor(org: Org, certificate_no: str = "", name: str = "", instructor_id: int | None = None):
    """The instructor of the association's division a certificate number (and name), a name alone
    or an id names; a clear error when none or several do."""
    certificate_no, name = _clean(certificate_no, name)
    if instructor_id is not None:
        found = _pool(org).filter(pk=instructor_id).first()
        if found is None:
            raise _err("instructor_unknown", _("No registered instructor of %(division)s has this number.")
                       % {"division": division_name(org)}, "instructor_id", status=404)
        return found
    if not certificate_no and not name:
        return match([], certificate_no, name, "")
    found = candidates(org, [certificate_no], [] if certificate_no else [name])
    return match(found, certificate_no, name, division_name(org))


def active_ids(instructor_ids) -> set[int]:
    """Which of the instructors are active social sports instructors (who may join), in one query."""
    active = facts.subset_of(INSTRUCTOR, "active_instructor")
    if active is None:
        return set()
    return set(active.filter(bulk.any_of("id", list(instructor_ids))).values_list("id", flat=True))


def check_active(instructor, active: set[int]) -> None:
    if instructor.pk not in active:
        raise _err("instructor_not_active", _("%(name)s is not an active social sports instructor (%(status)s): only "
                                              "they join the association.")
                   % {"name": instructor.real_name, "status": instructor.get_status_display()}, "certificate_no",
                   status=409)


def member_ids(org: Org, instructor_ids) -> set[int]:
    """Which of the instructors are already active members, in one query."""
    return set(org.instructor_members.filter(bulk.any_of("instructor_id", list(instructor_ids)), status=M.ACTIVE)
               .values_list("instructor_id", flat=True))


def already_member(instructor) -> OrganizationError:
    return _err("already_member", _("%(name)s is already a member of the association.")
                % {"name": instructor.real_name}, "certificate_no", status=409)


# ---------------------------------------------------------------- enrolling and removing


def check_can_enrol(actor, org: Org) -> None:
    if not permissions.can_change(actor, org):
        raise _err("forbidden", _("You may not change this organisation."), status=403)
    if not is_association(org):
        raise _err("not_instructor_association", _("This organisation is not an active instructors' association "
                                                   "of the register."), status=409)


def enrol(org: Org, *, actor, certificate_no: str = "", name: str = "", instructor_id: int | None = None,
          request=None) -> InstructorMember:
    """Enrol a registered, active instructor of the association's division as its member."""
    check_can_enrol(actor, org)
    instructor = find_instructor(org, certificate_no, name, instructor_id)
    check_active(instructor, active_ids([instructor.pk]))
    try:
        with transaction.atomic():
            org = lock(org)
            if member_ids(org, [instructor.pk]):
                raise already_member(instructor)
            (member,) = write_members(org, [instructor], actor=actor, request=request)
    except IntegrityError:
        raise already_member(instructor) from None
    return member


def lock(org: Org) -> Org:
    """The association's row, locked (its member count is a quota), inside the caller's transaction."""
    return Org.objects.select_for_update().get(pk=org.pk)


def write_members(org: Org, instructors: list, *, actor, request=None) -> list[InstructorMember]:
    """Enrol instructors already checked (active, of the division, not members), the organisation
    locked by the caller: their places under the cap, their rows and one audit entry, in a bounded
    number of queries however many they are."""
    if not instructors:
        return []
    memberships.admit(org, len(instructors))
    today = timezone.localdate()
    made = [InstructorMember(organization=org, instructor=i, status=M.ACTIVE, joined_on=today) for i in instructors]
    bulk.insert_rows(made, ids=True)
    ids = [i.pk for i in instructors]
    audit.record("association.enrol", request=request, actor=actor, obj=org,
                 detail={"instructor": ids[0]} if len(ids) == 1 else {"instructors": ids})
    return made


def remove(member: InstructorMember, *, actor, request=None) -> InstructorMember:
    """A member leaves (the association's staff record it); the row stays, as status left."""
    org = member.organization
    if not permissions.can_change(actor, org):
        raise _err("forbidden", _("You may not change this organisation."), status=403)
    with transaction.atomic():
        Org.objects.select_for_update().get(pk=org.pk)
        member = InstructorMember.objects.select_for_update().get(pk=member.pk)
        if member.status != M.ACTIVE:
            raise _err("not_member", _("This instructor is no longer a member."), status=409)
        memberships.release(org)
        member.status, member.left_on = M.LEFT, timezone.localdate()
        member.save(update_fields=["status", "left_on"])
        audit.record("association.remove", request=request, actor=actor, obj=org,
                     detail={"instructor": member.instructor_id})
    return member


# ---------------------------------------------------------------- reading


def members(org: Org, status: str | None = M.ACTIVE) -> QuerySet[InstructorMember]:
    qs = org.instructor_members.select_related("instructor", "instructor__region")
    qs = qs.filter(status=status) if status else qs
    return qs.order_by("status", "instructor__region_id", "instructor__real_name", "id")


def memberships_of(instructor) -> QuerySet[InstructorMember]:
    """An instructor's associations, current ones first."""
    return (InstructorMember.objects.filter(instructor=instructor).select_related("organization__region")
            .order_by("status", "-joined_on"))


MEMBER_HEADERS = ["姓名", "证书编号", "等级", "所在区划", "指导项目", "指导员状态", "会员状态", "入会日期", "退会日期"]


def member_rows(org: Org, *, request=None, status: str | None = None) -> list[list]:
    """The association's members (and past members) for its staff's Excel: names, certificate numbers,
    grades and divisions (no ID number, no phone); the read is audited with the instructors listed."""
    found = list(members(org, status)[:50000])
    audit.list_personal(request, "association_members", [m.instructor_id for m in found])
    with translation.override("zh-hans"):
        return [[m.instructor.real_name, m.instructor.certificate_no, m.instructor.get_grade_display(),
                 m.instructor.region.name, "、".join(m.instructor.sport_labels), m.instructor.get_status_display(),
                 m.get_status_display(), m.joined_on.isoformat(), m.left_on.isoformat() if m.left_on else ""]
                for m in found]


def coverage(user) -> dict:
    """The city and county divisions in the user's scope (county or city staff), each with its
    association and members, or none: the gaps first."""
    if scoping.is_superuser(user):
        prefixes = [""]
    else:
        prefixes = codes.outermost(codes.prefix(m.region_id) for m in scoping.memberships(user)
                                   if m.role in permissions.APPROVING_ROLES)
    if not prefixes:
        return {"rows": [], "missing": [], "have": 0, "of": 0}
    within = Q()
    for p in prefixes:
        within |= Q(code__within=p) if p else Q(code__isnull=False)
    regions = list(Region.objects.filter(within, level__in=LEVELS).order_by("code").values("code", "name", "level"))
    marked = {o.region_id: o for o in Org.objects.filter(region_id__in=[r["code"] for r in regions],
                                                         instructor_association=True)
              .annotate(active_members=Count("instructor_members", filter=Q(instructor_members__status=M.ACTIVE)))}
    rows = []
    for r in regions:
        org = marked.get(r["code"])
        rows.append({**r, "association": org, "counted": bool(org and org.counted),
                     "members": org.active_members if org else 0})
    missing = [r for r in rows if not r["counted"]]
    return {"rows": missing + [r for r in rows if r["counted"]], "missing": missing,
            "have": len(rows) - len(missing), "of": len(rows)}
