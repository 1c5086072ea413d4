"""Reads more than one caller needs: the staff list's filters, the public finder's stations and
instructor-led sessions, a public instructor card, and a person's record (B01): trainings attended,
confirmed service hours and skills-contest results, for one person or a chunk of the export."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from quanmin.accounts import scoping
from quanmin.booking.models import Slot
from quanmin.core import bulk
from quanmin.regions import codes

from .models import GRADE_ORDER, ContestResult, DutyLog, Enrollment, Instructor, Sport, Station
from .services import code_of

# Parts of the day a resident picks a session by: the regular sessions' start times.
PARTS = {"morning": (datetime.time(0), datetime.time(12)), "afternoon": (datetime.time(12), datetime.time(17)),
         "evening": (datetime.time(17), datetime.time(23, 59))}


YES = ("1", "true", "on", "yes")  # a ticked box, or the API's booleans (True)


@dataclass
class Filters:
    region: str = ""
    grade: str = ""
    status: str = ""
    sport: str = ""
    kind: str = ""
    core: bool = False
    disabled: bool = False
    q: str = ""


def filters_from(params) -> Filters:
    def get(name):
        return str(params.get(name, "") or "").strip()

    return Filters(region=code_of(get("region")),
                   grade=get("grade") if get("grade") in GRADE_ORDER else "",
                   status=get("status") if get("status") in Instructor.Status.values else "",
                   sport=get("sport") if get("sport") in Sport.values else "",
                   kind=get("kind") if get("kind") in Instructor.Kind.values else "",
                   core=get("core").lower() in YES, disabled=get("disabled").lower() in YES, q=get("q")[:50])


def staff_instructors(user, params) -> QuerySet[Instructor]:
    f = filters_from(params)
    qs = scoping.scoped(user, Instructor.objects.all()).select_related("region")
    if f.region:
        qs = qs.filter(region__code__within=codes.prefix(f.region))
    if f.grade:
        qs = qs.filter(grade=f.grade)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.sport:
        qs = qs.filter(sports__contains=f",{f.sport},")
    if f.core:
        qs = qs.filter(core=True)
    if f.disabled:
        qs = qs.filter(serves_disabled=True)
    if f.q:
        qs = qs.filter(Q(real_name__contains=f.q) | Q(certificate_no=f.q) | Q(association__contains=f.q))
    return qs.order_by("region_id", "real_name", "id")


def staff_stations(user, params) -> QuerySet[Station]:
    f = filters_from(params)
    qs = scoping.scoped(user, Station.objects.all()).select_related("region", "site")
    if f.region:
        qs = qs.filter(region__code__within=codes.prefix(f.region))
    if f.sport:
        qs = qs.filter(sports__contains=f",{f.sport},")
    return qs.order_by("region_id", "name", "id")


def public_stations(params) -> QuerySet[Station]:
    """Active stations, by sport and division; with a site's position for the map."""
    f = filters_from(params)
    qs = Station.objects.filter(active=True).select_related("site", "region")
    if f.region:
        qs = qs.filter(region__code__within=codes.prefix(f.region))
    if f.sport:
        qs = qs.filter(sports__contains=f",{f.sport},")
    if f.q:
        qs = qs.filter(name__contains=f.q)
    day, part = str(params.get("day", "") or ""), str(params.get("part", "") or "")
    if day.isdigit() and int(day) <= 6:
        qs = qs.filter(unit__templates__weekday=int(day))
    if part in PARTS:
        low, high = PARTS[part]
        qs = qs.filter(unit__templates__start__gte=low, unit__templates__start__lt=high)
    return qs.distinct().order_by("region_id", "name", "id")


def upcoming_sessions(stations: list[Station], days: int = 7, now=None) -> dict[int, list[Slot]]:
    """The next guided sessions of each station (one query): bookable slots of the stations' units."""
    now = now or timezone.now()
    units = {s.unit_id: s.pk for s in stations if s.unit_id}
    out: dict[int, list[Slot]] = {s.pk: [] for s in stations}
    if not units:
        return out
    slots = (Slot.objects.filter(unit_id__in=units, start__gte=now, start__lt=now + datetime.timedelta(days=days),
                                 blocked=False).order_by("start"))
    for slot in slots:
        mine = out[units[slot.unit_id]]
        if len(mine) < 6:
            mine.append(slot)
    return out


def public_card(instructor_id: int) -> Instructor | None:
    """An active instructor for the public card; None for anyone else (404)."""
    return (Instructor.objects.filter(pk=instructor_id, status=Instructor.Status.ACTIVE)
            .select_related("region").first())


def own_logs(instructor: Instructor) -> QuerySet[DutyLog]:
    return instructor.logs.select_related("station", "site").order_by("-started_at")


def services_of(user) -> QuerySet[DutyLog]:
    """A person's own confirmed services as an instructor (their account's register record), oldest
    first, with the station and the site."""
    return (DutyLog.objects.filter(instructor__user=user, status=DutyLog.Status.CONFIRMED)
            .select_related("station", "site").order_by("started_at", "pk"))


def associations_of(instructor) -> list:
    """The instructors' associations (B09) the instructor is a member of now: the organisations'
    register keeps the memberships, read here by their reverse name (people import no organisations)."""
    if instructor is None:
        return []
    return list(instructor.association_memberships.filter(status="active")
                .select_related("organization__region").order_by("-joined_on"))


# ---------------------------------------------------------------- a person's record (B01, B12)


def service_totals(instructor_ids) -> dict[int, dict]:
    """Confirmed services per person (one query): how many, their hours, and the volunteer hours."""
    rows = (DutyLog.objects.filter(bulk.any_of("instructor_id", instructor_ids), status=DutyLog.Status.CONFIRMED)
            .values("instructor_id").order_by()
            .annotate(services=Count("id"), total=Sum("hours"), volunteer=Sum("hours", filter=Q(volunteer=True))))
    return {r["instructor_id"]: {"services": r["services"], "hours": r["total"], "volunteer_hours": r["volunteer"] or 0}
            for r in rows}


def training_totals(instructor_ids) -> dict[int, dict]:
    """Courses per person (one query): enrolled, passed, and the hours attended."""
    rows = (Enrollment.objects.filter(bulk.any_of("instructor_id", instructor_ids)).values("instructor_id").order_by()
            .annotate(courses=Count("id"), passed=Count("id", filter=Q(passed=True)), hours=Sum("attended_hours")))
    return {r.pop("instructor_id"): r for r in rows}


def contest_results(instructor_ids) -> dict[int, list[ContestResult]]:
    """Each person's skills-contest results, latest contest first (one query)."""
    out: dict[int, list[ContestResult]] = {}
    for r in (ContestResult.objects.filter(bulk.any_of("instructor_id", instructor_ids)).select_related("contest")
              .order_by("-contest__held_on", "contest_id")):
        out.setdefault(r.instructor_id, []).append(r)
    return out


NO_SERVICE = {"services": 0, "hours": 0, "volunteer_hours": 0}
NO_TRAINING = {"courses": 0, "passed": 0, "hours": 0}


def record_of(instructor: Instructor) -> dict:
    """The person's full record beside the grade history: courses, service totals, contest results."""
    pk = instructor.pk
    return {"trainings": list(instructor.enrollments.select_related("training", "training__region")
                              .order_by("-training__starts_on", "-id")),
            "contests": contest_results([pk]).get(pk, []),
            "service": service_totals([pk]).get(pk, NO_SERVICE),
            "training": training_totals([pk]).get(pk, NO_TRAINING)}


# ---------------------------------------------------------------- volunteer hours (B07)


def volunteer_hours_of(person: Instructor | None, today=None) -> dict:
    """A person's confirmed volunteer hours: in all and this year, and how many services (one query)."""
    if person is None:
        return {"total": 0, "year": 0, "services": 0}
    start = datetime.date((today or timezone.localdate()).year, 1, 1)
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
    found = (DutyLog.objects.filter(instructor=person, status=DutyLog.Status.CONFIRMED, volunteer=True)
             .aggregate(total=Sum("hours"), year=Sum("hours", filter=Q(started_at__gte=since)), services=Count("id")))
    return {"total": found["total"] or 0, "year": found["year"] or 0, "services": found["services"]}


def volunteer_hours_by_person(user, year: int) -> QuerySet[Instructor]:
    """The people of the user's divisions with confirmed volunteer hours in the year (or of the
    volunteer type), most hours first: each with `hours` and `services` of the year."""
    since = timezone.make_aware(datetime.datetime(year, 1, 1))
    until = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    served = Q(logs__status=DutyLog.Status.CONFIRMED, logs__volunteer=True, logs__started_at__gte=since,
               logs__started_at__lt=until)
    return (scoping.scoped(user, Instructor.objects.all()).select_related("region")
            .annotate(hours=Sum("logs__hours", filter=served), services=Count("logs", filter=served))
            .filter(Q(hours__gt=0) | Q(kind=Instructor.Kind.VOLUNTEER, status=Instructor.Status.ACTIVE))
            .order_by(F("hours").desc(nulls_last=True), "region_id", "real_name", "id"))
