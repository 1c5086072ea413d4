"""Inspections through the service layer: plans and their checks, rounds made by schedule (idempotent),
missed rounds, walking a round (OK, defect → work order, piece defective), photos refused clearly
with nothing changed, checklists per type, the tick command.

The fixtures here (inspector, unit, plan, round_today, ...) are shared with the other
test_inspections_* files and the browser test.
"""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from quanmin.accounts.models import AuditEntry, Role
from quanmin.core import photos
from quanmin.core.errors import ServiceError
from quanmin.facilities.models import Equipment
from quanmin.maintenance import checklists, inspections, units
from quanmin.maintenance.models import Check, InspectionPlan, InspectionRound, WorkOrder
from tests.conftest import make_user

R = InspectionRound.Status
TODAY = datetime.date(2026, 3, 2)  # a Monday


def png(size=(40, 30), fmt="PNG") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


def upload(data: bytes, name="photo.png", content_type="image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.NOTIFY_BACKENDS = ["quanmin.accounts.notify.InAppBackend"]


@pytest.fixture
def inspector(equipment):
    """An equipment inspector bound to the community's site (东关社区文体广场)."""
    user = make_user("13700000020", "巡检员", seq=20)
    from quanmin.accounts.services import grant_membership

    grant_membership(user, Role.INSPECTOR, equipment.community, target=equipment.site)
    equipment.users["inspector"] = user
    return user


@pytest.fixture
def unit(equipment):
    return units.create_unit(actor=equipment.users["county"], region=equipment.county, name="东昌府区器材维修队")


@pytest.fixture
def plan(equipment, inspector, unit):
    """A daily plan for the community's equipment, walked by the inspector, started a week ago."""
    return inspections.create_plan(actor=equipment.users["county"], today=TODAY, data={
        "name": "东关社区日常巡检", "kind": "daily", "region": equipment.community.code, "inspector": inspector,
        "every_days": 1, "days_to_complete": 1, "starts_on": TODAY - datetime.timedelta(days=7)})


@pytest.fixture
def round_today(plan):
    return plan.rounds.get(scheduled_for=TODAY)


# --- plans ----------------------------------------------------------------------------------------------------

def test_plan_makes_rounds_ahead_from_the_day_it_was_made(plan):
    # Made on TODAY (though the plan started a week before): no tail of missed rounds.
    days = sorted(plan.rounds.values_list("scheduled_for", flat=True))
    assert days[0] == TODAY
    assert days[-1] == TODAY + datetime.timedelta(days=inspections.AHEAD_DAYS)
    r = plan.rounds.get(scheduled_for=TODAY)
    assert (r.status, r.due_on, r.pieces, r.inspector, r.kind) == (R.SCHEDULED, TODAY, 3, plan.inspector, "daily")
    assert AuditEntry.objects.filter(action="inspection_plan.create").count() == 1


def test_schedule_every_n_days_and_end():
    plan = InspectionPlan(starts_on=datetime.date(2026, 1, 1), every_days=7, ends_on=datetime.date(2026, 2, 1))
    assert inspections.schedule(plan, datetime.date(2026, 1, 3), datetime.date(2026, 3, 1)) == [
        datetime.date(2026, 1, 8), datetime.date(2026, 1, 15), datetime.date(2026, 1, 22), datetime.date(2026, 1, 29)]
    assert inspections.schedule(plan, datetime.date(2025, 1, 1), datetime.date(2026, 1, 1)) == [datetime.date(2026, 1, 1)]
    assert inspections.schedule(plan, datetime.date(2026, 2, 2), datetime.date(2026, 3, 1)) == []


@pytest.mark.parametrize("data,code", [
    ({"name": ""}, "name_required"),
    ({"kind": "weekly"}, "kind_invalid"),
    ({"every_days": 0}, "every_days_invalid"),
    ({"every_days": "x"}, "every_days_invalid"),
    ({"days_to_complete": 1000}, "days_to_complete_invalid"),
    ({"starts_on": "2026-13-01"}, "date_invalid"),
    ({"starts_on": "1066-10-14"}, "date_invalid"),
    ({"ends_on": "2025-01-01"}, "ends_before_start"),
    ({"kind": "special", "focus": ""}, "focus_required"),
    ({"region": "371503001001"}, "region_out_of_scope"),
    ({"region": "999999999999"}, "region_invalid"),
    ({"inspector": "resident"}, "inspector_invalid"),
    ({"inspector": "other_county"}, "inspector_invalid"),
    ({"facilities": ["other_path"]}, "facilities_invalid"),
    ({"facilities": ["x"]}, "facilities_invalid"),
])
def test_bad_plans_are_refused_and_nothing_is_made(equipment, inspector, data, code):
    good = {"name": "巡检", "kind": "daily", "region": equipment.community.code, "inspector": inspector,
            "starts_on": "2026-03-01"}
    if data.get("inspector") in equipment.users:
        data = {**data, "inspector": equipment.users[data["inspector"]]}
    if data.get("facilities") == ["other_path"]:
        data = {**data, "facilities": [equipment.other_path]}
    with pytest.raises(ServiceError) as exc:
        inspections.create_plan(actor=equipment.users["county"], data={**good, **data})
    assert exc.value.code == code
    assert not InspectionPlan.objects.exists() and not InspectionRound.objects.exists()


def test_division_staff_may_inspect_their_area(equipment):
    plan = inspections.create_plan(actor=equipment.users["county"], data={
        "name": "专项", "kind": "special", "focus": "汛后检查", "region": equipment.township.code,
        "inspector": equipment.users["community"], "starts_on": timezone.localdate(),
        "ends_on": timezone.localdate()})
    assert plan.rounds.count() == 1


def test_plan_facilities_limit_the_pieces(equipment, inspector):
    from quanmin.facilities import equipment_services
    from quanmin.facilities import services as fs

    other_path = fs.add_facility(equipment.site, {"type": "fitness_path", "area_m2": "80"})
    equipment_services.create_equipment(facility=other_path, kind="stepper")
    plan = inspections.create_plan(actor=equipment.users["county"], data={
        "name": "一号路径", "region": equipment.community.code, "inspector": inspector,
        "facilities": [equipment.path.pk]})
    assert set(inspections.plan_pieces(plan)) == set(equipment.pieces)
    plan_all = inspections.create_plan(actor=equipment.users["county"], data={
        "name": "全部", "region": equipment.community.code, "inspector": inspector})
    assert inspections.plan_pieces(plan_all).count() == 4


def test_changing_the_schedule_replaces_coming_rounds_only(plan, round_today, equipment, inspector):
    inspections.record_check(round_today, equipment=equipment.pieces[0], result="ok", actor=inspector,
                             now=noon(TODAY))
    inspections.update_plan(plan, {"every_days": 7}, actor=equipment.users["county"], today=TODAY)
    future = list(plan.rounds.filter(scheduled_for__gt=TODAY).values_list("scheduled_for", flat=True))
    assert future == [TODAY - datetime.timedelta(days=7) + datetime.timedelta(days=14)]
    # The round under way today stays, with its check.
    assert plan.rounds.get(scheduled_for=TODAY).checks.count() == 1


def test_new_inspector_takes_over_open_rounds(plan, round_today, equipment):
    inspections.update_plan(plan, {"inspector": equipment.users["community"]}, actor=equipment.users["county"],
                            today=TODAY)
    round_today.refresh_from_db()
    assert round_today.inspector == equipment.users["community"]


def test_stopping_a_plan_drops_coming_rounds_and_restarting_misses_nothing(plan, equipment):
    inspections.set_plan_active(plan, False, actor=equipment.users["county"], today=TODAY)
    assert not plan.rounds.filter(scheduled_for__gte=TODAY).exists()
    assert inspections.tick(TODAY + datetime.timedelta(days=3))["rounds_created"] == 0
    later = TODAY + datetime.timedelta(days=20)
    inspections.set_plan_active(plan, True, actor=equipment.users["county"], today=later)
    assert plan.rounds.filter(scheduled_for__gt=TODAY, scheduled_for__lt=later).count() == 0
    assert plan.rounds.filter(scheduled_for__gte=later).count() == inspections.AHEAD_DAYS + 1


def test_other_county_cannot_change_the_plan(plan, equipment):
    with pytest.raises(ServiceError) as exc:
        inspections.update_plan(plan, {"name": "x"}, actor=equipment.users["other_county"])
    assert exc.value.status == 403
    with pytest.raises(ServiceError):
        inspections.update_plan(plan, {"name": "x"}, actor=equipment.users["supervisor"])
    plan.refresh_from_db()
    assert plan.name == "东关社区日常巡检"


# --- the tick: rounds ahead, missed rounds ---------------------------------------------------------------------

def test_tick_is_idempotent_and_marks_missed_rounds(plan):
    first = inspections.tick(TODAY + datetime.timedelta(days=2))
    assert first["rounds_created"] == 2  # two more days on the horizon
    assert first["rounds_missed"] == plan.rounds.filter(scheduled_for__lt=TODAY + datetime.timedelta(days=2)).count()
    again = inspections.tick(TODAY + datetime.timedelta(days=2))
    assert again == {"rounds_created": 0, "rounds_missed": 0}
    assert plan.rounds.get(scheduled_for=TODAY).status == R.MISSED
    assert plan.rounds.get(scheduled_for=TODAY + datetime.timedelta(days=2)).status == R.SCHEDULED


def test_a_round_with_days_to_complete_is_missed_after_its_due_date(equipment, inspector):
    start = timezone.localdate()
    plan = inspections.create_plan(actor=equipment.users["county"], data={
        "name": "定期", "kind": "periodic", "region": equipment.community.code, "inspector": inspector,
        "every_days": 30, "days_to_complete": 5, "starts_on": start})
    r = plan.rounds.get(scheduled_for=start)
    assert r.due_on == start + datetime.timedelta(days=4)
    inspections.tick(start + datetime.timedelta(days=4))
    r.refresh_from_db()
    assert r.status == R.SCHEDULED
    inspections.tick(start + datetime.timedelta(days=5))
    r.refresh_from_db()
    assert r.status == R.MISSED


def test_tick_command(plan):
    out = io.StringIO()
    call_command("maintenance_tick", "--today", (TODAY + datetime.timedelta(days=1)).isoformat(), stdout=out)
    result = json.loads(out.getvalue())
    assert result["rounds_created"] == 1
    out = io.StringIO()
    call_command("maintenance_tick", "--today", (TODAY + datetime.timedelta(days=1)).isoformat(), stdout=out)
    assert json.loads(out.getvalue()) == {"rounds_created": 0, "rounds_missed": 0}


# --- walking a round -------------------------------------------------------------------------------------------

def test_walk_a_round_ok_and_defect(round_today, equipment, inspector, unit):
    walker, twister, bar = equipment.pieces
    inspections.record_check(round_today, equipment=walker, result="ok", actor=inspector, lon=115.985, lat=36.457,
                             now=noon(TODAY))
    round_today.refresh_from_db()
    assert round_today.status == R.IN_PROGRESS
    check = inspections.record_check(round_today, equipment=bar, result="defect", actor=inspector,
                                     failed_items=["grip", "surface"], note="单杠松动", photo=upload(png()),
                                     lon="115.9851", lat="36.4571", now=noon(TODAY))
    assert check.failed_items == ["surface", "grip"]  # the checklist's order
    assert check.photo.name.endswith(".png") and (check.lon, check.lat) == (115.9851, 36.4571)
    order = WorkOrder.objects.get(inspection_check=check)
    assert (order.source, order.severity, order.equipment, order.unit, order.status) == (
        "inspection", "high", bar, unit, WorkOrder.Status.ASSIGNED)
    assert "单杠松动" in order.description
    bar.refresh_from_db()
    assert bar.status == Equipment.Status.DEFECTIVE
    inspections.record_check(round_today, equipment=twister, result="ok", actor=inspector, now=noon(TODAY))
    round_today.refresh_from_db()
    assert round_today.status == R.DONE and round_today.finished_at and round_today.pieces == 3
    assert inspections.progress(round_today) == {"pieces": 3, "checked": 3, "defects": 1, "left": 0}
    with pytest.raises(ServiceError) as exc:
        inspections.record_check(round_today, equipment=walker, result="ok", actor=inspector, now=noon(TODAY))
    assert exc.value.code == "round_done"


def test_urgent_item_takes_the_piece_out_of_service(round_today, equipment, inspector):
    piece = equipment.pieces[0]
    check = inspections.record_check(round_today, equipment=piece, result="defect", actor=inspector,
                                     failed_items=["pinch"], now=noon(TODAY))
    assert check.work_order.severity == "urgent"
    piece.refresh_from_db()
    assert piece.status == Equipment.Status.OUT_OF_SERVICE


def test_inspector_may_raise_severity_not_lower_it(round_today, equipment, inspector):
    a = inspections.record_check(round_today, equipment=equipment.pieces[0], result="defect", actor=inspector,
                                 failed_items=["surface"], severity="high", now=noon(TODAY))
    b = inspections.record_check(round_today, equipment=equipment.pieces[1], result="defect", actor=inspector,
                                 failed_items=["structure"], severity="low", now=noon(TODAY))
    assert (a.work_order.severity, b.work_order.severity) == ("high", "urgent")


def test_ok_may_be_corrected_to_defect_but_not_back(round_today, equipment, inspector):
    piece = equipment.pieces[0]
    inspections.record_check(round_today, equipment=piece, result="ok", actor=inspector, now=noon(TODAY))
    check = inspections.record_check(round_today, equipment=piece, result="defect", actor=inspector,
                                     note="座椅开裂", now=noon(TODAY))
    assert Check.objects.filter(round=round_today).count() == 1 and check.result == "defect"
    with pytest.raises(ServiceError) as exc:
        inspections.record_check(round_today, equipment=piece, result="ok", actor=inspector, now=noon(TODAY))
    assert exc.value.code == "already_checked" and exc.value.status == 409
    assert WorkOrder.objects.count() == 1


@pytest.mark.parametrize("kwargs,code", [
    ({"result": "maybe"}, "result_invalid"),
    ({"result": "defect"}, "defect_detail_required"),
    ({"result": "defect", "failed_items": ["screen"]}, "checklist_item_invalid"),  # a smart item, not for a walker
    ({"result": "defect", "note": "x", "severity": "awful"}, "severity_invalid"),
    ({"result": "ok", "note": "x" * 301}, "note_too_long"),
    ({"result": "ok", "lon": "abc", "lat": "1"}, "position_invalid"),
    ({"result": "ok", "lon": "200", "lat": "1"}, "position_invalid"),
    ({"result": "ok", "lon": "nan", "lat": "nan"}, "position_invalid"),
    ({"result": "defect", "note": "x", "photo": "text"}, "image_unreadable"),
    ({"result": "defect", "note": "x", "photo": "truncated"}, "image_unreadable"),
    ({"result": "defect", "note": "x", "photo": "huge"}, "image_too_large"),
    ({"result": "defect", "note": "x", "photo": "gif"}, "image_type"),
])
def test_bad_checks_change_nothing(round_today, equipment, inspector, kwargs, code, settings):
    samples = {"text": lambda: upload(b"not an image at all", "a.jpg", "image/jpeg"),
              "truncated": lambda: upload(png((400, 300))[:200]),
              "huge": lambda: upload(b"\xff" * (photos.MAX_BYTES + 1), "big.jpg", "image/jpeg"),
              "gif": lambda: upload(png(fmt="GIF"), "a.gif", "image/gif")}
    if "photo" in kwargs:
        kwargs = {**kwargs, "photo": samples[kwargs["photo"]]()}
    piece = equipment.pieces[0]
    with pytest.raises(ServiceError) as exc:
        inspections.record_check(round_today, equipment=piece, actor=inspector, now=noon(TODAY), **kwargs)
    assert exc.value.code == code
    assert str(exc.value.message)
    assert not Check.objects.exists() and not WorkOrder.objects.exists()
    piece.refresh_from_db()
    round_today.refresh_from_db()
    assert piece.status == Equipment.Status.IN_SERVICE and round_today.status == R.SCHEDULED


def test_only_the_inspector_walks_the_round(round_today, equipment):
    with pytest.raises(ServiceError) as exc:
        inspections.record_check(round_today, equipment=equipment.pieces[0], result="ok",
                                 actor=equipment.users["county"], now=noon(TODAY))
    assert exc.value.code == "not_your_round" and exc.value.status == 403


def test_piece_outside_the_round_is_refused(round_today, equipment, inspector):
    with pytest.raises(ServiceError) as exc:
        inspections.record_check(round_today, equipment=equipment.other_pieces[0], result="ok", actor=inspector,
                                 now=noon(TODAY))
    assert exc.value.code == "equipment_not_in_round"


def test_future_and_missed_rounds_take_no_checks(plan, equipment, inspector):
    tomorrow = plan.rounds.get(scheduled_for=TODAY + datetime.timedelta(days=1))
    with pytest.raises(ServiceError) as exc:
        inspections.record_check(tomorrow, equipment=equipment.pieces[0], result="ok", actor=inspector,
                                 now=noon(TODAY))
    assert exc.value.code == "round_not_yet"
    # Today's round, walked the day after its due date: refused (the tick marks it missed).
    today = plan.rounds.get(scheduled_for=TODAY)
    with pytest.raises(ServiceError) as exc:
        inspections.record_check(today, equipment=equipment.pieces[0], result="ok", actor=inspector,
                                 now=noon(TODAY + datetime.timedelta(days=1)))
    assert exc.value.code == "round_missed"
    inspections.tick(TODAY + datetime.timedelta(days=1))
    today.refresh_from_db()
    assert today.status == R.MISSED


def test_a_missed_round_keeps_its_checks(round_today, equipment, inspector):
    inspections.record_check(round_today, equipment=equipment.pieces[0], result="ok", actor=inspector,
                             now=noon(TODAY))
    inspections.tick(TODAY + datetime.timedelta(days=1))
    round_today.refresh_from_db()
    assert round_today.status == R.MISSED and round_today.checks.count() == 1


def test_start_round_with_nothing_to_check_is_done(equipment, inspector):
    for piece in equipment.pieces:
        Equipment.objects.filter(pk=piece.pk).update(status=Equipment.Status.REMOVED)
    plan = inspections.create_plan(actor=equipment.users["county"], data={
        "name": "空", "region": equipment.community.code, "inspector": inspector})
    r = plan.rounds.get(scheduled_for=timezone.localdate())
    inspections.start_round(r, actor=inspector)
    r.refresh_from_db()
    assert r.status == R.DONE and r.pieces == 0


def test_my_rounds_and_scoped_lists(plan, equipment, inspector):
    mine = list(inspections.my_rounds(inspector, TODAY))
    assert mine and all(r.scheduled_for <= TODAY for r in mine)
    assert inspections.rounds_for(equipment.users["county"]).count() == plan.rounds.count()
    assert inspections.rounds_for(equipment.users["other_county"]).count() == 0
    assert inspections.rounds_for(inspector).count() == plan.rounds.count()  # their own, as inspector
    assert inspections.plans_for(equipment.users["other_county"]).count() == 0
    assert inspections.plans_for(equipment.users["supervisor"]).count() == 1


# --- checklists ------------------------------------------------------------------------------------------------

def test_checklists_cover_every_type():
    from quanmin.facilities import equipment_types

    for code, info in equipment_types.TYPES.items():
        items = checklists.for_kind(code)
        assert {"structure", "foundation"} <= {i.code for i in items}
        assert any(i.group == info.group for i in items) or info.group not in checklists.GROUPS
    assert checklists.worst_severity(["surface", "grip"]) == "high"
    assert checklists.worst_severity([]) is None
    assert "screen" in checklists.codes_for_kind("smart_bike") and "screen" not in checklists.codes_for_kind("rider")
