"""Every write to work orders and maintenance units (and, in inspections.py, to plans and rounds):
pages, API, admin, imports, tasks and the demo call these.

A state change is checked against the order's state inside a transaction that holds the row, so two
clerks pressing the same button change it once: the second is told `work_order_state` (409).

Who may call what is the callers' business (views and endpoints check `can_manage` / `can_work`),
because tasks and inspections open orders on behalf of people who do not manage them. The unit
services take the acting user and keep units inside the divisions that user may change.

The piece of equipment follows its orders:
- an urgent order (any kind) takes the piece out of service; a repair, or an order from an
  inspection or a resident's report, marks it defective (a status only ever gets worse here);
- a verified order puts it back in service unless another order on it is still open or awaiting
  verification (then it takes the worst status those call for); a verified replacement removes the
  piece and registers its successor with a new tag (facilities.equipment_services.replace_piece);
- a cancelled order leaves the piece as it is: a duplicate order's piece is still broken.

Residents' reports: an order opened from a report (open_for_report) is recorded on the report by
feedback's services; a verified order resolves the open reports behind it and a cancelled one leaves
them a note, in the same transaction (feedback.services.repair_verified / repair_cancelled). This
app calls feedback and feedback never calls back: the report learns of its order by reading it.
"""

import datetime
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit
from quanmin.core import photos, workdays
from quanmin.core.notify import notify
from quanmin.facilities import equipment_services
from quanmin.facilities.models import Equipment
from quanmin.feedback import services as feedback

from .errors import MaintenanceError
from .models import (
    HOLDING_STATUSES,
    OPEN_STATUSES,
    MaintenanceUnit,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderPhoto,
)
from .units import check_serves, responsible_unit, unit_members

S = WorkOrder.Status
K = WorkOrder.Kind

# Deadline by severity: urgent in hours around the clock (a hazard is fenced off at once), the rest
# in working days by the Chinese calendar. A city may set its own in settings:
# QUANMIN_WORK_ORDER_DEADLINES = {"high": ("working_days", 2)}.
DEADLINES = {
    WorkOrder.Severity.URGENT: ("hours", 24),
    WorkOrder.Severity.HIGH: ("working_days", 3),
    WorkOrder.Severity.NORMAL: ("working_days", 7),
    WorkOrder.Severity.LOW: ("working_days", 15),
}

# What may follow what. Verified and cancelled are final.
NEXT = {
    S.OPEN: {S.ASSIGNED, S.CANCELLED},
    S.ASSIGNED: {S.ASSIGNED, S.IN_PROGRESS, S.DONE, S.CANCELLED},
    S.IN_PROGRESS: {S.DONE, S.CANCELLED, S.ASSIGNED},
    S.DONE: {S.VERIFIED, S.IN_PROGRESS},
    S.VERIFIED: set(),
    S.CANCELLED: set(),
}
PHOTOS_PER_ORDER = 20
# Before photos while the work has not been done; after photos while it is under way or awaiting checks.
PHOTO_STAGES_ALLOWED = {
    WorkOrderPhoto.Stage.BEFORE: (S.OPEN, S.ASSIGNED, S.IN_PROGRESS),
    WorkOrderPhoto.Stage.AFTER: (S.ASSIGNED, S.IN_PROGRESS, S.DONE),
}


# --- deadlines and lateness ------------------------------------------------------------------------

def deadlines() -> dict:
    return {**DEADLINES, **getattr(settings, "QUANMIN_WORK_ORDER_DEADLINES", {})}


def deadline(severity: str, start: datetime.datetime | None = None) -> datetime.datetime:
    """When an order of this severity opened at `start` must be done. Working days follow the
    Chinese calendar (holidays off, make-up working days on; see core.workdays)."""
    start = start or timezone.now()
    unit, amount = deadlines()[severity]
    if unit == "hours":
        return start + datetime.timedelta(hours=amount)
    return workdays.add_working_days(start, amount)


def is_overdue(order: WorkOrder, now: datetime.datetime | None = None) -> bool:
    """Still open (open, assigned, in progress) and past its deadline."""
    return order.status in OPEN_STATUSES and order.due_at < (now or timezone.now())


def is_late(order: WorkOrder, now: datetime.datetime | None = None) -> bool:
    """Overdue now, or done after the deadline (it stays late once verified)."""
    if order.done_at is not None:
        return order.done_at > order.due_at
    return is_overdue(order, now)


# --- internals ----------------------------------------------------------------------------------------

def _check_choice(value, choices, field):
    if value not in choices.values:
        raise MaintenanceError(f"{field}_invalid", _("Choose one of the listed values."), field)


def _number() -> str:
    return f"WO{timezone.localdate():%y%m%d}{secrets.token_hex(3).upper()}"


def _event(order, actor, text="", at: datetime.datetime | None = None):
    """The step in the order's history; `at` when it happened, if not now (`at` stamps itself on creation)."""
    event = WorkOrderEvent.objects.create(work_order=order, status=order.status, actor=actor, text=(text or "")[:300])
    if at is not None:
        WorkOrderEvent.objects.filter(pk=event.pk).update(at=at)


def _locked(order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.select_for_update().get(pk=order.pk)


def _state_error(order: WorkOrder) -> MaintenanceError:
    return MaintenanceError(
        "work_order_state",
        _("This work order is %(status)s and cannot be moved that way.") % {"status": order.get_status_display()},
        status=409)


def _move(order: WorkOrder, to: str) -> WorkOrder:
    """The order as it stands in the database, locked, moved to `to` in memory (not saved)."""
    order = _locked(order)
    if to not in NEXT[order.status]:
        raise _state_error(order)
    order.status = to
    return order


# Worse to better: an order may make a piece worse, never better (only verification does).
_RANK = {Equipment.Status.IN_SERVICE: 0, Equipment.Status.DEFECTIVE: 1, Equipment.Status.OUT_OF_SERVICE: 2}


def _status_called_for(severity: str, kind: str, source: str) -> str:
    if severity == WorkOrder.Severity.URGENT:
        return Equipment.Status.OUT_OF_SERVICE
    if kind == K.REPAIR or source in (WorkOrder.Source.INSPECTION, WorkOrder.Source.REPORT):
        return Equipment.Status.DEFECTIVE
    return Equipment.Status.IN_SERVICE


def _set_equipment(piece: Equipment, status: str) -> None:
    if piece.status != Equipment.Status.REMOVED and piece.status != status:
        piece.status = status
        piece.save(update_fields=["status", "updated_at"])


def _worsen_equipment(piece: Equipment | None, status: str) -> None:
    if piece is None or piece.status == Equipment.Status.REMOVED:
        return
    if _RANK.get(status, 0) > _RANK.get(piece.status, 0):
        _set_equipment(piece, status)



def _notify_unit(order: WorkOrder) -> None:
    for membership in unit_members(order.unit_id).select_related("user"):
        notify(membership.user, _("New work order %(number)s") % {"number": order.number},
               _("%(description)s — due %(due)s") % {
                   "description": order.description[:120],
                   "due": timezone.localtime(order.due_at).strftime("%Y-%m-%d %H:%M")})


# --- work orders ---------------------------------------------------------------------------------------

@transaction.atomic
def create_work_order(*, actor, description: str, kind: str = K.REPAIR,
                      severity: str = WorkOrder.Severity.NORMAL, source: str = WorkOrder.Source.STAFF,
                      equipment: Equipment | None = None, facility=None, site=None, region=None,
                      unit: MaintenanceUnit | None = None, inspection_check=None, request=None,
                      now: datetime.datetime | None = None) -> WorkOrder:
    """Open a work order (`now`: when it was opened, for orders entered after the fact). It lies where its equipment (or facility, site, division) lies; with a unit
    it starts assigned. The piece's status follows (see the module's notes).

    Refused: a removed piece (`equipment_removed`), a second open replacement of one piece
    (`replace_order_open`, 409). An inspection check has at most one order: opening one again for
    the same check returns the order it already has, unchanged.
    """
    _check_choice(kind, K, "kind")
    _check_choice(severity, WorkOrder.Severity, "severity")
    _check_choice(source, WorkOrder.Source, "source")
    description = (description or "").strip()
    if not description:
        raise MaintenanceError("description_required", _("Describe the problem."), "description")
    if inspection_check is not None:
        existing = WorkOrder.objects.filter(inspection_check=inspection_check).first()
        if existing is not None:
            return existing
    if equipment is not None:
        # Lock the piece: two clerks opening a replacement of it at once open one.
        equipment = Equipment.objects.select_for_update().select_related("facility").get(pk=equipment.pk)
        if equipment.status == Equipment.Status.REMOVED:
            raise MaintenanceError("equipment_removed", _("This piece has been removed from the register."),
                                   "equipment", status=409)
        if kind == K.REPLACE and equipment.work_orders.filter(kind=K.REPLACE, status__in=HOLDING_STATUSES).exists():
            raise MaintenanceError("replace_order_open", _("This piece already has an open replacement order."),
                                   "equipment", status=409)
        facility, site, region = equipment.facility, equipment.site, equipment.region
    elif facility is not None:
        site, region = facility.site, facility.region
    elif site is not None:
        region = site.region
    if region is None:
        raise MaintenanceError("place_required", _("Say which equipment or place the work order is for."),
                               "equipment")
    if unit is not None:
        check_serves(unit, region.code)
    backdated, now = now is not None, now or timezone.now()
    fields = dict(kind=kind, severity=severity, source=source, equipment=equipment, facility=facility, site=site,
                  region=region, inspection_check=inspection_check, description=description[:4000], unit=unit,
                  status=S.ASSIGNED if unit else S.OPEN, assigned_at=now if unit else None,
                  due_at=deadline(severity, now), created_by=actor)
    for attempt in range(5):
        try:
            with transaction.atomic():
                order = WorkOrder.objects.create(number=_number(), **fields)
            break
        except IntegrityError:
            if inspection_check is not None:
                existing = WorkOrder.objects.filter(inspection_check=inspection_check).first()
                if existing is not None:
                    return existing
            if attempt == 4:
                raise
    _event(order, actor, description)
    if backdated:
        # Orders entered after the fact (the demo, imports) keep the moment they were opened.
        WorkOrder.objects.filter(pk=order.pk).update(created_at=now)
        WorkOrderEvent.objects.filter(work_order=order).update(at=now)
        order.created_at = now
    _worsen_equipment(equipment, _status_called_for(severity, kind, source))
    audit.record("work_order.create", request=request, actor=actor, obj=order,
                 detail={"kind": kind, "severity": severity, "source": source})
    if unit is not None:
        _notify_unit(order)
    return order


@transaction.atomic
def assign(order: WorkOrder, unit: MaintenanceUnit, *, actor, request=None,
           now: datetime.datetime | None = None) -> WorkOrder:
    """Give the order to a maintenance unit that serves its division (again, to change units).
    `now`: when, for steps entered after the fact (the demo); the event carries the same moment."""
    order = _move(order, S.ASSIGNED)
    check_serves(unit, order.region_id)
    order.unit, order.assigned_at = unit, now or timezone.now()
    order.save(update_fields=["status", "unit", "assigned_at"])
    _event(order, actor, unit.name, at=now)
    audit.record("work_order.assign", request=request, actor=actor, obj=order, detail={"unit": unit.pk})
    _notify_unit(order)
    return order


@transaction.atomic
def start(order: WorkOrder, *, actor, request=None, now: datetime.datetime | None = None) -> WorkOrder:
    """The unit starts work (`now`: when, as for assign)."""
    order = _locked(order)
    if order.status != S.ASSIGNED:  # in progress again after a refusal is verify's move, not this one
        raise _state_error(order)
    order.status = S.IN_PROGRESS
    order.started_at = order.started_at or now or timezone.now()
    order.save(update_fields=["status", "started_at"])
    _event(order, actor, at=now)
    audit.record("work_order.start", request=request, actor=actor, obj=order)
    return order


@transaction.atomic
def complete(order: WorkOrder, *, actor, resolution: str = "", request=None,
             now: datetime.datetime | None = None) -> WorkOrder:
    """The unit reports the work done. Done needs evidence, and either kind will do: a text saying
    what was done, or at least one "after" photo already uploaded (a worker on a ladder may only
    snap a picture). With neither it is refused (`resolution_required`) and nothing changes.
    `now`: when, as for assign."""
    resolution = (resolution or "").strip()
    order = _move(order, S.DONE)
    if not resolution and not order.photos.filter(stage=WorkOrderPhoto.Stage.AFTER).exists():
        raise MaintenanceError("resolution_required",
                               _("Say what was done, or upload at least one photo of the finished work."),
                               "resolution")
    order.done_at, order.resolution = now or timezone.now(), resolution[:4000]
    order.started_at = order.started_at or order.done_at
    order.save(update_fields=["status", "done_at", "started_at", "resolution"])
    _event(order, actor, resolution or _("Done (see the photos)."), at=now)
    audit.record("work_order.done", request=request, actor=actor, obj=order)
    return order


@transaction.atomic
def verify(order: WorkOrder, *, actor, accepted: bool = True, note: str = "", request=None,
           now: datetime.datetime | None = None) -> WorkOrder:
    """The division checks the work. Accepted: the piece returns to service (a replaced piece is
    removed and its successor registered, installed that day). Refused: back to in progress, with
    the reason. `now`: when, as for assign; the reports the order resolves are resolved then too."""
    note = (note or "").strip()
    if not accepted and not note:
        raise MaintenanceError("reason_required", _("Say why the work is not accepted."), "note")
    # Only done work is checked; "refused" is not a way to start an assigned order.
    locked = _locked(order)
    if locked.status != S.DONE:
        raise _state_error(locked)
    order = _move(order, S.VERIFIED if accepted else S.IN_PROGRESS)
    if accepted:
        order.verified_at, order.verified_by = now or timezone.now(), actor
        order.save(update_fields=["status", "verified_at", "verified_by"])
        successor = _after_verified(order, actor, request, now)
        if successor is not None:
            note = " ".join(filter(None, [note, _("Replaced by %(tag)s.") % {"tag": successor.tag}]))
    else:
        order.done_at = None
        order.save(update_fields=["status", "done_at"])
    _event(order, actor, note, at=now)
    audit.record("work_order.verify" if accepted else "work_order.refuse", request=request, actor=actor, obj=order,
                 detail={"note": note} if note else None)
    if accepted:
        feedback.repair_verified(order, now=now)
    return order


def _after_verified(order: WorkOrder, actor, request=None, now: datetime.datetime | None = None) -> Equipment | None:
    """Put the piece back in service, or replace it; returns the successor of a replaced piece."""
    if order.equipment_id is None:
        return None
    piece = Equipment.objects.select_for_update().get(pk=order.equipment_id)
    if piece.status == Equipment.Status.REMOVED:
        return None
    if order.kind == K.REPLACE:
        successor = equipment_services.replace_piece(piece, actor=actor, on=timezone.localdate(now), request=request)
        # The old piece is gone: its other orders have nothing left to work on.
        for other in piece.work_orders.filter(status__in=HOLDING_STATUSES).exclude(pk=order.pk):
            other.status, other.cancel_reason = S.CANCELLED, _("The piece was replaced.")[:200]
            other.save(update_fields=["status", "cancel_reason"])
            _event(other, actor, other.cancel_reason, at=now)
            feedback.repair_cancelled(other, now=now)
        return successor
    # Other orders on the same piece keep it as out of use as they call for.
    worst = Equipment.Status.IN_SERVICE
    for severity, kind, source in piece.work_orders.exclude(pk=order.pk).filter(
            status__in=HOLDING_STATUSES).values_list("severity", "kind", "source"):
        called = _status_called_for(severity, kind, source)
        if _RANK[called] > _RANK[worst]:
            worst = called
    _set_equipment(piece, worst)
    return None


@transaction.atomic
def cancel(order: WorkOrder, *, actor, reason: str, request=None, now: datetime.datetime | None = None) -> WorkOrder:
    """Cancelled, with the reason (`now`: when, as for assign)."""
    reason = (reason or "").strip()
    if not reason:
        raise MaintenanceError("reason_required", _("Say why the work order is cancelled."), "reason")
    order = _move(order, S.CANCELLED)
    order.cancel_reason = reason[:200]
    order.save(update_fields=["status", "cancel_reason"])
    _event(order, actor, reason, at=now)
    audit.record("work_order.cancel", request=request, actor=actor, obj=order, detail={"reason": reason[:200]})
    feedback.repair_cancelled(order, now=now)
    return order


@transaction.atomic
def add_photo(order: WorkOrder, image, stage: str, *, actor, request=None,
              now: datetime.datetime | None = None) -> WorkOrderPhoto:
    """A before photo (the problem) while the work is not done; an after photo (the result) while it is
    under way or awaiting verification. At most PHOTOS_PER_ORDER an order. `now`: when it was taken, if
    it is entered after the fact."""
    _check_choice(stage, WorkOrderPhoto.Stage, "stage")
    ext = photos.check(image)
    order = _locked(order)
    if order.status not in PHOTO_STAGES_ALLOWED[stage]:
        raise MaintenanceError("photo_stage_closed",
                               _("This work order is %(status)s: no more %(stage)s photos.")
                               % {"status": order.get_status_display(),
                                  "stage": WorkOrderPhoto.Stage(stage).label.lower()}, "stage", status=409)
    if order.photos.count() >= PHOTOS_PER_ORDER:
        raise MaintenanceError("too_many_photos", _("A work order keeps at most %(n)s photos.")
                               % {"n": PHOTOS_PER_ORDER}, "image", status=409)
    photo = WorkOrderPhoto(work_order=order, stage=stage, uploaded_by=actor, uploaded_at=now or timezone.now())
    photos.store(photo.image, image, ext)
    photos.save_row(photo, photo.image)
    audit.record("work_order.photo", request=request, actor=actor, obj=order, detail={"stage": stage})
    return photo


# --- replacement of pieces past their design life ---------------------------------------------------------

@transaction.atomic
def open_replacement_orders(pieces: Iterable[Equipment], *, actor, unit: MaintenanceUnit | None = None,
                            severity: str = WorkOrder.Severity.LOW, request=None,
                            now: datetime.datetime | None = None) -> dict:
    """One replacement order per piece, from the list of pieces past their design life. Idempotent: a
    piece that already has an open (or done, unverified) replacement order, or has been removed, is
    skipped. Returns {"created": [orders], "skipped": [pieces]}. `now`: when they were opened (as for
    create_work_order)."""
    ids = sorted({p.pk for p in pieces})
    created, skipped = [], []
    # Lock in one order (by id) so that two clerks pressing the button at once cannot deadlock.
    locked = Equipment.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    busy = set(WorkOrder.objects.filter(equipment_id__in=ids, kind=K.REPLACE, status__in=HOLDING_STATUSES)
               .values_list("equipment_id", flat=True))
    for piece in locked.select_related("facility"):
        if piece.pk in busy or piece.status == Equipment.Status.REMOVED:
            skipped.append(piece)
            continue
        due = piece.replace_due
        text = (_("Past its design life of %(years)s years (installed %(installed)s, due %(due)s): replace it.")
                % {"years": piece.design_life_years, "installed": piece.install_date, "due": due})
        created.append(create_work_order(actor=actor, description=text, kind=K.REPLACE, severity=severity,
                                         source=WorkOrder.Source.DESIGN_LIFE, equipment=piece, unit=unit,
                                         request=request, now=now))
    audit.record("work_order.replacements", request=request, actor=actor,
                 detail={"created": len(created), "skipped": len(skipped)})
    return {"created": created, "skipped": skipped}


# --- residents' reports ------------------------------------------------------------------------------------

@transaction.atomic
def severity_for_report(report) -> str:
    """Where a report's work order starts: urgent for a safety hazard, normal otherwise."""
    return WorkOrder.Severity.URGENT if report.category == report.Category.HAZARD else WorkOrder.Severity.NORMAL


def open_for_report(report, *, actor, severity: str | None = None, kind: str = K.REPAIR,
                    unit: MaintenanceUnit | None = None, description: str = "", request=None,
                    now: datetime.datetime | None = None) -> WorkOrder:
    """Send a resident's report for repair: a work order (source report) for its piece or place, given
    to the unit serving its division unless another is named; feedback records it on the report (a
    report that was only received counts as responded). Refused as feedback refuses a change to the
    report (forbidden, report_state), and while the report has an open order (`work_order_open`,
    409). `now`: when (the demo): the order is opened (and its deadline counted) then too. No
    `severity`: the report's (severity_for_report)."""
    report = feedback.lock_for_work_order(report, actor=actor)
    severity = severity or severity_for_report(report)
    text = (description or "").strip() or f"{report.get_category_display()}: {report.description}"
    unit = unit if unit is not None else responsible_unit(report.region_id)
    order = create_work_order(
        actor=actor, description=f"[{report.number}] {text}", kind=kind, severity=severity,
        source=WorkOrder.Source.REPORT, equipment=report.equipment,
        site=report.site if report.equipment is None else None,
        region=report.region if report.equipment is None and report.site is None else None,
        unit=unit, request=request, now=now)
    feedback.work_order_opened(report, order, actor=actor, unit_name=unit.name if unit else "", request=request,
                               now=now)
    return order
