"""The facts points reward, read from the domain apps' tables (layer 4) since a watermark; the
domain apps never call this app. Each `Source` names one kind of fact: the rows that are facts at
all, the time columns whose change brings a row back into reading, which rows stand now (a booking
checked in) and which were undone since (an entry withdrawn, a result annulled or rejected), and
for each row the person, when it happened, where (a division code) and how many units it counts
(hours for a volunteer service, else 1).

A source answers querysets, never rows: points.py turns them into one INSERT … SELECT per kind of
fact, so a million facts never pass through Python.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet, Value

from quanmin.booking.models import Booking
from quanmin.events.models import Entry, Result
from quanmin.organizations.models import Activity
from quanmin.people.models import DutyLog
from quanmin.physique.models import ExerciseGrade, TestResult

from .models import Fact


@dataclass(frozen=True)
class Source:
    key: str  # the watermark's key
    fact: str  # the fact a rule names
    prefix: str  # of each fact's source key: "check_in:42"
    model: type
    windows: tuple[str, ...]  # time columns: a row whose column moved into the window is read
    user: str  # the columns (lookups) of the person, the moment and the division code
    at: str
    region: str
    base: Callable[[], Q]  # the rows that are facts at all
    stands: Q | None  # of those, the ones that stand now (None: every row stands)
    units: object = field(default_factory=lambda: Value(1))  # an expression: hours for a volunteer
    gone_undoes: bool = False  # a deleted row takes its points back

    def touched(self, since, until) -> QuerySet:
        """The facts whose window columns moved into (since, until], each with its person (f_user),
        moment (f_at), division (f_region) and units (f_units)."""
        moved = Q()
        for column in self.windows:
            moved |= _window(column, since, until)
        return (self.model.objects.filter(self.base()).filter(moved)
                .annotate(f_user=F(self.user), f_at=F(self.at), f_region=F(self.region), f_units=self.units))

    def standing(self, since, until) -> QuerySet:
        rows = self.touched(since, until)
        return rows.filter(self.stands) if self.stands is not None else rows

    def undone(self, since, until) -> QuerySet | None:
        return self.touched(since, until).exclude(self.stands) if self.stands is not None else None

    def latest(self, since, until):
        """The newest change time among the facts read (the next run's watermark), or None."""
        found = []
        for column in self.windows:
            rows = self.model.objects.filter(self.base()).filter(_window(column, since, until))
            found.append(rows.order_by(f"-{column}").values_list(column, flat=True).first())
        return max((at for at in found if at is not None), default=None)


def _window(column: str, since, until) -> Q:
    q = Q(**{f"{column}__lte": until, f"{column}__isnull": False})
    return q & Q(**{f"{column}__gt": since}) if since is not None else q


def _check_ins(group: bool) -> Callable[[], Q]:
    def base() -> Q:
        at_group = Q(slot__unit_id__in=Activity.objects.values("unit_id"))
        return Q(user__isnull=False, checked_in_at__isnull=False) & (at_group if group else ~at_group)
    return base


SOURCES = [
    # A check-in the venue took back (the booking cancelled or marked a no-show afterwards) is undone.
    Source("check_in", Fact.CHECK_IN, "check_in:", Booking, ("checked_in_at", "cancelled_at"),
           "user_id", "checked_in_at", "slot__unit__region_id", _check_ins(group=False),
           Q(status=Booking.Status.CHECKED_IN)),
    Source("group_activity", Fact.GROUP_ACTIVITY, "group:", Booking, ("checked_in_at", "cancelled_at"),
           "user_id", "checked_in_at", "slot__unit__region_id", _check_ins(group=True),
           Q(status=Booking.Status.CHECKED_IN)),
    Source("instructor_service", Fact.INSTRUCTOR_SERVICE, "service:", DutyLog, ("confirmed_at",),
           "instructor__user_id", "started_at", "region_id",
           lambda: Q(volunteer=False, instructor__user__isnull=False), Q(status=DutyLog.Status.CONFIRMED)),
    Source("volunteer_hour", Fact.VOLUNTEER_HOUR, "volunteer:", DutyLog, ("confirmed_at",),
           "instructor__user_id", "started_at", "region_id",
           lambda: Q(volunteer=True, instructor__user__isnull=False), Q(status=DutyLog.Status.CONFIRMED),
           units=F("hours")),
    Source("event_entry", Fact.EVENT_ENTRY, "entry:", Entry, ("decided_at", "withdrawn_at"),
           "user_id", "decided_at", "games__region_id", lambda: Q(decided_at__isnull=False),
           Q(status=Entry.Status.CONFIRMED)),
    # A result's recorded_at moves with every correction and review: an annulled (DQ) or rejected
    # result is read again and undone.
    Source("event_finish", Fact.EVENT_FINISH, "finish:", Result, ("recorded_at",),
           "entry__user_id", "competition__starts_at", "competition__games__region_id",
           lambda: Q(round=Result.Round.FINAL), Q(status=Result.Status.OK, review=Result.Review.ACCEPTED)),
    Source("physique_test", Fact.PHYSIQUE_TEST, "test:", TestResult, ("created_at",),
           "participant__user_id", "tested_at", "region_id", lambda: Q(participant__user__isnull=False), None,
           gone_undoes=True),
    # A test under the National Physical Exercise Standard (国家体育锻炼标准) earns points under its own
    # rule, whatever the grade (taking the test is what the plans promote); an annulled grade is undone.
    Source("exercise_standard", Fact.EXERCISE_STANDARD, "standard:", ExerciseGrade, ("created_at", "annulled_at"),
           "participant__user_id", "tested_at", "region_id", lambda: Q(participant__user__isnull=False),
           Q(annulled_at__isnull=True), gone_undoes=True),
]
