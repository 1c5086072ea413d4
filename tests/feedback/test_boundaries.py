"""The report deadlines at their edges: at the exact instant, one second before and one second after,
in every place that judges them (the report itself, the queue's overdue tab, escalation, the
maintenance figures). The deadlines expected are worked out here from the city's settings
(FeedbackSettings: respond within 1 working day, resolve within 5) on plain weekdays, never asked of
routing.deadlines()."""

import datetime

from quanmin.feedback import routing, selectors, services
from quanmin.feedback.models import Report
from quanmin.maintenance import figures

from .conftest import at

SECOND = datetime.timedelta(seconds=1)
# Tuesday 10 March 2026, 10:00: the next seven days hold no holiday and no make-up working day.
RECEIVED = at(2026, 3, 10, 10, 0)


def weekdays_after(start: datetime.datetime, n: int) -> datetime.datetime:
    day = start
    while n:
        day += datetime.timedelta(days=1)
        n -= day.weekday() < 5
    return day


def deadlines(feedback_world):
    s = feedback_world.feedback_settings
    return (weekdays_after(RECEIVED, s.response_working_days), weekdays_after(RECEIVED, s.resolution_working_days))


def overdue_ids(now) -> set[int]:
    return set(Report.objects.filter(selectors.overdue(now)).values_list("pk", flat=True))


def test_the_deadlines_follow_the_settings(feedback_world, make_report):
    report = make_report(now=RECEIVED)
    respond_by, resolve_by = deadlines(feedback_world)
    assert (report.respond_by, report.resolve_by) == (respond_by, resolve_by)
    assert respond_by == at(2026, 3, 11, 10, 0) and resolve_by == at(2026, 3, 17, 10, 0)


def test_unanswered_is_overdue_only_after_the_response_deadline(feedback_world, make_report):
    report = make_report(now=RECEIVED)
    respond_by, _ = deadlines(feedback_world)
    for now, late in ((respond_by - SECOND, False), (respond_by, False), (respond_by + SECOND, True)):
        assert routing.response_overdue(report, now) is late, now
        assert routing.is_overdue(report, now) is late, now
        assert (report.pk in overdue_ids(now)) is late, now
        assert routing.escalations_owed(report, now) == int(late), now
    assert routing.escalate_overdue(now=respond_by) == 0
    report.refresh_from_db()
    assert report.escalations == 0
    assert routing.escalate_overdue(now=respond_by + SECOND) == 1
    report.refresh_from_db()
    assert report.escalations == 1


def test_an_answer_at_the_exact_deadline_is_in_time(feedback_world, make_report):
    respond_by, _ = deadlines(feedback_world)
    staff = feedback_world.users["county"]
    on_time = services.respond(make_report(now=RECEIVED), actor=staff, text="已安排维修", now=respond_by)
    late = services.respond(make_report(now=RECEIVED, client_key="b"), actor=staff, text="已安排维修",
                            now=respond_by + SECOND)
    later = respond_by + datetime.timedelta(hours=1)
    assert routing.escalations_owed(on_time, later) == 0
    assert routing.escalations_owed(late, later) == 1
    assert not routing.response_overdue(on_time, later) and not routing.response_overdue(late, later)


def test_answered_but_unsolved_is_overdue_only_after_the_resolution_deadline(feedback_world, make_report):
    _, resolve_by = deadlines(feedback_world)
    report = services.respond(make_report(now=RECEIVED), actor=feedback_world.users["county"], text="已受理",
                              now=RECEIVED + SECOND)
    for now, late in ((resolve_by - SECOND, False), (resolve_by, False), (resolve_by + SECOND, True)):
        assert routing.resolution_overdue(report, now) is late, now
        assert routing.is_overdue(report, now) is late, now
        assert (report.pk in overdue_ids(now)) is late, now
        assert routing.escalations_owed(report, now) == int(late), now


def test_a_resolved_report_is_never_overdue(feedback_world, make_report):
    respond_by, resolve_by = deadlines(feedback_world)
    staff = feedback_world.users["county"]
    # One resolved in time, one resolved after both deadlines had passed (its history says so).
    in_time = services.resolve(make_report(now=RECEIVED), actor=staff, answer="已修好", now=respond_by - SECOND)
    late = services.resolve(make_report(now=RECEIVED, client_key="late"), actor=staff, answer="已修好",
                            now=resolve_by + SECOND)
    open_one = make_report(now=RECEIVED, client_key="open")
    now = resolve_by + datetime.timedelta(days=3)
    for report in (in_time, late):
        report.refresh_from_db()
        assert report.status == Report.Status.RESOLVED
        assert not routing.response_overdue(report, now) and not routing.resolution_overdue(report, now)
        assert not routing.is_overdue(report, now)
    assert overdue_ids(now) == {open_one.pk}
    queue = selectors.queue(feedback_world.users["county"], "overdue", now)
    assert set(queue.values_list("pk", flat=True)) == {open_one.pk}
    f = figures.division_figures(feedback_world.county, now=now).figures
    assert (f.reports_open, f.reports_overdue) == (1, 1)
    assert routing.escalate_overdue(now=now) == 1  # the open one only
    in_time.refresh_from_db()
    late.refresh_from_db()
    assert in_time.escalations == late.escalations == 0
