"""个人运动健康电子档案: a resident's own exercise-and-health record, year by year.

One chronological record of what the platform holds about the person's exercise and health, read
from the domain apps' own selectors and tables (this module sits above them, in web, and writes
nothing): physique tests with their scores, ratings and the change since the previous test of the
same standard; the exercise prescriptions given after a test; referrals to sport–medicine sites;
National Physical Exercise Standard grades and certificates; bookings actually used (checked in),
guided sessions at instructors' stations and group activities among them; games entered and their
results and awards (as the entrant or a member of a team another entered); groups joined and left;
an instructor's confirmed services (people's duty logs); online courses marked done (outreach); and
the points each fact earned.

Who: the person alone. The record has no staff view: the physique app's rule lets the testing staff
of a station read a person's results (its own pages, /staff/physique/people/<pk>/), and no rule lets
anyone read the rest (bookings, entries, groups) as one record of another person. Every read of the
record is logged as a read of personal health data (`log_read`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from quanmin.accounts import audit
from quanmin.accounts import services as account_services
from quanmin.accounts.models import Consent
from quanmin.booking import selectors as bookings
from quanmin.events import selectors as events
from quanmin.events.models import Award, Entry, Result
from quanmin.incentives import selectors as points
from quanmin.incentives.facts import SOURCES
from quanmin.incentives.models import PointsEntry
from quanmin.organizations.models import Activity, GroupMembership
from quanmin.outreach import selectors_online as online
from quanmin.people import selectors as people
from quanmin.physique import selectors as physique
from quanmin.physique import sportmed
from quanmin.physique.exercise import LEVEL_LABELS
from quanmin.physique.forms import ITEM_LABELS, RATING_LABELS, standard_labels
from quanmin.physique.models import Condition

# The kinds of line in the record, in the order the year's summary and the filter list them.
KINDS = {
    "test": gettext_lazy("Physique test"),
    "prescription": gettext_lazy("Exercise prescription"),
    "referral": gettext_lazy("Sport–medicine referral"),
    "standard": gettext_lazy("Exercise standard test"),
    "visit": gettext_lazy("Venue visit"),
    "guided": gettext_lazy("Guided session"),
    "group_activity": gettext_lazy("Group activity"),
    "entry": gettext_lazy("Games entry"),
    "award": gettext_lazy("Award"),
    "group": gettext_lazy("Sports group"),
    "service": gettext_lazy("Instructor service"),
    "online": gettext_lazy("Online course"),
}
MEDALS = {"gold": gettext_lazy("Gold"), "silver": gettext_lazy("Silver"), "bronze": gettext_lazy("Bronze")}
# Entries that count in the record: the person took part (or was going to); the rest never happened.
ENTERED = (Entry.Status.CONFIRMED,)
# What the audit log says was read (accounts.audit_labels names each field).
READ_FIELDS = ["physique_results", "exercise_grades", "referral"]


@dataclass
class Line:
    kind: str
    at: datetime.datetime  # aware; shown in the city's time zone
    title: str
    place: str = ""
    outcome: str = ""
    change: str = ""  # physique tests: since the previous test of the same standard
    points: int | None = None
    url: str = ""
    minutes: int = 0  # time exercised (a visit, a guided session, a group activity)
    medals: int = 0  # games entries: medals won in the finals
    service_hours: Decimal = Decimal(0)  # an instructor's confirmed service

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def local(self) -> datetime.datetime:
        return timezone.localtime(self.at)

    @property
    def year(self) -> int:
        return self.local.year

    def as_dict(self) -> dict:
        return {"kind": self.kind, "kind_label": self.kind_label, "at": self.at, "year": self.year,
                "title": self.title, "place": self.place, "outcome": self.outcome, "change": self.change,
                "points": self.points, "minutes": self.minutes, "url": self.url}


@dataclass
class Year:
    year: int
    counts: dict[str, int] = field(default_factory=dict)
    minutes: int = 0
    points_earned: int = 0
    latest_test: Line | None = None
    medals: int = 0
    service_hours: Decimal = Decimal(0)

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))

    @property
    def count_rows(self) -> list[tuple[str, str, int]]:
        return [(k, str(KINDS[k]), self.counts[k]) for k in KINDS if self.counts.get(k)]

    def as_dict(self) -> dict:
        return {"year": self.year, "counts": {k: self.counts.get(k, 0) for k in KINDS}, "hours": float(self.hours),
                "points_earned": self.points_earned, "medals": self.medals,
                "service_hours": float(self.service_hours),
                "latest_test": None if self.latest_test is None else {
                    "at": self.latest_test.at, "title": self.latest_test.title,
                    "outcome": self.latest_test.outcome, "change": self.latest_test.change}}


@dataclass
class Record:
    lines: list[Line]  # newest first
    years: list[Year]  # newest first
    consent: bool
    balance: int
    tests: list[dict]  # each physique test with its items, oldest first (the chart and the Excel sheet)

    def of_year(self, year: int | None) -> list[Line]:
        return self.lines if year is None else [line for line in self.lines if line.year == year]


# --- the parts --------------------------------------------------------------------------------------

def _signed(value: Decimal) -> str:
    value = value.quantize(Decimal("0.1"))
    return f"+{value}" if value > 0 else (f"{value}" if value < 0 else "±0")


def _physique(user, credited: dict[str, int]) -> tuple[list[Line], list[dict]]:
    participant = physique.own_participant(user)
    if participant is None:
        return [], []
    labels = standard_labels()
    lines, tests, before = [], [], {}
    for r in physique.results_of(participant, user):
        rating = str(RATING_LABELS.get(r.rating, "")) if r.rating else ""
        total = Decimal(r.total)
        previous = before.get(r.standard)
        change = ""
        if previous is not None:
            change = _("%(delta)s since %(day)s") % {
                "delta": _signed(total - previous[0]), "day": f"{timezone.localtime(previous[1]):%Y-%m-%d}"}
        before[r.standard] = (total, r.tested_at)
        standard = labels.get(r.standard, r.standard)
        lines.append(Line("test", r.tested_at, standard, r.session.station.name,
                          _("%(total)s points, %(rating)s") % {"total": total, "rating": rating or _("no rating")},
                          change, credited.get(f"test:{r.pk}"), reverse("physique:report", args=[r.pk])))
        tests.append({"at": r.tested_at, "standard": standard, "total": total, "rating": rating, "change": change,
                      "items": r.scores})
    for p in participant.prescriptions.select_related("result").order_by("created_at", "pk"):
        outcome = _("Cleared for exercise") if p.cleared else _("See a doctor before exercising")
        lines.append(Line("prescription", p.created_at, _("After the test of %(day)s") % {
            "day": f"{timezone.localtime(p.result.tested_at):%Y-%m-%d}"}, "", outcome,
            url=reverse("physique:prescription", args=[p.pk])))
    for g in physique.own_exercise_grades(participant):
        cert = getattr(g, "certificate", None)
        outcome = str(LEVEL_LABELS.get(g.level, ""))
        if g.annulled_at:
            outcome = _("%(level)s (annulled)") % {"level": outcome}
        elif cert is not None:
            outcome = _("%(level)s, certificate %(number)s") % {"level": outcome, "number": cert.number}
            if cert.revoked_at:
                outcome += _(" (revoked)")
        at = timezone.make_aware(datetime.datetime.combine(g.session.held_on, datetime.time(9)))
        lines.append(Line("standard", at, g.session.organiser or str(KINDS["standard"]), g.session.place, outcome,
                          points=credited.get(f"standard:{g.pk}"),
                          url=reverse("physique:certificate", args=[cert.number]) if cert and not cert.revoked_at
                          else ""))
    return lines, tests


def _referrals(user) -> list[Line]:
    conditions = dict(Condition.choices)
    out = []
    for r in sportmed.own_referrals(user)[:200]:
        title = str(conditions.get(r.condition, "")) or r.referrer
        out.append(Line("referral", r.completed_at or r.referred_at, title, r.site.name, r.get_status_display(),
                        url=reverse("physique:me") + "#referrals"))
    return out


def _minutes(slot) -> int:
    return max(int((slot.end - slot.start).total_seconds() // 60), 0)


def _visits(user, credited: dict[str, int]) -> list[Line]:
    """Bookings used: checked in at the venue. A physique test's booking shows as the test itself."""
    used = list(bookings.used_bookings(user))
    groups = {a.unit_id: a for a in Activity.objects.filter(unit_id__in={b.slot.unit_id for b in used})
              .select_related("organization")}
    out = []
    for b in used:
        unit, activity = b.slot.unit, groups.get(b.slot.unit_id)
        station = getattr(unit, "guidance_station", None)
        if activity is not None:
            kind, title, key = "group_activity", f"{activity.organization.name} · {activity.title}", f"group:{b.pk}"
        elif station is not None:
            kind, title, key = "guided", station.name, f"check_in:{b.pk}"
        else:
            kind, title, key = "visit", unit.name, f"check_in:{b.pk}"
        out.append(Line(kind, b.slot.start, title, unit.site.name, _("Checked in"), points=credited.get(key),
                        url=reverse("booking:booking", args=[b.pk]), minutes=_minutes(b.slot)))
    return out


def _result_text(result: Result) -> str:
    if result.status != Result.Status.OK:
        return result.get_status_display()
    parts = []
    if result.rank:
        parts.append(_("placed %(rank)s") % {"rank": result.rank})
    if result.medal in MEDALS:
        parts.append(str(MEDALS[result.medal]))
    if result.value is not None:
        parts.append(_("result %(value)s") % {"value": result.value.normalize()})
    return ", ".join(parts)


def _games(user, credited: dict[str, int]) -> list[Line]:
    out = []
    entries = (events.entries_of(user).filter(status__in=ENTERED).select_related("competition__games", "delegation")
               .prefetch_related("results").order_by("-competition__starts_at", "-pk"))
    for e in entries[:500]:
        finals = [r for r in e.results.all() if r.round == Result.Round.FINAL and r.review == Result.Review.ACCEPTED]
        outcome = "; ".join(t for t in (_result_text(r) for r in finals) if t) or e.get_status_display()
        earned = [credited.get(f"entry:{e.pk}")] + [credited.get(f"finish:{r.pk}") for r in finals]
        total = sum(p for p in earned if p) if any(earned) else None
        title = f"{e.competition.games.name} · {e.competition.name}" + (f" · {e.team_name}" if e.team_name else "")
        out.append(Line("entry", e.competition.starts_at, title,
                        e.delegation.name if e.delegation else "", outcome, points=total,
                        url=reverse("events:competition", args=[e.competition_id]),
                        medals=sum(r.medal in MEDALS and r.status == Result.Status.OK for r in finals)))
    for a in Award.objects.filter(user=user).select_related("games")[:500]:
        out.append(Line("award", a.issued_at, a.title, a.games.name, a.get_kind_display(),
                        url=reverse("events:award", args=[a.code])))
    return out


def _services(user, credited: dict[str, int]) -> list[Line]:
    """The person's confirmed services as a social sports instructor (people's duty logs)."""
    out = []
    for log in people.services_of(user)[:1000]:
        place = log.station.name if log.station_id else (log.site.name if log.site_id else "")
        outcome = _("%(hours)s hours, %(people)s people guided") % {"hours": log.hours.normalize(),
                                                                   "people": log.people_guided}
        if log.volunteer:
            outcome += _(" (volunteer service)")
        key = f"volunteer:{log.pk}" if log.volunteer else f"service:{log.pk}"
        out.append(Line("service", log.started_at, log.activity, place, outcome, points=credited.get(key),
                        url=reverse("people:me"), service_hours=log.hours))
    return out


def _groups(user) -> list[Line]:
    out = []
    joined = (GroupMembership.objects.filter(user=user, status__in=[GroupMembership.Status.ACTIVE,
                                                                    GroupMembership.Status.LEFT])
              .select_related("organization").order_by("requested_at", "pk"))
    for m in joined[:500]:
        url = reverse("organizations:group", args=[m.organization_id])
        out.append(Line("group", m.decided_at or m.requested_at, m.organization.name, "", _("Joined"), url=url))
        if m.left_at:
            out.append(Line("group", m.left_at, m.organization.name, "", _("Left"), url=url))
    return out


def _online(user) -> list[Line]:
    """Online courses the person marked done (their own word: the minutes are the course's length)."""
    out = []
    for d in online.my_completions(user)[:500]:
        course = d.course
        url = reverse("outreach:public_course", args=[course.pk]) if course.status == "published" else ""
        out.append(Line("online", d.created_at, course.title, course.provider, _("Marked done"), url=url,
                        minutes=course.minutes))
    return out


def _credited(user) -> dict[str, int]:
    """Points per fact (its source key), what was taken back deducted: only the facts points reward."""
    prefixes = tuple(s.prefix for s in SOURCES)
    net: dict[str, int] = defaultdict(int)
    for key, value in (points.history(user).filter(kind__in=[PointsEntry.Kind.CREDIT, PointsEntry.Kind.REVERSAL])
                       .values_list("source_key", "points")):
        key = key.removeprefix("undo:")
        if key.startswith(prefixes):
            net[key] += value
    return dict(net)


def _earned_by_year(user) -> dict[int, int]:
    earned: dict[int, int] = defaultdict(int)
    for day, value in points.history(user).filter(kind=PointsEntry.Kind.CREDIT).values_list("day", "points"):
        earned[day.year] += value
    return earned


# --- the record -------------------------------------------------------------------------------------

def build(user) -> Record:
    """The person's whole record, newest first, with a summary per year. Reads only."""
    credited = _credited(user)
    physique_lines, tests = _physique(user, credited)
    lines = [*physique_lines, *_referrals(user), *_visits(user, credited), *_games(user, credited), *_groups(user),
             *_services(user, credited), *_online(user)]
    lines.sort(key=lambda line: (line.at, line.kind), reverse=True)
    years: dict[int, Year] = {}
    for line in lines:
        year = years.setdefault(line.year, Year(line.year))
        year.counts[line.kind] = year.counts.get(line.kind, 0) + 1
        year.minutes += line.minutes
        if line.kind == "test" and year.latest_test is None:
            year.latest_test = line
        year.medals += line.medals
        year.service_hours += line.service_hours
    for y, earned in _earned_by_year(user).items():
        years.setdefault(y, Year(y)).points_earned = earned
    return Record(lines=lines, years=sorted(years.values(), key=lambda y: y.year, reverse=True),
                  consent=account_services.has_consent(user, Consent.Kind.HEALTH),
                  balance=points.account(user).balance, tests=tests)


def log_read(request, purpose: str) -> None:
    """The record holds health data: each read (the page, the API, the download) is logged."""
    audit.read_personal(request, request.user, READ_FIELDS, purpose)


# --- the download -----------------------------------------------------------------------------------

def sheets(record: Record) -> list[tuple[str, list[str], list[list]]]:
    """The record as workbook sheets (core.excel writes them, formulas neutralised, times local):
    the lines, the years, and each physique test item by item."""
    lines = [[line.local, line.year, line.kind_label, line.title, line.place, line.outcome, line.change,
              line.points, line.minutes or None] for line in record.lines]
    years = [[y.year, *[y.counts.get(k, 0) for k in KINDS], float(y.hours), float(y.service_hours), y.points_earned]
             for y in record.years]
    items = []
    for test in record.tests:
        for it in test["items"]:
            items.append([timezone.localtime(test["at"]), test["standard"], str(ITEM_LABELS.get(it.get("key"), it.get("label", ""))),
                          it.get("value"), it.get("score"), test["total"], test["rating"]])
    return [
        (_("Health record"), [_("Date"), _("Year"), _("Kind"), _("What"), _("Where"), _("Outcome"), _("Change"), _("Points"),
                       _("Minutes")], lines),
        (_("Years"), [_("Year"), *[str(label) for label in KINDS.values()], _("Hours exercised"),
                    _("Service hours as an instructor"), pgettext("health record", "Points earned")],
         years),
        (_("Test items"), [_("Date"), _("Standard"), _("Item"), _("Measured"), _("Score"), _("Total"), _("Rating")],
         items),
    ]
