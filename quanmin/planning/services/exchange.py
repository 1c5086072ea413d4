"""Experience exchange (经验交流, E05): a county sends an experience case to the city; the city
recommends it as a typical case or returns it with a comment; a returned case is changed and sent
again; the city records its on-site meetings (现场会) and the recommended cases shown there.

Each write checks everything first and acts under the case's row lock, so a change and a review
never cross; a recommended case is final. Every write is audited; the county's staff are told of
the city's decision.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import audit
from quanmin.core.notify import notify
from quanmin.regions import codes
from quanmin.regions.models import Region

from .. import permissions
from ..errors import PlanningError
from ..models import ExperienceCase, SiteMeeting, Theme
from .returns import division_staff

FIRST_YEAR = 2000
EDITABLE = (ExperienceCase.Status.SUBMITTED, ExperienceCase.Status.RETURNED)
DECISIONS = ("recommend", "return")
MAX_ATTENDEES = 50
MAX_CASES_SHOWN = 30


def _text(value, field: str, limit: int, *, required: str | None = None, one_line: bool = False) -> str:
    """A text field as kept: NULs gone, spaces collapsed on one line (or trimmed), within its limit."""
    text = str(value or "").replace("\x00", "")
    text = " ".join(text.split()) if one_line else text.strip()
    if required and not text:
        raise PlanningError(f"{field}_missing", required, field)
    if len(text) > limit:
        raise PlanningError(f"{field}_too_long", _("Write at most %(limit)s characters.") % {"limit": limit}, field)
    return text


def _year(value) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        year = 0
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise PlanningError("case_year", _("Give a year from %(first)s to this year.") % {"first": FIRST_YEAR}, "year")
    return year


def _fields(data: dict) -> dict:
    theme = str(data.get("theme") or "")
    if theme not in Theme.values:
        raise PlanningError("case_theme", _("Pick the field of work."), "theme")
    return {
        "year": _year(data.get("year")),
        "title": _text(data.get("title"), "title", 120, required=_("Give the case a title."), one_line=True),
        "theme": theme,
        "practice": _text(data.get("practice"), "practice", 4000, required=_("Write what was done.")),
        "results": _text(data.get("results"), "results", 2000),
        "contact": _text(data.get("contact"), "contact", 60, one_line=True),
    }


def send_case(user, *, division_code: str, request=None, **data) -> ExperienceCase:
    """A county's experience case, sent to the city: year, title, theme, practice, results, contact."""
    code = str(division_code or "").strip()
    region = Region.objects.filter(code=code, level="county").first() if codes.is_code(code) else None
    if region is None:
        raise PlanningError("case_division", _("An experience case is sent by a county (city district)."),
                            "division")
    if not permissions.can_send_case(user, region.code):
        raise PlanningError("case_not_yours", _("Only the county's own staff send its cases."), "division", status=403)
    fields = _fields(data)
    with transaction.atomic():
        case = ExperienceCase.objects.create(division_code=region.code, division_name=region.name,
                                             submitted_by=user, submitted_at=timezone.now(), **fields)
        audit.record("create", request=request, actor=user, obj=case, region_code=region.code,
                     detail={"year": case.year, "theme": case.theme})
    return case


def _locked(case: ExperienceCase) -> ExperienceCase:
    return ExperienceCase.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def change_case(user, case: ExperienceCase, *, request=None, **data) -> ExperienceCase:
    """The county changes a case the city has not recommended; a returned case is sent again."""
    if not permissions.can_send_case(user, case.division_code):
        raise PlanningError("case_not_yours", _("Only the county's own staff change its cases."), status=403)
    fields = _fields(data)
    case = _locked(case)
    if case.status not in EDITABLE:
        raise PlanningError("case_state", _("A recommended case is not changed any more."), "status", status=409,
                            detail={"status": case.status})
    for name, value in fields.items():
        setattr(case, name, value)
    case.status, case.submitted_by, case.submitted_at = ExperienceCase.Status.SUBMITTED, user, timezone.now()
    case.save()
    audit.record("update", request=request, actor=user, obj=case, region_code=case.division_code,
                 detail={"status": case.status})
    return case


@transaction.atomic
def review_case(user, case: ExperienceCase, *, decision: str, note: str = "", on: date | None = None,
                request=None) -> ExperienceCase:
    """The city recommends a sent case as typical (dated `on`, today by default) or returns it
    with a comment saying what to change."""
    if not permissions.can_review_case(user, case.division_code):
        raise PlanningError("case_not_reviewer", _("Only the staff of the city above the county review its cases."),
                            status=403)
    if decision not in DECISIONS:
        raise PlanningError("case_decision", _("Recommend the case or return it."), "decision")
    note = _text(note, "note", 500, one_line=True)
    if decision == "return" and not note:
        raise PlanningError("note_missing", _("Say what the county should change."), "note")
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise PlanningError("case_recommended_on", _("The date cannot be in the future."), "on")
    case = _locked(case)
    if case.status != ExperienceCase.Status.SUBMITTED:
        raise PlanningError("case_state", _("Only a case sent to the city is reviewed."), "status", status=409,
                            detail={"status": case.status})
    recommended = decision == "recommend"
    case.status = ExperienceCase.Status.RECOMMENDED if recommended else ExperienceCase.Status.RETURNED
    case.recommended_on = on if recommended else None
    case.reviewed_by, case.reviewed_at, case.review_note = user, timezone.now(), note
    case.save(update_fields=["status", "recommended_on", "reviewed_by", "reviewed_at", "review_note"])
    audit.record("set_status", request=request, actor=user, obj=case, region_code=case.division_code,
                 detail={"status": case.status})
    subject = (_("Recommended as a typical case: %(title)s") if recommended
               else _("Experience case returned for changes: %(title)s")) % {"title": case.title}
    for person in division_staff(case.division_code):
        notify(person, subject, note or subject)
    return case


def record_site_meeting(user, *, division_code: str, host_code: str, held_on: date | None, title: str,
                        place: str = "", minutes: str = "", attendee_codes=(), case_ids=(),
                        request=None) -> SiteMeeting:
    """A city's on-site meeting at one of its counties: the counties that attended and the city's
    recommended cases shown there."""
    city = str(division_code or "").strip()
    if not codes.is_code(city) or not Region.objects.filter(code=city, level="city").exists():
        raise PlanningError("meeting_division", _("An on-site meeting is held by a city."), "division")
    if not permissions.can_hold_site_meeting(user, city):
        raise PlanningError("meeting_not_yours", _("Only the city's staff record its on-site meetings."), "division",
                            status=403)
    counties = dict(Region.objects.filter(parent_id=city, level="county").values_list("code", "name"))
    host = str(host_code or "").strip()
    if host not in counties:
        raise PlanningError("meeting_host", _("Pick one of the city's counties as the host."), "host")
    if held_on is None:
        raise PlanningError("meeting_date", _("Give the date the meeting was held."), "held_on")
    if held_on > timezone.localdate():
        raise PlanningError("meeting_date_future", _("Record a meeting once it has been held."), "held_on")
    title = _text(title, "title", 120, required=_("Give the meeting a title."), one_line=True)
    attendees = sorted({str(c).strip() for c in attendee_codes or ()} | {host})
    if len(attendees) > MAX_ATTENDEES or any(c not in counties for c in attendees):
        raise PlanningError("meeting_attendee", _("Attending counties must be counties of the city."), "attendees")
    wanted = {int(i) for i in case_ids or () if str(i).isdigit() and len(str(i)) < 16}
    if len(wanted) > MAX_CASES_SHOWN:
        raise PlanningError("meeting_cases", _("At most %(count)s cases in one meeting.") % {"count": MAX_CASES_SHOWN},
                            "cases")
    cases = list(ExperienceCase.objects.filter(pk__in=wanted, status=ExperienceCase.Status.RECOMMENDED,
                                               division_code__within=codes.prefix(city)))
    if len(cases) != len(wanted) or len(wanted) != len(set(case_ids or ())):
        raise PlanningError("meeting_cases", _("Only the city's recommended cases are shown at its meetings."),
                            "cases")
    with transaction.atomic():
        meeting = SiteMeeting.objects.create(
            division_code=city, host_code=host, host_name=counties[host], held_on=held_on, title=title,
            place=_text(place, "place", 100, one_line=True), minutes=_text(minutes, "minutes", 4000),
            attendees=attendees, created_by=user)
        meeting.cases.set(cases)
        audit.record("create", request=request, actor=user, obj=meeting, region_code=city,
                     detail={"host": host, "cases": len(cases)})
    return meeting
