"""Maintenance figures per division: inspections, defects, repairs, reports, satisfaction, pieces due
for replacement, for a division and each division directly under it, over a period.

Pure reads: one GROUP BY query per table (equipment, rounds, work orders, reports), grouped by the
first digits of the division code, as many as the children's prefix has (a city's query returns
one row per county); the division's totals are the sum of every row. Plus one query for the monthly
trend of each table and one for the divisions' names. No query per division, whatever the size.

What counts (the period is `start` to `end`, both included, local dates):
- Pieces: equipment in the register and not removed, now; by status.
- Inspection completion: rounds dated in the period whose time is up (due before today) or that
  are done; done ÷ all of them. A round past its due date and not done counts as missed even
  before the tick has marked it.
- Defects: repair work orders opened in the period (from inspections, residents' reports or staff),
  cancelled ones (duplicates) left out; per 100 pieces in the register now (not removed: a broken
  piece is still a piece).
- Mean time to repair: repair orders finished (done, perhaps verified) in the period, from opening
  to done, in hours; on time: done by the deadline.
- Overdue work orders and reports: now. An order is overdue when open (open, assigned, in
  progress) past its deadline; a report when not resolved past its resolution deadline, or not
  answered past its response deadline.
- Escalated reports: received in the period and moved up at least once.
- Satisfaction: residents' ratings (1-5) given in the period: the mean and the share of 4 and 5.
- Due for replacement: pieces not removed whose design life has run out by today.
"""

import datetime
from dataclasses import dataclass, field, fields

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Substr, TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quanmin.accounts import scoping
from quanmin.facilities import equipment_services
from quanmin.facilities.models import Equipment
from quanmin.feedback.models import Report
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import selectors
from .errors import FiguresError
from .models import OPEN_STATUSES, InspectionRound, WorkOrder

R = InspectionRound.Status
S = WorkOrder.Status
E = Equipment.Status
RS = Report.Status

DEFAULT_MONTHS = 3  # the current month and the two before it
MAX_PERIOD_DAYS = 3 * 366
REPORT_OPEN = (RS.RECEIVED, RS.RESPONDED)
DONE_ORDERS = (S.DONE, S.VERIFIED)


# --- the period -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start 00:00, the day after end 00:00) in local time, for datetime columns."""
        tz = timezone.get_current_timezone()
        lo = timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min), tz)
        hi = timezone.make_aware(
            datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min), tz
        )
        return lo, hi

    def months(self) -> list[datetime.date]:
        out, day = [], self.start.replace(day=1)
        while day <= self.end:
            out.append(day)
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return out


def default_period(today: datetime.date | None = None) -> Period:
    today = today or timezone.localdate()
    start = today.replace(day=1)
    for _i in range(DEFAULT_MONTHS - 1):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return Period(start, today)


def _date(value, name: str):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise FiguresError("date_invalid", _("Enter a date such as 2026-05-01."), name) from None


def parse_period(start=None, end=None, today: datetime.date | None = None) -> Period:
    """The period asked for. Neither end given: the default period (this month and the two before);
    only the start: up to today (or the start, if it lies ahead); only the end: the three months up
    to it. Refused with a clear message: a date that is not one, a year outside 1950-2100, an end
    before the start, a span over three years."""
    default = default_period(today)
    start_d, end_d = _date(start, "start"), _date(end, "end")
    if start_d is None and end_d is None:
        return default
    for value, name in ((start_d, "start"), (end_d, "end")):
        if value is not None and not 1950 <= value.year <= 2100:
            raise FiguresError("date_invalid", _("Enter a date between 1950 and 2100."), name)
    if end_d is None:
        end_d = max(default.end, start_d)
    if start_d is None:
        start_d = default_period(end_d).start
    if end_d < start_d:
        raise FiguresError("period_invalid", _("The end of the period lies before its start."), "end")
    if (end_d - start_d).days + 1 > MAX_PERIOD_DAYS:
        raise FiguresError("period_too_long", _("Choose a period of at most three years."), "start")
    return Period(start_d, end_d)


# --- what is counted ---------------------------------------------------------------------------------


@dataclass
class Figures:
    code: str
    name: str
    level: str
    # the register, now
    pieces: int = 0
    in_service: int = 0
    defective: int = 0
    out_of_service: int = 0
    replacement_due: int = 0
    # inspections in the period
    rounds_due: int = 0
    rounds_done: int = 0
    # defects and repairs in the period
    defects: int = 0
    defects_inspection: int = 0
    defects_report: int = 0
    repairs_done: int = 0
    repairs_on_time: int = 0
    repair_hours: float = 0.0  # the sum, for the mean
    # work orders, now
    orders_open: int = 0
    orders_overdue: int = 0
    # residents' reports
    reports: int = 0  # received in the period
    reports_escalated: int = 0  # of those
    reports_open: int = 0  # now
    reports_overdue: int = 0  # now
    ratings: int = 0  # given in the period
    rating_sum: int = 0
    satisfied: int = 0  # rated 4 or 5

    COUNTERS = ()  # filled below: every numeric field

    def add(self, other: "Figures") -> None:
        for name in self.COUNTERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def rounds_missed(self) -> int:
        return self.rounds_due - self.rounds_done

    @property
    def completion(self) -> float | None:
        """Inspection completion, per cent."""
        return round(100 * self.rounds_done / self.rounds_due, 1) if self.rounds_due else None

    @property
    def defects_per_100(self) -> float | None:
        return round(100 * self.defects / self.pieces, 1) if self.pieces else None

    @property
    def mttr_hours(self) -> float | None:
        """Mean time to repair, hours."""
        return round(self.repair_hours / self.repairs_done, 1) if self.repairs_done else None

    @property
    def on_time(self) -> float | None:
        return round(100 * self.repairs_on_time / self.repairs_done, 1) if self.repairs_done else None

    @property
    def satisfaction(self) -> float | None:
        """The mean rating, 1-5."""
        return round(self.rating_sum / self.ratings, 2) if self.ratings else None

    @property
    def satisfied_share(self) -> float | None:
        return round(100 * self.satisfied / self.ratings, 1) if self.ratings else None

    @property
    def empty(self) -> bool:
        return not any(getattr(self, name) for name in self.COUNTERS)

    def as_dict(self) -> dict:
        out = {"code": self.code, "name": self.name, "level": self.level}
        out.update({name: getattr(self, name) for name in self.COUNTERS})
        out["repair_hours"] = round(self.repair_hours, 1)
        for name in DERIVED:
            out[name] = getattr(self, name)
        return out


Figures.COUNTERS = tuple(f.name for f in fields(Figures) if f.name not in ("code", "name", "level"))
DERIVED = ("rounds_missed", "completion", "defects_per_100", "mttr_hours", "on_time", "satisfaction", "satisfied_share")

# The columns of the table, the export and the chart, in order: (attribute, label).
COLUMNS = [
    ("pieces", gettext_lazy("Pieces")),
    ("defective", gettext_lazy("Defective")),
    ("out_of_service", gettext_lazy("Out of service")),
    ("rounds_due", gettext_lazy("Rounds due")),
    ("rounds_done", gettext_lazy("Rounds done")),
    ("rounds_missed", gettext_lazy("Rounds missed")),
    ("completion", gettext_lazy("Inspection completion (%)")),
    ("defects", gettext_lazy("Defects")),
    ("defects_per_100", gettext_lazy("Defects per 100 pieces")),
    ("repairs_done", gettext_lazy("Repairs done")),
    ("mttr_hours", gettext_lazy("Mean time to repair (hours)")),
    ("on_time", gettext_lazy("Repaired on time (%)")),
    ("orders_open", gettext_lazy("Open work orders")),
    ("orders_overdue", gettext_lazy("Overdue work orders")),
    ("reports", gettext_lazy("Reports received")),
    ("reports_overdue", gettext_lazy("Overdue reports")),
    ("reports_escalated", gettext_lazy("Reports escalated")),
    ("ratings", gettext_lazy("Ratings")),
    ("satisfaction", gettext_lazy("Mean rating (1-5)")),
    ("satisfied_share", gettext_lazy("Satisfied (%)")),
    ("replacement_due", gettext_lazy("Due for replacement")),
]


@dataclass
class Month:
    month: datetime.date
    rounds_due: int = 0
    rounds_done: int = 0
    defects: int = 0
    repairs_done: int = 0
    repair_hours: float = 0.0
    reports: int = 0
    ratings: int = 0
    rating_sum: int = 0

    @property
    def completion(self) -> float | None:
        return round(100 * self.rounds_done / self.rounds_due, 1) if self.rounds_due else None

    @property
    def mttr_hours(self) -> float | None:
        return round(self.repair_hours / self.repairs_done, 1) if self.repairs_done else None

    @property
    def satisfaction(self) -> float | None:
        return round(self.rating_sum / self.ratings, 2) if self.ratings else None

    def as_dict(self) -> dict:
        return {
            "month": self.month.strftime("%Y-%m"),
            "rounds_due": self.rounds_due,
            "rounds_done": self.rounds_done,
            "completion": self.completion,
            "defects": self.defects,
            "repairs_done": self.repairs_done,
            "mttr_hours": self.mttr_hours,
            "reports": self.reports,
            "ratings": self.ratings,
            "satisfaction": self.satisfaction,
        }


@dataclass
class DivisionFigures:
    figures: Figures
    children: list  # of Figures, by code
    direct: Figures | None  # what lies at the division itself, under no child
    period: Period
    months: list = field(default_factory=list)  # of Month
    today: datetime.date | None = None


# --- queries --------------------------------------------------------------------------------------


def _in(prefix: str, field_name: str = "region_id") -> Q:
    lo, hi = codes.subtree_range(prefix)
    return Q(**{f"{field_name}__gte": lo, f"{field_name}__lte": hi})


def _grouped(qs, key_length: int, **aggregates) -> list[dict]:
    key = F("region_id") if key_length >= 12 else Substr("region_id", 1, key_length)
    return list(qs.order_by().annotate(key=key).values("key").annotate(**aggregates))


def _hours(value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 3600
    return float(value) / 3_600_000_000  # microseconds, where a backend hands back a number


REPAIR_TIME = ExpressionWrapper(F("done_at") - F("created_at"), output_field=DurationField())


def _rows(prefix: str, key_length: int, period: Period, now: datetime.datetime, today: datetime.date) -> list:
    """(key, {counter: value}) rows from the four tables."""
    lo, hi = period.bounds()
    out = []
    region = _in(prefix)

    pieces = Equipment.objects.filter(region).exclude(status=E.REMOVED)
    for r in _grouped(
        pieces,
        key_length,
        pieces=Count("pk"),
        in_service=Count("pk", filter=Q(status=E.IN_SERVICE)),
        defective=Count("pk", filter=Q(status=E.DEFECTIVE)),
        out_of_service=Count("pk", filter=Q(status=E.OUT_OF_SERVICE)),
        replacement_due=Count("pk", filter=equipment_services.past_design_life_q(today)),
    ):
        out.append(r)

    rounds = InspectionRound.objects.filter(region, scheduled_for__gte=period.start, scheduled_for__lte=period.end)
    closed = Q(status__in=(R.DONE, R.MISSED)) | Q(due_on__lt=today)
    for r in _grouped(
        rounds, key_length, rounds_due=Count("pk", filter=closed), rounds_done=Count("pk", filter=Q(status=R.DONE))
    ):
        out.append(r)

    repairs = WorkOrder.objects.filter(region, kind=WorkOrder.Kind.REPAIR)
    opened = Q(created_at__gte=lo, created_at__lt=hi) & ~Q(status=S.CANCELLED)
    finished = Q(done_at__gte=lo, done_at__lt=hi, status__in=DONE_ORDERS)
    for r in _grouped(
        repairs.filter(opened | finished),
        key_length,
        defects=Count("pk", filter=opened),
        defects_inspection=Count("pk", filter=opened & Q(source=WorkOrder.Source.INSPECTION)),
        defects_report=Count("pk", filter=opened & Q(source=WorkOrder.Source.REPORT)),
        repairs_done=Count("pk", filter=finished),
        repairs_on_time=Count("pk", filter=finished & Q(done_at__lte=F("due_at"))),
        repair_hours=Sum(REPAIR_TIME, filter=finished),
    ):
        r["repair_hours"] = _hours(r["repair_hours"])
        out.append(r)

    orders = WorkOrder.objects.filter(region, status__in=OPEN_STATUSES)
    for r in _grouped(
        orders, key_length, orders_open=Count("pk"), orders_overdue=Count("pk", filter=Q(due_at__lt=now))
    ):
        out.append(r)

    received = Q(created_at__gte=lo, created_at__lt=hi)
    rated = Q(rating__isnull=False, rated_at__gte=lo, rated_at__lt=hi)
    still_open = Q(status__in=REPORT_OPEN)
    overdue = still_open & (Q(resolve_by__lt=now) | Q(status=RS.RECEIVED, respond_by__lt=now))
    reports = Report.objects.filter(region).filter(received | rated | still_open)
    for r in _grouped(
        reports,
        key_length,
        reports=Count("pk", filter=received),
        reports_escalated=Count("pk", filter=received & Q(escalations__gt=0)),
        reports_open=Count("pk", filter=still_open),
        reports_overdue=Count("pk", filter=overdue),
        ratings=Count("pk", filter=rated),
        rating_sum=Sum("rating", filter=rated),
        satisfied=Count("pk", filter=rated & Q(rating__gte=4)),
    ):
        r["rating_sum"] = r["rating_sum"] or 0
        out.append(r)
    return out


def _month_key(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def _months(prefix: str, period: Period, today: datetime.date) -> list[Month]:
    """The division's figures month by month over the period (four small GROUP BY queries)."""
    lo, hi = period.bounds()
    months = {m: Month(m) for m in period.months()}
    region = _in(prefix)

    def month(value):
        return months.get(_month_key(value)) if value is not None else None

    closed = Q(status__in=(R.DONE, R.MISSED)) | Q(due_on__lt=today)
    for r in (
        InspectionRound.objects.filter(region, scheduled_for__gte=period.start, scheduled_for__lte=period.end)
        .order_by()
        .annotate(m=TruncMonth("scheduled_for"))
        .values("m")
        .annotate(due=Count("pk", filter=closed), done=Count("pk", filter=Q(status=R.DONE)))
    ):
        if (m := month(r["m"])) is not None:
            m.rounds_due += r["due"]
            m.rounds_done += r["done"]
    repairs = WorkOrder.objects.filter(region, kind=WorkOrder.Kind.REPAIR)
    for r in (
        repairs.filter(created_at__gte=lo, created_at__lt=hi)
        .exclude(status=S.CANCELLED)
        .order_by()
        .annotate(m=TruncMonth("created_at"))
        .values("m")
        .annotate(n=Count("pk"))
    ):
        if (m := month(r["m"])) is not None:
            m.defects += r["n"]
    for r in (
        repairs.filter(done_at__gte=lo, done_at__lt=hi, status__in=DONE_ORDERS)
        .order_by()
        .annotate(m=TruncMonth("done_at"))
        .values("m")
        .annotate(n=Count("pk"), t=Sum(REPAIR_TIME))
    ):
        if (m := month(r["m"])) is not None:
            m.repairs_done += r["n"]
            m.repair_hours += _hours(r["t"])
    reports = Report.objects.filter(region)
    for r in (
        reports.filter(created_at__gte=lo, created_at__lt=hi)
        .order_by()
        .annotate(m=TruncMonth("created_at"))
        .values("m")
        .annotate(n=Count("pk"))
    ):
        if (m := month(r["m"])) is not None:
            m.reports += r["n"]
    for r in (
        reports.filter(rating__isnull=False, rated_at__gte=lo, rated_at__lt=hi)
        .order_by()
        .annotate(m=TruncMonth("rated_at"))
        .values("m")
        .annotate(n=Count("pk"), s=Sum("rating"))
    ):
        if (m := month(r["m"])) is not None:
            m.ratings += r["n"]
            m.rating_sum += r["s"] or 0
    return list(months.values())


def division_figures(
    region: Region,
    period: Period | None = None,
    *,
    now: datetime.datetime | None = None,
    today: datetime.date | None = None,
    months: bool = True,
) -> DivisionFigures:
    """The division's maintenance figures and those of each division directly under it, as they
    stand at `now` (default: this moment; `today` is its local date unless given)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    period = period or default_period(today)
    prefix = codes.prefix(region.code)
    children = {
        codes.prefix(c["code"]): Figures(c["code"], c["name"], c["level"])
        for c in Region.objects.filter(parent_id=region.code).order_by("code").values("code", "name", "level")
    }
    # Group by the children's prefix when they all have one length (they do in the statistics
    # bureau's tree); by the whole code otherwise, and match each row to its child here.
    lengths = sorted({len(p) for p in children})
    key_length = lengths[0] if len(lengths) == 1 else 12
    total = Figures(region.code, region.name, region.level)
    direct = Figures(region.code, region.name, region.level)
    for row in _rows(prefix, key_length, period, now, today):
        part = Figures(
            region.code, region.name, region.level, **{k: v for k, v in row.items() if k != "key" and v is not None}
        )
        total.add(part)
        key = row["key"]
        for n in lengths:
            child = children.get(key[:n])
            if child is not None:
                child.add(part)
                break
        else:
            direct.add(part)
    # Without children everything lies at the division itself: the totals say it all.
    return DivisionFigures(
        total,
        sorted(children.values(), key=lambda f: f.code),
        None if direct.empty or not children else direct,
        period,
        _months(prefix, period, today) if months else [],
        today,
    )


def region_for(user, code: str) -> Region:
    """The division of this code, if the user may read it; 404 otherwise, as for a missing one."""
    try:
        code = codes.normalise(code)
    except ValueError:
        raise Http404 from None
    return scoping.get_scoped_or_404(user, Region.objects.all(), code=code)


def due_for_replacement(user, region: Region, today: datetime.date | None = None):
    """The pieces in the division whose design life has run out by `today`, in the user's scope,
    oldest first (the work orders' replacement list, cut to the division)."""
    return selectors.due_for_replacement(user, today).filter(_in(codes.prefix(region.code)))
