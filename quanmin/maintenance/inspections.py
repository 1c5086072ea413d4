"""Inspection plans, rounds and checks (日常 / 定期 / 专项点检): every write, and the reads that pages,
the API, the tick command, the figures and the demo share.

A plan says who inspects which area's equipment and how often: a round falls every `every_days`
from `starts_on` (until `ends_on`), and must be finished within `days_to_complete` days of its date
(`due_on` = date + days_to_complete - 1). `tick()` makes rounds AHEAD_DAYS ahead and marks rounds
not finished by their due date as missed; both are idempotent (one round per plan and day is a
database constraint).

The inspector walks a round on the phone: each piece OK or defect, the failed checklist items
(checklists.py), a photo (core.photos.check), a note and where they stood. A defect
opens a work order (source inspection, the check attached) through maintenance.services, which
marks the piece defective (or out of service for an urgent one). A round whose every piece has been
checked is done.

Plans are for division staff of the area (scoping); rounds are walked by their inspector only.
"""

import datetime
import math

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.accounts.models import DIVISION_ROLES, Membership, Role, User
from quanmin.core import photos
from quanmin.facilities.models import Equipment, Facility
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import checklists, units
from . import services as orders
from .errors import InspectionError
from .models import Check, InspectionKind, InspectionPlan, InspectionRound, WorkOrder
from .permissions import can_walk

R = InspectionRound.Status
# Rounds are made this many days ahead, so that the inspector sees the coming week.
AHEAD_DAYS = 7
OPEN_ROUND_STATUSES = (R.SCHEDULED, R.IN_PROGRESS)
MAX_EVERY_DAYS = 366
MAX_DAYS_TO_COMPLETE = 90
# Past rounds made for a new plan (or one switched back on): none before the day it was made.
FIRST_YEAR, LAST_YEAR = 2000, 2100
INSPECTOR_ROLES = {Role.INSPECTOR, *DIVISION_ROLES}
PLAN_FIELDS = ("name", "kind", "region", "inspector", "every_days", "days_to_complete", "starts_on", "ends_on",
               "focus", "facilities", "active")


def _today(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(now) if now is not None else timezone.localdate()


def plans_for(user, write: bool = False) -> QuerySet[InspectionPlan]:
    return scoping.scoped(user, InspectionPlan.objects.select_related("region", "inspector"), write)


def rounds_for(user) -> QuerySet[InspectionRound]:
    """Rounds in the user's divisions, and the user's own rounds as inspector."""
    qs = InspectionRound.objects.select_related("plan", "region", "inspector")
    q = scoping.scope_q(user, InspectionRound)
    if q is None:
        return qs
    return qs.filter(q | Q(inspector_id=user.pk)) if user.is_authenticated else qs.none()


def my_rounds(user, today: datetime.date | None = None) -> QuerySet[InspectionRound]:
    """The inspector's rounds to walk now (open and dated today or earlier), soonest due first."""
    today = today or _today()
    return (InspectionRound.objects.select_related("plan", "region")
            .filter(inspector_id=user.pk, status__in=OPEN_ROUND_STATUSES, scheduled_for__lte=today)
            .order_by("due_on", "scheduled_for", "id"))


# --- inspectors -----------------------------------------------------------------------------------------------

def eligible_inspectors(region_code: str):
    """Active people who may inspect in this area: equipment inspectors, and division staff, whose
    role lies inside the area or covers it."""
    members = Membership.objects.filter(role__in=INSPECTOR_ROLES).filter(
        Q(region__code__within=codes.prefix(region_code)) | Q(region_id__in=codes.upward(region_code)))
    return User.objects.filter(is_active=True, pk__in=members.values("user_id")).order_by("real_name", "id")


def _check_inspector(user, region_code: str):
    if user is None or not eligible_inspectors(region_code).filter(pk=getattr(user, "pk", None)).exists():
        raise InspectionError("inspector_invalid",
                              _("Choose an inspector who holds an inspector or staff role in this area."),
                              "inspector")
    return user


# --- plans ----------------------------------------------------------------------------------------------------

def _region(actor, value):
    region = value if isinstance(value, Region) else Region.objects.filter(pk=str(value or "").strip()).first()
    if region is None:
        raise InspectionError("region_invalid", _("Choose a division."), "region")
    if not scoping.can_write_region(actor, region.code):
        raise InspectionError("region_out_of_scope", _("This division is outside your scope."), "region",
                              status=403)
    return region


def _int(value, field: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InspectionError(f"{field}_invalid", _("Enter a whole number."), field) from None
    if not low <= number <= high:
        raise InspectionError(f"{field}_invalid", _("Enter a number from %(low)s to %(high)s.")
                              % {"low": low, "high": high}, field)
    return number


def _date(value, field: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            raise InspectionError("date_invalid", _("Use a date like 2026-05-01."), field) from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InspectionError("date_invalid", _("Use a date between %(first)s and %(last)s.")
                              % {"first": FIRST_YEAR, "last": LAST_YEAR}, field)
    return value


def _facilities(actor, values, region_code: str) -> list[Facility]:
    ids = []
    for value in values or []:
        pk = getattr(value, "pk", value)
        try:
            ids.append(int(pk))
        except (TypeError, ValueError):
            raise InspectionError("facilities_invalid", _("Choose facilities from the list."), "facilities") from None
    if not ids:
        return []
    if len(ids) > 500:
        raise InspectionError("facilities_invalid", _("At most %(n)s facilities in one plan.") % {"n": 500},
                              "facilities")
    found = list(scoping.scoped(actor, Facility.objects.filter(pk__in=set(ids)), write=True)
                 .filter(region__code__within=codes.prefix(region_code)))
    if len(found) != len(set(ids)):
        raise InspectionError("facilities_invalid", _("Each facility must lie in the plan's area."), "facilities")
    return found


def _clean(actor, data: dict, plan: InspectionPlan | None = None) -> tuple[dict, list[Facility] | None]:
    """The plan's fields from `data` (only those given, for an update), checked."""
    clean: dict = {}
    if "name" in data or plan is None:
        name = str(data.get("name") or "").strip()
        if not name:
            raise InspectionError("name_required", _("Give the plan a name."), "name")
        if len(name) > 120:
            raise InspectionError("name_too_long", _("At most %(n)s characters.") % {"n": 120}, "name")
        clean["name"] = name
    if "kind" in data or plan is None:
        kind = data.get("kind") or InspectionKind.DAILY
        if kind not in InspectionKind.values:
            raise InspectionError("kind_invalid", _("Choose one of the listed values."), "kind")
        clean["kind"] = kind
    region = plan.region if plan is not None else None
    if data.get("region") not in (None, "") or plan is None:
        region = _region(actor, data.get("region"))
        clean["region"] = region
    if "inspector" in data or plan is None or "region" in clean:
        inspector = data.get("inspector", plan.inspector if plan else None)
        if inspector is not None and not hasattr(inspector, "pk"):
            try:
                inspector = User.objects.filter(pk=int(inspector)).first()
            except (TypeError, ValueError):
                inspector = None
        clean["inspector"] = _check_inspector(inspector, region.code)
    for field, low, high, default in (("every_days", 1, MAX_EVERY_DAYS, 1),
                                      ("days_to_complete", 1, MAX_DAYS_TO_COMPLETE, 1)):
        if data.get(field) not in (None, "") or plan is None:
            clean[field] = _int(data.get(field) if data.get(field) not in (None, "") else default, field, low, high)
    if "starts_on" in data or plan is None:
        clean["starts_on"] = _date(data.get("starts_on"), "starts_on") or _today()
    if "ends_on" in data:
        clean["ends_on"] = _date(data.get("ends_on"), "ends_on")
    starts = clean.get("starts_on", plan.starts_on if plan else None)
    ends = clean.get("ends_on", plan.ends_on if plan else None)
    if ends is not None and starts is not None and ends < starts:
        raise InspectionError("ends_before_start", _("The plan cannot end before it starts."), "ends_on")
    if "focus" in data:
        focus = str(data.get("focus") or "").strip()
        if len(focus) > 200:
            raise InspectionError("focus_too_long", _("At most %(n)s characters.") % {"n": 200}, "focus")
        clean["focus"] = focus
    kind = clean.get("kind", plan.kind if plan else None)
    if kind == InspectionKind.SPECIAL and not clean.get("focus", plan.focus if plan else ""):
        raise InspectionError("focus_required", _("Say what a special inspection looks for."), "focus")
    if "active" in data and data["active"] is not None:
        clean["active"] = bool(data["active"])
    facilities = None
    if "facilities" in data and data["facilities"] is not None:
        facilities = _facilities(actor, data["facilities"], region.code)
    elif "region" in clean and plan is not None:
        # Facilities outside the new area fall out of the plan.
        facilities = list(plan.facilities.filter(region__code__within=codes.prefix(region.code)))
    return clean, facilities


@transaction.atomic
def create_plan(*, actor, data: dict, request=None, today: datetime.date | None = None) -> InspectionPlan:
    """A plan for an area in the actor's scope; its first rounds are made at once."""
    clean, facilities = _clean(actor, data)
    plan = InspectionPlan.objects.create(created_by=actor, **clean)
    if facilities:
        plan.facilities.set(facilities)
    audit.record("inspection_plan.create", request=request, actor=actor, obj=plan,
                 detail={"kind": plan.kind, "inspector": plan.inspector_id})
    if plan.active:
        generate_rounds(plan, today=today, since=today or _today())
    return plan


def _drop_future_rounds(plan: InspectionPlan, today: datetime.date, keep=lambda day: False) -> int:
    """Rounds not started yet, dated today or later, with no checks, whose date `keep` rejects."""
    stale = [r.pk for r in plan.rounds.filter(status=R.SCHEDULED, scheduled_for__gte=today)
             .annotate(n=Count("checks")).filter(n=0) if not keep(r.scheduled_for)]
    if stale:
        InspectionRound.objects.filter(pk__in=stale).delete()
    return len(stale)


@transaction.atomic
def update_plan(plan: InspectionPlan, data: dict, *, actor, request=None,
                today: datetime.date | None = None) -> InspectionPlan:
    """Change a plan. Coming rounds follow: a new schedule replaces the rounds not started yet, a new
    inspector or area takes over the open rounds. Rounds done or missed stay as they were."""
    today = today or _today()
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if not scoping.can_write_region(actor, plan.region_id):
        raise InspectionError("region_out_of_scope", _("This division is outside your scope."), "region",
                              status=403)
    clean, facilities = _clean(actor, data, plan)
    changed = sorted(k for k, v in clean.items() if getattr(plan, k) != v)
    for key, value in clean.items():
        setattr(plan, key, value)
    if facilities is not None and set(f.pk for f in facilities) != set(plan.facilities.values_list("pk", flat=True)):
        plan.facilities.set(facilities)
        changed.append("facilities")
    if not changed:
        return plan
    plan.save()
    open_rounds = plan.rounds.filter(status__in=OPEN_ROUND_STATUSES)
    if {"inspector", "region", "kind"} & set(changed):
        open_rounds.update(inspector=plan.inspector, region=plan.region, kind=plan.kind)
    if not plan.active:
        _drop_future_rounds(plan, today)
    else:
        dates = set(schedule(plan, today, today + datetime.timedelta(days=AHEAD_DAYS)))
        _drop_future_rounds(plan, today, keep=lambda day: day in dates)
        if "days_to_complete" in changed:
            plan.rounds.filter(status=R.SCHEDULED, scheduled_for__gte=today).update(due_on=_due_expr(plan))
        # Switched back on: no missed rounds for the time it was off.
        generate_rounds(plan, today=today, since=today if "active" in changed else None)
    audit.record("inspection_plan.update", request=request, actor=actor, obj=plan, detail={"fields": changed})
    return plan


def _due_expr(plan: InspectionPlan):
    return F("scheduled_for") + datetime.timedelta(days=plan.days_to_complete - 1)


def set_plan_active(plan: InspectionPlan, active: bool, *, actor, request=None,
                    today: datetime.date | None = None) -> InspectionPlan:
    """Stop a plan (its coming rounds not started are dropped; history stays) or start it again."""
    return update_plan(plan, {"active": active}, actor=actor, request=request, today=today)


# --- the schedule -----------------------------------------------------------------------------------------------

def schedule(plan: InspectionPlan, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The plan's round dates from `start` to `end`, both included."""
    first = max(start, plan.starts_on)
    last = min(end, plan.ends_on) if plan.ends_on else end
    if last < first:
        return []
    offset = (first - plan.starts_on).days % plan.every_days
    day = first + datetime.timedelta(days=(plan.every_days - offset) % plan.every_days)
    dates = []
    while day <= last:
        dates.append(day)
        day += datetime.timedelta(days=plan.every_days)
    return dates


def plan_pieces(plan: InspectionPlan) -> QuerySet[Equipment]:
    """The pieces a plan's rounds check: those of its facilities, or every piece in its area; never a
    removed one."""
    qs = Equipment.objects.exclude(status=Equipment.Status.REMOVED).filter(
        region__code__within=codes.prefix(plan.region_id))
    if plan.facilities.exists():
        qs = qs.filter(facility__in=plan.facilities.all())
    return qs


def generate_rounds(plan: InspectionPlan, *, today: datetime.date | None = None, ahead: int = AHEAD_DAYS,
                    since: datetime.date | None = None) -> int:
    """Make the plan's rounds up to `ahead` days from today; returns how many were made.

    Rounds before `since` are never made. By default `since` is the day after the plan's last round
    (a tick that did not run for a while catches up, and the rounds it makes late are then marked
    missed), or the day the plan was made when it has none yet (a new plan does not start with a tail
    of missed rounds). Rounds already made are kept as they are. The demo passes an earlier `since`
    (and `today`) to fill in history.
    """
    if not plan.active:
        return 0
    today = today or _today()
    if since is None:
        last = plan.rounds.order_by("-scheduled_for").values_list("scheduled_for", flat=True).first()
        if last is not None:
            since = last + datetime.timedelta(days=1)
        else:
            since = _today(plan.created_at) if plan.created_at else today
    dates = schedule(plan, since, today + datetime.timedelta(days=ahead))
    if not dates:
        return 0
    existing = set(plan.rounds.filter(scheduled_for__in=dates).values_list("scheduled_for", flat=True))
    pieces = plan_pieces(plan).count()
    new = [InspectionRound(plan=plan, kind=plan.kind, region_id=plan.region_id, inspector_id=plan.inspector_id,
                           scheduled_for=day, due_on=day + datetime.timedelta(days=plan.days_to_complete - 1),
                           pieces=pieces)
           for day in dates if day not in existing]
    InspectionRound.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def mark_missed(today: datetime.date | None = None) -> int:
    """Rounds not finished by their due date are missed (their checks so far are kept)."""
    today = today or _today()
    return InspectionRound.objects.filter(status__in=OPEN_ROUND_STATUSES, due_on__lt=today).update(status=R.MISSED)


def tick(today: datetime.date | None = None) -> dict:
    """The periodic work: rounds ahead for every active plan, missed rounds marked. Idempotent."""
    today = today or _today()
    created = 0
    plans = InspectionPlan.objects.filter(active=True, starts_on__lte=today + datetime.timedelta(days=AHEAD_DAYS)) \
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today - datetime.timedelta(days=MAX_EVERY_DAYS)))
    for plan in plans.iterator(chunk_size=500):
        created += generate_rounds(plan, today=today)
    missed = mark_missed(today)
    if created or missed:
        audit.record("inspection.tick", detail={"rounds_created": created, "rounds_missed": missed,
                                                "day": today.isoformat()})
    return {"rounds_created": created, "rounds_missed": missed}


# --- walking a round --------------------------------------------------------------------------------------------

def round_pieces(round_: InspectionRound) -> QuerySet[Equipment]:
    """The pieces of a round: the plan's pieces now, and any piece already checked in it."""
    checked = Check.objects.filter(round=round_).values("equipment_id")
    return (Equipment.objects.filter(Q(pk__in=plan_pieces(round_.plan).values("pk")) | Q(pk__in=checked))
            .select_related("facility", "site").order_by("site__name", "facility_id", "id"))


def progress(round_: InspectionRound) -> dict:
    """{"pieces": n, "checked": n, "defects": n, "left": n} for a round."""
    counts = round_.checks.aggregate(checked=Count("pk"), defects=Count("pk", filter=Q(result=Check.Result.DEFECT)))
    pieces = round_pieces(round_).count() if round_.status in OPEN_ROUND_STATUSES else max(
        round_.pieces, counts["checked"])
    return {"pieces": pieces, **counts, "left": max(pieces - counts["checked"], 0)}


def _check_open(round_: InspectionRound, today: datetime.date) -> None:
    if round_.status == R.DONE:
        raise InspectionError("round_done", _("This round is finished."), status=409)
    if round_.status == R.MISSED:
        raise InspectionError("round_missed", _("This round was missed: it was due on %(due)s.")
                              % {"due": round_.due_on}, status=409)
    if round_.scheduled_for > today:
        raise InspectionError("round_not_yet", _("This round starts on %(date)s.") % {"date": round_.scheduled_for},
                              status=409)
    if round_.due_on < today:  # the tick marks it missed
        raise InspectionError("round_missed", _("This round was missed: it was due on %(due)s.")
                              % {"due": round_.due_on}, status=409)


def _position(lon, lat) -> tuple[float | None, float | None]:
    if lon in (None, "") and lat in (None, ""):
        return None, None
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        raise InspectionError("position_invalid", _("The position could not be read."), "lon") from None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise InspectionError("position_invalid", _("The position could not be read."), "lon")
    return lon, lat


def _items(piece: Equipment, result: str, failed_items) -> list[str]:
    items = [str(i).strip() for i in (failed_items or []) if str(i).strip()]
    if result == Check.Result.OK:
        return []
    allowed = checklists.codes_for_kind(piece.kind)
    unknown = [i for i in items if i not in allowed]
    if unknown:
        raise InspectionError("checklist_item_invalid", _("Choose items from this piece's checklist."),
                              "failed_items")
    # Keep the checklist's order, once each.
    return [i.code for i in checklists.for_kind(piece.kind) if i.code in set(items)]


def _defect_text(piece: Equipment, items: list[str], note: str) -> str:
    labels = "；".join(checklists.ITEMS[c].label for c in items)
    head = _("Inspection found a defect on %(kind)s %(tag)s") % {"kind": piece.kind_label, "tag": piece.tag}
    return "\n".join(filter(None, [head, labels, note]))


def _after_check(round_, check, piece, result, items, note, severity, actor, request, now):
    """The work order for a defect, and the round's state after one more check."""
    order = None
    if result == Check.Result.DEFECT:
        ranks = checklists.SEVERITY_ORDER
        chosen = checklists.worst_severity(items) or WorkOrder.Severity.NORMAL
        if severity and ranks.index(severity) < ranks.index(chosen):
            chosen = severity
        unit = units.units_serving(piece.region_id).first()
        order = orders.create_work_order(actor=actor, description=_defect_text(piece, items, note),
                                         kind=WorkOrder.Kind.REPAIR, severity=chosen,
                                         source=WorkOrder.Source.INSPECTION, equipment=piece, unit=unit,
                                         inspection_check=check, request=request, now=now)
    fields = []
    if round_.status == R.SCHEDULED:
        round_.status, round_.started_at = R.IN_PROGRESS, now
        fields += ["status", "started_at"]
    # Done when no plan piece is left unchecked: stops at the first one, where counting the round's
    # pieces after every check read the whole area each time.
    unchecked = plan_pieces(round_.plan).exclude(pk__in=round_.checks.values("equipment_id"))
    if not unchecked.exists():
        round_.status, round_.finished_at, round_.pieces = R.DONE, now, round_pieces(round_).count()
        fields += ["status", "finished_at", "pieces"]
    if fields:
        round_.save(update_fields=sorted(set(fields)))
    return order


@transaction.atomic
def record_check(round_: InspectionRound, *, equipment: Equipment, result: str, actor, failed_items=(),
                 note: str = "", photo=None, lon=None, lat=None, severity: str | None = None, request=None,
                 now: datetime.datetime | None = None) -> Check:
    """Record one piece in a round: OK, or a defect (the failed checklist items and/or a note).

    Everything is checked before anything is written: a wrong photo, position or item changes
    nothing. A defect opens a work order for the piece (severity: the worst failed item's, or the
    inspector's if higher), given to the maintenance unit that serves the piece's division. An OK
    may be corrected while the round is open; a defect, which has its work order, may not.
    """
    now = now or timezone.now()
    today = _today(now)
    round_ = InspectionRound.objects.select_for_update().select_related("plan").get(pk=round_.pk)
    if not can_walk(actor, round_):
        raise InspectionError("not_your_round", _("Only the round's inspector records its checks."), status=403)
    _check_open(round_, today)
    if result not in Check.Result.values:
        raise InspectionError("result_invalid", _("Choose OK or defect."), "result")
    piece_id = getattr(equipment, "pk", equipment)
    piece = Equipment.objects.select_related("facility", "site").filter(pk=piece_id).first()
    if piece is not None and not (plan_pieces(round_.plan).filter(pk=piece_id).exists()
                                  or round_.checks.filter(equipment_id=piece_id).exists()):
        piece = None  # the round's pieces (round_pieces), looked up by id without reading the area
    if piece is None:
        raise InspectionError("equipment_not_in_round", _("This piece is not part of this round."), "equipment",
                              status=404)
    items = _items(piece, result, failed_items)
    note = (note or "").strip()
    if len(note) > 300:
        raise InspectionError("note_too_long", _("At most %(n)s characters.") % {"n": 300}, "note")
    if result == Check.Result.DEFECT and not items and not note:
        raise InspectionError("defect_detail_required", _("Tick what is wrong or describe the defect."),
                              "failed_items")
    if severity not in (None, "") and severity not in WorkOrder.Severity.values:
        raise InspectionError("severity_invalid", _("Choose one of the listed values."), "severity")
    lon, lat = _position(lon, lat)
    ext = photos.check(photo) if photo is not None else None

    check = Check.objects.filter(round=round_, equipment=piece).first()
    if check is not None and (check.result == Check.Result.DEFECT or WorkOrder.objects.filter(
            inspection_check=check).exists()):
        raise InspectionError("already_checked", _("This piece is already reported defective in this round."),
                              "equipment", status=409)
    old_photo = check.photo.name if check is not None and check.photo else ""
    check = check or Check(round=round_, equipment=piece)
    check.result, check.failed_items, check.note = result, items, note
    check.lon, check.lat, check.checked_at, check.checked_by = lon, lat, now, actor
    saved_name = None
    if ext is not None:
        saved_name = photos.store(check.photo, photo, ext)
    try:
        check.save()
    except Exception:
        if saved_name:
            check.photo.delete(save=False)
        raise
    if old_photo and saved_name:
        check.photo.storage.delete(old_photo)

    try:
        order = _after_check(round_, check, piece, result, items, note, severity, actor, request, now)
    except Exception:
        if saved_name:  # the transaction forgets the check: forget its photo file too
            check.photo.storage.delete(check.photo.name)
        raise
    audit.record("inspection.check", request=request, actor=actor, obj=round_,
                 detail={"equipment": piece.pk, "result": result, "items": items,
                         "work_order": order.number if order else None})
    return check


@transaction.atomic
def start_round(round_: InspectionRound, *, actor, now: datetime.datetime | None = None) -> InspectionRound:
    """The inspector opens the round: it is in progress, its piece count brought up to date. A round
    with nothing to check is done at once."""
    now = now or timezone.now()
    round_ = InspectionRound.objects.select_for_update().select_related("plan").get(pk=round_.pk)
    if not can_walk(actor, round_):
        raise InspectionError("not_your_round", _("Only the round's inspector records its checks."), status=403)
    if round_.status == R.IN_PROGRESS:
        return round_
    _check_open(round_, _today(now))
    round_.pieces = round_pieces(round_).count()
    round_.status, round_.started_at = R.IN_PROGRESS, now
    if round_.pieces == 0:
        round_.status, round_.finished_at = R.DONE, now
    round_.save(update_fields=["status", "started_at", "finished_at", "pieces"])
    return round_
