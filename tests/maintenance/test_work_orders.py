"""Work orders through the service layer: every transition and every refused one, deadlines by the
Chinese calendar, what happens to the piece of equipment, photos, units and their staff, overdue and
late, and the replacement of pieces past their design life.

The fixtures (unit, unit_staff, order ...) live in conftest.py; the helpers here (png, upload, fresh) are shared
with the other work-order test files.
"""

import datetime
import io

import pytest
from django.utils import timezone

from quanmin.accounts import scoping
from quanmin.accounts.models import AuditEntry, Membership, Role
from quanmin.core import photos
from quanmin.core.errors import ServiceError
from quanmin.facilities import equipment_services
from quanmin.facilities.models import Equipment
from quanmin.maintenance import permissions, selectors, services, units
from quanmin.maintenance.models import MaintenanceUnit, WorkOrder, WorkOrderPhoto
from tests.conftest import make_user

S = WorkOrder.Status
TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(y, m, d, hh=10, mm=0) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, tzinfo=TZ)


def png(size=(40, 30), color=(200, 30, 30), fmt="PNG") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt)
    return buf.getvalue()


def upload(data: bytes, name="photo.png", content_type="image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def fresh(obj):
    obj.refresh_from_db()
    return obj


# --- transitions ----------------------------------------------------------------------------------------

def test_the_whole_way_open_to_verified(equipment, unit, unit_staff):
    county = equipment.users["county"]
    piece = equipment.pieces[0]
    o = services.create_work_order(actor=county, description="座椅开裂", equipment=piece)
    assert o.status == S.OPEN and o.unit is None and o.region_id == piece.region_id and o.site_id == piece.site_id
    assert fresh(piece).status == Equipment.Status.DEFECTIVE
    o = services.assign(o, unit, actor=county)
    assert o.status == S.ASSIGNED and o.assigned_at
    o = services.start(o, actor=unit_staff)
    assert o.status == S.IN_PROGRESS and o.started_at
    o = services.complete(o, actor=unit_staff, resolution="更换座椅")
    assert o.status == S.DONE and o.done_at and o.resolution == "更换座椅"
    o = services.verify(o, actor=county)
    assert o.status == S.VERIFIED and o.verified_by == county
    assert fresh(piece).status == Equipment.Status.IN_SERVICE
    assert list(o.events.values_list("status", flat=True)) == ["open", "assigned", "in_progress", "done", "verified"]
    actions = set(AuditEntry.objects.filter(target_id=str(o.pk)).values_list("action", flat=True))
    assert {"work_order.create", "work_order.assign", "work_order.start", "work_order.done",
            "work_order.verify"} <= actions


def test_assigned_may_be_done_without_starting_and_refused_goes_back(order, unit_staff, equipment):
    o = services.complete(order, actor=unit_staff, resolution="紧固螺栓")
    assert o.status == S.DONE and o.started_at == o.done_at
    with pytest.raises(ServiceError) as e:
        services.verify(o, actor=equipment.users["county"], accepted=False, note="  ")
    assert e.value.code == "reason_required" and fresh(o).status == S.DONE
    o = services.verify(o, actor=equipment.users["county"], accepted=False, note="仍有松动")
    assert o.status == S.IN_PROGRESS and o.done_at is None
    assert o.events.last().text == "仍有松动"
    o = services.complete(o, actor=unit_staff, resolution="更换螺栓")
    assert services.verify(o, actor=equipment.users["county"]).status == S.VERIFIED


def test_reassign_and_cancel(order, other_unit, equipment):
    county = equipment.users["county"]
    o = services.assign(order, other_unit, actor=county)
    assert o.unit == other_unit and o.status == S.ASSIGNED
    o = services.start(o, actor=county)
    o = services.assign(o, order.unit, actor=county)  # in progress → back to a unit
    assert o.status == S.ASSIGNED
    with pytest.raises(ServiceError) as e:
        services.cancel(o, actor=county, reason="")
    assert e.value.code == "reason_required"
    o = services.cancel(o, actor=county, reason="重复工单")
    assert o.status == S.CANCELLED and o.cancel_reason == "重复工单"


def _to(status, equipment, unit):
    county = equipment.users["county"]
    o = services.create_work_order(actor=county, description="x", equipment=equipment.pieces[1])
    if status == S.OPEN:
        return o
    if status == S.CANCELLED:
        return services.cancel(o, actor=county, reason="r")
    o = services.assign(o, unit, actor=county)
    if status == S.ASSIGNED:
        return o
    o = services.start(o, actor=county)
    if status == S.IN_PROGRESS:
        return o
    o = services.complete(o, actor=county, resolution="ok")
    if status == S.DONE:
        return o
    return services.verify(o, actor=county)


ACTIONS = {
    "assign": lambda o, w, unit: services.assign(o, unit, actor=w.users["county"]),
    "start": lambda o, w, unit: services.start(o, actor=w.users["county"]),
    "complete": lambda o, w, unit: services.complete(o, actor=w.users["county"], resolution="r"),
    "verify": lambda o, w, unit: services.verify(o, actor=w.users["county"]),
    "refuse": lambda o, w, unit: services.verify(o, actor=w.users["county"], accepted=False, note="n"),
    "cancel": lambda o, w, unit: services.cancel(o, actor=w.users["county"], reason="r"),
}
# Where each allowed action leaves the order (a refusal sends done work back to in progress).
RESULT = {"assign": S.ASSIGNED, "start": S.IN_PROGRESS, "complete": S.DONE, "verify": S.VERIFIED,
          "refuse": S.IN_PROGRESS, "cancel": S.CANCELLED}
ALLOWED = {
    S.OPEN: {"assign", "cancel"},
    S.ASSIGNED: {"assign", "start", "complete", "cancel"},
    S.IN_PROGRESS: {"assign", "complete", "cancel"},
    S.DONE: {"verify", "refuse"},
    S.VERIFIED: set(),
    S.CANCELLED: set(),
}


@pytest.mark.parametrize("status", list(ALLOWED))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_transition_table(equipment, unit, status, action):
    o = _to(status, equipment, unit)
    events = o.events.count()
    if action in ALLOWED[status]:
        ACTIONS[action](o, equipment, unit)
        after = fresh(o)
        assert after.status == RESULT[action] and after.events.count() == events + 1
        assert after.events.order_by("-pk").first().status == RESULT[action]
    else:
        with pytest.raises(ServiceError) as e:
            ACTIONS[action](o, equipment, unit)
        assert e.value.code == "work_order_state" and e.value.status == 409
        assert fresh(o).status == status and o.events.count() == events


def test_done_needs_a_text_or_an_after_photo(order, unit_staff):
    with pytest.raises(ServiceError) as e:
        services.complete(order, actor=unit_staff, resolution="   ")
    assert e.value.code == "resolution_required" and fresh(order).status == S.ASSIGNED
    # A before photo is not evidence of the finished work …
    services.add_photo(order, upload(png()), "before", actor=unit_staff)
    with pytest.raises(ServiceError):
        services.complete(order, actor=unit_staff)
    # … an after photo is.
    services.add_photo(order, upload(png()), "after", actor=unit_staff)
    o = services.complete(order, actor=unit_staff)
    assert o.status == S.DONE and o.resolution == ""


def test_a_unit_must_serve_the_division(equipment, unit):
    county = equipment.users["county"]
    elsewhere = units.create_unit(actor=equipment.users["other_county"], region=equipment.other_county, name="茌平")
    o = services.create_work_order(actor=county, description="x", equipment=equipment.pieces[0])
    with pytest.raises(ServiceError) as e:
        services.assign(o, elsewhere, actor=county)
    assert e.value.code == "unit_not_serving" and fresh(o).status == S.OPEN
    with pytest.raises(ServiceError):
        services.create_work_order(actor=county, description="x", equipment=equipment.pieces[1], unit=elsewhere)
    # A city unit serves every county.
    city_unit = units.create_unit(actor=equipment.users["city"], region=equipment.city, name="市维修中心")
    assert services.assign(o, city_unit, actor=county).unit == city_unit
    assert city_unit in units.units_serving(o.region_id) and elsewhere not in units.units_serving(o.region_id)


def test_bad_input_is_refused_and_changes_nothing(equipment):
    county = equipment.users["county"]
    for kwargs, code in [
        ({"description": ""}, "description_required"),
        ({"description": "x", "kind": "paint"}, "kind_invalid"),
        ({"description": "x", "severity": "extreme"}, "severity_invalid"),
        ({"description": "x", "source": "rumour"}, "source_invalid"),
        ({"description": "x", "equipment": None}, "place_required"),
    ]:
        kwargs.setdefault("equipment", equipment.pieces[0])
        with pytest.raises(ServiceError) as e:
            services.create_work_order(actor=county, **kwargs)
        assert e.value.code == code
    assert WorkOrder.objects.count() == 0
    assert fresh(equipment.pieces[0]).status == Equipment.Status.IN_SERVICE


def test_a_removed_piece_gets_no_order(equipment):
    piece = equipment.pieces[0]
    Equipment.objects.filter(pk=piece.pk).update(status=Equipment.Status.REMOVED)
    with pytest.raises(ServiceError) as e:
        services.create_work_order(actor=equipment.users["county"], description="x", equipment=piece)
    assert e.value.code == "equipment_removed"


def test_one_order_per_inspection_check(equipment):
    from quanmin.maintenance.models import Check, InspectionPlan, InspectionRound

    inspector = equipment.users["community"]
    plan = InspectionPlan.objects.create(name="日常巡检", kind="daily", region=equipment.community, inspector=inspector,
                                         starts_on=datetime.date(2026, 1, 1))
    rnd = InspectionRound.objects.create(plan=plan, kind="daily", region=equipment.community, inspector=inspector,
                                         scheduled_for=datetime.date(2026, 1, 2), due_on=datetime.date(2026, 1, 2))
    check = Check.objects.create(round=rnd, equipment=equipment.pieces[0], result="defect", checked_at=timezone.now(),
                                 checked_by=inspector)
    first = services.create_work_order(actor=inspector, description="链条断裂", equipment=equipment.pieces[0],
                                       source="inspection", inspection_check=check)
    again = services.create_work_order(actor=inspector, description="链条断裂", equipment=equipment.pieces[0],
                                       source="inspection", inspection_check=check)
    assert again.pk == first.pk and WorkOrder.objects.count() == 1


# --- deadlines -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("severity,created,due", [
    # 2026-09-30 is the last working day before National Day (1-7 October); Saturday 10 October is a
    # make-up working day and Sunday the 11th is off.
    ("urgent", at(2026, 9, 30), at(2026, 10, 1)),  # hours, around the clock
    ("high", at(2026, 9, 30), at(2026, 10, 10)),  # 8, 9, 10 (the make-up Saturday)
    ("normal", at(2026, 9, 30), at(2026, 10, 15)),  # 8, 9, 10, 12, 13, 14, 15
    ("low", at(2026, 9, 30), at(2026, 10, 27)),
    # Opened on a holiday: the clock starts at 09:00 on the next working day (8 October).
    ("normal", at(2026, 10, 3, 14), at(2026, 10, 16, 9)),
    # Friday before the make-up Saturday: Sat 10 counts, Sun 11 does not.
    ("high", at(2026, 10, 9, 16), at(2026, 10, 13, 16)),
])
def test_deadlines_follow_the_chinese_calendar(equipment, severity, created, due):
    o = services.create_work_order(actor=equipment.users["county"], description="x", severity=severity,
                                   equipment=equipment.pieces[0], now=created)
    assert o.due_at == due
    assert fresh(o).created_at == created
    assert services.deadline(severity, created) == due


def test_a_city_sets_its_own_deadlines(settings):
    settings.QUANMIN_WORK_ORDER_DEADLINES = {"urgent": ("hours", 4)}
    assert services.deadline("urgent", at(2026, 9, 30)) == at(2026, 9, 30, 14)


def test_overdue_and_late(equipment, unit):
    county = equipment.users["county"]
    now = timezone.now()
    past = services.create_work_order(actor=county, description="a", equipment=equipment.pieces[0], unit=unit,
                                      now=now - datetime.timedelta(days=40))
    fine = services.create_work_order(actor=county, description="b", equipment=equipment.pieces[1], unit=unit)
    assert services.is_overdue(past) and not services.is_overdue(fine)
    ids = set(selectors.work_orders_for(county).filter(selectors.overdue_q()).values_list("pk", flat=True))
    assert ids == {past.pk}
    # Done after the deadline: no longer overdue, but late, and it stays late once verified.
    past = services.complete(past, actor=county, resolution="修好")
    assert not services.is_overdue(past) and services.is_late(past)
    past = services.verify(past, actor=county)
    assert services.is_late(past)
    assert set(WorkOrder.objects.filter(selectors.late_q()).values_list("pk", flat=True)) == {past.pk}
    fine = services.complete(fine, actor=county, resolution="修好")
    assert not services.is_late(fine)


# --- the piece of equipment ----------------------------------------------------------------------------------

def test_equipment_status_follows_the_orders(equipment, unit):
    county = equipment.users["county"]
    piece = equipment.pieces[0]
    normal = services.create_work_order(actor=county, description="a", equipment=piece, unit=unit)
    assert fresh(piece).status == Equipment.Status.DEFECTIVE
    urgent = services.create_work_order(actor=county, description="b", severity="urgent", equipment=piece, unit=unit)
    assert fresh(piece).status == Equipment.Status.OUT_OF_SERVICE
    # A later, milder order does not make it look better.
    services.create_work_order(actor=county, description="c", kind="service", severity="low", equipment=piece)
    assert fresh(piece).status == Equipment.Status.OUT_OF_SERVICE
    # Verifying one order while the urgent one is open keeps the piece out of service.
    services.verify(services.complete(normal, actor=county, resolution="ok"), actor=county)
    assert fresh(piece).status == Equipment.Status.OUT_OF_SERVICE
    # The urgent one verified: only the service order is open, which does not keep it out of use.
    services.verify(services.complete(urgent, actor=county, resolution="ok"), actor=county)
    assert fresh(piece).status == Equipment.Status.IN_SERVICE


def test_an_open_repair_keeps_the_piece_defective_after_another_is_verified(equipment, unit):
    county = equipment.users["county"]
    piece = equipment.pieces[0]
    a = services.create_work_order(actor=county, description="a", equipment=piece, unit=unit)
    services.create_work_order(actor=county, description="b", equipment=piece)
    services.verify(services.complete(a, actor=county, resolution="ok"), actor=county)
    assert fresh(piece).status == Equipment.Status.DEFECTIVE


def test_an_urgent_service_order_takes_the_piece_out_and_a_normal_one_does_not(equipment):
    county = equipment.users["county"]
    services.create_work_order(actor=county, description="a", kind="service", equipment=equipment.pieces[0])
    assert fresh(equipment.pieces[0]).status == Equipment.Status.IN_SERVICE
    services.create_work_order(actor=county, description="b", kind="upgrade", severity="urgent",
                               equipment=equipment.pieces[1])
    assert fresh(equipment.pieces[1]).status == Equipment.Status.OUT_OF_SERVICE


def test_a_verified_replacement_removes_the_piece_and_registers_its_successor(equipment, unit):
    county = equipment.users["county"]
    old = equipment.pieces[2]
    repair = services.create_work_order(actor=county, description="锈蚀", equipment=old)
    replace = services.create_work_order(actor=county, description="更换", kind="replace", equipment=old, unit=unit)
    services.complete(replace, actor=county, resolution="已更换新单杠")
    replace = services.verify(replace, actor=county)
    assert fresh(old).status == Equipment.Status.REMOVED
    successor = Equipment.objects.exclude(pk=old.pk).get(facility=old.facility, kind=old.kind)
    assert successor.tag != old.tag and successor.status == Equipment.Status.IN_SERVICE
    assert successor.install_date == timezone.localdate()
    assert successor.tag in replace.events.last().text
    # The old piece's other order has nothing left to work on.
    assert fresh(repair).status == S.CANCELLED


def test_a_cancelled_order_leaves_the_piece_as_it_is(equipment):
    county = equipment.users["county"]
    o = services.create_work_order(actor=county, description="x", equipment=equipment.pieces[0])
    services.cancel(o, actor=county, reason="重复")
    assert fresh(equipment.pieces[0]).status == Equipment.Status.DEFECTIVE


# --- steps entered after the fact (now=) ------------------------------------------------------------------------
# A paper job sheet typed in later, the demo: each step keeps the moment it happened, and so does its event.

T0, T1, T2, T3, T4 = at(2026, 3, 2, 9), at(2026, 3, 2, 11), at(2026, 3, 3, 8), at(2026, 3, 3, 15), at(2026, 3, 4, 10)


def event_at(order, status):
    return order.events.get(status=status).at


def test_assign_at_a_given_moment(equipment, unit):
    county = equipment.users["county"]
    o = services.create_work_order(actor=county, description="座椅开裂", equipment=equipment.pieces[0], now=T0)
    o = services.assign(o, unit, actor=county, now=T1)
    assert o.assigned_at == T1 and fresh(o).assigned_at == T1 and event_at(o, S.ASSIGNED) == T1
    assert o.due_at == services.deadline(o.severity, T0)  # the deadline runs from the opening, as before


def test_start_at_a_given_moment(equipment, unit, unit_staff):
    o = services.create_work_order(actor=equipment.users["county"], description="x", equipment=equipment.pieces[0],
                                   unit=unit, now=T0)
    o = services.start(o, actor=unit_staff, now=T2)
    assert fresh(o).started_at == T2 and event_at(o, S.IN_PROGRESS) == T2


def test_complete_at_a_given_moment(equipment, unit, unit_staff):
    o = services.create_work_order(actor=equipment.users["county"], description="x", equipment=equipment.pieces[0],
                                   unit=unit, now=T0)
    o = services.complete(o, actor=unit_staff, resolution="紧固螺栓", now=T3)  # not started: started then too
    o = fresh(o)
    assert (o.started_at, o.done_at) == (T3, T3) and event_at(o, S.DONE) == T3
    started = services.create_work_order(actor=equipment.users["county"], description="y",
                                         equipment=equipment.pieces[1], unit=unit, now=T0)
    services.start(started, actor=unit_staff, now=T2)
    started = fresh(services.complete(started, actor=unit_staff, resolution="ok", now=T3))
    assert (started.started_at, started.done_at) == (T2, T3)


def test_verify_at_a_given_moment(equipment, unit, unit_staff):
    county = equipment.users["county"]
    o = services.create_work_order(actor=county, description="x", equipment=equipment.pieces[0], unit=unit, now=T0)
    o = services.complete(o, actor=unit_staff, resolution="ok", now=T3)
    o = services.verify(o, actor=county, now=T4)
    assert fresh(o).verified_at == T4 and event_at(o, S.VERIFIED) == T4
    # Refused: the event keeps the moment too.
    r = services.create_work_order(actor=county, description="y", equipment=equipment.pieces[1], unit=unit, now=T0)
    services.complete(r, actor=unit_staff, resolution="ok", now=T3)
    r = fresh(services.verify(r, actor=county, accepted=False, note="仍有松动", now=T4))
    assert r.status == S.IN_PROGRESS and r.done_at is None and r.events.last().at == T4


def test_a_replacement_verified_at_a_given_moment_installs_the_successor_that_day(equipment, unit):
    county = equipment.users["county"]
    old = equipment.pieces[2]
    repair = services.create_work_order(actor=county, description="锈蚀", equipment=old, now=T0)
    replace = services.create_work_order(actor=county, description="更换", kind="replace", equipment=old, unit=unit,
                                         now=T0)
    services.complete(replace, actor=county, resolution="已更换新单杠", now=T3)
    services.verify(replace, actor=county, now=T4)
    successor = Equipment.objects.exclude(pk=old.pk).get(facility=old.facility, kind=old.kind)
    assert successor.install_date == datetime.date(2026, 3, 4)
    repair = fresh(repair)
    assert repair.status == S.CANCELLED and event_at(repair, S.CANCELLED) == T4


def test_cancel_at_a_given_moment(equipment, order):
    o = services.cancel(order, actor=equipment.users["county"], reason="重复", now=T1)
    assert fresh(o).status == S.CANCELLED and event_at(o, S.CANCELLED) == T1


def test_replacements_opened_at_a_given_moment(equipment, unit):
    old = equipment.pieces[2]
    result = services.open_replacement_orders([old], actor=equipment.users["county"], unit=unit, now=T1)
    o = fresh(result["created"][0])
    assert (o.created_at, o.assigned_at, o.due_at) == (T1, T1, services.deadline(o.severity, T1))
    assert {e.at for e in o.events.all()} == {T1}


def test_photo_taken_at_a_given_moment(equipment, order, unit_staff):
    photo = services.add_photo(order, upload(png()), "before", actor=unit_staff, now=T1)
    assert WorkOrderPhoto.objects.get(pk=photo.pk).uploaded_at == T1
    now_photo = services.add_photo(order, upload(png()), "before", actor=unit_staff)
    assert abs(WorkOrderPhoto.objects.get(pk=now_photo.pk).uploaded_at - timezone.now()) < datetime.timedelta(minutes=1)


# --- photos ------------------------------------------------------------------------------------------------

def test_photos_are_checked_images(order, unit_staff):
    p = services.add_photo(order, upload(png()), "before", actor=unit_staff)
    assert p.image.name.endswith(".png") and "photo" not in p.image.name  # random, unguessable name
    jpeg = services.add_photo(order, upload(png(fmt="JPEG"), "x.jpg", "image/jpeg"), "after", actor=unit_staff)
    assert jpeg.image.name.endswith(".jpg")
    bad = [
        (upload(b"%PDF-1.4 not an image", "a.png"), "image_unreadable"),
        (upload(png()[:60], "cut.png"), "image_unreadable"),  # truncated
        (upload(png(fmt="GIF"), "a.gif", "image/gif"), "image_type"),
        (upload(b"", "empty.png"), "image_required"),
    ]
    for image, code in bad:
        with pytest.raises(ServiceError) as e:
            services.add_photo(order, image, "after", actor=unit_staff)
        assert e.value.code == code, code
    with pytest.raises(ServiceError) as e:
        services.add_photo(order, upload(png()), "sideways", actor=unit_staff)
    assert e.value.code == "stage_invalid"
    assert order.photos.count() == 2


def test_oversized_photo(order, unit_staff, monkeypatch):
    monkeypatch.setattr(photos, "MAX_BYTES", 100)
    with pytest.raises(ServiceError) as e:
        services.add_photo(order, upload(png((200, 200))), "before", actor=unit_staff)
    assert e.value.code == "image_too_large" and e.value.status == 413
    monkeypatch.setattr(photos, "MAX_BYTES", 8 * 1024 * 1024)
    monkeypatch.setattr(photos, "MAX_PIXELS", 100)
    with pytest.raises(ServiceError) as e:
        services.add_photo(order, upload(png((20, 20))), "before", actor=unit_staff)
    assert e.value.code == "image_too_large"
    assert order.photos.count() == 0


def test_photo_stages_follow_the_state(equipment, order, unit_staff, monkeypatch):
    county = equipment.users["county"]
    o = services.complete(order, actor=unit_staff, resolution="ok")
    with pytest.raises(ServiceError) as e:
        services.add_photo(o, upload(png()), "before", actor=unit_staff)
    assert e.value.code == "photo_stage_closed"
    services.add_photo(o, upload(png()), "after", actor=unit_staff)  # awaiting the check: still fine
    services.verify(o, actor=county)
    with pytest.raises(ServiceError):
        services.add_photo(o, upload(png()), "after", actor=unit_staff)
    monkeypatch.setattr(services, "PHOTOS_PER_ORDER", 1)
    other = services.create_work_order(actor=county, description="y", equipment=equipment.pieces[1])
    services.add_photo(other, upload(png()), "before", actor=county)
    with pytest.raises(ServiceError) as e:
        services.add_photo(other, upload(png()), "before", actor=county)
    assert e.value.code == "too_many_photos"


# --- who may do what -------------------------------------------------------------------------------------------

def test_can_manage_and_can_work(equipment, order, unit_staff, other_unit_staff):
    w = equipment
    assert permissions.can_manage(w.users["county"], order) and permissions.can_manage(w.users["community"], order)
    assert not permissions.can_manage(w.users["supervisor"], order)
    assert not permissions.can_manage(w.users["other_county"], order)
    assert not permissions.can_manage(unit_staff, order) and permissions.can_work(unit_staff, order)
    assert not permissions.can_work(other_unit_staff, order) and not permissions.can_work(w.users["supervisor"], order)
    assert permissions.allowed_actions(unit_staff, order) == {"start", "complete", "photo"}
    assert permissions.allowed_actions(w.users["supervisor"], order) == set()
    assert permissions.allowed_actions(w.users["county"], order) == {"assign", "start", "complete", "cancel", "photo"}


def test_scoped_lists(equipment, order, unit_staff, other_unit_staff):
    w = equipment
    theirs = services.create_work_order(actor=w.users["other_county"], description="x", equipment=w.other_pieces[0])
    mine = services.create_work_order(actor=w.users["county"], description="y", equipment=w.pieces[1])
    ids = lambda user: set(selectors.work_orders_for(user).values_list("pk", flat=True))  # noqa: E731
    assert ids(w.users["county"]) == ids(w.users["city"]) - {theirs.pk} == {order.pk, mine.pk}
    assert ids(w.users["supervisor"]) == {order.pk, mine.pk, theirs.pk}
    assert ids(w.users["other_county"]) == {theirs.pk}
    assert ids(unit_staff) == {order.pk}
    assert ids(other_unit_staff) == set()
    assert ids(w.users["resident"]) == set()


# --- filters and counts -------------------------------------------------------------------------------------

def test_filters_and_counts(equipment, unit):
    county = equipment.users["county"]
    a = services.create_work_order(actor=county, description="a", equipment=equipment.pieces[0], unit=unit,
                                   severity="urgent", now=at(2026, 3, 2))
    b = services.create_work_order(actor=county, description="b", equipment=equipment.pieces[1], kind="service",
                                   now=at(2026, 5, 6))
    c = services.create_work_order(actor=county, description="c", facility=equipment.path, source="report")
    services.cancel(c, actor=county, reason="r")

    def ids(**params):
        f = selectors.Filters.parse(params)
        return set(selectors.filter_work_orders(selectors.work_orders_for(county), f).values_list("pk", flat=True))

    assert ids(status="open") == {a.pk, b.pk}
    assert ids(status="closed") == ids(status="cancelled") == {c.pk}
    assert ids(kind="service") == {b.pk} and ids(severity="urgent") == {a.pk} and ids(source="report") == {c.pk}
    assert ids(unit=str(unit.pk)) == {a.pk}
    assert ids(overdue="1") == {a.pk, b.pk}
    assert ids(created_from="2026-03-01", created_to="2026-03-02") == {a.pk}
    assert ids(created_from="2026-05-06") == {b.pk, c.pk}
    assert ids(region=equipment.community.code) == {a.pk, b.pk, c.pk}
    assert ids(region=equipment.other_county.code[:6]) == set()
    assert ids(q=equipment.pieces[0].tag.lower()) == {a.pk} and ids(q=b.number) == {b.pk}
    counts = selectors.counts_by_status(selectors.work_orders_for(county))
    assert counts["assigned"] == counts["open"] - 1 == 1 and counts["cancelled"] == 1
    assert counts["total"] == 3 and counts["overdue"] == 2


@pytest.mark.parametrize("params,code", [
    ({"status": "lost"}, "status_invalid"), ({"kind": "x"}, "kind_invalid"), ({"unit": "abc"}, "unit_invalid"),
    ({"unit": str(10**30)}, "unit_invalid"), ({"region": "37150"}, "region_invalid"),
    ({"created_from": "2026-13-01"}, "date_invalid"), ({"created_to": "yesterday"}, "date_invalid"),
])
def test_bad_filters_are_refused(params, code):
    with pytest.raises(ServiceError) as e:
        selectors.Filters.parse(params)
    assert e.value.code == code


def test_far_dates_do_not_break(equipment):
    f = selectors.Filters.parse({"created_from": "0001-01-01", "created_to": "9999-12-31"})
    assert list(selectors.filter_work_orders(selectors.work_orders_for(equipment.users["county"]), f)) == []


# --- maintenance units and their staff -----------------------------------------------------------------------

def test_units_stay_in_the_actors_divisions(equipment):
    w = equipment
    with pytest.raises(ServiceError) as e:
        units.create_unit(actor=w.users["county"], region=w.other_county, name="x")
    assert e.value.code == "region_out_of_scope"
    with pytest.raises(ServiceError) as e:
        units.create_unit(actor=w.users["supervisor"], region=w.county, name="x")
    assert e.value.code == "region_out_of_scope"
    with pytest.raises(ServiceError) as e:
        units.create_unit(actor=w.users["county"], region=w.county, name="  ")
    assert e.value.code == "name_required"
    with pytest.raises(ServiceError) as e:
        units.create_unit(actor=w.users["county"], region=w.county, name="x", phone="call me")
    assert e.value.code == "phone_invalid"
    township_unit = units.create_unit(actor=w.users["township"], region=w.township.code, name="街道维修组",
                                         phone="0635-8888888")
    assert township_unit.region == w.township
    with pytest.raises(ServiceError):
        units.update_unit(township_unit, {"region": w.county.code}, actor=w.users["township"])
    unit = units.update_unit(township_unit, {"name": "古楼街道维修组", "region": w.county}, actor=w.users["county"])
    assert fresh(unit).name == "古楼街道维修组" and unit.region == w.county
    assert MaintenanceUnit.objects.count() == 1


def test_deactivating_a_unit(equipment, order, unit):
    county = equipment.users["county"]
    with pytest.raises(ServiceError) as e:
        units.deactivate_unit(unit, actor=county)
    assert e.value.code == "unit_has_open_orders" and fresh(unit).active
    services.cancel(order, actor=county, reason="r")
    assert not units.deactivate_unit(unit, actor=county).active
    with pytest.raises(ServiceError) as e:
        services.create_work_order(actor=county, description="x", equipment=equipment.pieces[1], unit=fresh(unit))
    assert e.value.code == "unit_not_serving"
    assert units.update_unit(unit, {"active": True}, actor=county).active


def test_unit_staff_membership(equipment, unit):
    county = equipment.users["county"]
    person = make_user("13700000030", "新维修工", seq=30)
    assert units.find_user_by_phone("137 0000 0030") == person
    with pytest.raises(ServiceError) as e:
        units.find_user_by_phone("13799999999")
    assert e.value.code == "user_not_found"
    with pytest.raises(ServiceError) as e:
        units.find_user_by_phone("12345")
    assert e.value.code == "phone_invalid"
    m = units.add_unit_staff(unit, person, actor=county)
    assert (m.role, m.target, m.region_id) == (Role.ORG_STAFF, unit, unit.region_id)
    units.add_unit_staff(unit, person, actor=county)  # twice: one membership
    assert Membership.objects.filter(user=person).count() == 1
    assert AuditEntry.objects.filter(action="grant_role", target_id=str(person.pk)).exists()
    person = type(person).objects.get(pk=person.pk)
    assert permissions.unit_ids(person) == {unit.pk} and permissions.can_read(person)
    assert not scoping.is_division_staff(person)
    with pytest.raises(ServiceError):
        units.add_unit_staff(unit, person, actor=equipment.users["other_county"])
    assert units.remove_unit_staff(unit, person.pk, actor=county) == 1
    assert not Membership.objects.filter(user=person).exists()


# --- pieces past their design life -------------------------------------------------------------------------------

def test_pieces_past_design_life(equipment):
    w = equipment
    due = selectors.due_for_replacement(w.users["county"], today=datetime.date(2026, 12, 3))
    assert [p.pk for p in due] == [w.pieces[2].pk]  # 2015 + 8 years; the 2019 pieces are due in May 2027
    later = selectors.due_for_replacement(w.users["county"], today=datetime.date(2027, 5, 1))
    assert {p.pk for p in later} == {p.pk for p in w.pieces}
    assert selectors.due_for_replacement(w.users["county"], today=datetime.date(2027, 4, 30)).count() == 1
    assert set(selectors.due_for_replacement(w.users["city"], today=datetime.date(2026, 12, 3))) == {
        w.pieces[2], w.other_pieces[2]}
    Equipment.objects.filter(pk=w.pieces[2].pk).update(status=Equipment.Status.REMOVED)
    assert selectors.due_for_replacement(w.users["county"], today=datetime.date(2026, 12, 3)).count() == 0


def test_design_life_on_29_february(equipment):
    piece = equipment.pieces[0]
    Equipment.objects.filter(pk=piece.pk).update(install_date=datetime.date(2016, 2, 29), design_life_years=1)
    piece.refresh_from_db()
    assert piece.replace_due == datetime.date(2017, 2, 28)
    qs = Equipment.objects.filter(pk=piece.pk)
    assert not qs.filter(equipment_services.past_design_life_q(datetime.date(2017, 2, 27))).exists()
    assert qs.filter(equipment_services.past_design_life_q(datetime.date(2017, 2, 28))).exists()


def test_bulk_replacement_orders_are_idempotent(equipment, unit):
    w = equipment
    county = w.users["county"]
    due = list(selectors.due_for_replacement(county, today=datetime.date(2027, 6, 1)))
    first = services.open_replacement_orders(due, actor=county, unit=unit)
    assert len(first["created"]) == 3 and first["skipped"] == []
    for o in first["created"]:
        assert (o.kind, o.source, o.severity, o.status, o.unit) == ("replace", "design_life", "low", "assigned", unit)
    # Pressing the button again opens nothing new.
    again = services.open_replacement_orders(due, actor=county)
    assert again["created"] == [] and len(again["skipped"]) == 3
    assert WorkOrder.objects.filter(kind="replace").count() == 3
    # A piece that is not in service anymore stays as it is: a replacement order is not a defect.
    assert fresh(w.pieces[0]).status == Equipment.Status.IN_SERVICE
    listed = selectors.due_for_replacement(county, today=datetime.date(2027, 6, 1))
    assert all(p.open_replace for p in listed)
    with pytest.raises(ServiceError) as e:
        services.create_work_order(actor=county, description="x", kind="replace", equipment=w.pieces[0])
    assert e.value.code == "replace_order_open"
    # Once cancelled, a new replacement order may be opened.
    services.cancel(first["created"][0], actor=county, reason="r")
    third = services.open_replacement_orders(due, actor=county)
    assert len(third["created"]) == 1


def test_photo_model_scope(order, unit_staff, other_unit_staff, equipment):
    services.add_photo(order, upload(png()), "before", actor=unit_staff)
    assert scoping.scoped(unit_staff, WorkOrderPhoto.objects.all()).count() == 1
    assert scoping.scoped(other_unit_staff, WorkOrderPhoto.objects.all()).count() == 0
    assert scoping.scoped(equipment.users["other_county"], WorkOrderPhoto.objects.all()).count() == 0
