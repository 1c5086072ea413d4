"""Social-organisation assessments (等级评估, 1A–5A): recording one, the current grade, expiry warnings.

A grading holds from its assessment date to its validity date (five years is usual). The current
grade of an organisation is that of its latest grading valid today; gradings that run out within
EXPIRY_WARNING_DAYS are listed for the staff to arrange the next assessment.
"""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping

from . import permissions, selectors, services
from .errors import OrganizationError
from .models import Grading, Organization

EXPIRY_WARNING_DAYS = 180


def _err(code, message, field, status=None):
    return OrganizationError(code, message, field, status=status)


def clean_grading(data: dict) -> dict:
    raw = data.get("grade")
    try:
        grade = int(str(raw).strip().upper().rstrip("A"))
    except (TypeError, ValueError):
        grade = 0
    if not 1 <= grade <= 5:
        raise _err("grade_out_of_range", _("A grade is 1A, 2A, 3A, 4A or 5A."), "grade")
    assessed = services.check_date(data.get("assessed_on"), "assessed_on", _("Write the date as 2024-05-01."))
    until = services.check_date(data.get("valid_until"), "valid_until", _("Write the date as 2029-04-30."))
    if assessed is None:
        raise _err("assessed_on_required", _("Give the date of the assessment."), "assessed_on")
    if until is None:
        raise _err("valid_until_required", _("Give the date the grade is valid until."), "valid_until")
    if until <= assessed:
        raise _err("valid_until_before_start", _("The grade must be valid until a date after the assessment."),
                   "valid_until")
    if assessed > timezone.localdate():
        raise _err("assessed_on_future", _("The assessment date lies in the future."), "assessed_on")
    assessor = str(data.get("assessor") or "").strip()
    if not assessor:
        raise _err("assessor_required", _("Name the assessing body."), "assessor")
    if len(assessor) > 120 or len(str(data.get("note") or "")) > 200:
        raise _err("text_too_long", _("The assessing body or the note is too long."), "assessor")
    return {"grade": grade, "assessed_on": assessed, "valid_until": until, "assessor": assessor,
            "note": str(data.get("note") or "").strip()}


def add_grading(org: Organization, data: dict, *, actor, request=None) -> Grading:
    """Record an assessment; the division's staff do (an organisation does not grade itself)."""
    if not permissions.can_manage(actor, org):
        raise _err("forbidden", _("Gradings are recorded by the division's sports staff."), None, status=403)
    values = clean_grading(data)
    with transaction.atomic():
        grading = Grading.objects.create(organization=org, **values)
        services.history(org, actor, "grading", {"grade": [None, grading.label],
                                                 "valid_until": [None, values["valid_until"].isoformat()]})
        audit.record("organization.grading", request=request, actor=actor, obj=org,
                     detail={"grade": values["grade"]})
    return grading


def delete_grading(grading: Grading, *, actor, request=None) -> None:
    org = grading.organization
    if not permissions.can_manage(actor, org):
        raise _err("forbidden", _("Gradings are recorded by the division's sports staff."), None, status=403)
    with transaction.atomic():
        services.history(org, actor, "grading_removed", {"grade": [grading.label, None]})
        audit.record("organization.grading_removed", request=request, actor=actor, obj=org,
                     detail={"grade": grading.grade, "assessed_on": grading.assessed_on.isoformat()})
        grading.delete()


def current_grade_subquery(day: datetime.date):
    """For annotating organisations with their grade valid on `day` (None when none)."""
    valid = Grading.objects.filter(organization=OuterRef("pk"), assessed_on__lte=day, valid_until__gte=day)
    return Subquery(valid.order_by("-assessed_on", "-id").values("grade")[:1])


def current(org: Organization, day: datetime.date | None = None) -> Grading | None:
    day = day or timezone.localdate()
    return org.gradings.filter(assessed_on__lte=day, valid_until__gte=day).order_by("-assessed_on", "-id").first()


def expiring(user, day: datetime.date | None = None, days: int = EXPIRY_WARNING_DAYS) -> QuerySet[Grading]:
    """Gradings in the user's scope that run out within `days` (and are not followed by a newer one)."""
    day = day or timezone.localdate()
    newer = Grading.objects.filter(organization=OuterRef("organization"), assessed_on__gt=OuterRef("assessed_on"))
    qs = scoping.scoped(user, Grading.objects.select_related("organization", "organization__region"))
    return (qs.filter(valid_until__gte=day, valid_until__lte=day + datetime.timedelta(days=days))
            .exclude(Exists(newer)).order_by("valid_until"))


GRADING_HEADERS = ["组织ID", "组织名称", "组织类型", "所在区划", "登记状态", "等级", "评估日期", "有效期至", "评估机构", "备注",
                   "当前状态"]


def sheet_rows(user, params, day: datetime.date | None = None):
    """Every grading of the organisations the user reads that match the list's filters, newest first per
    organisation; the last column says whether it is the one in force, expiring, expired or replaced."""
    day = day or timezone.localdate()
    orgs = selectors.filtered(selectors.organizations_for(user), params).values("pk")
    qs = (Grading.objects.filter(organization__in=orgs).select_related("organization", "organization__region")
          .order_by("organization__region_id", "organization__name", "organization_id", "-assessed_on", "-id"))
    soon = day + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    seen: set[int] = set()
    with translation.override("zh-hans"):
        for g in qs.iterator(chunk_size=2000):
            o = g.organization
            if g.assessed_on > day:
                state = "尚未生效"
            elif g.valid_until < day:
                state = "已过期"
            elif o.pk in seen:
                state = "已被新评估取代"
            else:
                state = "即将到期" if g.valid_until <= soon else "有效"
            if g.assessed_on <= day <= g.valid_until:
                seen.add(o.pk)
            yield [o.pk, o.name, o.get_kind_display(), o.region.name, o.get_status_display(), g.label, g.assessed_on,
                   g.valid_until, g.assessor, g.note, state]
