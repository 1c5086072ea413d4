"""Volunteer service (B07): the register of volunteer brands and alliances, activities online and
offline (a service, or recruiting volunteers for the backbone team), sign-ups and the hours served.

A volunteer is a person of the instructor register. A resident who signs up without a record
applies as a fitness volunteer (services.apply, kind "volunteer"), so that one person keeps one
record whatever they do. Places are never oversold: a sign-up counts the places under the
activity's lock. The hours staff record for a sign-up are one confirmed volunteer service log
(DutyLog) of the person, made and kept here: the volunteer-hours indicator, the figures, the points
and the person's record count it with every other service; marking the person absent afterwards
turns the log down, and it counts no more.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.facilities.models import Site

from . import logs, services
from .errors import PeopleError
from .models import DutyLog, Instructor, VolunteerActivity, VolunteerBrand, VolunteerSignup
from .pools import _scope, _text  # the small registers' text and scope checks

Status = VolunteerSignup.Status
TAKEN = (Status.SIGNED_UP, Status.SERVED, Status.ABSENT)  # a place is taken unless withdrawn


# ---------------------------------------------------------------- brands and alliances


def save_brand(data: dict, *, by, request=None) -> VolunteerBrand:
    """A volunteer brand or alliance of a division (e.g. “运动家”志愿服务联盟); one name per division."""
    kind = data.get("kind") or VolunteerBrand.Kind.ALLIANCE
    if kind not in VolunteerBrand.Kind.values:
        raise PeopleError("kind_unknown", _("Unknown kind."), "kind")
    region = services.check_region(data.get("region"))
    _scope(by, region.code)
    founded = data.get("founded_on")
    if founded is not None and not isinstance(founded, datetime.date):
        raise PeopleError("date_invalid", _("Enter a date."), "founded_on")
    name = _text(data, "name", 120, required=True)
    try:
        with transaction.atomic():
            found = VolunteerBrand.objects.create(
                name=name, kind=kind, region=region, organiser=_text(data, "organiser", 120, required=True),
                founded_on=founded, description=_text(data, "description", 300))
            audit.record("create", request=request, actor=by, obj=found)
    except IntegrityError:
        raise PeopleError("brand_taken", _("This division already has a brand or alliance of this name."), "name",
                          status=409) from None
    return found


# ---------------------------------------------------------------- activities


def create_activity(data: dict, *, by, request=None) -> VolunteerActivity:
    """An activity: offline at a site or a place, or online at a link; its brand, times and places."""
    purpose = data.get("purpose") or VolunteerActivity.Purpose.SERVICE
    if purpose not in VolunteerActivity.Purpose.values:
        raise PeopleError("purpose_unknown", _("Unknown choice."), "purpose")
    mode = data.get("mode") or VolunteerActivity.Mode.OFFLINE
    if mode not in VolunteerActivity.Mode.values:
        raise PeopleError("mode_unknown", _("Unknown choice."), "mode")
    region = services.check_region(data.get("region"))
    _scope(by, region.code)
    brand = None
    if data.get("brand"):
        brand = scoping.scoped(by, VolunteerBrand.objects.filter(active=True)).filter(
            pk=data["brand"] if str(data["brand"]).isdigit() else 0).first()
        if brand is None:
            raise PeopleError("brand_unknown", _("Choose a brand or alliance of your area."), "brand")
    site = None
    if data.get("site"):
        site = Site.objects.filter(pk=data["site"]).first() if str(data["site"]).isdigit() else None
        if site is None:
            raise PeopleError("site_unknown", _("Unknown site."), "site")
    place, link = _text(data, "place", 200), _text(data, "link", 300)
    if mode == VolunteerActivity.Mode.ONLINE and not link.startswith(("https://", "http://")):
        raise PeopleError("link_required", _("An online activity gives its link (https://…)."), "link")
    if mode == VolunteerActivity.Mode.OFFLINE and not (place or site):
        raise PeopleError("place_required", _("An activity on site gives its site or place."), "place")
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if not isinstance(starts, datetime.datetime) or not isinstance(ends, datetime.datetime):
        raise PeopleError("time_required", _("Enter when it starts and ends."), "starts_at")
    if ends <= starts or ends - starts > datetime.timedelta(days=31):
        raise PeopleError("time_invalid", _("It ends after it starts, within 31 days."), "ends_at")
    try:
        places = 20 if data.get("places") in (None, "") else int(data["places"])
    except (TypeError, ValueError):
        places = 0
    if not 1 <= places <= 10000:
        raise PeopleError("places_invalid", _("Places must be between 1 and 10,000."), "places")
    with transaction.atomic():
        found = VolunteerActivity.objects.create(
            title=_text(data, "title", 120, required=True), purpose=purpose, mode=mode, brand=brand, region=region,
            organiser=_text(data, "organiser", 120, required=True), site=site, place=place, link=link,
            starts_at=starts, ends_at=ends, places=places, description=_text(data, "description", 500),
            created_by=by)
        audit.record("create", request=request, actor=by, obj=found)
    return found


def cancel_activity(activity: VolunteerActivity, *, by, request=None) -> VolunteerActivity:
    _scope(by, activity.region_id)
    with transaction.atomic():
        activity = VolunteerActivity.objects.select_for_update().get(pk=activity.pk)
        if activity.signups.filter(status=Status.SERVED).exists():
            raise PeopleError("activity_served", _("Hours are recorded for this activity: it took place."), status=409)
        activity.cancelled = True
        activity.save(update_fields=["cancelled"])
        audit.record("people.volunteering_cancel", request=request, actor=by, obj=activity)
    return activity


def open_activities(now=None):
    """What residents may sign up for: not cancelled, not yet started."""
    return (VolunteerActivity.objects.filter(cancelled=False, starts_at__gt=now or timezone.now())
            .select_related("brand", "site", "region").order_by("starts_at", "id"))


# ---------------------------------------------------------------- signing up


def _volunteer_of(user, activity: VolunteerActivity, *, request=None) -> Instructor:
    """The user's record in the register; a resident without one applies as a fitness volunteer."""
    found = Instructor.objects.filter(user=user).first()
    if found is not None:
        return found
    if not (user.real_name and user.id_number_hash):
        raise PeopleError("identity_required", _("Add your real name and ID number to your account first."),
                          status=409)
    return services.apply({"real_name": user.real_name, "id_number": user.id_number, "phone": user.phone,
                           "region": user.home_region_id or activity.region_id,
                           "kind": Instructor.Kind.VOLUNTEER}, user=user, request=request)


def _take_place(activity: VolunteerActivity, person: Instructor, *, by, request=None) -> VolunteerSignup:
    if person.status in (Instructor.Status.REVOKED, Instructor.Status.REJECTED):
        raise PeopleError("not_eligible", _("A revoked or refused person cannot sign up."), status=409)
    with transaction.atomic():
        activity = VolunteerActivity.objects.select_for_update().get(pk=activity.pk)
        if activity.cancelled:
            raise PeopleError("activity_cancelled", _("This activity is cancelled."), status=409)
        found = activity.signups.filter(volunteer=person).first()
        if found is not None and found.status != Status.WITHDRAWN:
            raise PeopleError("already_signed_up", _("Already signed up for this activity."), status=409)
        if activity.signups.filter(status__in=TAKEN).count() >= activity.places:
            raise PeopleError("activity_full", _("Every place is taken."), status=409)
        if found is None:
            found = VolunteerSignup.objects.create(activity=activity, volunteer=person)
        else:
            found.status = Status.SIGNED_UP
            found.save(update_fields=["status"])
        audit.record("volunteer_sign_up", request=request, actor=by, obj=found, region_code=activity.region_id)
    return found


def sign_up(activity: VolunteerActivity, user, *, request=None, now=None) -> VolunteerSignup:
    """A resident signs up, before the activity starts."""
    if activity.starts_at <= (now or timezone.now()):
        raise PeopleError("activity_started", _("The activity has started: ask its organiser."), status=409)
    person = _volunteer_of(user, activity, request=request)
    return _take_place(activity, person, by=user, request=request)


def add_volunteer(activity: VolunteerActivity, person: Instructor, *, by, request=None) -> VolunteerSignup:
    """Staff put a person of the register on the activity (also afterwards, to record who served)."""
    _scope(by, activity.region_id)
    if not scoping.can_read_region(by, person.region_id):
        raise PeopleError("instructor_unknown", _("Choose a person of your area's register."), "volunteer")
    return _take_place(activity, person, by=by, request=request)


def withdraw(signup: VolunteerSignup, user, *, request=None, now=None) -> VolunteerSignup:
    """The volunteer withdraws, before the activity starts."""
    if signup.volunteer.user_id != user.pk:
        raise PeopleError("not_allowed", _("This is not your sign-up."), status=403)
    with transaction.atomic():
        signup = VolunteerSignup.objects.select_for_update().select_related("activity").get(pk=signup.pk)
        if signup.activity.starts_at <= (now or timezone.now()) or signup.status != Status.SIGNED_UP:
            raise PeopleError("activity_started", _("The activity has started: ask its organiser."), status=409)
        signup.status = Status.WITHDRAWN
        signup.save(update_fields=["status"])
        audit.record("volunteer_withdraw", request=request, actor=user, obj=signup,
                     region_code=signup.activity.region_id)
    return signup


# ---------------------------------------------------------------- hours served


def _hours(value, activity: VolunteerActivity) -> Decimal:
    try:
        found = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError):
        raise PeopleError("hours_invalid", _("Enter the hours as a number."), "hours") from None
    span = Decimal((activity.ends_at - activity.starts_at).total_seconds() / 3600).quantize(Decimal("0.1"))
    if not Decimal("0.1") <= found <= min(span, Decimal("99.9")):
        raise PeopleError("hours_invalid", _("Between 0.1 hours and the activity's length (%(n)s hours).")
                          % {"n": span}, "hours")
    return found


def record_service(signup: VolunteerSignup, *, served: bool, hours=None, by, request=None,
                   now=None) -> VolunteerSignup:
    """Staff record after the start that the volunteer served (with the hours) or did not come."""
    activity = signup.activity
    _scope(by, activity.region_id)
    if activity.starts_at > (now or timezone.now()):
        raise PeopleError("activity_not_started", _("Hours are recorded once the activity has started."),
                          status=409)
    if signup.volunteer.user_id is not None and signup.volunteer.user_id == by.pk:
        raise PeopleError("not_allowed", _("Nobody records their own hours."), status=403)
    amount = _hours(hours, activity) if served else None
    with transaction.atomic():
        signup = VolunteerSignup.objects.select_for_update().get(pk=signup.pk)  # its log read after: no outer join
        if signup.status == Status.WITHDRAWN:
            raise PeopleError("withdrawn", _("This volunteer withdrew."), status=409)
        log, at = signup.log, timezone.now()
        if served:
            if log is None:
                log = DutyLog(instructor_id=signup.volunteer_id, region_id=activity.region_id, site=activity.site,
                              started_at=activity.starts_at, ended_at=activity.ends_at,
                              activity=activity.title[:120], volunteer=True)
            log.hours, log.status, log.confirmed_by, log.confirmed_at = amount, DutyLog.Status.CONFIRMED, by, at
            log.save()
            (Instructor.objects.filter(pk=signup.volunteer_id)
             .filter(Q(last_service_at__isnull=True) | Q(last_service_at__lt=log.started_at))
             .update(last_service_at=log.started_at))
        elif log is not None:
            log.status, log.confirmed_by, log.confirmed_at = DutyLog.Status.REJECTED, by, at
            log.save(update_fields=["status", "confirmed_by", "confirmed_at"])
            logs.note_last_services(Instructor.objects.filter(pk=signup.volunteer_id))
        signup.status, signup.log = (Status.SERVED if served else Status.ABSENT), log
        signup.save(update_fields=["status", "log"])
        audit.record("volunteer_service", request=request, actor=by, obj=signup, region_code=activity.region_id,
                     detail={"served": served, "hours": str(amount or 0)})
    return signup
