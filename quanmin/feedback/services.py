"""Every write to residents' reports (投诉举报): pages, API, the tick command and the demo call these.

A report lies in the division of its piece of equipment or place. It is handled first by the lowest
division above it that has staff of its own; the maintenance unit serving that division gets the work
order when staff turn the report into one. The city's (or a county's) FeedbackSettings say how many
working days (Chinese calendar: holidays off, make-up days on) staff have to respond and to resolve.

Escalation: a report whose response deadline passed without a response goes one level up; one whose
resolution deadline passed without a resolution goes one more. The number of levels owed is worked
out from the report's own dates, so the tick command may run as often as it likes (idempotent).

Photos are checked one by one with maintenance.services.check_photo: a bad photo is refused with a
clear error and the report itself is kept, without it.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, crypto, scoping
from quanmin.accounts.models import DIVISION_ROLES, Membership
from quanmin.accounts.phones import InvalidPhone, parse_phone
from quanmin.core import workdays
from quanmin.core.errors import ServiceError
from quanmin.regions import codes

from .models import FeedbackSettings, Report, ReportEvent, ReportPhoto

S = Report.Status
E = ReportEvent.Kind

DEFAULT_HOTLINE = "12345"
DEFAULT_RESPONSE_DAYS = 1
DEFAULT_RESOLUTION_DAYS = 5
DESCRIPTION_MAX = 2000
ANSWER_MAX = 2000
PHOTOS_PER_REPORT = 3
REPORTS_PER_HOUR = 20  # per sender (an account, or an address for anonymous reports)
CLIENT_KEY_MAX = 64
# A point picked on the map belongs to the nearest site within this distance.
PICK_RADIUS_M = 1000
OPEN_STATUSES = (S.RECEIVED, S.RESPONDED)
FINAL_STATUSES = (S.CLOSED, S.REJECTED)


class FeedbackError(ServiceError):
    pass


# --- settings, hotline, routing ---------------------------------------------------------------------

@dataclass(frozen=True)
class Rules:
    hotline: str
    response_working_days: int
    resolution_working_days: int


def rules_for(region_code: str) -> Rules:
    """The nearest FeedbackSettings at or above the division, or the defaults."""
    chain = codes.upward(region_code)
    found = {s.region_id: s for s in FeedbackSettings.objects.filter(region_id__in=chain)}
    for code in chain:
        if code in found:
            s = found[code]
            return Rules(s.hotline or DEFAULT_HOTLINE, s.response_working_days, s.resolution_working_days)
    return Rules(DEFAULT_HOTLINE, DEFAULT_RESPONSE_DAYS, DEFAULT_RESOLUTION_DAYS)


def hotline_for(region_code: str | None) -> str:
    return rules_for(region_code).hotline if region_code else DEFAULT_HOTLINE


def deadlines(region_code: str, received: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """(respond_by, resolve_by) for a report received at `received` in this division."""
    rules = rules_for(region_code)
    return (workdays.add_working_days(received, rules.response_working_days),
            workdays.add_working_days(received, rules.resolution_working_days))


def _existing_regions(chain: list[str]) -> set[str]:
    from quanmin.regions.models import Region

    return set(Region.objects.filter(code__in=chain).values_list("code", flat=True))


def handler_for(region_code: str) -> str:
    """The lowest division at or above `region_code` with division staff who may act; the top of the
    chain when nobody is staffed."""
    existing = _existing_regions(codes.upward(region_code))
    chain = [c for c in codes.upward(region_code) if c in existing]
    staffed = set(Membership.objects.filter(region_id__in=chain, role__in=list(DIVISION_ROLES))
                  .values_list("region_id", flat=True))
    for code in chain:
        if code in staffed:
            return code
    return chain[-1] if chain else region_code


def responsible_unit(region_code: str):
    """The active maintenance unit serving the nearest division at or above `region_code`."""
    from quanmin.maintenance.models import MaintenanceUnit

    chain = codes.upward(region_code)
    units = {}
    for unit in MaintenanceUnit.objects.filter(region_id__in=chain, active=True).order_by("pk"):
        units.setdefault(unit.region_id, unit)
    for code in chain:
        if code in units:
            return units[code]
    return None


def parent_handler(code: str) -> str | None:
    """The division above `code` that exists, or None at the top."""
    chain = codes.upward(code)[1:]
    existing = _existing_regions(chain)
    for c in chain:
        if c in existing:
            return c
    return None


# --- reading the state ---------------------------------------------------------------------------------

def is_open(report: Report) -> bool:
    return report.status in OPEN_STATUSES


def response_overdue(report: Report, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return report.status == S.RECEIVED and report.respond_by < now


def resolution_overdue(report: Report, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return report.status in OPEN_STATUSES and report.resolve_by < now


def is_overdue(report: Report, now: datetime.datetime | None = None) -> bool:
    return response_overdue(report, now) or resolution_overdue(report, now)


def escalations_owed(report: Report, now: datetime.datetime | None = None) -> int:
    """Levels a report should have gone up by now: one for a missed response, one for a missed
    resolution. Worked out from its dates, so asking twice gives the same answer."""
    now = now or timezone.now()
    owed = 0
    responded = report.responded_at
    if (responded is None and report.respond_by < now and report.status != S.REJECTED) or \
            (responded is not None and responded > report.respond_by):
        owed += 1
    resolved = report.resolved_at
    if (resolved is None and report.resolve_by < now and report.status in OPEN_STATUSES) or \
            (resolved is not None and resolved > report.resolve_by):
        owed += 1
    return owed


def can_handle(user, report: Report) -> bool:
    """Division staff who may change reports in the report's division (its own or above)."""
    return scoping.can_write_region(user, report.region_id)


def allowed_actions(user, report: Report) -> set[str]:
    if not can_handle(user, report):
        return set()
    actions = set()
    if report.status == S.RECEIVED:
        actions.add("respond")
    if report.status in OPEN_STATUSES:
        actions |= {"resolve", "reject", "note"}
        if report.work_order_id is None or not report.work_order.open:
            actions.add("work_order")
    return actions


# --- internals -------------------------------------------------------------------------------------------

def _number(now: datetime.datetime) -> str:
    return f"FB{timezone.localtime(now):%y%m%d}{secrets.token_hex(3).upper()}"


def _event(report: Report, kind: str, *, actor=None, text: str = "", public: bool = True,
           at: datetime.datetime | None = None) -> ReportEvent:
    return ReportEvent.objects.create(report=report, kind=kind, actor=actor, text=(text or "")[:4000],
                                      public=public, at=at or timezone.now())


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _state_error(report: Report) -> FeedbackError:
    return FeedbackError("report_state",
                         _("This report is %(status)s and cannot be changed that way.")
                         % {"status": report.get_status_display()}, status=409)


def _text(value, field: str, required_code: str, required_message, limit: int) -> str:
    value = (value or "").strip() if isinstance(value, str) else str(value or "").strip()
    if not value:
        raise FeedbackError(required_code, required_message, field)
    if len(value) > limit:
        raise FeedbackError(f"{field}_too_long", _("At most %(n)s characters.") % {"n": limit}, field)
    return value


def _staff_of(region_code: str):
    from quanmin.accounts.models import User

    return User.objects.filter(is_active=True, memberships__region_id=region_code,
                               memberships__role__in=list(DIVISION_ROLES)).distinct()


def _notify_handlers(report: Report, subject: str) -> None:
    from quanmin.core.notify import notify

    for user in _staff_of(report.handler_region_id)[:50]:
        notify(user, subject, report.description[:200])


def _notify_reporter(report: Report, subject: str) -> None:
    if report.reporter_id is None:
        return
    from quanmin.core.notify import notify

    notify(report.reporter, subject, report.answer[:200] or report.description[:200])


# --- placing a report ---------------------------------------------------------------------------------------

def equipment_by_tag(tag: str):
    """The piece a QR tag names (a removed piece cannot be reported: its successor has a new tag)."""
    from quanmin.facilities import equipment as register
    from quanmin.facilities.models import Equipment

    piece = Equipment.objects.select_related("facility", "site", "region").filter(
        tag=register.normalise_tag(tag)).exclude(status=Equipment.Status.REMOVED).first()
    if piece is None:
        raise FeedbackError("equipment_not_found", _("No equipment has this tag."), "equipment", status=404)
    return piece


def site_near(lat: float, lon: float):
    """The nearest open or running site to a point picked on the map, within PICK_RADIUS_M."""
    from quanmin.facilities import geo, selectors
    from quanmin.facilities.models import Site

    if lat is None or lon is None or not geo.in_china(lon, lat):
        raise FeedbackError("place_required", _("Pick a place on the map, inside the city."), "place")
    hits = selectors.nearby(Site.objects.exclude(status__in=[Site.Status.PLANNED, Site.Status.BUILDING]),
                            lat, lon, PICK_RADIUS_M, limit=1)
    if not hits:
        raise FeedbackError("place_too_far",
                            _("No sports ground is near the point you picked: pick a point at the place itself."),
                            "place")
    return hits[0][0]


def _clean_phone(phone: str, reporter) -> str:
    phone = (phone or "").strip()
    if not phone:
        if reporter is not None and getattr(reporter, "is_authenticated", False):
            return reporter.phone
        raise FeedbackError("phone_required", _("Leave a mobile number so that staff can reach you."), "phone")
    try:
        return parse_phone(phone)
    except InvalidPhone as exc:
        raise FeedbackError(exc.code, exc.message, "phone") from None


def report_source(request, reporter=None) -> str:
    """The sender of a report as a keyed hash: the account when signed in, else the address."""
    who = f"u{reporter.pk}" if reporter is not None else f"ip{audit.client_ip(request) or 'unknown'}"
    return crypto.lookup_hash(who)[:32]


@transaction.atomic
def submit_report(*, category: str, description: str, phone: str = "", equipment=None, site=None,
                  lat: float | None = None, lon: float | None = None, reporter=None, request=None,
                  client_key: str = "", now: datetime.datetime | None = None) -> Report:
    """A resident's report about a piece of equipment (scanned tag), a site, or a point on the map
    (it goes to the nearest site). Deadlines from the division's settings; handled by the lowest
    staffed division; the handlers are told. `now` backdates (the demo).

    With a `request`, at most REPORTS_PER_HOUR reports an hour from one sender (too_many_reports,
    429), and a `client_key` makes the call idempotent: a retry under the same key from the same
    sender answers the report the first call made (its `retried` attribute is then True), even when
    both arrive at once (a unique constraint decides)."""
    from quanmin.facilities.models import Equipment

    client_key = (client_key or "").strip()
    if len(client_key) > CLIENT_KEY_MAX:
        raise FeedbackError("client_key_invalid", _("The client key is at most 64 characters."), "client_key")
    if reporter is not None and not getattr(reporter, "is_authenticated", False):
        reporter = None
    source = report_source(request, reporter) if request is not None else ""
    if client_key and (earlier := _retried(source, client_key)):
        return earlier
    if category not in Report.Category.values:
        raise FeedbackError("category_invalid", _("Choose what kind of problem it is."), "category")
    description = _text(description, "description", "description_required", _("Describe the problem."),
                        DESCRIPTION_MAX)
    phone = _clean_phone(phone, reporter)
    if equipment is not None:
        if equipment.status == Equipment.Status.REMOVED:
            raise FeedbackError("equipment_not_found", _("No equipment has this tag."), "equipment", status=404)
        site, region_code = equipment.site, equipment.region_id
        lat, lon = (lat, lon) if lat is not None and lon is not None else (equipment.lat, equipment.lon)
    elif site is not None:
        region_code = site.region_id
        lat, lon = (lat, lon) if lat is not None and lon is not None else (site.lat, site.lon)
    else:
        site = site_near(lat, lon)
        region_code = site.region_id
    backdated, now = now is not None, now or timezone.now()
    if source and not backdated and Report.objects.filter(
            source=source, created_at__gt=now - datetime.timedelta(hours=1)).count() >= REPORTS_PER_HOUR:
        raise FeedbackError("too_many_reports", _("Too many reports from here: try again in an hour, "
                                                  "or call the hotline."), status=429)
    respond_by, resolve_by = deadlines(region_code, now)
    fields = dict(category=category, description=description, equipment=equipment, site=site, lat=lat, lon=lon,
                  region_id=region_code, handler_region_id=handler_for(region_code), reporter=reporter,
                  phone_encrypted=crypto.encrypt(phone), phone_masked=crypto.mask_phone(phone),
                  created_at=now, respond_by=respond_by, resolve_by=resolve_by, source=source, client_key=client_key)
    for attempt in range(5):
        try:
            with transaction.atomic():
                report = Report.objects.create(number=_number(now), token=secrets.token_urlsafe(24)[:32], **fields)
            break
        except IntegrityError:
            # The same key at the same moment: the other request made the report (on PostgreSQL this
            # one waited for it on the unique index). Otherwise a number or token met its twin.
            if client_key and (earlier := _retried(source, client_key)):
                return earlier
            if attempt == 4:
                raise
    _event(report, E.RECEIVED, actor=reporter, at=now)
    audit.record("report.create", request=request, actor=reporter, obj=report,
                 detail={"category": category, "equipment": getattr(equipment, "pk", None)})
    if not backdated:
        _notify_handlers(report, _("New resident's report %(number)s") % {"number": report.number})
    return report


def _retried(source: str, client_key: str) -> Report | None:
    earlier = Report.objects.filter(source=source, client_key=client_key).first()
    if earlier is not None:
        earlier.retried = True
    return earlier


def add_photo(report: Report, image, *, request=None, now: datetime.datetime | None = None) -> ReportPhoto:
    """One photo for a report (at most PHOTOS_PER_REPORT), while it is open. A bad photo raises a
    clear error (image_type, image_too_large, image_unreadable) and changes nothing. `now` backdates
    (the demo)."""
    from quanmin.maintenance.services import check_photo

    try:
        ext = check_photo(image)
    except ServiceError as exc:
        raise FeedbackError(exc.code, exc.message, "photos", status=exc.status) from None
    with transaction.atomic():
        report = _locked(report)
        if report.status not in OPEN_STATUSES:
            raise _state_error(report)
        if report.photos.count() >= PHOTOS_PER_REPORT:
            raise FeedbackError("too_many_photos", _("A report keeps at most %(n)s photos.")
                                % {"n": PHOTOS_PER_REPORT}, "photos", status=409)
        photo = ReportPhoto(report=report, uploaded_at=now or timezone.now())
        # A random name: the photos are not public and their names must not be guessable.
        photo.image.save(f"{secrets.token_hex(16)}.{ext}", image, save=False)
        try:
            photo.save()
        except Exception:
            photo.image.delete(save=False)
            raise
    audit.record("report.photo", request=request, obj=report)
    return photo


def add_photos(report: Report, images, *, request=None) -> list[dict]:
    """Each photo on its own: the good ones are kept, each bad one gives an error
    {"name", "code", "message"}. The report stays whatever happens to its photos."""
    errors = []
    for image in images or []:
        if image is None:
            continue
        try:
            add_photo(report, image, request=request)
        except FeedbackError as exc:
            errors.append({"name": getattr(image, "name", ""), "code": exc.code, "message": str(exc.message)})
    return errors


# --- staff answers ------------------------------------------------------------------------------------------

def _check_can_handle(actor, report: Report) -> None:
    if actor is not None and not can_handle(actor, report):
        raise FeedbackError("forbidden", _("You may not do this."), status=403)


@transaction.atomic
def respond(report: Report, *, actor, text: str, request=None, now: datetime.datetime | None = None) -> Report:
    """The first answer: the report has been seen and what will happen next (public)."""
    text = _text(text, "text", "text_required", _("Write the answer the resident will read."), ANSWER_MAX)
    report = _locked(report)
    _check_can_handle(actor, report)
    if report.status != S.RECEIVED:
        raise _state_error(report)
    now = now or timezone.now()
    report.status, report.responded_at = S.RESPONDED, now
    report.save(update_fields=["status", "responded_at"])
    _event(report, E.RESPONDED, actor=actor, text=text, at=now)
    audit.record("report.respond", request=request, actor=actor, obj=report)
    _notify_reporter(report, _("Your report %(number)s has been answered") % {"number": report.number})
    return report


@transaction.atomic
def add_note(report: Report, *, actor, text: str, public: bool = True, request=None) -> ReportEvent:
    text = _text(text, "text", "text_required", _("Write the update."), ANSWER_MAX)
    report = _locked(report)
    _check_can_handle(actor, report)
    if report.status not in OPEN_STATUSES:
        raise _state_error(report)
    event = _event(report, E.NOTE, actor=actor, text=text, public=public)
    audit.record("report.note", request=request, actor=actor, obj=report, detail={"public": public})
    return event


@transaction.atomic
def resolve(report: Report, *, actor, answer: str, request=None, now: datetime.datetime | None = None) -> Report:
    """Resolved: what was done, in words the resident reads; the resident may now rate it."""
    answer = _text(answer, "answer", "answer_required", _("Say what was done."), ANSWER_MAX)
    report = _locked(report)
    _check_can_handle(actor, report)
    if report.status not in OPEN_STATUSES:
        raise _state_error(report)
    now = now or timezone.now()
    report.status, report.resolved_at, report.answer = S.RESOLVED, now, answer
    report.responded_at = report.responded_at or now
    report.save(update_fields=["status", "resolved_at", "responded_at", "answer"])
    _event(report, E.RESOLVED, actor=actor, text=answer, at=now)
    audit.record("report.resolve", request=request, actor=actor, obj=report)
    _notify_reporter(report, _("Your report %(number)s has been resolved") % {"number": report.number})
    return report


@transaction.atomic
def reject(report: Report, *, actor, reason: str, request=None, now: datetime.datetime | None = None) -> Report:
    """Not accepted (a duplicate, not a public facility, no problem found): the reason is public.
    `now`: when, for steps entered after the fact (the demo)."""
    reason = _text(reason, "reason", "reason_required", _("Say why the report is not accepted."), ANSWER_MAX)
    report = _locked(report)
    _check_can_handle(actor, report)
    if report.status not in OPEN_STATUSES:
        raise _state_error(report)
    now = now or timezone.now()
    report.status, report.answer = S.REJECTED, reason
    report.responded_at = report.responded_at or now
    report.save(update_fields=["status", "answer", "responded_at"])
    _event(report, E.REJECTED, actor=actor, text=reason, at=now)
    audit.record("report.reject", request=request, actor=actor, obj=report)
    _notify_reporter(report, _("Your report %(number)s was not accepted") % {"number": report.number})
    return report


@transaction.atomic
def to_work_order(report: Report, *, actor, severity: str = "normal", kind: str = "repair", unit=None,
                  description: str = "", request=None, now: datetime.datetime | None = None):
    """Send the report for repair: a work order (source report) for its piece or place, given to the
    unit serving its division unless another is named. A report that was only received counts as
    responded. One open work order per report (`work_order_open`, 409). `now`: when (the demo): the
    order is opened (and its deadline counted) then too."""
    from quanmin.maintenance import services as maintenance

    report = _locked(report)
    _check_can_handle(actor, report)
    if report.status not in OPEN_STATUSES:
        raise _state_error(report)
    if report.work_order_id is not None and report.work_order.open:
        raise FeedbackError("work_order_open", _("This report already has an open work order."), status=409)
    text = (description or "").strip() or f"{report.get_category_display()}: {report.description}"
    unit = unit if unit is not None else responsible_unit(report.region_id)
    order = maintenance.create_work_order(
        actor=actor, description=f"[{report.number}] {text}", kind=kind, severity=severity,
        source="report", equipment=report.equipment, site=report.site if report.equipment is None else None,
        region=report.region if report.equipment is None and report.site is None else None,
        unit=unit, request=request, now=now)
    now = now or timezone.now()
    report.work_order = order
    fields = ["work_order"]
    if report.status == S.RECEIVED:
        report.status, report.responded_at = S.RESPONDED, now
        fields += ["status", "responded_at"]
    report.save(update_fields=fields)
    _event(report, E.WORK_ORDER, actor=actor,
           text=_("Sent to %(unit)s for repair.") % {"unit": unit.name} if unit else _("Sent for repair."), at=now)
    audit.record("report.work_order", request=request, actor=actor, obj=report, detail={"work_order": order.pk})
    return order


def work_order_closed(order, now: datetime.datetime | None = None) -> None:
    """maintenance.services calls this when an order is verified or cancelled (`now`: when, None for
    now): a verified repair resolves the open reports behind it; a cancelled one leaves them open
    with a note for staff."""
    from quanmin.maintenance.models import WorkOrder

    for report in Report.objects.filter(work_order=order, status__in=OPEN_STATUSES):
        if order.status == WorkOrder.Status.VERIFIED:
            resolve(report, actor=None, answer=order.resolution or _("The repair has been done and checked."),
                    now=now)
        else:
            _event(report, E.NOTE, text=_("The work order was cancelled: %(reason)s") % {"reason": order.cancel_reason},
                   public=False, at=now)


# --- the resident's side ------------------------------------------------------------------------------------------

def by_token(token: str) -> Report:
    token = (token or "").strip()
    report = Report.objects.select_related("equipment", "site", "region", "handler_region", "work_order") \
        .filter(token=token).first() if 8 <= len(token) <= 32 else None
    if report is None:
        raise FeedbackError("not_found", _("Not found."), status=404)
    return report


@transaction.atomic
def rate(report: Report, *, rating, comment: str = "", request=None, now: datetime.datetime | None = None) -> Report:
    """The resident rates the answer, 1 to 5, once, after it is resolved (or not accepted); the
    report is closed. `now`: when, for steps entered after the fact (the demo)."""
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise FeedbackError("rating_invalid", _("Give 1 to 5 stars."), "rating")
    comment = (comment or "").strip()
    if len(comment) > 300:
        raise FeedbackError("comment_too_long", _("At most %(n)s characters.") % {"n": 300}, "comment")
    report = _locked(report)
    if report.rating is not None:
        raise FeedbackError("already_rated", _("You have already rated this answer."), "rating", status=409)
    if report.status not in (S.RESOLVED, S.REJECTED):
        raise FeedbackError("not_resolved", _("You can rate the answer once the report is resolved."), "rating",
                            status=409)
    now = now or timezone.now()
    report.rating, report.rating_comment, report.rated_at = rating, comment, now
    if report.status == S.RESOLVED:
        report.status = S.CLOSED
    report.save(update_fields=["rating", "rating_comment", "rated_at", "status"])
    _event(report, E.RATED, actor=report.reporter, text=comment, at=now)
    audit.record("report.rate", request=request, obj=report, detail={"rating": rating})
    return report


def reveal_phone(report: Report, *, request, purpose: str = "") -> str:
    """The whole phone number for staff who call back; the read is logged."""
    audit.read_personal(request, report, ["phone"], purpose or "report call-back")
    return crypto.decrypt(report.phone_encrypted)


# --- escalation ------------------------------------------------------------------------------------------------------

def escalate(report: Report, now: datetime.datetime | None = None) -> bool:
    """Move an overdue report up as many levels as it owes (see escalations_owed); True if it moved."""
    now = now or timezone.now()
    with transaction.atomic():
        report = _locked(report)
        if report.status not in OPEN_STATUSES:
            return False
        moved = False
        while report.escalations < escalations_owed(report, now):
            parent = parent_handler(report.handler_region_id)
            if parent is None:
                break
            before = report.handler_region_id
            report.handler_region_id = parent
            report.escalations += 1
            report.save(update_fields=["handler_region", "escalations"])
            reason = (_("No response by the deadline.") if report.escalations == 1 and report.responded_at is None
                      else _("Not resolved by the deadline."))
            _event(report, E.ESCALATED, text=reason, at=now)
            audit.record("report.escalate", obj=report, detail={"from": before, "to": parent})
            _notify_handlers(report, _("Overdue report %(number)s passed up to you") % {"number": report.number})
            moved = True
        return moved


def escalate_overdue(now: datetime.datetime | None = None) -> int:
    """Escalate every overdue open report that still owes a level; returns how many moved.
    Idempotent: a second run at the same moment moves nothing."""
    from django.db.models import Q

    now = now or timezone.now()
    # At most two levels are ever owed (see escalations_owed); the rest is checked row by row.
    candidates = Report.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(respond_by__lt=now, escalations=0) | Q(resolve_by__lt=now, escalations__lt=2)).order_by("pk")
    moved = 0
    for report in candidates.iterator(chunk_size=500):
        if report.escalations < escalations_owed(report, now) and escalate(report, now):
            moved += 1
    return moved


# --- settings -------------------------------------------------------------------------------------------------------

@transaction.atomic
def save_settings(region, *, actor, hotline: str, response_working_days, resolution_working_days,
                  request=None) -> FeedbackSettings:
    """A division's hotline and deadlines (a city, or a county that sets its own)."""
    if not scoping.can_write_region(actor, region.code):
        raise FeedbackError("region_out_of_scope", _("This division is outside your scope."), "region", status=403)
    hotline = (hotline or "").strip()
    if not hotline or len(hotline) > 30 or not hotline.replace("-", "").replace(" ", "").isdigit():
        raise FeedbackError("hotline_invalid", _("Enter the hotline's telephone number."), "hotline")
    try:
        respond_days, resolve_days = int(response_working_days), int(resolution_working_days)
    except (TypeError, ValueError):
        raise FeedbackError("days_invalid", _("Enter whole numbers of working days."), "response_working_days") \
            from None
    if not 1 <= respond_days <= 30 or not 1 <= resolve_days <= 90:
        raise FeedbackError("days_invalid", _("Between 1 and 30 working days to respond, 1 and 90 to resolve."),
                            "response_working_days")
    if resolve_days < respond_days:
        raise FeedbackError("days_order", _("Resolving cannot take fewer days than responding."),
                            "resolution_working_days")
    settings, _created = FeedbackSettings.objects.update_or_create(
        region=region, defaults={"hotline": hotline, "response_working_days": respond_days,
                                 "resolution_working_days": resolve_days})
    audit.record("feedback_settings.save", request=request, actor=actor, obj=settings, region_code=region.code,
                 detail={"hotline": hotline, "respond": respond_days, "resolve": resolve_days})
    return settings
