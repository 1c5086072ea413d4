"""The demo step "equipment and reports" (quanmin/demo/maintenance.py) on a small demo city: two
districts × 4 townships × 8 communities with the accounts and facilities demos, as load_demo runs them.

What is checked: the register, units, plans, rounds, orders and reports are there in believable
numbers and in every state; they agree with each other (a piece's status with its orders, a round's
status with its checks, timelines in order); the figures of the city are filled; the demo accounts
work; the same seed gives the same city, and a second load does nothing.
"""

import datetime
import random
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quanmin.accounts.crypto import lookup_hash
from quanmin.accounts.models import Role, User
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import facilities as facilities_demo
from quanmin.demo import maintenance as demo
from quanmin.demo import upkeep
from quanmin.demo.management.commands import load_demo
from quanmin.facilities import equipment_services
from quanmin.facilities.models import Equipment, Facility, Site
from quanmin.feedback import routing
from quanmin.feedback.models import FeedbackSettings, Report, ReportEvent
from quanmin.maintenance import figures, inspections, permissions, services
from quanmin.maintenance.models import Check, InspectionPlan, InspectionRound, MaintenanceUnit, WorkOrder
from quanmin.regions.models import Region
from tests.conftest import small_city

R = InspectionRound.Status
S = WorkOrder.Status
SEED = 3715


@pytest.fixture
def demo_city(db):
    root = small_city(streets=2, villages=True)
    rng = random.Random(SEED)
    accounts_demo.load(root, rng)
    facilities_demo.load(root, rng)
    return root


def user(phone: str) -> User:
    return User.objects.get(phone_hash=lookup_hash(phone))


def signature() -> dict:
    """What the demo made, by content (not by database ids or the random numbers of orders and reports)."""
    return {
        "pieces": list(Equipment.objects.order_by("facility_id", "kind", "install_date", "external_id")
                       .values_list("facility_id", "external_id", "kind", "install_date", "status", "maker")),
        "plans": list(InspectionPlan.objects.order_by("name").values_list("name", "kind", "starts_on")),
        "rounds": list(InspectionRound.objects.order_by("plan__name", "scheduled_for")
                       .values_list("plan__name", "scheduled_for", "status", "pieces")),
        "checks": list(Check.objects.order_by("checked_at", "equipment__tag")
                       .values_list("equipment__tag", "result", "checked_at")),
        # An order from a report names the report's number, which is random.
        "orders": sorted(((*row[:-1], re.sub(r"^\[FB\w+\] ", "", row[-1])) for row in WorkOrder.objects.values_list(
            "status", "kind", "source", "severity", "created_at", "done_at", "verified_at", "description")), key=str),
        "reports": list(Report.objects.order_by("created_at", "description")
                        .values_list("status", "category", "created_at", "rating", "escalations")),
    }


def test_demo_fills_the_register_inspections_orders_and_reports_in_every_state(demo_city):
    city = demo_city
    out = demo.load(city, random.Random(SEED))
    now = timezone.now()
    assert out["pieces"] == Equipment.objects.count() > 300
    assert out["plans"] == InspectionPlan.objects.count() >= 10 and out["checks"] == Check.objects.count() > 1000

    # The register: a few machines on every fitness path of an open site, every piece placed and tagged.
    paths = Facility.objects.filter(type="fitness_path", site__status=Site.Status.OPEN)
    per_path = dict(paths.annotate(n=Count("equipment")).values_list("pk", "n"))
    assert per_path and min(per_path.values()) >= 3 and max(per_path.values()) <= 16
    pieces = Equipment.objects.all()
    assert pieces.values("tag").distinct().count() == pieces.count()
    assert not pieces.filter(~Q(region_id=F("facility__region_id")) | ~Q(site_id=F("facility__site_id"))).exists()
    assert not pieces.filter(install_date__gt=timezone.localdate()).exists()
    statuses = set(pieces.values_list("status", flat=True))
    assert {"in_service", "defective", "removed"} <= statuses
    assert pieces.filter(smart=True).exists() and pieces.filter(kind="table_tennis").exists()
    # About a quarter past their design life (GB 19272: 8 years), not all of them.
    assert 0.1 < past_life_share() < 0.5

    # Report settings for the city and every county; maintenance units for each county, one ended.
    counties = list(Region.objects.filter(parent=city))
    assert FeedbackSettings.objects.filter(region__in=[city, *counties]).count() == len(counties) + 1
    for county in counties:
        hotline = routing.hotline_for(Region.objects.filter(parent__parent=county).first().code)
        assert hotline.startswith("0635-") and hotline == FeedbackSettings.objects.get(region=county).hotline
        assert MaintenanceUnit.objects.filter(region=county, active=True).count() == 1
    assert MaintenanceUnit.objects.filter(active=False).count() == 1
    assert MaintenanceUnit.objects.filter(region=city, active=True).exists()

    # Rounds: every state; a done round checked every piece it had; missed ones are past their date.
    rounds = InspectionRound.objects.all()
    assert {R.DONE, R.MISSED, R.IN_PROGRESS, R.SCHEDULED} <= set(rounds.values_list("status", flat=True))
    assert set(rounds.values_list("kind", flat=True)) == {"daily", "periodic", "special"}
    for r in rounds.filter(status=R.DONE).annotate(n=Count("checks")).order_by("?")[:40]:
        assert r.n == r.pieces > 0 and r.started_at <= r.finished_at
        first, last = r.checks.order_by("checked_at").first(), r.checks.order_by("checked_at").last()
        assert first.checked_at == r.started_at and last.checked_at == r.finished_at
        assert r.scheduled_for <= timezone.localdate(first.checked_at) <= timezone.localdate(last.checked_at) <= r.due_on
    assert not rounds.filter(status=R.MISSED, due_on__gte=timezone.localdate()).exists()
    assert not rounds.filter(status__in=[R.SCHEDULED, R.IN_PROGRESS], due_on__lt=timezone.localdate()).exists()
    assert not Check.objects.filter(checked_at__gt=now).exists()
    assert Check.objects.filter(result="ok").count() > 10 * Check.objects.filter(result="defect").count() > 0

    # Work orders: every state, source and kind; inspection defects carry their check.
    orders = WorkOrder.objects.all()
    assert set(orders.values_list("status", flat=True)) == set(S.values)
    assert set(orders.values_list("source", flat=True)) == set(WorkOrder.Source.values)
    assert set(orders.values_list("kind", flat=True)) == set(WorkOrder.Kind.values)
    inspection = orders.filter(source="inspection")
    assert inspection.exists() and not inspection.filter(inspection_check__isnull=True).exists()
    assert not inspection.exclude(inspection_check__result="defect").exists()
    assert orders.filter(status__in=services.OPEN_STATUSES, due_at__lt=now).exists()  # some overdue
    assert orders.filter(status=S.VERIFIED).count() > orders.count() / 2
    # Timelines in order, in the past, and the history agrees with the state.
    for o in orders:
        steps = [o.created_at, o.assigned_at, o.started_at, o.done_at, o.verified_at]
        known = [t for t in steps if t is not None]
        assert known == sorted(known) and known[-1] <= now, o.number
        assert (o.verified_at is not None) == (o.status == S.VERIFIED)
        assert (o.done_at is not None) == (o.status in (S.DONE, S.VERIFIED))
        events = list(o.events.order_by("id").values_list("status", "at"))
        assert events[-1][0] == o.status and [at for _s, at in events] == sorted(at for _s, at in events)
        assert events[0][1] == o.created_at
    # A piece's status follows its orders: broken while an order holds it, back in service once verified.
    holding = set(orders.filter(status__in=services.HOLDING_STATUSES).exclude(kind="replace")
                  .exclude(kind="upgrade").exclude(kind="service").values_list("equipment_id", flat=True))
    broken = set(pieces.filter(status__in=["defective", "out_of_service"]).values_list("pk", flat=True))
    assert broken and broken == holding - {None}
    assert set(pieces.filter(status="out_of_service").values_list("pk", flat=True)) <= set(
        orders.filter(status__in=services.HOLDING_STATUSES, severity="urgent").values_list("equipment_id", flat=True))
    replaced = orders.filter(kind="replace", status=S.VERIFIED).select_related("equipment")
    assert replaced.exists()
    for o in replaced:  # the old piece removed, its successor of the same type in its place
        assert o.equipment.status == "removed"
        successor = Equipment.objects.get(facility_id=o.equipment.facility_id, note__contains=o.equipment.tag)
        assert successor.kind == o.equipment.kind and successor.status == "in_service"
        assert successor.install_date == timezone.localdate(o.verified_at)

    # Reports: every state, answered, rated, escalated and overdue ones; deadlines from the settings.
    reports = Report.objects.all()
    assert set(reports.values_list("status", flat=True)) == set(Report.Status.values)
    assert len({r.region_id[:6] for r in reports}) == len(counties)
    rated = reports.filter(rating__isnull=False)
    assert rated.count() > 5 and set(rated.values_list("status", flat=True)) <= {"closed", "rejected"}
    assert not reports.filter(status="closed", rating__isnull=True).exists()
    assert any(routing.is_overdue(r, now) for r in reports)
    assert reports.filter(escalations__gt=0).exists()
    assert reports.filter(work_order__isnull=False, category="equipment").exists()
    # Safety hazards: reported as such, their work orders urgent.
    assert set(reports.filter(category="hazard", work_order__isnull=False)
               .values_list("work_order__severity", flat=True)) == {"urgent"}
    for r in reports:
        assert (r.respond_by, r.resolve_by) == routing.deadlines(r.region_id, r.created_at, r.category)
        assert r.created_at <= (r.responded_at or now) <= now
        if r.resolved_at:
            assert r.responded_at <= r.resolved_at <= (r.rated_at or now)
        kinds = list(r.events.order_by("at", "id").values_list("kind", flat=True))
        assert kinds[0] == ReportEvent.Kind.RECEIVED
        assert r.events.filter(at__gt=now).count() == 0
        if r.status == "closed":
            assert kinds[-1] == ReportEvent.Kind.RATED
    # A report sent for repair and verified is resolved when its order was verified.
    for r in reports.filter(work_order__status=S.VERIFIED):
        assert r.resolved_at == r.work_order.verified_at
    assert reports.filter(reporter=user(accounts_demo.DEMO_PHONES[-1])).count() == 2
    assert not reports.filter(reporter__isnull=True, phone_masked="").exists()

    # The city's figures are filled, for the city and the districts under it.
    f = figures.division_figures(city)
    assert not f.figures.empty
    d = f.figures
    assert d.pieces == pieces.exclude(status="removed").count() and d.replacement_due > 0
    assert d.rounds_due > 0 and 50 < d.completion <= 100 and d.defects > 0 and d.repairs_done > 0
    assert d.mttr_hours > 0 and d.on_time > 50 and d.orders_overdue > 0 and d.reports > 0 and d.ratings > 0
    assert 1 <= d.satisfaction <= 5
    assert all(child.pieces > 0 and child.reports > 0 for child in f.children) and f.children[0].rounds_due > 0
    assert sum(m.rounds_due for m in f.months) == d.rounds_due and sum(m.reports for m in f.months) == d.reports


def past_life_share() -> float:

    pieces = Equipment.objects.exclude(status="removed")
    return pieces.filter(equipment_services.past_design_life_q()).count() / pieces.count()


def test_demo_accounts_are_listed_and_can_work(demo_city):
    demo.load(demo_city, random.Random(SEED))
    listed = dict(demo.describe())
    assert set(listed) == {phone for phone, _name, _what in demo.STAFF}
    inspectors = [user(p) for p, _n, what in demo.STAFF if what == "inspector"]
    unit_staff = [user(p) for p, _n, what in demo.STAFF if what == "unit"]
    for person in inspectors + unit_staff:
        assert person.is_active and person.check_password(accounts_demo.DEMO_PASSWORD)
    assert all(person.memberships.filter(role=Role.INSPECTOR).exists() for person in inspectors)
    assert all(permissions.is_unit_staff(person) for person in unit_staff)

    # The first inspector signs in and finds today's daily round, not yet walked, to walk.
    client = Client()
    response = client.post(reverse("accounts:login"),
                           {"phone": demo.STAFF[0][0], "password": accounts_demo.DEMO_PASSWORD})
    assert response.status_code == 302
    today_round = inspections.my_rounds(inspectors[0]).filter(scheduled_for=timezone.localdate()).first()
    assert today_round is not None and today_round.status == R.SCHEDULED
    page = client.get(reverse("maintenance:my_rounds"))
    assert page.status_code == 200 and today_round.plan.name in page.content.decode()
    assert client.get(reverse("maintenance:inspection_walk", args=[today_round.pk])).status_code == 200
    # Every inspector has walked rounds; the first has more to come (the special one in three days).
    assert all(InspectionRound.objects.filter(inspector=person, status=R.DONE).exists() for person in inspectors)
    assert InspectionRound.objects.filter(inspector=inspectors[0], scheduled_for__gt=timezone.localdate()).exists()

    # The unit's staff member sees the unit's open orders, and only the unit's.
    worker = unit_staff[0]
    unit_ids = permissions.unit_ids(worker)
    open_orders = WorkOrder.objects.filter(unit_id__in=unit_ids, status__in=[S.ASSIGNED, S.IN_PROGRESS])
    assert open_orders.exists()
    client = Client()
    client.force_login(worker)
    html = client.get(reverse("maintenance:my_orders")).content.decode()
    assert all(o.number in html for o in open_orders.order_by("due_at")[:5])
    other = WorkOrder.objects.exclude(unit_id__in=unit_ids).exclude(unit__isnull=True).first()
    if other is not None:
        assert client.get(reverse("maintenance:work_order", args=[other.pk])).status_code == 404

    # The county's staff see the figures page of the city's district.
    client = Client()
    client.force_login(user("13800000002"))
    county = Region.objects.filter(parent=demo_city).order_by("code").first()
    assert client.get(reverse("maintenance:figures_region", args=[county.code])).status_code == 200


def test_the_same_seed_gives_the_same_demo_and_a_second_load_does_nothing(demo_city):
    with transaction.atomic():
        demo.load(demo_city, random.Random(SEED))
        first = signature()
        transaction.set_rollback(True)
    assert not Equipment.objects.exists() and not Report.objects.exists()
    out = demo.load(demo_city, random.Random(SEED))
    assert signature() == first
    counts = (Equipment.objects.count(), WorkOrder.objects.count(), Report.objects.count(), Check.objects.count())
    assert demo.load(demo_city, random.Random(SEED)) == {"pieces": 0}
    assert counts == (Equipment.objects.count(), WorkOrder.objects.count(), Report.objects.count(),
                      Check.objects.count())
    assert out["pieces"] == counts[0]


def test_demo_step_is_wired_into_load_demo_after_physique():
    labels = [label for label, _step in load_demo._steps()]
    # After physique (its demo residents and stations); the sport–medicine step sits between them.
    assert labels.index("equipment and reports") > labels.index("physique monitoring")
    assert dict(load_demo._steps())["equipment and reports"] is demo.load


def test_demo_history_is_recent_and_spread(demo_city):
    """Six months of history, spread over the months, nothing ahead of today except coming rounds."""
    demo.load(demo_city, random.Random(SEED))
    today = timezone.localdate()
    start = today - datetime.timedelta(days=upkeep.HISTORY_DAYS)
    created = [timezone.localdate(t) for t in WorkOrder.objects.values_list("created_at", flat=True)]
    assert min(created) >= start - datetime.timedelta(days=1) and max(created) <= today
    months = {(d.year, d.month) for d in created}
    assert len(months) >= 5
    received = [timezone.localdate(t) for t in Report.objects.values_list("created_at", flat=True)]
    assert min(received) >= start and len({(d.year, d.month) for d in received}) >= 5
    ahead = InspectionRound.objects.filter(scheduled_for__gt=today)
    assert ahead.exists() and not ahead.exclude(status=R.SCHEDULED).exists()
    assert not ahead.filter(scheduled_for__gt=today + datetime.timedelta(days=inspections.AHEAD_DAYS)).exists()


def test_other_units_staff_take_phones_no_named_demo_account_has():
    """The other counties' unit staff are made with numbers from a block of their own: 40 + n clashed
    with the venue operator, the departments' staff and the third-party evaluator, who then signed in
    as a unit's worker under another name."""
    named = set()
    for path in (Path(demo.__file__).parent).glob("*.py"):
        named |= set(re.findall(r'"(1[3-9]\d{9})"', path.read_text()))
    block = {demo.UNIT_STAFF_PHONE.format(n) for n in range(1, 100)}
    assert named and not named & block
