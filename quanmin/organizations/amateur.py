"""Amateur sport grades (业余运动等级评定, C10): an association awards a grade in its sport to a
resident, found by mobile number; the resident sees their grades under My groups."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit
from quanmin.accounts.errors import AccountError
from quanmin.accounts.models import User
from quanmin.accounts.services import active_user_by_phone

from . import permissions, services, sports
from .errors import OrganizationError
from .models import AmateurGrade, Organization

Org = Organization
AWARDING_KINDS = (Org.Kind.ASSOCIATION, Org.Kind.GROUP_ASSOCIATION, Org.Kind.FEDERATION)


def _err(code, message, field=None, status=None):
    return OrganizationError(code, message, field, status=status)


def find_resident(phone: str) -> User:
    """The active account of a number (accounts' lookup), its refusal as this app's error."""
    try:
        return active_user_by_phone(phone)
    except AccountError as exc:
        raise _err(exc.code, exc.message, exc.field, status=exc.status) from None


def award(org: Org, *, phone: str, sport: str, level, awarded_on=None, certificate_no: str = "", actor,
          request=None) -> AmateurGrade:
    """Award a grade: the association's staff or its division's; in a sport of the association."""
    if not permissions.can_change(actor, org):
        raise _err("forbidden", _("You may not change this organisation."), status=403)
    if org.kind not in AWARDING_KINDS or not org.counted:
        raise _err("not_an_association", _("Amateur grades are awarded by sports associations and federations."),
                   status=409)
    try:
        level = int(str(level).strip())
    except (TypeError, ValueError):
        level = 0
    if level not in AmateurGrade.Level.values:
        raise _err("grade_out_of_range", _("An amateur grade is the first, second or third."), "level")
    code = sports.lookup(sport)
    if code is None or (org.sport_codes and code not in org.sport_codes):
        raise _err("sport_not_of_association", _("Choose one of the association's sports."), "sport")
    day = services.check_date(awarded_on, "awarded_on", _("Write the date as 2024-05-01.")) or timezone.localdate()
    if day > timezone.localdate():
        raise _err("awarded_on_future", _("The date lies in the future."), "awarded_on")
    certificate_no = str(certificate_no or "").strip()
    if len(certificate_no) > 40:
        raise _err("certificate_no_too_long", _("At most %(n)s characters.") % {"n": 40}, "certificate_no")
    user = find_resident(phone)
    with transaction.atomic():
        grade = AmateurGrade.objects.create(organization=org, user=user, sport=code, level=level, awarded_on=day,
                                            certificate_no=certificate_no)
        audit.record("organization.amateur_grade", request=request, actor=actor, obj=org,
                     detail={"user": user.pk, "sport": code, "level": level})
    return grade


def grades_of(user) -> list[AmateurGrade]:
    return list(AmateurGrade.objects.filter(user=user).select_related("organization"))
