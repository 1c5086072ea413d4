"""Maintenance figures per division, on a small world built through the services, with every number
worked out by hand below.

"Now" is Wednesday 2026-05-20 12:00 in 聊城; the default period is 2026-03-01 to 2026-05-20.

  东昌府区 (county)
    古楼街道 / 东关社区: the equipment fixture's path with p0 air walker, p1 waist twister (2019),
        p2 horizontal bar (2015: past its 8-year design life)
      plan A, periodic every 7 days from 05-01, 2 days to finish: rounds 05-01 (walked: p0 defect),
        05-08 (not walked), 05-15 (only p1 checked: a defect), 05-22 (after the period)
    新区街道 / 新区一社区: q0 (2017: past its life), q1 (2024), q2 removed
      plan B, daily kind every 14 days from 03-02, same day: 03-02 ✓, 03-16 ✓, 03-30 ✗, 04-13 ✓,
        04-27 ✗, 05-11 ✓, 05-25 (after the period)
    区全民健身中心 at the county itself: d0 (2025)

  repair orders (opened → done; MTTR in hours; deadline by severity in working days)
    O0 q0 normal, 02-25 10:00 → 03-03 10:00 (144 h, on time), before the period: not a defect
    O7 p2 normal, 02-20 10:00, still open: overdue
    O3 q0 high, staff, 03-10 09:00 → 03-14 09:00 (96 h; due 03-13 09:00: late)
    O6 q0 *service*, low, 04-01, still open: overdue since late April (not a defect, not a repair)
    O4 q1 normal, from a report, 04-20 10:00 → 04-21 16:00 (30 h, on time)
    O5 q1 duplicate of O4, 04-20 11:00, cancelled: not counted
    O1 p0 normal, from round 05-01, 05-01 10:00 → 05-03 10:00 (48 h, on time)
    O2 p1 normal, from round 05-15, 05-15 09:00, open, due 05-26: not overdue yet
    O8 (茌平区) other p0, 04-15 10:00 → 04-16 10:00 (24 h)

  residents' reports (the city: respond within 1 working day, resolve within 5)
    R6 古楼 02-10, responded, never resolved: overdue, escalated (received before the period)
    R1 古楼 04-07, resolved 04-09, rated 5 on 04-10
    R2 新区 04-20, resolved 04-22, rated 3 on 04-23
    R3 古楼 05-06, not accepted, rated 2 on 05-08
    R4 新区 05-11, never answered: overdue, escalated
    R5 古楼 05-19, responded 05-19: open, not overdue
    R9 茌平区 05-05, resolved 05-06, rated 1 on 05-07
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quanmin.facilities import equipment_services
from quanmin.facilities import services as fs
from quanmin.facilities.models import Equipment
from quanmin.feedback import routing
from quanmin.feedback import services as feedback
from quanmin.feedback.models import FeedbackSettings, Report
from quanmin.maintenance import errors, figures, inspections, services, units
from quanmin.maintenance.models import InspectionRound, WorkOrder
from quanmin.regions.models import Region

TZ = datetime.timezone(datetime.timedelta(hours=8))
D = datetime.date


def at(m, d, hh=10, mm=0, y=2026) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, tzinfo=TZ)


NOW = at(5, 20, 12)
TODAY = D(2026, 5, 20)


@pytest.fixture(autouse=True)
def quiet(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.NOTIFY_BACKENDS = ["quanmin.accounts.notify.InAppBackend"]


def _done(order, done_at, actor, verify=True):
    """The unit reports the work done at `done_at` (never started: started then too), as when a paper
    job sheet is entered later."""
    order = services.complete(order, actor=actor, resolution="已修复", now=done_at)
    if verify:
        services.verify(order, actor=actor)
    return order


def _rated(report, rating, rated_at):
    """The resident's rating, given at `rated_at`."""
    feedback.rate(report, rating=rating, now=rated_at)


def _walk(plan, day, results, actor, hour=10):
    """Walk the plan's round of `day`: {piece: "ok" | note of a defect}."""
    round_ = plan.rounds.get(scheduled_for=day)
    for piece, result in results.items():
        inspections.record_check(
            round_,
            equipment=piece,
            actor=actor,
            now=at(day.month, day.day, hour),
            result="ok" if result == "ok" else "defect",
            note="" if result == "ok" else result,
        )
    return InspectionRound.objects.get(pk=round_.pk)


@pytest.fixture
def mworld(equipment):
    w = equipment
    staff = w.users["county"]
    w.township2 = Region.objects.create(
        code="371502002000", name="新区街道", level="township", parent=w.county, population=10000
    )
    w.c2 = Region.objects.create(
        code="371502002001", name="新区一社区", level="community", parent=w.township2, population=6000
    )
    site2 = fs.create_site({"name": "新区健身广场", "lon": 115.99, "lat": 36.46, "region": w.c2})
    path2 = fs.add_facility(site2, {"type": "fitness_path", "area_m2": "150"})
    w.q = [
        equipment_services.create_equipment(facility=path2, kind="air_walker", install_date=D(2017, 1, 1)),
        equipment_services.create_equipment(facility=path2, kind="waist_twister", install_date=D(2024, 3, 1)),
        equipment_services.create_equipment(facility=path2, kind="horizontal_bar", install_date=D(2010, 1, 1)),
    ]
    equipment_services.set_status(w.q[2], Equipment.Status.REMOVED, reason="拆除")
    centre = fs.create_site({"name": "区全民健身中心", "lon": 115.97, "lat": 36.45, "region": w.county})
    w.direct_piece = equipment_services.create_equipment(
        facility=fs.add_facility(centre, {"type": "fitness_path", "area_m2": "80"}),
        kind="air_walker",
        install_date=D(2025, 6, 1),
    )
    w.unit = units.create_unit(actor=staff, region=w.county, name="东昌府区器材维修队")
    p0, p1, p2 = w.pieces
    q0, q1 = w.q[:2]

    def order(piece, opened, **kw):
        return services.create_work_order(
            actor=staff, description="维修", equipment=piece, unit=w.unit, now=opened, **kw
        )

    # Orders opened before the period.
    w.o0 = _done(order(q0, at(2, 25)), at(3, 3), staff)
    w.o7 = order(p2, at(2, 20))
    # Plan B in 新区一社区: rounds every 14 days from 03-02, finished the same day.
    plan_b = inspections.create_plan(
        actor=staff,
        today=D(2026, 3, 2),
        data={
            "name": "新区巡检",
            "kind": "daily",
            "region": w.c2.code,
            "inspector": staff,
            "every_days": 14,
            "days_to_complete": 1,
            "starts_on": D(2026, 3, 2),
        },
    )
    inspections.generate_rounds(plan_b, today=TODAY, since=D(2026, 3, 2))
    for day in (D(2026, 3, 2), D(2026, 3, 16), D(2026, 4, 13), D(2026, 5, 11)):
        _walk(plan_b, day, {q0: "ok", q1: "ok"}, staff)
    w.o3 = _done(order(q0, at(3, 10, 9), severity="high"), at(3, 14, 9), staff)
    w.o6 = order(q0, at(4, 1), kind="service", severity="low")
    w.o4 = order(q1, at(4, 20), source="report")
    w.o5 = order(q1, at(4, 20, 11))
    services.cancel(w.o5, actor=staff, reason="重复")
    _done(w.o4, at(4, 21, 16), staff)
    # Plan A in 东关社区: every 7 days from 05-01, two days to finish.
    plan_a = inspections.create_plan(
        actor=staff,
        today=D(2026, 5, 1),
        data={
            "name": "东关巡检",
            "kind": "periodic",
            "region": w.community.code,
            "inspector": staff,
            "every_days": 7,
            "days_to_complete": 2,
            "starts_on": D(2026, 5, 1),
        },
    )
    inspections.generate_rounds(plan_a, today=TODAY, since=D(2026, 5, 1))
    done = _walk(plan_a, D(2026, 5, 1), {p0: "踏板松动", p1: "ok", p2: "ok"}, staff)
    assert done.status == InspectionRound.Status.DONE
    w.o1 = WorkOrder.objects.get(equipment=p0, source=WorkOrder.Source.INSPECTION)
    _done(w.o1, at(5, 3), staff)
    _walk(plan_a, D(2026, 5, 15), {p1: "腰盘卡滞"}, staff, hour=9)
    w.o2 = WorkOrder.objects.get(equipment=p1, source=WorkOrder.Source.INSPECTION)
    # 茌平区
    o8 = services.create_work_order(
        actor=w.users["other_county"], description="维修", equipment=w.other_pieces[0], now=at(4, 15)
    )
    services.assign(
        o8,
        units.create_unit(actor=w.users["other_county"], region=w.other_county, name="茌平维修"),
        actor=w.users["other_county"],
    )
    _done(o8, at(4, 16), w.users["other_county"])

    # Residents' reports.
    FeedbackSettings.objects.create(
        region=w.city, hotline="0635-12345", response_working_days=1, resolution_working_days=5
    )

    def report(piece, received):
        return feedback.submit_report(
            category="equipment", description="器材损坏", phone="13912345678", equipment=piece, now=received
        )

    r6 = report(p0, at(2, 10))
    feedback.respond(r6, actor=staff, text="已派人查看", now=at(2, 10, 11))
    r1 = report(p1, at(4, 7))
    feedback.respond(r1, actor=staff, text="收到", now=at(4, 7, 11))
    feedback.resolve(r1, actor=staff, answer="已修好", now=at(4, 9))
    _rated(r1, 5, at(4, 10))
    r2 = report(q1, at(4, 20))
    feedback.resolve(r2, actor=staff, answer="已修好", now=at(4, 22))
    _rated(r2, 3, at(4, 23))
    r3 = report(p1, at(5, 6))
    feedback.reject(r3, actor=staff, reason="器材完好")
    _rated(r3, 2, at(5, 8))
    report(q0, at(5, 11))  # R4
    r5 = report(p0, at(5, 19))
    feedback.respond(r5, actor=staff, text="收到", now=at(5, 19, 15))
    r9 = report(w.other_pieces[0], at(5, 5))
    feedback.resolve(r9, actor=w.users["other_county"], answer="已修好", now=at(5, 6))
    _rated(r9, 1, at(5, 7))
    routing.escalate_overdue(now=NOW)
    return w


def by_code(div):
    return {c.code: c for c in div.children}


def test_the_world_is_as_described(mworld):
    """The services did what the notes above say (so the figures below are checked against facts)."""
    w = mworld
    assert [o.status for o in WorkOrder.objects.filter(pk__in=[w.o0.pk, w.o3.pk, w.o4.pk, w.o1.pk])] == ["verified"] * 4
    assert w.o3.due_at == at(3, 13, 9) and w.o3.done_at > w.o3.due_at
    assert w.o2.due_at == at(5, 26, 9) and w.o2.status == "assigned"
    assert services.is_overdue(w.o7, NOW) and services.is_overdue(w.o6, NOW)
    assert {r.scheduled_for: r.status for r in InspectionRound.objects.filter(plan__name="东关巡检")} == {
        D(2026, 5, 1): "done",
        D(2026, 5, 8): "scheduled",
        D(2026, 5, 15): "in_progress",
        D(2026, 5, 22): "scheduled",
    }
    statuses = {p.pk: p.status for p in Equipment.objects.all()}
    assert [statuses[p.pk] for p in w.pieces] == ["in_service", "defective", "defective"]
    assert [statuses[p.pk] for p in w.q] == ["in_service", "in_service", "removed"]
    assert Report.objects.filter(escalations__gt=0).count() == 2  # R4 and R6


def test_county_figures_equal_hand_computed_numbers(mworld):
    f = figures.division_figures(mworld.county, now=NOW).figures
    assert (f.pieces, f.in_service, f.defective, f.out_of_service, f.replacement_due) == (6, 4, 2, 0, 2)
    assert (f.rounds_due, f.rounds_done, f.rounds_missed, f.completion) == (9, 5, 4, 55.6)
    assert (f.defects, f.defects_inspection, f.defects_report, f.defects_per_100) == (4, 2, 1, 66.7)
    assert (f.repairs_done, f.repairs_on_time, f.on_time) == (4, 3, 75.0)
    assert f.repair_hours == pytest.approx(144 + 96 + 30 + 48)
    assert f.mttr_hours == 79.5
    assert (f.orders_open, f.orders_overdue) == (3, 2)
    assert (f.reports, f.reports_escalated, f.reports_open, f.reports_overdue) == (5, 1, 3, 2)
    assert (f.ratings, f.rating_sum, f.satisfied, f.satisfaction, f.satisfied_share) == (3, 10, 1, 3.33, 33.3)


def test_each_child_and_the_county_itself(mworld):
    div = figures.division_figures(mworld.county, now=NOW)
    assert [c.name for c in div.children] == ["古楼街道", "新区街道"]
    gulou, xinqu = div.children
    assert (gulou.pieces, gulou.defective, gulou.replacement_due) == (3, 2, 1)
    assert (gulou.rounds_due, gulou.rounds_done, gulou.completion) == (3, 1, 33.3)
    assert (gulou.defects, gulou.defects_per_100, gulou.defects_inspection) == (2, 66.7, 2)
    assert (gulou.repairs_done, gulou.mttr_hours, gulou.on_time) == (1, 48.0, 100.0)
    assert (gulou.orders_open, gulou.orders_overdue) == (2, 1)
    assert (gulou.reports, gulou.reports_open, gulou.reports_overdue, gulou.reports_escalated) == (3, 2, 1, 0)
    assert (gulou.ratings, gulou.satisfaction, gulou.satisfied_share) == (2, 3.5, 50.0)

    assert (xinqu.pieces, xinqu.defective, xinqu.replacement_due) == (2, 0, 1)  # the removed piece left out
    assert (xinqu.rounds_due, xinqu.rounds_done, xinqu.completion) == (6, 4, 66.7)
    assert (xinqu.defects, xinqu.defects_per_100, xinqu.defects_report) == (2, 100.0, 1)
    assert (xinqu.repairs_done, xinqu.repairs_on_time, xinqu.mttr_hours, xinqu.on_time) == (3, 2, 90.0, 66.7)
    assert (xinqu.orders_open, xinqu.orders_overdue) == (1, 1)
    assert (xinqu.reports, xinqu.reports_open, xinqu.reports_overdue, xinqu.reports_escalated) == (2, 1, 1, 1)
    assert (xinqu.ratings, xinqu.satisfaction, xinqu.satisfied_share) == (1, 3.0, 0.0)

    # The piece at the county's own centre belongs to no township.
    assert div.direct is not None and (div.direct.pieces, div.direct.in_service, div.direct.defects) == (1, 1, 0)


def test_month_by_month(mworld):
    div = figures.division_figures(mworld.county, now=NOW)
    months = {m.month: m for m in div.months}
    assert list(months) == [D(2026, 3, 1), D(2026, 4, 1), D(2026, 5, 1)]
    march, april, may = months.values()
    assert (march.rounds_due, march.rounds_done, march.completion) == (3, 2, 66.7)
    assert (march.defects, march.repairs_done, march.mttr_hours) == (1, 2, 120.0)  # O0 144 h and O3 96 h
    assert (march.reports, march.ratings, march.satisfaction) == (0, 0, None)
    assert (april.rounds_due, april.rounds_done, april.completion) == (2, 1, 50.0)
    assert (april.defects, april.repairs_done, april.mttr_hours) == (1, 1, 30.0)
    assert (april.reports, april.ratings, april.satisfaction) == (2, 2, 4.0)
    assert (may.rounds_due, may.rounds_done, may.completion) == (4, 2, 50.0)
    assert (may.defects, may.repairs_done, may.mttr_hours) == (2, 1, 48.0)
    assert (may.reports, may.ratings, may.satisfaction) == (3, 1, 2.0)
    assert may.as_dict()["month"] == "2026-05"
    # The months add up to the period's figures.
    f = div.figures
    assert sum(m.rounds_due for m in div.months) == f.rounds_due
    assert sum(m.defects for m in div.months) == f.defects
    assert sum(m.ratings for m in div.months) == f.ratings


def test_roll_up_is_consistent(mworld):
    city = figures.division_figures(mworld.city, now=NOW)
    county = figures.division_figures(mworld.county, now=NOW)
    parts = [*county.children, county.direct]
    for name in figures.Figures.COUNTERS:
        assert getattr(county.figures, name) == pytest.approx(sum(getattr(p, name) for p in parts)), name
    # The city's row for the county holds the county's own figures.
    row = by_code(city)[mworld.county.code]
    assert row.as_dict() | {"name": "", "level": ""} == county.figures.as_dict() | {"name": "", "level": ""}
    other = by_code(city)[mworld.other_county.code]
    assert (other.pieces, other.replacement_due, other.repairs_done, other.mttr_hours) == (3, 1, 1, 24.0)
    assert (other.ratings, other.satisfaction, other.reports) == (1, 1.0, 1)
    assert (city.figures.ratings, city.figures.rating_sum, city.figures.mttr_hours) == (4, 11, 68.4)
    assert city.direct is None
    # A community has no children: its totals are all there is.
    community = figures.division_figures(mworld.community, now=NOW)
    assert community.children == [] and community.direct is None
    assert (community.figures.pieces, community.figures.rounds_due) == (3, 3)


def test_a_round_not_yet_due_is_not_counted(mworld):
    """On 05-15 at noon, that day's round (due 05-16) is under way: neither done nor missed yet; the
    05-08 round, due 05-09 and never walked, is missed although the tick never marked it."""
    f = by_code(figures.division_figures(mworld.county, now=at(5, 15, 12)))[mworld.township.code]
    assert (f.rounds_due, f.rounds_done, f.rounds_missed) == (2, 1, 1)
    # At that moment O2 (opened 09:00 that day) is a defect and open, R5 is not yet received.
    assert (f.defects, f.orders_open, f.reports) == (2, 2, 2)


def test_the_period_bounds_are_local_days(mworld):
    """Only April: the period starts and ends at local midnight (O4 opened 04-20 10:00 +08:00)."""
    april = figures.parse_period("2026-04-01", "2026-04-30", today=TODAY)
    f = figures.division_figures(mworld.county, april, now=NOW).figures
    assert (f.rounds_due, f.rounds_done, f.defects, f.repairs_done, f.reports, f.ratings) == (2, 1, 1, 1, 2, 2)
    # What stands now does not depend on the period.
    assert (f.pieces, f.orders_overdue, f.reports_overdue, f.replacement_due) == (6, 2, 2, 2)
    one_day = figures.parse_period("2026-04-20", "2026-04-20", today=TODAY)
    assert figures.division_figures(mworld.county, one_day, now=NOW).figures.defects == 1


def test_empty_division_gives_no_ratio(world):
    f = figures.division_figures(world.township, now=NOW).figures
    assert f.empty and f.completion is None and f.defects_per_100 is None and f.mttr_hours is None
    assert f.satisfaction is None and f.on_time is None


def test_pieces_due_for_replacement_are_listed_in_scope(mworld):
    w = mworld
    pieces = list(figures.due_for_replacement(w.users["county"], w.county, TODAY))
    assert [p.pk for p in pieces] == [w.pieces[2].pk, w.q[0].pk]  # oldest first; the removed one left out
    assert list(figures.due_for_replacement(w.users["township"], w.county, TODAY)) == [w.pieces[2]]
    assert list(figures.due_for_replacement(w.users["other_county"], w.county, TODAY)) == []


def test_a_few_queries_whatever_the_size(mworld):
    def count(region):
        with CaptureQueriesContext(connection) as captured:
            figures.division_figures(region, now=NOW)
        return sum(1 for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT"))

    # Names of the children, the design lives in use, one per table, and five for the months.
    assert count(mworld.city) == count(mworld.county) == count(mworld.community) == 12


@pytest.mark.parametrize(
    "start,end,code,field",
    [
        ("yesterday", "", "date_invalid", "start"),
        ("2026-05-01", "2026-13-01", "date_invalid", "end"),
        ("2026-05-10", "2026-05-01", "period_invalid", "end"),
        ("2020-01-01", "2026-05-01", "period_too_long", "start"),
        ("1900-01-01", "1900-02-01", "date_invalid", "start"),
        ("", "9999-12-31", "date_invalid", "end"),
        ("2026-05-01\x00", "", "date_invalid", "start"),
    ],
)
def test_bad_periods_are_refused_clearly(start, end, code, field):
    with pytest.raises(errors.FiguresError) as err:
        figures.parse_period(start, end, today=TODAY)
    assert (err.value.code, err.value.field) == (code, field) and str(err.value.message)


def test_periods_with_an_end_left_out():
    assert figures.parse_period(today=TODAY) == figures.Period(D(2026, 3, 1), TODAY)
    assert figures.parse_period("", "", today=TODAY) == figures.Period(D(2026, 3, 1), TODAY)
    assert figures.parse_period("2026-05-01", None, today=TODAY) == figures.Period(D(2026, 5, 1), TODAY)
    assert figures.parse_period("2026-06-01", None, today=TODAY) == figures.Period(D(2026, 6, 1), D(2026, 6, 1))
    # Only the end: the three months up to it.
    assert figures.parse_period(None, "2025-12-15", today=TODAY) == figures.Period(D(2025, 10, 1), D(2025, 12, 15))
    assert figures.Period(D(2025, 11, 20), D(2026, 1, 5)).months() == [D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1)]
