"""Work-order deadlines and inspection-round windows at their edges: at the exact instant (or day), one
second (or day) before and one after. The deadlines expected are worked out here from the severity
table (services.DEADLINES: urgent 24 hours, high 3 working days, normal 7, low 15) on plain weekdays
and the plan's own days_to_complete, never asked of services.deadline()."""

import datetime

import pytest

from quanmin.accounts.models import Role
from quanmin.accounts.services import grant_membership
from quanmin.core.errors import ServiceError
from quanmin.maintenance import figures, inspections, selectors, services
from quanmin.maintenance.models import WorkOrder
from tests.conftest import make_user

SECOND = datetime.timedelta(seconds=1)
TZ = datetime.timezone(datetime.timedelta(hours=8))
# Tuesday 10 March 2026, 10:00: the next fifteen working days are plain weekdays (no holiday, no make-up day).
OPENED = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=TZ)


def weekdays_after(start: datetime.datetime, n: int) -> datetime.datetime:
    day = start
    while n:
        day += datetime.timedelta(days=1)
        n -= day.weekday() < 5
    return day


def expected_due(severity: str) -> datetime.datetime:
    unit, amount = services.DEADLINES[severity]
    return OPENED + datetime.timedelta(hours=amount) if unit == "hours" else weekdays_after(OPENED, amount)


def _order(equipment, unit, severity, piece=0):
    return services.create_work_order(actor=equipment.users["county"], description="踏板松动", severity=severity,
                                      equipment=equipment.pieces[piece], unit=unit, now=OPENED)


@pytest.mark.parametrize("severity", list(services.DEADLINES))
def test_the_deadline_follows_the_severity_table(equipment, unit, severity):
    order = _order(equipment, unit, severity)
    assert order.due_at == expected_due(severity)


def test_the_severity_table_reads_as_documented():
    # The expected deadlines above lean on this table: it is the setting, so it is pinned here.
    assert services.DEADLINES == {"urgent": ("hours", 24), "high": ("working_days", 3),
                                  "normal": ("working_days", 7), "low": ("working_days", 15)}


def overdue_ids(now) -> set[int]:
    return set(WorkOrder.objects.filter(selectors.overdue_q(now)).values_list("pk", flat=True))


@pytest.mark.parametrize("severity", ["urgent", "normal"])
def test_an_open_order_is_overdue_only_after_its_deadline(equipment, unit, severity):
    order = _order(equipment, unit, severity)
    due = expected_due(severity)
    for now, late in ((due - SECOND, False), (due, False), (due + SECOND, True)):
        assert services.is_overdue(order, now) is late, now
        assert services.is_late(order, now) is late, now
        assert (order.pk in overdue_ids(now)) is late, now
        assert selectors.counts_by_status(selectors.work_orders_for(equipment.users["county"]), now)["overdue"] == int(late)
        f = figures.division_figures(equipment.county, now=now).figures
        assert (f.orders_open, f.orders_overdue) == (1, int(late)), now


def test_done_at_the_exact_deadline_is_on_time(equipment, unit, unit_staff):
    due = expected_due("normal")
    results = {}
    for piece, done in ((0, due - SECOND), (1, due), (2, due + SECOND)):
        order = _order(equipment, unit, "normal", piece)
        services.start(order, actor=unit_staff, now=OPENED + SECOND)
        order = services.complete(order, actor=unit_staff, resolution="更换踏板", now=done)
        later = due + datetime.timedelta(days=2)
        assert not services.is_overdue(order, later) and order.pk not in overdue_ids(later)
        results[done] = services.is_late(order, later)
    assert results == {due - SECOND: False, due: False, due + SECOND: True}


# --- inspection rounds --------------------------------------------------------------------------------


@pytest.fixture
def inspector(equipment):
    user = make_user("13700000030", "巡检员", seq=30)
    grant_membership(user, Role.INSPECTOR, equipment.community, target=equipment.site)
    return user


def test_a_round_takes_checks_from_its_day_to_its_due_date(equipment, inspector):
    start = datetime.date(2026, 3, 10)
    days = 5
    plan = inspections.create_plan(actor=equipment.users["county"], today=start, data={
        "name": "定期", "kind": "periodic", "region": equipment.community.code, "inspector": inspector,
        "every_days": 30, "days_to_complete": days, "starts_on": start})
    round_ = plan.rounds.get(scheduled_for=start)
    due_on = start + datetime.timedelta(days=days - 1)
    assert round_.due_on == due_on

    def check(day, piece):
        now = datetime.datetime.combine(day, datetime.time(12), tzinfo=TZ)
        try:
            inspections.record_check(round_, equipment=equipment.pieces[piece], result="ok", actor=inspector, now=now)
        except ServiceError as exc:
            return exc.code
        return "ok"

    assert check(start - datetime.timedelta(days=1), 0) == "round_not_yet"
    assert check(start, 0) == "ok"
    assert check(due_on, 1) == "ok"
    assert check(due_on + datetime.timedelta(days=1), 2) == "round_missed"
    assert inspections.mark_missed(due_on) == 0
    assert inspections.mark_missed(due_on + datetime.timedelta(days=1)) == 1
