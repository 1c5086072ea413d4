"""Requests for guidance at a station, the dual posts (双员), the scientific-fitness supplier
directory (B14) and skills contests with results (B12): small registers, one service each."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping

from .errors import PeopleError
from .models import Contest, ContestResult, GuidanceRequest, Instructor, Post, Sport, Station, Supplier, sports_text
from .services import check_region, check_sports
from .stations import stations_of_staff

OPEN_REQUESTS_PER_USER = 3


def _text(data: dict, key: str, limit: int, required: bool = False) -> str:
    value = str(data.get(key) or "").strip()
    if required and not value:
        raise PeopleError(f"{key}_required", _("This field is required."), key)
    if len(value) > limit:
        raise PeopleError("text_too_long", _("At most %(n)s characters.") % {"n": limit}, key)
    return value


def _scope(by, region_code: str) -> None:
    if not scoping.can_write_region(by, region_code):
        raise PeopleError("region_out_of_scope", _("This division is outside your area."), "region", status=403)


def ask(station: Station, user, data: dict, *, request=None) -> GuidanceRequest:
    """A resident asks a station for guidance; a few open questions per person at a time."""
    message = _text(data, "message", 300, required=True)
    sport = data.get("sport") or ""
    if sport and sport not in Sport.values:
        raise PeopleError("sport_unknown", _("Unknown sport: %(sport)s.") % {"sport": str(sport)[:30]}, "sport")
    if not station.active:
        raise PeopleError("station_inactive", _("This station is closed."), status=409)
    with transaction.atomic():
        if GuidanceRequest.objects.filter(user=user, status=GuidanceRequest.Status.OPEN).count() >= OPEN_REQUESTS_PER_USER:
            raise PeopleError("too_many_requests", _("You have %(n)s questions waiting: wait for an answer first.")
                              % {"n": OPEN_REQUESTS_PER_USER}, status=429)
        found = GuidanceRequest.objects.create(station=station, user=user, region_id=station.region_id, sport=sport,
                                               message=message)
        audit.record("ask_guidance", request=request, actor=user, obj=found)
    return found


def can_answer(user, found: GuidanceRequest) -> bool:
    return found.station_id in stations_of_staff(user) or scoping.can_write_region(user, found.region_id)


def answer(found: GuidanceRequest, text: str, *, by, request=None) -> GuidanceRequest:
    if not can_answer(by, found):
        raise PeopleError("not_allowed", _("You may not answer this question."), status=403)
    text = _text({"answer": text}, "answer", 300, required=True)
    with transaction.atomic():
        found = GuidanceRequest.objects.select_for_update().get(pk=found.pk)
        if found.status == GuidanceRequest.Status.ANSWERED:
            raise PeopleError("already_answered", _("This question has been answered."), status=409)
        found.status, found.answer, found.answered_by = GuidanceRequest.Status.ANSWERED, text, by
        found.save(update_fields=["status", "answer", "answered_by"])
        audit.record("answer_guidance", request=request, actor=by, obj=found)
    return found


def appoint(data: dict, *, by, request=None) -> Post:
    """A dual-post appointment (双员): an instructor's or a sports committee member's."""
    kind = data.get("kind")
    if kind not in Post.Kind.values:
        raise PeopleError("kind_unknown", _("Unknown kind."), "kind")
    region = check_region(data.get("region"))
    _scope(by, region.code)
    instructor = None
    if data.get("instructor"):
        instructor = Instructor.objects.filter(pk=data["instructor"], status=Instructor.Status.ACTIVE).first()
        if instructor is None or not scoping.can_read_region(by, instructor.region_id):
            raise PeopleError("instructor_unknown", _("Choose an active instructor of your area."), "instructor")
    if kind == Post.Kind.INSTRUCTOR and instructor is None:
        raise PeopleError("instructor_required", _("An instructor post is held by a registered instructor."),
                          "instructor")
    name = instructor.real_name if instructor else _text(data, "person_name", 50, required=True)
    appointed, ends = data.get("appointed_on"), data.get("ends_on")
    if not isinstance(appointed, datetime.date):
        raise PeopleError("date_required", _("Enter the date of appointment."), "appointed_on")
    if ends is not None and ends < appointed:
        raise PeopleError("ends_before_start", _("The post ends after it begins."), "ends_on")
    with transaction.atomic():
        post = Post.objects.create(kind=kind, instructor=instructor, person_name=name, region=region,
                                   appointed_on=appointed, ends_on=ends, note=_text(data, "note", 200))
        audit.record("appoint", request=request, actor=by, obj=post)
    return post


def save_supplier(data: dict, *, by, request=None) -> Supplier:
    kind = data.get("kind")
    if kind not in Supplier.Kind.values:
        raise PeopleError("kind_unknown", _("Unknown kind."), "kind")
    region = check_region(data.get("region"))
    _scope(by, region.code)
    with transaction.atomic():
        found = Supplier.objects.create(
            kind=kind, name=_text(data, "name", 120, required=True), unit=_text(data, "unit", 120), region=region,
            sports=sports_text(check_sports(data.get("sports") or [])), specialty=_text(data, "specialty", 200),
            serves_disabled=bool(data.get("serves_disabled")))
        audit.record("create", request=request, actor=by, obj=found)
    return found


def create_contest(data: dict, *, by, request=None) -> Contest:
    region = check_region(data.get("region"))
    _scope(by, region.code)
    held = data.get("held_on")
    if not isinstance(held, datetime.date):
        raise PeopleError("date_required", _("Enter the date it was held."), "held_on")
    sport = data.get("sport") or ""
    if sport and sport not in Sport.values:
        raise PeopleError("sport_unknown", _("Unknown sport: %(sport)s.") % {"sport": str(sport)[:30]}, "sport")
    with transaction.atomic():
        found = Contest.objects.create(title=_text(data, "title", 120, required=True), region=region, held_on=held,
                                       sport=sport)
        audit.record("create", request=request, actor=by, obj=found)
    return found


def _checked_result(contest: Contest, instructor: Instructor, rank, award: str, by) -> tuple[int | None, str]:
    _scope(by, contest.region_id)
    if not scoping.can_read_region(by, instructor.region_id):
        raise PeopleError("instructor_unknown", _("Choose an active instructor of your area."), "instructor")
    if contest.held_on > timezone.localdate():
        raise PeopleError("contest_not_held", _("Results are recorded after the contest."), status=409)
    if rank is not None and not 1 <= int(rank) <= 10000:
        raise PeopleError("rank_invalid", _("A place is a number from 1."), "rank")
    return (int(rank) if rank is not None else None), _text({"award": award}, "award", 60)


def record_contest_result(contest: Contest, instructor: Instructor, *, rank=None, award: str = "", by,
                          request=None) -> ContestResult:
    rank, award = _checked_result(contest, instructor, rank, award, by)
    try:
        with transaction.atomic():
            found = ContestResult.objects.create(contest=contest, instructor=instructor, rank=rank, award=award)
            audit.record("contest_result", request=request, actor=by, obj=found, region_code=contest.region_id)
    except IntegrityError:
        raise PeopleError("already_recorded", _("This instructor's result is already recorded."), status=409) from None
    return found


def save_contest_result(contest: Contest, instructor: Instructor, *, rank=None, award: str = "", by,
                        request=None) -> tuple[ContestResult, str]:
    """A result recorded, or the one recorded corrected (the results' import): the result and
    "new", "updated" or "unchanged"."""
    rank, award = _checked_result(contest, instructor, rank, award, by)
    with transaction.atomic():
        found = ContestResult.objects.select_for_update().filter(contest=contest, instructor=instructor).first()
        if found is None:
            return record_contest_result(contest, instructor, rank=rank, award=award, by=by, request=request), "new"
        if (found.rank, found.award) == (rank, award):
            return found, "unchanged"
        found.rank, found.award = rank, award
        found.save(update_fields=["rank", "award"])
        audit.record("contest_result", request=request, actor=by, obj=found, region_code=contest.region_id,
                     detail={"corrected": True})
    return found, "updated"
