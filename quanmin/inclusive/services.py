"""Every write of the inclusive app: the institutions register, their fittings and the programme
activities. Pages, API, the Excel import and the demo call these; each write is one transaction,
audited. A fitting is written under a lock on its institution's row (an institution taken out of
the register meanwhile is refused, not fitted); there is no quota to race for.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.core import cleaning
from quanmin.facilities.models import Facility, Site
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import permissions
from .errors import InclusiveError
from .models import ALLOWED, PROGRAMME_GROUP, Activity, Fitting, FittingKind, Group, Institution, Kind, Programme

FIRST_DAY = datetime.date(2000, 1, 1)
MAX_PIECES = 10_000
MAX_PARTICIPANTS = 100_000
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def number(value, field: str, label: str, maximum: int, minimum: int = 0) -> int:
    """A whole number from a form, a JSON body or a cell: 120, "1,200", "１２０", "120人"."""
    return cleaning.whole_number(value, field, label, maximum, minimum, error=InclusiveError)


def day(value, field: str, label: str) -> datetime.date:
    """A past or present date: a date, or text as 2025-06-01, 2025/6/1 or 2025年6月1日."""
    label = capfirst(label)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
        if not text:
            raise InclusiveError(f"{field}_required", _("%(what)s is required.") % {"what": label}, field)
        found = _DATE.match(text[:12])
        try:
            value = datetime.date(*(int(g) for g in found.groups())) if found else None
        except ValueError:
            value = None
        if value is None:
            raise InclusiveError(f"{field}_invalid", _("%(what)s: write a date as 2025-06-01.") % {"what": label},
                                 field)
    if value > timezone.localdate():
        raise InclusiveError(f"{field}_future", _("%(what)s cannot be in the future.") % {"what": label}, field)
    if value < FIRST_DAY:
        raise InclusiveError(f"{field}_invalid", _("%(what)s cannot be before 2000.") % {"what": label}, field)
    return value


def text(data: dict, field: str, limit: int, label: str, required: bool = False) -> str:
    return cleaning.plain_text(data, field, limit, label, required, error=InclusiveError)


def choice(value, choices, field: str, label: str) -> str:
    found = str(value or "").strip()
    if found not in choices.values:
        raise InclusiveError(f"{field}_unknown", _("Choose %(what)s (%(choices)s).")
                             % {"what": label, "choices": "、".join(str(c.label) for c in choices)}, field)
    return found


def region(actor, value, field: str = "region") -> Region:
    """The division named by its code, which the actor may write for."""
    return scoping.region_to_write(actor, value, field, error=InclusiveError)


def _county(where: Region) -> str:
    return where.code if codes.level(where.code) == "city" else codes.ancestor_at(where.code, "county")


def _pk(value) -> int | None:
    raw = str(value).strip()
    return int(raw) if raw.isdigit() and len(raw) < 16 else None


def _site(value, where: Region) -> Site | None:
    if value in (None, ""):
        return None
    found = value if isinstance(value, Site) else Site.objects.filter(pk=_pk(value)).first()
    if found is None or not codes.contains(_county(where), found.region_id):
        raise InclusiveError("site_unknown", _("No site of that number in the institution's county."), "site")
    return found


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "是", "y")
    return bool(value)


def institution_values(actor, data: dict) -> dict:
    """An institution's checked fields: what a form, the API, an import row and the demo give."""
    where = region(actor, data.get("region"))
    kind = choice(data.get("kind"), Kind, "kind", _("the kind of institution"))
    ethnic_group = text(data, "ethnic_group", 30, _("Ethnic group"))
    if kind == Kind.ETHNIC_VILLAGE and not ethnic_group:
        raise InclusiveError("ethnic_group_required", _("Name the ethnic group of an ethnic village."), "ethnic_group")
    return {"region": where, "name": text(data, "name", 120, _("The institution's name"), required=True),
            "kind": kind, "ethnic_group": ethnic_group, "address": text(data, "address", 200, _("Address")),
            "site": _site(data.get("site"), where), "note": text(data, "note", 300, _("Note")),
            "active": _flag(data.get("active", True))}


def save_institution(actor, data: dict, institution: Institution | None = None, request=None) -> Institution:
    """Register an institution (or change one): every field checked first, then one transaction.
    A changed kind must still allow what was fitted in it."""
    if not permissions.can_write(actor):
        raise PermissionDenied
    if institution is not None and not permissions.can_write_region(actor, institution.region_id):
        raise PermissionDenied
    values = institution_values(actor, data)
    try:
        with transaction.atomic():
            if institution is None:
                institution = Institution.objects.create(**values)
            else:
                institution = Institution.objects.select_for_update().get(pk=institution.pk)
                fitted = set(institution.fittings.values_list("kind", flat=True))
                if fitted - ALLOWED[values["kind"]]:
                    raise InclusiveError("kind_conflicts_fittings", _("What was fitted here does not suit that kind "
                                                                      "of institution."), "kind", status=409)
                for key, value in values.items():
                    setattr(institution, key, value)
                institution.save()
                _follow(institution)
            audit.record("inclusive.institution_save", request=request, actor=actor, obj=institution,
                         region_code=institution.region_id, detail={"name": institution.name})
    except IntegrityError:
        raise InclusiveError("institution_exists", _("The division already has an institution of that name."), "name",
                             status=409) from None
    return institution


def _follow(institution: Institution) -> None:
    """The fittings follow their institution's division, and its site where they name no facility."""
    Fitting.objects.filter(institution=institution).exclude(region=institution.region).update(region=institution.region)
    Fitting.objects.filter(institution=institution, facility__isnull=True).update(site=institution.site)


def _facility(value, institution: Institution) -> Facility | None:
    if value in (None, ""):
        return None
    found = value if isinstance(value, Facility) else Facility.objects.filter(pk=_pk(value)).select_related("site").first()
    if found is None or not codes.contains(_county(institution.region), found.region_id):
        raise InclusiveError("facility_unknown", _("No facility of that number in the institution's county."),
                             "facility")
    if institution.site_id and found.site_id != institution.site_id:
        raise InclusiveError("facility_elsewhere", _("That facility is not at the institution's site."), "facility")
    return found


def fitting_values(institution: Institution, data: dict) -> dict:
    kind = choice(data.get("kind"), FittingKind, "kind", _("what was fitted"))
    if kind not in ALLOWED[institution.kind]:
        raise InclusiveError("fitting_kind_unsuited", _("%(what)s is not fitted in an institution of this kind.")
                             % {"what": FittingKind(kind).label}, "kind")
    facility = _facility(data.get("facility"), institution)
    return {"kind": kind, "pieces": number(data.get("pieces", 1), "pieces", _("Pieces or grounds"), MAX_PIECES, 1),
            "fitted_on": day(data.get("fitted_on"), "fitted_on", _("Date fitted")), "facility": facility,
            "note": text(data, "note", 300, _("Note"))}


def record_fitting(actor, institution: Institution, data: dict, request=None) -> Fitting:
    """Record what was fitted in an institution, and where the equipment is registered."""
    if not permissions.can_write_region(actor, institution.region_id):
        raise PermissionDenied
    values = fitting_values(institution, data)
    with transaction.atomic():
        institution = Institution.objects.select_for_update().get(pk=institution.pk)
        if not institution.active:
            raise InclusiveError("institution_inactive", _("This institution is no longer in the register."),
                                 "institution", status=409)
        facility = values["facility"]
        found = Fitting.objects.create(institution=institution, region=institution.region, entered_by=actor,
                                       site_id=facility.site_id if facility else institution.site_id, **values)
        audit.record("inclusive.fitting_save", request=request, actor=actor, obj=found, region_code=institution.region_id,
                     detail={"institution": institution.name, "kind": found.kind, "pieces": found.pieces})
    return found


def delete_fitting(actor, found: Fitting, request=None) -> None:
    if not permissions.can_write_region(actor, found.region_id):
        raise PermissionDenied
    with transaction.atomic():
        audit.record("inclusive.fitting_delete", request=request, actor=actor, obj=found, region_code=found.region_id,
                     detail={"institution": found.institution.name, "kind": found.kind})
        found.delete()


def activity_values(actor, data: dict) -> dict:
    where = region(actor, data.get("region"))
    group = choice(data.get("group"), Group, "group", _("the group it is for"))
    programme = choice(data.get("programme") or Programme.OTHER, Programme, "programme", _("the programme"))
    if PROGRAMME_GROUP.get(programme, group) != group:
        raise InclusiveError("programme_other_group", _("%(programme)s is a programme for %(group)s.")
                             % {"programme": Programme(programme).label,
                                "group": Group(PROGRAMME_GROUP[programme]).label}, "programme")
    institution = None
    if data.get("institution") not in (None, ""):
        institution = Institution.objects.filter(pk=_pk(data.get("institution"))).first()
        if institution is None or not codes.contains(_county(where), institution.region_id):
            raise InclusiveError("institution_unknown", _("No institution of that number in the division's county."),
                                 "institution")
    return {"region": where, "group": group, "programme": programme,
            "title": text(data, "title", 120, _("Title"), required=True),
            "held_on": day(data.get("held_on"), "held_on", _("Date held")),
            "participants": number(data.get("participants"), "participants", _("Participants"), MAX_PARTICIPANTS),
            "institution": institution, "note": text(data, "note", 300, _("Note"))}


def record_activity(actor, data: dict, request=None) -> Activity:
    if not permissions.can_write(actor):
        raise PermissionDenied
    values = activity_values(actor, data)
    with transaction.atomic():
        found = Activity.objects.create(entered_by=actor, **values)
        audit.record("inclusive.activity_save", request=request, actor=actor, obj=found, region_code=found.region_id,
                     detail={"title": found.title, "group": found.group, "participants": found.participants})
    return found


def delete_activity(actor, found: Activity, request=None) -> None:
    if not permissions.can_write_region(actor, found.region_id):
        raise PermissionDenied
    with transaction.atomic():
        audit.record("inclusive.activity_delete", request=request, actor=actor, obj=found, region_code=found.region_id,
                     detail={"title": found.title})
        found.delete()
