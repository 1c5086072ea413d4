"""When a site is open: weekly rules, Chinese public holidays and make-up working days, exceptions.

The calendar comes from `chinesecalendar` (maintained from the State Council's yearly holiday
notice). How a day is read:
- a statutory public holiday (including the weekend days inside a holiday block) uses the site's
  holiday rules (weekday 7) if it has any, else Sunday's;
- a make-up working day (调休上班, a Saturday or Sunday that is a working day) follows the working
  timetable: Monday's rules. School grounds therefore stay closed to the public during lessons;
- any other day uses its own weekday's rules;
- an exception for the date overrides all of that.
"""

import datetime
from dataclasses import dataclass

import chinese_calendar
from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import OpeningException, OpeningRule, Site

MAKEUP_WEEKDAY = 0
SUNDAY = 6


@dataclass(frozen=True)
class DayKind:
    kind: str  # "workday" | "rest" | "holiday" | "makeup"
    holiday_name: str | None = None


def day_kind(day: datetime.date) -> DayKind:
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # a year the package does not know yet: plain weekdays
        return DayKind("rest" if day.weekday() >= 5 else "workday")
    if on_holiday and name is not None:
        return DayKind("holiday", str(name))
    if on_holiday:
        return DayKind("rest")
    if day.weekday() >= 5:
        return DayKind("makeup", str(name) if name else None)
    return DayKind("workday")


def weekdays_for(day: datetime.date) -> tuple[int, int | None]:
    """The rule weekday to use, and the fallback when the site has no rule of that weekday (holidays)."""
    kind = day_kind(day).kind
    if kind == "holiday":
        return OpeningRule.HOLIDAY, SUNDAY
    if kind == "makeup":
        return MAKEUP_WEEKDAY, None
    return day.weekday(), None


@dataclass(frozen=True)
class Interval:
    kind: str
    opens: datetime.time
    closes: datetime.time
    price_note: str = ""

    def contains(self, t: datetime.time) -> bool:
        return self.opens <= t < self.closes


def hours_on(site: Site, day: datetime.date, rules=None, exceptions=None) -> list[Interval]:
    """Every interval of the site on a date (regular, benefit and school-public hours)."""
    rules = list(site.opening_rules.all()) if rules is None else rules
    exceptions = list(site.opening_exceptions.all()) if exceptions is None else exceptions
    for ex in exceptions:
        if ex.date == day:
            if ex.closed or not (ex.opens and ex.closes):
                return []
            return [Interval(OpeningRule.Kind.REGULAR, ex.opens, ex.closes, ex.note)]
    wanted, fallback = weekdays_for(day)
    chosen = [r for r in rules if r.weekday == wanted]
    if not chosen and fallback is not None:
        chosen = [r for r in rules if r.weekday == fallback]
    return sorted((Interval(r.kind, r.opens, r.closes, r.price_note) for r in chosen), key=lambda i: (i.opens, i.kind))


def is_open(site: Site, when: datetime.datetime, rules=None, exceptions=None) -> bool:
    if site.status != Site.Status.OPEN:
        return False
    t = when.time()
    return any(i.contains(t) and i.kind != OpeningRule.Kind.BENEFIT
               for i in hours_on(site, when.date(), rules, exceptions))


def in_benefit_hours(site: Site, when: datetime.datetime, rules=None, exceptions=None) -> bool:
    t = when.time()
    return any(i.contains(t) and i.kind == OpeningRule.Kind.BENEFIT
               for i in hours_on(site, when.date(), rules, exceptions))


def week_table(site: Site, start: datetime.date, days: int = 7) -> list[dict]:
    """The next days with their kind and hours, for the site page."""
    rules = list(site.opening_rules.all())
    exceptions = list(site.opening_exceptions.filter(date__gte=start, date__lt=start + datetime.timedelta(days=days)))
    out = []
    for n in range(days):
        day = start + datetime.timedelta(days=n)
        out.append({"date": day, "kind": day_kind(day), "intervals": hours_on(site, day, rules, exceptions),
                    "exception": next((e for e in exceptions if e.date == day), None)})
    return out


def open_at_q(when: datetime.datetime, kinds=(OpeningRule.Kind.REGULAR, OpeningRule.Kind.SCHOOL),
              site_ref: str = "pk") -> Q:
    """A filter for sites open at `when`, computed in the database (the finder's "open now")."""
    day, t = when.date(), when.time()
    wanted, fallback = weekdays_for(day)

    def rule_at(weekday):
        return Exists(OpeningRule.objects.filter(site_id=OuterRef(site_ref), weekday=weekday, kind__in=kinds,
                                                 opens__lte=t, closes__gt=t))

    by_rule = rule_at(wanted)
    if fallback is not None:
        has_wanted = Exists(OpeningRule.objects.filter(site_id=OuterRef(site_ref), weekday=wanted))
        by_rule = Q(by_rule) | (~Q(has_wanted) & Q(rule_at(fallback)))
    exception_today = OpeningException.objects.filter(site_id=OuterRef(site_ref), date=day)
    open_by_exception = Exists(exception_today.filter(closed=False, opens__lte=t, closes__gt=t))
    return (Q(by_rule) & ~Q(Exists(exception_today))) | Q(open_by_exception)


def open_sites(qs: QuerySet, when: datetime.datetime) -> QuerySet:
    return qs.filter(status=Site.Status.OPEN).filter(open_at_q(when))
