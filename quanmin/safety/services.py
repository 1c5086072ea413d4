"""Every write of the safety app: a venue's safety record, a safety check with the hazards it
found, a hazard reported rectified, and its confirmation (or its return). Pages, API, the Excel
import and the demo call these; each write is one transaction, audited.

Rules: a record's dates say what happened (filed, checked: up to today; the insurance may run ten
years ahead). A check is dated within the last year and not after today; each hazard is rectified
by a deadline from the check's day up to 180 days later, by default 7 days for a major hazard and
30 for a general one. Only an open hazard is reported rectified (by the venue's operator or the
division's staff), with what was done; only a rectified one is confirmed, or sent back with a reason.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from quanmin.accounts import audit
from quanmin.core import cleaning, photos

from . import permissions
from .errors import SafetyError
from .models import CheckKind, Hazard, SafetyCheck, VenueSafety

RECORD_FIELDS = ("responsible_unit", "responsible_person", "safety_officer", "emergency_plan_on", "fire_check_on",
                 "insured_until", "note")
TEXT_LIMITS = {"responsible_unit": 120, "responsible_person": 60, "safety_officer": 60, "note": 300}
DEFAULT_DAYS = {Hazard.Level.MAJOR: 7, Hazard.Level.GENERAL: 30}
MAX_DEADLINE_DAYS = 180
CHECK_BACK_DAYS = 365
MAX_HAZARDS = 30
EARLIEST = datetime.date(1990, 1, 1)


def _label(model, field: str) -> str:
    return capfirst(str(model._meta.get_field(field).verbose_name))


def _text(model, data: dict, field: str, limit: int, required: bool = False) -> str:
    return " ".join(cleaning.plain_text(data, field, limit, _label(model, field), required, error=SafetyError).split())


def _day(model, data: dict, field: str, last: datetime.date, first: datetime.date = EARLIEST,
         required: bool = False) -> datetime.date | None:
    return cleaning.day(data.get(field), field, _label(model, field), required, first=first, last=last,
                        error=SafetyError)


def _choice(value, choices, field: str, default: str) -> str:
    text = str(value or "").strip() or default
    if text not in choices.values:
        raise SafetyError(f"{field}_unknown", _("Choose one of the options (%(choices)s).")
                          % {"choices": "、".join(str(c.label) for c in choices)}, field)
    return text


# --- the safety record ------------------------------------------------------------------------------

def record_values(data: dict) -> dict:
    """A record's checked values, as a form, a JSON body or a row of the import give them."""
    today = timezone.localdate()
    values = {k: _text(VenueSafety, data, k, limit) for k, limit in TEXT_LIMITS.items()}
    values["emergency_plan_on"] = _day(VenueSafety, data, "emergency_plan_on", today)
    values["fire_check_on"] = _day(VenueSafety, data, "fire_check_on", today)
    values["insured_until"] = _day(VenueSafety, data, "insured_until", today + datetime.timedelta(days=3653))
    return values


def write_record(site, values: dict, actor) -> VenueSafety:
    """The write itself, inside the caller's transaction."""
    record, _made = VenueSafety.objects.select_for_update().get_or_create(site=site)
    for key, value in values.items():
        setattr(record, key, value)
    record.updated_by = actor
    record.save()
    return record


def save_record(actor, site, data: dict, request=None) -> VenueSafety:
    """Set (or change) a venue's safety record: every field checked first, then one transaction."""
    if not permissions.can_write_region(actor, site.region_id):
        raise PermissionDenied
    values = record_values(data)
    with transaction.atomic():
        record = write_record(site, values, actor)
        audit.record("safety.record_save", request=request, actor=actor, obj=record, region_code=site.region_id,
                     detail={"site": site.pk, **{k: str(v or "") for k, v in values.items() if k != "note"}})
    return record


# --- checks and hazards -----------------------------------------------------------------------------

def hazard_values(data: dict, checked_on: datetime.date) -> dict:
    level = _choice(data.get("level"), Hazard.Level, "level", Hazard.Level.GENERAL)
    values = {"description": _text(Hazard, data, "description", 300, required=True), "level": level}
    deadline = _day(Hazard, data, "deadline", checked_on + datetime.timedelta(days=MAX_DEADLINE_DAYS),
                    first=checked_on)
    values["deadline"] = deadline or checked_on + datetime.timedelta(days=DEFAULT_DAYS[level])
    return values


def check_values(data: dict) -> dict:
    today = timezone.localdate()
    return {"kind": _choice(data.get("kind"), CheckKind, "kind", CheckKind.ROUTINE),
            "checked_on": _day(SafetyCheck, data, "checked_on", today,
                               first=today - datetime.timedelta(days=CHECK_BACK_DAYS)) or today,
            "note": _text(SafetyCheck, data, "note", 500)}


def record_check(actor, site, data: dict, hazards: list[dict], request=None) -> SafetyCheck:
    """A safety check of `site` with the hazards it found (rows without a description are left
    out: a form offers a few blank rows). No hazard is a check that found none."""
    if not permissions.can_write_region(actor, site.region_id):
        raise PermissionDenied
    values = check_values(data)
    found = [h for h in hazards if str(h.get("description") or "").strip()]
    if len(found) > MAX_HAZARDS:
        raise SafetyError("too_many_hazards", _("Record at most %(max)s hazards in one check.")
                          % {"max": MAX_HAZARDS}, "hazards")
    rows = [hazard_values(h, values["checked_on"]) for h in found]
    with transaction.atomic():
        check = SafetyCheck.objects.create(site=site, checked_by=actor, **values)
        Hazard.objects.bulk_create([Hazard(safety_check=check, site=site, **row) for row in rows])
        audit.record("safety.check_record", request=request, actor=actor, obj=check, region_code=site.region_id,
                     detail={"site": site.pk, "kind": check.kind, "hazards": len(rows),
                             "major": sum(r["level"] == Hazard.Level.MAJOR for r in rows)})
    return check


def add_hazard(actor, check: SafetyCheck, data: dict, request=None) -> Hazard:
    """One more hazard found by `check` (the checker adds them one by one on a phone)."""
    if not permissions.can_write_region(actor, check.site.region_id):
        raise PermissionDenied
    values = hazard_values(data, check.checked_on)
    with transaction.atomic():
        hazard = Hazard.objects.create(safety_check=check, site=check.site, **values)
        audit.record("safety.hazard_add", request=request, actor=actor, obj=hazard,
                     region_code=check.site.region_id, detail={"check": check.pk, "level": hazard.level})
    return hazard


def rectify(actor, hazard: Hazard, data: dict, photo=None, request=None) -> Hazard:
    """The venue reports `hazard` rectified today, saying what was done (and a photo if taken)."""
    if not permissions.can_rectify(actor, hazard.site):
        raise PermissionDenied
    note = _text(Hazard, data, "rectify_note", 300, required=True)
    ext = photos.check(photo) if photo is not None else None
    with transaction.atomic():
        hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
        if hazard.status != Hazard.Status.OPEN:
            raise SafetyError("hazard_not_open", _("This hazard was already reported rectified."), status=409)
        hazard.status, hazard.rectified_on, hazard.rectified_by = Hazard.Status.RECTIFIED, timezone.localdate(), actor
        hazard.rectify_note = note
        if ext:
            photos.store(hazard.photo, photo, ext)
        hazard.save()
        audit.record("safety.hazard_rectify", request=request, actor=actor, obj=hazard,
                     region_code=hazard.site.region_id,
                     detail={"on_time": hazard.rectified_on <= hazard.deadline, "photo": bool(ext)})
    return hazard


def confirm(actor, hazard: Hazard, data: dict, request=None) -> Hazard:
    """The division's staff confirm a reported rectification (`accepted`), or send it back with
    the reason (`note`): the hazard is open again, its deadline unchanged."""
    if not permissions.can_write_region(actor, hazard.site.region_id):
        raise PermissionDenied
    accepted = data.get("accepted") in (True, "1", "true", "on")
    note = _text(Hazard, {"returned_note": data.get("note")}, "returned_note", 300, required=not accepted)
    with transaction.atomic():
        hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
        if hazard.status != Hazard.Status.RECTIFIED:
            raise SafetyError("hazard_not_rectified", _("Only a hazard reported rectified is confirmed or sent back."),
                              status=409)
        if accepted:
            hazard.status, hazard.confirmed_at, hazard.confirmed_by = Hazard.Status.CLOSED, timezone.now(), actor
        else:
            hazard.status, hazard.rectified_on, hazard.returned_note = Hazard.Status.OPEN, None, note
        hazard.save()
        audit.record("safety.hazard_confirm" if accepted else "safety.hazard_return", request=request, actor=actor,
                     obj=hazard, region_code=hazard.site.region_id, detail={"note": note})
    return hazard
