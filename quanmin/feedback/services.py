"""Every write to residents' reports (投诉举报): pages, API, the tick command and the demo call these.

Who handles a report, its deadlines and escalation are in routing.py; who may answer it in
permissions.py. A report becomes a work order when maintenance opens one for it (maintenance calls
lock_for_work_order, then work_order_opened); a verified order resolves the open reports behind it and
a cancelled one leaves them a note (maintenance calls repair_verified / repair_cancelled). This app
never calls maintenance: it reads the order through the report's work_order.

Photos are checked one by one (core.photos): a bad photo is refused with a clear error and the report
itself is kept, without it.
"""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, crypto, scoping
from quanmin.accounts.phones import InvalidPhone, parse_phone
from quanmin.core import photos
from quanmin.facilities import equipment_services, geo, selectors
from quanmin.facilities.models import Equipment, Site

from . import routing, timeline
from .errors import FeedbackError
from .models import OPEN_STATUSES, FeedbackSettings, Report, ReportEvent, ReportPhoto
from .permissions import can_handle

S = Report.Status
E = ReportEvent.Kind

DESCRIPTION_MAX = 2000
ANSWER_MAX = 2000
PHOTOS_PER_REPORT = 3
REPORTS_PER_HOUR = 20  # per sender (an account, or an address for anonymous reports)
CLIENT_KEY_MAX = 64
# A point picked on the map belongs to the nearest site within this distance.
PICK_RADIUS_M = 1000


# --- internals -------------------------------------------------------------------------------------------

def _number(now: datetime.datetime) -> str:
    return f"FB{timezone.localtime(now):%y%m%d}{secrets.token_hex(3).upper()}"



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


# --- placing a report ---------------------------------------------------------------------------------------

def equipment_by_tag(tag: str):
    """The piece a QR tag names (a removed piece cannot be reported: its successor has a new tag)."""
    piece = Equipment.objects.select_related("facility", "site", "region").filter(
        tag=equipment_services.normalise_tag(tag)).exclude(status=Equipment.Status.REMOVED).first()
    if piece is None:
        raise FeedbackError("equipment_not_found", _("No equipment has this tag."), "equipment", status=404)
    return piece


def reportable_sites() -> QuerySet[Site]:
    """The places a resident may report: not one still planned or being built."""
    return Site.objects.exclude(status__in=[Site.Status.PLANNED, Site.Status.BUILDING])


def site_near(lat: float, lon: float):
    """The nearest reportable site to a point picked on the map, within PICK_RADIUS_M."""
    if lat is None or lon is None or not geo.in_china(lon, lat):
        raise FeedbackError("place_required", _("Pick a place on the map, inside the city."), "place")
    hits = selectors.nearby(reportable_sites(), lat, lon, PICK_RADIUS_M, limit=1)
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
    respond_by, resolve_by = routing.deadlines(region_code, now, category)
    fields = dict(category=category, description=description, equipment=equipment, site=site, lat=lat, lon=lon,
                  region_id=region_code, handler_region_id=routing.handler_for(region_code), reporter=reporter,
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
    timeline.event(report, E.RECEIVED, actor=reporter, at=now)
    audit.record("report.create", request=request, actor=reporter, obj=report,
                 detail={"category": category, "equipment": getattr(equipment, "pk", None)})
    if not backdated:
        timeline.notify_handlers(report, _("New resident's report %(number)s") % {"number": report.number})
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
    try:
        ext = photos.check(image)
    except photos.PhotoError as exc:
        raise FeedbackError(exc.code, exc.message, "photos", status=exc.status) from None
    with transaction.atomic():
        report = timeline.locked(report)
        if report.status not in OPEN_STATUSES:
            raise _state_error(report)
        if report.photos.count() >= PHOTOS_PER_REPORT:
            raise FeedbackError("too_many_photos", _("A report keeps at most %(n)s photos.")
                                % {"n": PHOTOS_PER_REPORT}, "photos", status=409)
        photo = ReportPhoto(report=report, uploaded_at=now or timezone.now())
        photos.store(photo.image, image, ext)
        photos.save_row(photo, photo.image)
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
    report = timeline.locked(report)
    _check_can_handle(actor, report)
    if report.status != S.RECEIVED:
        raise _state_error(report)
    now = now or timezone.now()
    report.status, report.responded_at = S.RESPONDED, now
    report.save(update_fields=["status", "responded_at"])
    timeline.event(report, E.RESPONDED, actor=actor, text=text, at=now)
    audit.record("report.respond", request=request, actor=actor, obj=report)
    timeline.notify_reporter(report, _("Your report %(number)s has been answered") % {"number": report.number})
    return report


@transaction.atomic
def add_note(report: Report, *, actor, text: str, public: bool = True, request=None) -> ReportEvent:
    text = _text(text, "text", "text_required", _("Write the update."), ANSWER_MAX)
    report = timeline.locked(report)
    _check_can_handle(actor, report)
    if report.status not in OPEN_STATUSES:
        raise _state_error(report)
    event = timeline.event(report, E.NOTE, actor=actor, text=text, public=public)
    audit.record("report.note", request=request, actor=actor, obj=report, detail={"public": public})
    return event


@transaction.atomic
def resolve(report: Report, *, actor, answer: str, request=None, now: datetime.datetime | None = None) -> Report:
    """Resolved: what was done, in words the resident reads; the resident may now rate it."""
    answer = _text(answer, "answer", "answer_required", _("Say what was done."), ANSWER_MAX)
    report = timeline.locked(report)
    _check_can_handle(actor, report)
    if report.status not in OPEN_STATUSES:
        raise _state_error(report)
    now = now or timezone.now()
    report.status, report.resolved_at, report.answer = S.RESOLVED, now, answer
    report.responded_at = report.responded_at or now
    report.save(update_fields=["status", "resolved_at", "responded_at", "answer"])
    timeline.event(report, E.RESOLVED, actor=actor, text=answer, at=now)
    audit.record("report.resolve", request=request, actor=actor, obj=report)
    timeline.notify_reporter(report, _("Your report %(number)s has been resolved") % {"number": report.number})
    return report


@transaction.atomic
def reject(report: Report, *, actor, reason: str, request=None, now: datetime.datetime | None = None) -> Report:
    """Not accepted (a duplicate, not a public facility, no problem found): the reason is public.
    `now`: when, for steps entered after the fact (the demo)."""
    reason = _text(reason, "reason", "reason_required", _("Say why the report is not accepted."), ANSWER_MAX)
    report = timeline.locked(report)
    _check_can_handle(actor, report)
    if report.status not in OPEN_STATUSES:
        raise _state_error(report)
    now = now or timezone.now()
    report.status, report.answer = S.REJECTED, reason
    report.responded_at = report.responded_at or now
    report.save(update_fields=["status", "answer", "responded_at"])
    timeline.event(report, E.REJECTED, actor=actor, text=reason, at=now)
    audit.record("report.reject", request=request, actor=actor, obj=report)
    timeline.notify_reporter(report, _("Your report %(number)s was not accepted") % {"number": report.number})
    return report


# --- work orders (maintenance calls these) ---------------------------------------------------------------

def lock_for_work_order(report: Report, *, actor) -> Report:
    """The report, locked, if staff may send it for repair now: division staff of its division, still open, with
    no open work order (`work_order_open`, 409). Call inside the transaction that opens the order."""
    report = timeline.locked(report)
    # The division's staff order repairs from its maintenance units (a place's operator answers).
    if actor is not None and not scoping.can_write_region(actor, report.region_id):
        raise FeedbackError("forbidden", _("You may not do this."), status=403)
    if report.status not in OPEN_STATUSES:
        raise _state_error(report)
    if report.work_order_id is not None and report.work_order.open:
        raise FeedbackError("work_order_open", _("This report already has an open work order."), status=409)
    return report


def work_order_opened(report: Report, order, *, actor, unit_name: str = "", request=None,
                      now: datetime.datetime | None = None) -> Report:
    """Record the work order opened for the report (lock_for_work_order first): a report that was only
    received counts as responded, and the timeline says who repairs it. `now`: when (the demo)."""
    now = now or timezone.now()
    report.work_order = order
    fields = ["work_order"]
    if report.status == S.RECEIVED:
        report.status, report.responded_at = S.RESPONDED, now
        fields += ["status", "responded_at"]
    report.save(update_fields=fields)
    timeline.event(report, E.WORK_ORDER, actor=actor, at=now,
                   text=_("Sent to %(unit)s for repair.") % {"unit": unit_name} if unit_name else _("Sent for repair."))
    audit.record("report.work_order", request=request, actor=actor, obj=report, detail={"work_order": order.pk})
    return report


def repair_verified(order, now: datetime.datetime | None = None) -> None:
    """The work order was verified (`now`: when, None for now): the open reports behind it are
    resolved with what was done."""
    for report in Report.objects.filter(work_order=order, status__in=OPEN_STATUSES):
        resolve(report, actor=None, answer=order.resolution or _("The repair has been done and checked."), now=now)


def repair_cancelled(order, now: datetime.datetime | None = None) -> None:
    """The work order was cancelled: the open reports behind it stay open, with a note for staff."""
    for report in Report.objects.filter(work_order=order, status__in=OPEN_STATUSES):
        timeline.event(report, E.NOTE, text=_("The work order was cancelled: %(reason)s")
                       % {"reason": order.cancel_reason}, public=False, at=now)


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
    report = timeline.locked(report)
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
    timeline.event(report, E.RATED, actor=report.reporter, text=comment, at=now)
    audit.record("report.rate", request=request, obj=report, detail={"rating": rating})
    return report


def reveal_phone(report: Report, *, request, purpose: str = "") -> str:
    """The whole phone number for staff who call back; the read is logged."""
    audit.read_personal(request, report, ["phone"], purpose or "report call-back")
    return crypto.decrypt(report.phone_encrypted)


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
