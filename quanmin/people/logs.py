"""Service logs (履职): an instructor records a service, the station or the community confirms it.

A log names a station the instructor serves or a site of the register, its start and end (not in the
future, within one day, not overlapping another of the person's logs), the activity, the people
guided and the hours; a position and a photo are optional. Checks run with the instructor's row
locked, so two logs sent at once cannot overlap. Confirmed logs make the guidance rate and the
volunteer hours (indicators.py); a confirmation moves the instructor's last_service_at, which the
guidance rate reads in place of the logs. Until it is confirmed or turned down, the instructor corrects a
log (edit): the same checks, the log's row locked against a confirmation at the same moment.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.core import photos
from quanmin.facilities.models import Site

from .errors import PeopleError
from .models import DutyLog, Instructor, Sport, Station
from .stations import stations_of_staff

GRACE = datetime.timedelta(minutes=5)  # a phone's clock a little ahead is not "the future"
MAX_PEOPLE = 10000


def _station(value) -> Station | None:
    if value in (None, ""):
        return None
    try:
        return Station.objects.get(pk=int(value))
    except (Station.DoesNotExist, TypeError, ValueError):
        raise PeopleError("station_unknown", _("Unknown station."), "station") from None


def _site(value) -> Site | None:
    if value in (None, ""):
        return None
    try:
        return Site.objects.get(pk=int(value))
    except (Site.DoesNotExist, TypeError, ValueError):
        raise PeopleError("site_unknown", _("Unknown site."), "site") from None


def _hours(value, span: datetime.timedelta) -> Decimal:
    if value in (None, ""):
        return Decimal(span.total_seconds() / 3600).quantize(Decimal("0.1"))
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise PeopleError("hours_invalid", _("Enter the hours as a number."), "hours") from None
    if hours > 24:
        raise PeopleError("hours_beyond_day", _("A service lasts at most 24 hours."), "hours")
    if hours <= 0:
        raise PeopleError("hours_invalid", _("Enter more than zero hours."), "hours")
    if hours > Decimal(span.total_seconds() / 3600).quantize(Decimal("0.1"), rounding="ROUND_CEILING"):
        raise PeopleError("hours_beyond_span", _("The hours are more than the time between start and end."), "hours")
    return hours


def _checked(instructor: Instructor, data: dict, now) -> dict:
    started, ended = data.get("started_at"), data.get("ended_at")
    if not isinstance(started, datetime.datetime) or not isinstance(ended, datetime.datetime):
        raise PeopleError("time_required", _("Enter when the service started and ended."), "started_at")
    if timezone.is_naive(started):
        started = timezone.make_aware(started)
    if timezone.is_naive(ended):
        ended = timezone.make_aware(ended)
    if ended <= started:
        raise PeopleError("ends_before_start", _("A service ends after it starts."), "ended_at")
    if ended > now + GRACE:
        raise PeopleError("log_in_future", _("A service is recorded after it took place, not in the future."),
                          "ended_at")
    if ended - started > datetime.timedelta(hours=24):
        raise PeopleError("hours_beyond_day", _("A service lasts at most 24 hours."), "ended_at")
    station, site = _station(data.get("station")), _site(data.get("site"))
    if station is None and site is None:
        raise PeopleError("place_required", _("Choose the station or the site where you served."), "station")
    if station is not None and not station.instructors.filter(pk=instructor.pk).exists():
        raise PeopleError("station_not_served", _("You are not on duty at this station."), "station", status=403)
    activity = str(data.get("activity") or "").strip()
    if not activity or len(activity) > 120:
        raise PeopleError("activity_required", _("Say what you did (at most 120 characters)."), "activity")
    sport = data.get("sport") or ""
    if sport and sport not in Sport.values:
        raise PeopleError("sport_unknown", _("Unknown sport: %(sport)s.") % {"sport": str(sport)[:30]}, "sport")
    setting = data.get("setting") or ""
    if setting not in DutyLog.Setting.values:
        raise PeopleError("setting_unknown", _("Unknown setting."), "setting")
    try:
        people = int(data.get("people_guided") or 0)
    except (TypeError, ValueError):
        raise PeopleError("people_invalid", _("Enter the number of people guided."), "people_guided") from None
    if not 0 <= people <= MAX_PEOPLE:
        raise PeopleError("people_invalid", _("Between 0 and 10,000 people."), "people_guided")
    lon, lat = data.get("lon"), data.get("lat")
    if (lon is None) != (lat is None) or (lon is not None and not (73 <= float(lon) <= 136 and 3 <= float(lat) <= 54)):
        raise PeopleError("position_invalid", _("The position is not in China."), "lon")
    return {"station": station, "site": site or (station.site if station else None),
            "region_id": (station or site).region_id, "started_at": started, "ended_at": ended,
            "hours": _hours(data.get("hours"), ended - started), "activity": activity, "sport": sport,
            "setting": setting, "people_guided": people, "volunteer": bool(data.get("volunteer", True)),
            "lon": float(lon) if lon is not None else None, "lat": float(lat) if lat is not None else None}


def can_log_for(user, instructor: Instructor) -> bool:
    """The person themself, or staff of their division entering a paper log."""
    return instructor.user_id == getattr(user, "pk", None) or scoping.can_write_region(user, instructor.region_id)


def record(instructor: Instructor, data: dict, *, by, photo=None, request=None, now=None) -> DutyLog:
    now = now or timezone.now()
    if not can_log_for(by, instructor):
        raise PeopleError("not_yours", _("You may record services for yourself only."), status=403)
    if instructor.status != Instructor.Status.ACTIVE:
        raise PeopleError("not_active", _("Only an active instructor records services."), status=409)
    clean = _checked(instructor, data, now)
    ext = photos.check(photo) if photo is not None else None
    with transaction.atomic():
        Instructor.objects.select_for_update().filter(pk=instructor.pk).first()  # one writer per person
        overlap = DutyLog.objects.filter(instructor=instructor, started_at__lt=clean["ended_at"],
                                         ended_at__gt=clean["started_at"]).exclude(status=DutyLog.Status.REJECTED)
        if overlap.exists():
            raise PeopleError("log_overlaps", _("This service overlaps another one you recorded."), "started_at",
                              status=409)
        log = DutyLog(instructor=instructor, **clean)
        if ext:
            photos.store(log.photo, photo, ext)
            photos.save_row(log, log.photo)
        else:
            log.save()
        audit.record("create", request=request, actor=by, obj=log)
    return log


EDITABLE = ("station", "site", "started_at", "ended_at", "hours", "activity", "sport", "setting", "people_guided",
            "volunteer", "lon", "lat")


def as_data(log: DutyLog) -> dict:
    """A log as record()'s data, for editing (a station's log names the station, not its site)."""
    return {"station": log.station_id, "site": None if log.station_id else log.site_id, "started_at": log.started_at,
            "ended_at": log.ended_at, "hours": log.hours, "activity": log.activity, "sport": log.sport,
            "setting": log.setting, "people_guided": log.people_guided, "volunteer": log.volunteer, "lon": log.lon,
            "lat": log.lat}


def edit(log: DutyLog, changes: dict, *, by, photo=None, request=None, now=None) -> DutyLog:
    """Correct one's own log while it waits for confirmation: the changed fields over the log's own,
    checked as a new log is (the log itself does not count as an overlap). New times without new
    hours take the hours between them."""
    now = now or timezone.now()
    instructor = log.instructor
    if not can_log_for(by, instructor):
        raise PeopleError("not_yours", _("You may change your own services only."), status=403)
    if instructor.status != Instructor.Status.ACTIVE:
        raise PeopleError("not_active", _("Only an active instructor records services."), status=409)
    changes = {k: v for k, v in changes.items() if k in EDITABLE}
    data = {**as_data(log), **changes}
    if ("started_at" in changes or "ended_at" in changes) and "hours" not in changes:
        data["hours"] = None
    if "site" in changes and "station" not in changes and changes["site"] not in (None, ""):
        data["station"] = None
    clean = _checked(instructor, data, now)
    ext = photos.check(photo) if photo is not None else None
    with transaction.atomic():
        Instructor.objects.select_for_update().filter(pk=instructor.pk).first()  # one writer per person
        log = DutyLog.objects.select_for_update().get(pk=log.pk)
        if log.status != DutyLog.Status.PENDING:
            raise PeopleError("log_decided", _("This service has been confirmed or turned down: it can no longer "
                                               "be changed."), status=409)
        overlap = DutyLog.objects.filter(instructor=instructor, started_at__lt=clean["ended_at"],
                                         ended_at__gt=clean["started_at"]).exclude(
            status=DutyLog.Status.REJECTED).exclude(pk=log.pk)
        if overlap.exists():
            raise PeopleError("log_overlaps", _("This service overlaps another one you recorded."), "started_at",
                              status=409)
        changed = sorted(k for k, v in clean.items() if getattr(log, k) != v)
        for key, value in clean.items():
            setattr(log, key, value)
        if ext:
            photos.store(log.photo, photo, ext)
            photos.save_row(log, log.photo)
            changed.append("photo")
        else:
            log.save()
        audit.record("update", request=request, actor=by, obj=log, detail={"fields": changed})
    return log


def can_confirm(user, log: DutyLog) -> bool:
    """Station staff of the log's station, or division staff of the place (community and above)."""
    if log.instructor.user_id is not None and log.instructor.user_id == getattr(user, "pk", None):
        return False  # nobody confirms their own service
    if log.station_id and log.station_id in stations_of_staff(user):
        return True
    return scoping.can_write_region(user, log.region_id)


def decide(log: DutyLog, *, confirm: bool, by, request=None) -> DutyLog:
    if not can_confirm(by, log):
        raise PeopleError("not_allowed", _("You may not confirm this service."), status=403)
    with transaction.atomic():
        log = DutyLog.objects.select_for_update().get(pk=log.pk)
        if log.status != DutyLog.Status.PENDING:
            raise PeopleError("already_decided", _("This service has already been confirmed or turned down."),
                              status=409)
        log.status = DutyLog.Status.CONFIRMED if confirm else DutyLog.Status.REJECTED
        log.confirmed_by, log.confirmed_at = by, timezone.now()
        log.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        if confirm:  # the latest confirmed service moves forward, never back (one statement: no race)
            (Instructor.objects.filter(pk=log.instructor_id)
             .filter(Q(last_service_at__isnull=True) | Q(last_service_at__lt=log.started_at))
             .update(last_service_at=log.started_at))
        audit.record("confirm" if confirm else "reject", request=request, actor=by, obj=log)
    return log


def note_last_services(instructors=None) -> int:
    """Set each instructor's last_service_at from their confirmed logs (all of them, or the queryset
    given): after logs written in bulk (the demo, a benchmark), which decide() did not see. One
    statement; the number of instructors updated."""
    latest = (DutyLog.objects.filter(instructor=OuterRef("pk"), status=DutyLog.Status.CONFIRMED)
              .order_by("-started_at").values("started_at")[:1])
    return (Instructor.objects.all() if instructors is None else instructors).update(last_service_at=Subquery(latest))


def visible_logs(user):
    """Logs the user may look at (and see the photo of): their own, their stations', their divisions'."""
    q = Q(instructor__user_id=user.pk)
    scope = scoping.scope_q(user, DutyLog)
    stations = stations_of_staff(user)
    if scope is None:
        return DutyLog.objects.all()
    q |= scope
    if stations:
        q |= Q(station_id__in=stations)
    return DutyLog.objects.filter(q)


def logs_to_confirm(user):
    """Pending logs the user may confirm: at their stations and in their divisions."""
    q = scoping.scope_q(user, DutyLog, write=True)
    stations = stations_of_staff(user)
    if stations:
        q = Q(station_id__in=stations) if q is None else q | Q(station_id__in=stations)
    qs = DutyLog.objects.filter(status=DutyLog.Status.PENDING)
    return qs if q is None else qs.filter(q)
