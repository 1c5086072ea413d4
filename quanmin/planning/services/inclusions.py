"""The four inclusions (四纳入, D11): every write of a division's yearly records.

A division's own sports staff record each inclusion for a year (included or not; when included, the
document or meeting that shows it and its date, and an evidence file) and may change it until the
staff of the division right above confirm it; those staff confirm it (an included one needs its
evidence file) or return it with the reason, and the division records it again. Each write locks the
row it changes and checks its state under the lock (a new row under the unique constraint), so two
clicks cannot both pass.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import audit
from quanmin.regions import codes
from quanmin.regions.models import Region

from .. import permissions
from ..errors import PlanningError
from ..models import Inclusion
from . import evidence as evidence_rules

FIRST_YEAR = 2000
FIELDS = ["included", "document", "dated", "note"]


def check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise PlanningError("inclusion_year", _("Give a year from 2000 to this year."), "year") from None
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise PlanningError("inclusion_year", _("Give a year from 2000 to this year."), "year")
    return year


def division(code) -> Region:
    code = str(code or "").strip()
    found = Region.objects.filter(code=codes.pad(code)).first() if codes.is_prefix(code) else None
    if found is None:
        raise PlanningError("region_unknown", _("Unknown division code."), "division_code")
    return found


def values(*, year: int, kind, included, document="", dated=None, note="") -> dict:
    """The record's checked values: an inclusion of the four; when included, the document or meeting
    and a date from the year before (a budget is drawn up ahead) to the end of the year, not to come."""
    if kind not in Inclusion.Kind.values:
        raise PlanningError("inclusion_kind", _("Pick one of the four inclusions."), "kind")
    if not isinstance(included, bool):
        raise PlanningError("inclusion_included", _("Say whether it was included."), "included")
    document = " ".join(str(document or "").split())
    note = str(note or "").strip()
    if len(document) > 200:
        raise PlanningError("inclusion_text_too_long", _("The text is too long."), "document")
    if len(note) > 4000:
        raise PlanningError("inclusion_text_too_long", _("The text is too long."), "note")
    if included and not document:
        raise PlanningError("inclusion_document", _("Name the document or meeting that shows it."), "document")
    if included and dated is None:
        raise PlanningError("inclusion_date", _("Give the date of the document or meeting."), "dated")
    if dated is not None and not (datetime.date(year - 1, 1, 1) <= dated <= datetime.date(year, 12, 31)
                                  and dated <= timezone.localdate()):
        raise PlanningError("inclusion_date", _("The date falls in the year or the year before, and has come."),
                            "dated")
    return {"included": included, "document": document, "dated": dated, "note": note}


def unchanged(record: Inclusion | None, checked: dict) -> bool:
    return record is not None and all(getattr(record, k) == checked[k] for k in FIELDS)


@transaction.atomic
def record(user, division_code, year, kind, *, included, document="", dated=None, note="", evidence=None,
           request=None) -> Inclusion:
    """Record (or change, until it is confirmed) one of the division's four inclusions for the year;
    a change sends it back to the level above for confirmation. `evidence` (optional here) replaces
    the file kept."""
    region = division(division_code)
    if not permissions.can_read_inclusions(user, region.code):  # outside the user's scope: as if unknown
        raise PlanningError("region_unknown", _("Unknown division code."), "division_code", status=404)
    if not permissions.can_record_inclusion(user, region.code):
        raise PlanningError("inclusion_not_yours", _("Only the division's own sports staff record its inclusions."),
                            "division_code", status=403)
    year = check_year(year)
    checked = values(year=year, kind=kind, included=included, document=document, dated=dated, note=note)
    upload = evidence_rules.check(evidence, required=False)
    found = Inclusion.objects.select_for_update().filter(division_code=region.code, year=year, kind=kind).first()
    if found is not None and found.status == Inclusion.Status.CONFIRMED:
        raise PlanningError("inclusion_confirmed", _("This inclusion was confirmed by the level above."), status=409)
    if found is None:
        found = Inclusion(division_code=region.code, division_name=region.name, year=year, kind=kind)
    for key, value in checked.items():
        setattr(found, key, value)
    if upload is not None:
        found.evidence = upload
    found.status, found.return_reason = Inclusion.Status.RECORDED, ""
    found.recorded_by, found.recorded_at = user, timezone.now()
    found.decided_by = found.decided_at = None
    creating = found.pk is None
    try:
        with transaction.atomic():
            found.save()
    except IntegrityError:
        raise PlanningError("inclusion_conflict", _("Someone recorded it meanwhile: open it again."),
                            status=409) from None
    audit.record("create" if creating else "update", request=request, actor=user, obj=found,
                 region_code=found.division_code, detail={"kind": kind, "year": year, "included": found.included})
    return found


@transaction.atomic
def attach_evidence(user, inclusion: Inclusion, upload, *, request=None) -> Inclusion:
    """The evidence file of a record not yet confirmed (the import records without one)."""
    inclusion = Inclusion.objects.select_for_update().get(pk=inclusion.pk)
    if not permissions.can_record_inclusion(user, inclusion.division_code):
        raise PlanningError("inclusion_not_yours", _("Only the division's own sports staff record its inclusions."),
                            status=403)
    if inclusion.status == Inclusion.Status.CONFIRMED:
        raise PlanningError("inclusion_confirmed", _("This inclusion was confirmed by the level above."), status=409)
    inclusion.evidence = evidence_rules.check(upload, required=True)
    inclusion.save(update_fields=["evidence"])
    audit.record("update", request=request, actor=user, obj=inclusion, region_code=inclusion.division_code,
                 detail={"fields": ["evidence"]})
    return inclusion


@transaction.atomic
def decide(user, inclusion: Inclusion, *, confirm: bool, reason: str = "", request=None) -> Inclusion:
    """The level above confirms a record awaiting confirmation (an included one with its evidence
    file), or returns it with the reason."""
    inclusion = Inclusion.objects.select_for_update().get(pk=inclusion.pk)
    if not permissions.can_confirm_inclusion(user, inclusion.division_code):
        raise PlanningError("inclusion_not_above", _("Only the staff of the level above confirm it."), status=403)
    if inclusion.status != Inclusion.Status.RECORDED:
        raise PlanningError("inclusion_not_awaiting", _("This inclusion is not awaiting confirmation."), status=409)
    reason = str(reason or "").strip()
    if confirm and inclusion.included and not inclusion.evidence:
        raise PlanningError("evidence_missing", _("The record has no evidence file yet: return it, or wait for it."),
                            "evidence")
    if not confirm and not reason:
        raise PlanningError("inclusion_reason", _("Say why it is returned."), "reason")
    if len(reason) > 4000:
        raise PlanningError("inclusion_text_too_long", _("The text is too long."), "reason")
    inclusion.status = Inclusion.Status.CONFIRMED if confirm else Inclusion.Status.RETURNED
    inclusion.return_reason = "" if confirm else reason
    inclusion.decided_by, inclusion.decided_at = user, timezone.now()
    inclusion.save(update_fields=["status", "return_reason", "decided_by", "decided_at"])
    audit.record("update", request=request, actor=user, obj=inclusion, region_code=inclusion.division_code,
                 detail={"status": inclusion.status})
    return inclusion
