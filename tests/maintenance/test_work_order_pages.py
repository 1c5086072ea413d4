"""Work-order pages through Django's test client: the list with its filters (bad ones answer 400 with
a message, never 500), the Excel export, new orders, one order and every action on it (with its
errors), photos (good, wrong type, oversized, truncated) and how they are served, the unit worker's
phone page (units, their staff and pieces past design life: test_unit_pages.py); and scoping: another
county's staff get 404, a resident 403, strangers are sent to sign in, a unit's staff see their unit's
orders only."""

import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quanmin.accounts.models import AuditEntry
from quanmin.core import photos
from quanmin.facilities.models import Equipment
from quanmin.maintenance import services, units
from quanmin.maintenance.models import WorkOrder, WorkOrderPhoto

from .test_work_orders import fresh, png, upload

S = WorkOrder.Status
LIST = reverse("maintenance:work_orders")


def en(user=None) -> Client:
    """A client that reads the pages in English (messages are asserted in the source language)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def url(name, *args) -> str:
    return reverse(f"maintenance:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow_messages(client, response) -> list[str]:
    """Messages shown on the page a redirect leads to."""
    assert response.status_code == 302, response.status_code
    return messages_of(client.get(response["Location"]))


def truncated_png() -> bytes:
    data = png((300, 300), color=(10, 200, 10))
    return data[: len(data) // 2]


def truncated_jpeg() -> bytes:
    """Half a phone photo: the header reads fine (Django's own check passes), the picture does not."""
    from PIL import Image

    buf = io.BytesIO()
    Image.effect_noise((300, 300), 50).convert("RGB").save(buf, "JPEG")
    return buf.getvalue()[: len(buf.getvalue()) // 2]


def gif() -> bytes:
    return png(fmt="GIF")


# --- the list ---------------------------------------------------------------------------------------------

def test_the_list_is_scoped(equipment, order, unit_staff, other_unit_staff):
    other = services.create_work_order(actor=equipment.users["other_county"], description="邻县的单子",
                                       equipment=equipment.other_pieces[0])
    county = text(en(equipment.users["county"]).get(LIST))
    assert order.number in county and other.number not in county
    neighbour = text(en(equipment.users["other_county"]).get(LIST))
    assert other.number in neighbour and order.number not in neighbour
    city = text(en(equipment.users["city"]).get(LIST))
    assert order.number in city and other.number in city
    assert order.number in text(en(equipment.users["supervisor"]).get(LIST))
    # A unit's staff: the orders assigned to their unit, and nothing else.
    mine = en(unit_staff).get(LIST)
    assert mine.status_code == 200 and order.number in text(mine) and other.number not in text(mine)
    assert order.number not in text(en(other_unit_staff).get(LIST))
    # Only division writers get the "new work order" button.
    assert url("work_order_new") in county and url("work_order_new") not in text(mine)


def test_residents_and_strangers_are_kept_out(equipment, order):
    assert en(equipment.users["resident"]).get(LIST).status_code == 403
    response = en().get(LIST)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for name, args in [("work_order", (order.pk,)), ("work_orders_export", ()), ("my_orders", ()),
                       ("units", ()), ("replacements", ()), ("work_order_new", ())]:
        assert en(equipment.users["resident"]).get(url(name, *args)).status_code == 403, name
        assert en().get(url(name, *args)).status_code == 302, name


def _orders_for_filters(equipment, unit):
    county = equipment.users["county"]
    repair = services.create_work_order(actor=county, description="踏板松动", equipment=equipment.pieces[0],
                                        unit=unit)
    urgent = services.create_work_order(actor=county, description="单杠断裂", equipment=equipment.pieces[2],
                                        severity="urgent", kind="replace")
    late = services.create_work_order(actor=county, description="去年的单子", equipment=equipment.pieces[1],
                                      now=timezone.now() - timezone.timedelta(days=60))
    return repair, urgent, late


@pytest.mark.parametrize("query,expect", [
    ("", {"repair", "urgent", "late"}),
    ("?status=open", {"repair", "urgent", "late"}),
    ("?status=assigned", {"repair"}),
    ("?status=closed", set()),
    ("?kind=replace", {"urgent"}),
    ("?severity=urgent", {"urgent"}),
    ("?source=staff", {"repair", "urgent", "late"}),
    ("?overdue=1", {"late"}),
    ("?region=371502001001", {"repair", "urgent", "late"}),
    ("?region=371503", set()),
    ("?created_to=2000-01-01", set()),
    ("?created_from=2000-01-01&created_to=9999-12-31", {"repair", "urgent", "late"}),
    ("?page=abc", {"repair", "urgent", "late"}),
    ("?page=999", {"repair", "urgent", "late"}),
])
def test_list_filters(equipment, unit, query, expect):
    orders = dict(zip(["repair", "urgent", "late"], _orders_for_filters(equipment, unit), strict=True))
    response = en(equipment.users["county"]).get(LIST + query)
    assert response.status_code == 200
    shown = {key for key, o in orders.items() if o.number in text(response)}
    assert shown == expect


def test_list_filters_by_unit_and_number_or_tag(equipment, unit):
    repair, urgent, late = _orders_for_filters(equipment, unit)
    client = en(equipment.users["county"])
    page = text(client.get(f"{LIST}?unit={unit.pk}"))
    assert repair.number in page and urgent.number not in page
    page = text(client.get(f"{LIST}?q={urgent.number.lower()}"))
    assert urgent.number in page and repair.number not in page
    page = text(client.get(f"{LIST}?q={equipment.pieces[1].tag}"))
    assert late.number in page and repair.number not in page
    # The overdue flag and the counts per status.
    response = client.get(LIST)
    assert "overdue" in text(response) and response.context["counts"]["overdue"] == 1
    assert response.context["counts"]["assigned"] == 1 and response.context["counts"]["total"] == 3


@pytest.mark.parametrize("query,field", [
    ("status=finished", "status"),
    ("kind=rebuild", "kind"),
    ("severity=extreme", "severity"),
    ("source=rumour", "source"),
    ("unit=abc", "unit"),
    ("unit=-3", "unit"),
    ("unit=99999999999999999999999", "unit"),
    ("region=123", "region"),
    ("region=abcdef", "region"),
    ("created_from=2026-13-01", "created_from"),
    ("created_to=yesterday", "created_to"),
])
def test_bad_filters_answer_400_with_a_message(equipment, order, query, field):
    client = en(equipment.users["county"])
    for page in (LIST, url("work_orders_export")):
        response = client.get(f"{page}?{query}")
        assert response.status_code == 400, (page, query)
        assert response.context["error"].field == field
        shown = messages_of(response)
        assert shown and shown[0] == str(response.context["error"].message)
        assert order.number not in text(response)


def test_filters_never_break_on_odd_values(equipment, order):
    client = en(equipment.users["county"])
    # The input layer refuses a NUL byte before any view (core/middleware.py): 400, not 500.
    assert client.get(f"{LIST}?q=%00").status_code == 400
    # The rest are applied as written (a 500-letter search matches nothing) or read as no filter
    # (an unknown yes/no, empty choices, a page before the first: the list from its start).
    for query, shown in (("created_from=0001-01-01", True), ("created_to=9999-12-31", True), ("q=" + "x" * 500, False),
                         ("overdue=maybe", True), ("status=&kind=&unit=", True), ("region=37", True),
                         ("page=-1", True)):
        response = client.get(f"{LIST}?{query}")
        assert response.status_code == 200 and (order.number in text(response)) == shown, query


# --- the Excel export --------------------------------------------------------------------------------------

def _sheet(response):
    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(ws.iter_rows(values_only=True))


def test_excel_export_is_scoped_and_filtered(equipment, unit):
    repair, urgent, late = _orders_for_filters(equipment, unit)
    other = services.create_work_order(actor=equipment.users["other_county"], description="邻县",
                                       equipment=equipment.other_pieces[0])
    rows = _sheet(en(equipment.users["county"]).get(url("work_orders_export")))
    header, body = rows[0], rows[1:]
    assert header[0] == "Number" and "Deadline" in header and "Overdue" in header
    numbers = {r[0] for r in body}
    assert numbers == {repair.number, urgent.number, late.number} and other.number not in numbers
    row = next(r for r in body if r[0] == late.number)
    assert row[header.index("Overdue")] == "yes" and row[header.index("Equipment tag")] == equipment.pieces[1].tag
    assert row[header.index("Maintenance unit")] in ("", None)
    assert next(r for r in body if r[0] == repair.number)[header.index("Maintenance unit")] == unit.name
    # The filters of the list apply.
    rows = _sheet(en(equipment.users["county"]).get(url("work_orders_export") + "?severity=urgent"))
    assert [r[0] for r in rows[1:]] == [urgent.number]
    assert AuditEntry.objects.filter(action="work_order.export", actor=equipment.users["county"]).count() == 2
    # A unit's staff export their unit's orders only; the neighbouring county none of ours.
    assert {r[0] for r in _sheet(en(equipment.users["other_county"]).get(url("work_orders_export")))[1:]} == {
        other.number}


def test_excel_export_for_unit_staff(equipment, order, unit_staff, other_unit_staff):
    assert [r[0] for r in _sheet(en(unit_staff).get(url("work_orders_export")))[1:]] == [order.number]
    assert _sheet(en(other_unit_staff).get(url("work_orders_export")))[1:] == []


# --- new orders ---------------------------------------------------------------------------------------------

def test_new_order_by_tag(equipment, unit):
    client = en(equipment.users["county"])
    piece = equipment.pieces[0]
    page = client.get(url("work_order_new") + f"?tag={piece.tag}&severity=high")
    assert page.status_code == 200 and page.context["form"].initial["tag"] == piece.tag
    response = client.post(url("work_order_new"), {
        "tag": piece.tag.lower(), "kind": "repair", "severity": "high", "description": "座椅开裂",
        "unit": unit.pk, "photos": [upload(png()), upload(png(fmt="JPEG"), "b.jpg", "image/jpeg")]})
    o = WorkOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == url("work_order", o.pk)
    assert (o.equipment, o.unit, o.status, o.severity, o.created_by) == (piece, unit, S.ASSIGNED, "high",
                                                                        equipment.users["county"])
    assert list(o.photos.values_list("stage", flat=True)) == ["before", "before"]
    assert fresh(piece).status == Equipment.Status.DEFECTIVE
    assert any(o.number in m for m in follow_messages(client, response))


def test_new_order_by_facility(equipment):
    client = en(equipment.users["county"])
    form = client.get(url("work_order_new")).context["form"]
    # A short list in scope: a picker, with the county's fitness path and without the neighbour's.
    choices = [value for value, _label in form.fields["facility"].choices]
    assert equipment.path.pk in choices and equipment.other_path.pk not in choices
    response = client.post(url("work_order_new"), {"facility": equipment.path.pk, "kind": "service",
                                                   "severity": "low", "description": "整体保养"})
    o = WorkOrder.objects.get()
    assert response.status_code == 302
    assert (o.facility, o.equipment, o.site, o.status, o.kind) == (equipment.path, None, equipment.site, S.OPEN,
                                                                  "service")


@pytest.mark.parametrize("data,field,message", [
    ({"description": "x"}, None, "Give the equipment tag or choose a facility."),
    ({"tag": "NOSUCHTAG", "description": "x"}, "tag", "No piece with this tag in the divisions you look after."),
    ({"tag": "{other_tag}", "description": "x"}, "tag", "No piece with this tag in the divisions you look after."),
    ({"facility": "{other_path}", "description": "x"}, "facility", "Select a valid choice."),
    ({"tag": "{tag}", "description": "   "}, "description", "This field is required."),
    ({"tag": "{tag}", "description": "x", "kind": "rebuild"}, "kind", "Select a valid choice."),
    ({"tag": "{tag}", "description": "x", "unit": "{other_unit}"}, "unit", "Select a valid choice."),
    ({"tag": "{tag}", "description": "x", "unit": "abc"}, "unit", "Select a valid choice."),
])
def test_new_order_errors_change_nothing(equipment, data, field, message):
    other_unit = units.create_unit(actor=equipment.users["other_county"], region=equipment.other_county,
                                      name="茌平维修队")
    values = {"tag": equipment.pieces[0].tag, "other_tag": equipment.other_pieces[0].tag,
              "other_path": equipment.other_path.pk, "other_unit": other_unit.pk}
    body = {"kind": "repair", "severity": "normal", **{k: str(v).format(**values) for k, v in data.items()}}
    response = en(equipment.users["county"]).post(url("work_order_new"), body)
    assert response.status_code == 400
    errors = response.context["form"].errors.get(field or "__all__")
    assert errors and any(message in e for e in errors), response.context["form"].errors
    assert not WorkOrder.objects.exists()
    assert fresh(equipment.pieces[0]).status == Equipment.Status.IN_SERVICE


@pytest.mark.parametrize("photo,message", [
    (lambda: upload(b"not an image at all", "note.png"), "Upload a valid image"),
    (lambda: upload(gif(), "anim.gif", "image/gif"), "Upload a JPEG, PNG or WebP photo."),
    (lambda: upload(truncated_png(), "cut.png"), "corrupted image"),
    (lambda: upload(truncated_jpeg(), "cut.jpg", "image/jpeg"), "cannot be read"),
])
def test_new_order_with_a_bad_photo_opens_nothing(equipment, photo, message):
    response = en(equipment.users["county"]).post(url("work_order_new"), {
        "tag": equipment.pieces[0].tag, "kind": "repair", "severity": "normal", "description": "座椅开裂",
        "photos": [upload(png()), photo()]})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors.get("photos", []))
    assert not WorkOrder.objects.exists() and not WorkOrderPhoto.objects.exists()
    assert fresh(equipment.pieces[0]).status == Equipment.Status.IN_SERVICE


def test_the_new_order_page_is_for_division_writers(equipment, unit_staff):
    assert en(equipment.users["supervisor"]).get(url("work_order_new")).status_code == 403
    assert en(unit_staff).get(url("work_order_new")).status_code == 403
    response = en(equipment.users["supervisor"]).post(url("work_order_new"), {
        "tag": equipment.pieces[0].tag, "description": "x", "kind": "repair", "severity": "normal"})
    assert response.status_code == 403 and not WorkOrder.objects.exists()


# --- one order and its actions --------------------------------------------------------------------------------

def test_detail_is_scoped(equipment, order, unit_staff, other_unit_staff):
    page = en(equipment.users["county"]).get(url("work_order", order.pk))
    assert page.status_code == 200 and order.number in text(page) and "踏板松动" in text(page)
    assert page.context["actions"] == {"assign", "start", "complete", "cancel", "photo"}
    assert en(equipment.users["other_county"]).get(url("work_order", order.pk)).status_code == 404
    assert en(other_unit_staff).get(url("work_order", order.pk)).status_code == 404
    assert en(equipment.users["resident"]).get(url("work_order", order.pk)).status_code == 403
    assert en(equipment.users["county"]).get(url("work_order", 999999)).status_code == 404
    worker = en(unit_staff).get(url("work_order", order.pk))
    assert worker.status_code == 200 and worker.context["actions"] == {"start", "complete", "photo"}
    reader = en(equipment.users["supervisor"]).get(url("work_order", order.pk))
    assert reader.status_code == 200 and reader.context["actions"] == set()
    assert "You can read this work order but not change it." in text(reader)


def test_the_whole_way_through_the_pages(equipment, unit, other_unit, unit_staff):
    county, worker = en(equipment.users["county"]), en(unit_staff)
    piece = equipment.pieces[0]
    county.post(url("work_order_new"), {"tag": piece.tag, "kind": "repair", "severity": "normal",
                                        "description": "座椅开裂"})
    o = WorkOrder.objects.get()
    assert o.status == S.OPEN
    r = county.post(url("work_order_assign", o.pk), {"unit": other_unit.pk})
    assert r.status_code == 302 and fresh(o).unit == other_unit
    assert any(other_unit.name in m for m in follow_messages(county, r))
    # The first unit's staff cannot see the order any more; reassigned to their unit, they can.
    assert worker.get(url("work_order", o.pk)).status_code == 404
    county.post(url("work_order_assign", o.pk), {"unit": unit.pk})
    assert fresh(o).unit == unit
    assert worker.post(url("work_order_start", o.pk)).status_code == 302 and fresh(o).status == S.IN_PROGRESS
    r = worker.post(url("work_order_complete", o.pk), {"resolution": "更换座椅",
                                                      "photos": [upload(png(color=(0, 0, 200)))]})
    assert r.status_code == 302 and fresh(o).status == S.DONE
    assert o.photos.filter(stage="after").count() == 1
    r = county.post(url("work_order_verify", o.pk), {"decision": "refuse", "note": "仍有松动"})
    assert r.status_code == 302 and fresh(o).status == S.IN_PROGRESS
    worker.post(url("work_order_complete", o.pk), {"resolution": "再次紧固"})
    r = county.post(url("work_order_verify", o.pk), {"decision": "accept"})
    assert r.status_code == 302 and fresh(o).status == S.VERIFIED
    assert fresh(piece).status == Equipment.Status.IN_SERVICE
    page = county.get(url("work_order", o.pk))
    assert page.context["actions"] == set() and "仍有松动" in text(page) and "再次紧固" in text(page)


@pytest.mark.parametrize("action,data,field,message", [
    ("assign", {}, "unit", "This field is required."),
    ("assign", {"unit": "abc"}, "unit", "Select a valid choice."),
    ("complete", {"resolution": "  "}, "resolution", "Say what was done, or upload at least one photo"),
    ("complete", {"resolution": "x" * 4001}, "resolution", "at most 4000 characters"),
    ("verify", {"decision": "accept"}, None, "cannot be moved that way"),
    ("verify", {"decision": "maybe"}, "decision", "Select a valid choice."),
    ("cancel", {"reason": ""}, "reason", "This field is required."),
    ("cancel", {"reason": "x" * 201}, "reason", "at most 200 characters"),
    ("photo", {"stage": "after"}, "photos", "This field is required."),
    ("photo", {"stage": "during", "photos": "PNG"}, "stage", "Select a valid choice."),
])
def test_action_errors_answer_400_and_change_nothing(equipment, order, action, data, field, message):
    if data.get("photos") == "PNG":
        data = {**data, "photos": upload(png())}
    names = {"assign": "work_order_assign", "complete": "work_order_complete", "verify": "work_order_verify",
             "cancel": "work_order_cancel", "photo": "work_order_photos"}
    before = (order.status, order.unit_id, fresh(order).events.count())
    response = en(equipment.users["county"]).post(url(names[action], order.pk), data)
    assert response.status_code == 400
    form = response.context[f"{action}_form"]
    errors = " ".join(form.errors.get(field or "__all__", []))
    assert message in errors, form.errors
    assert message in text(response)  # shown: beside the form, or at the top when the form is not offered
    o = fresh(order)
    assert (o.status, o.unit_id, o.events.count()) == before and not o.photos.exists()


def test_a_unit_not_serving_the_division_is_refused(equipment, order):
    other = units.create_unit(actor=equipment.users["other_county"], region=equipment.other_county, name="茌平队")
    response = en(equipment.users["county"]).post(url("work_order_assign", order.pk), {"unit": other.pk})
    assert response.status_code == 400 and fresh(order).unit_id == order.unit_id


def test_a_second_press_is_told_the_state(equipment, order, unit_staff):
    client = en(unit_staff)
    assert client.post(url("work_order_start", order.pk)).status_code == 302
    response = client.post(url("work_order_start", order.pk))
    assert response.status_code == 400
    assert "This work order is In progress and cannot be moved that way." in text(response)
    cancelled = services.cancel(fresh(order), actor=equipment.users["county"], reason="重复")
    for name, data in [("work_order_assign", {"unit": order.unit_id}), ("work_order_cancel", {"reason": "r"}),
                       ("work_order_complete", {"resolution": "r"})]:
        response = en(equipment.users["county"]).post(url(name, cancelled.pk), data)
        assert response.status_code == 400, name
        assert "cannot be moved that way" in text(response)
    assert fresh(order).status == S.CANCELLED


def test_who_may_press_which_button(equipment, order, unit_staff, other_unit_staff):
    supervisor, worker = en(equipment.users["supervisor"]), en(unit_staff)
    # Managing is for division writers: the unit's staff and supervisors get 403.
    for name, data in [("work_order_assign", {"unit": order.unit_id}), ("work_order_cancel", {"reason": "r"}),
                       ("work_order_verify", {"decision": "accept"})]:
        assert worker.post(url(name, order.pk), data).status_code == 403, name
        assert supervisor.post(url(name, order.pk), data).status_code == 403, name
    # Working is for the unit's staff and the managers; supervisors read only.
    assert supervisor.post(url("work_order_start", order.pk)).status_code == 403
    assert supervisor.post(url("work_order_photos", order.pk), {"stage": "before",
                                                                "photos": upload(png())}).status_code == 403
    # Another county's staff and another unit's staff do not find the order at all.
    for client in (en(equipment.users["other_county"]), en(other_unit_staff)):
        for name in ("work_order_start", "work_order_assign", "work_order_cancel", "work_order_photos"):
            assert client.post(url(name, order.pk), {"reason": "r"}).status_code == 404, name
    # GET on an action is not allowed.
    assert en(equipment.users["county"]).get(url("work_order_start", order.pk)).status_code == 405
    o = fresh(order)
    assert o.status == S.ASSIGNED and not o.photos.exists()


def test_actions_from_the_phone_page_go_back_there(equipment, order, unit_staff):
    client, back = en(unit_staff), url("my_orders") + f"#order-{order.pk}"
    response = client.post(url("work_order_start", order.pk), {"next": back})
    assert response.status_code == 302 and response["Location"] == back and fresh(order).status == S.IN_PROGRESS
    # An error goes back too, with the message.
    response = client.post(url("work_order_complete", order.pk), {"next": back, "resolution": ""})
    assert response.status_code == 302 and response["Location"] == back
    assert any("Say what was done" in m for m in follow_messages(client, response))
    assert fresh(order).status == S.IN_PROGRESS
    # Another site is no place to go back to.
    response = client.post(url("work_order_complete", order.pk), {"next": "https://evil.example/x",
                                                                  "resolution": "好了"})
    assert response.status_code == 302 and response["Location"] == url("work_order", order.pk)


# --- photos -------------------------------------------------------------------------------------------------

def test_photo_uploads(equipment, order, unit_staff):
    client = en(unit_staff)
    response = client.post(url("work_order_photos", order.pk),
                           {"stage": "before", "photos": [upload(png()), upload(png(fmt="WEBP"), "a.webp",
                                                                                "image/webp")]})
    assert response.status_code == 302
    assert any("Photos added: 2." in m for m in follow_messages(client, response))
    assert list(order.photos.values_list("stage", flat=True)) == ["before", "before"]
    names = [p.image.name for p in order.photos.all()]
    assert all(n.endswith((".png", ".webp")) and "photo" not in n for n in names)  # random names, true types


@pytest.mark.parametrize("photo,message", [
    (lambda: upload(b"%PDF-1.4 not an image", "scan.jpg", "image/jpeg"), "Upload a valid image"),
    (lambda: upload(gif(), "a.gif", "image/gif"), "Upload a JPEG, PNG or WebP photo."),
    (lambda: upload(truncated_png(), "cut.png"), "either not an image or a corrupted image"),
    (lambda: upload(truncated_jpeg(), "cut.jpg", "image/jpeg"),
     "The photo cannot be read: it may be damaged or cut short."),
    (lambda: upload(png() + b"\0" * (photos.MAX_BYTES + 1 - len(png())), "big.png"),
     "The photo is too large: at most 8 MB."),
])
def test_bad_photos_get_a_clear_error_and_nothing_is_kept(equipment, order, unit_staff, settings, photo, message):
    import os

    client = en(unit_staff)
    response = client.post(url("work_order_photos", order.pk), {"stage": "before", "photos": [upload(png()), photo()]})
    assert response.status_code == 400
    assert message in " ".join(response.context["photo_form"].errors.get("photos", []))
    assert not order.photos.exists()
    # Not even the good photo's file is left behind.
    stored = [f for _root, _dirs, files in os.walk(settings.MEDIA_ROOT) for f in files]
    assert stored == []
    # From the phone page: back there with the message.
    response = client.post(url("work_order_photos", order.pk),
                           {"stage": "before", "photos": photo(), "next": url("my_orders")})
    assert response.status_code == 302 and response["Location"] == url("my_orders")
    assert any(message in m for m in follow_messages(client, response))
    assert not order.photos.exists()


def test_too_many_photos_at_once(equipment, order, unit_staff):
    response = en(unit_staff).post(url("work_order_photos", order.pk),
                                   {"stage": "before", "photos": [upload(png()) for _ in range(7)]})
    assert response.status_code == 400 and "At most 6 photos at a time." in text(response)
    assert not order.photos.exists()


def test_before_photos_stop_once_the_work_is_done(equipment, order, unit_staff):
    services.complete(order, actor=unit_staff, resolution="好了")
    response = en(unit_staff).post(url("work_order_photos", order.pk), {"stage": "before", "photos": upload(png())})
    assert response.status_code == 400 and "no more before photos" in text(response)
    assert en(unit_staff).post(url("work_order_photos", order.pk),
                               {"stage": "after", "photos": upload(png())}).status_code == 302


def test_photos_are_served_to_those_who_may_see_the_order(equipment, order, unit_staff, other_unit_staff):
    data = png()
    photo = services.add_photo(order, upload(data), "before", actor=unit_staff)
    address = url("work_order_photo", photo.pk)
    for user in (equipment.users["county"], equipment.users["city"], equipment.users["supervisor"], unit_staff):
        response = en(user).get(address)
        assert response.status_code == 200 and b"".join(response.streaming_content) == data
        assert "private" in response["Cache-Control"]
    assert en(equipment.users["other_county"]).get(address).status_code == 404
    assert en(other_unit_staff).get(address).status_code == 404
    assert en(equipment.users["resident"]).get(address).status_code == 403
    assert en().get(address).status_code == 302
    assert en(equipment.users["county"]).get(url("work_order_photo", 999999)).status_code == 404
    # A photo whose file is gone answers 404, not 500.
    photo.image.storage.delete(photo.image.name)
    assert en(equipment.users["county"]).get(address).status_code == 404
    # The page shows it through this address, never /media/.
    page = text(en(equipment.users["county"]).get(url("work_order", order.pk)))
    assert address in page and "/media/" not in page


def test_inspection_check_photos_are_scoped(equipment, unit, unit_staff, other_unit_staff):
    from quanmin.maintenance import inspections
    from quanmin.maintenance.models import Check

    inspector = equipment.users["community"]
    plan = inspections.create_plan(actor=equipment.users["county"], data={
        "name": "日常巡检", "kind": "daily", "region": equipment.community.code, "inspector": inspector,
        "starts_on": timezone.localdate()})
    round_ = plan.rounds.get(scheduled_for=timezone.localdate())
    check = Check(round=round_, equipment=equipment.pieces[0], result="defect", checked_at=timezone.now(),
                  checked_by=inspector)
    check.photo.save("check.png", ContentFile(png()), save=True)
    address = url("check_photo", check.pk)
    for user in (inspector, equipment.users["county"], equipment.users["city"]):
        assert en(user).get(address).status_code == 200
    for user in (equipment.users["other_county"], equipment.users["resident"], unit_staff):
        assert en(user).get(address).status_code == 404
    # The staff of the unit working on the check's order see it.
    services.create_work_order(actor=inspector, description="踏板断裂", equipment=equipment.pieces[0], unit=unit,
                               source="inspection", inspection_check=check)
    assert en(unit_staff).get(address).status_code == 200
    assert en(other_unit_staff).get(address).status_code == 404
    assert en().get(address).status_code == 302
    assert en(inspector).get(url("check_photo", 999999)).status_code == 404
    no_photo = Check.objects.create(round=round_, equipment=equipment.pieces[1], result="ok",
                                    checked_at=timezone.now(), checked_by=inspector)
    assert en(inspector).get(url("check_photo", no_photo.pk)).status_code == 404


# --- the unit worker's phone page --------------------------------------------------------------------------

def test_my_orders(equipment, order, unit_staff, other_unit_staff):
    mine = en(unit_staff).get(url("my_orders"))
    assert mine.status_code == 200 and order.number in text(mine)
    assert 'name="viewport"' in text(mine)
    assert url("work_order_start", order.pk) in text(mine) and 'capture="environment"' in text(mine)
    assert order.unit.name in text(mine)
    assert order.number not in text(en(other_unit_staff).get(url("my_orders")))
    # Division staff see the orders under way in their divisions; the neighbouring county does not.
    assert order.number in text(en(equipment.users["county"]).get(url("my_orders")))
    assert order.number not in text(en(equipment.users["other_county"]).get(url("my_orders")))
    # Done, it waits for the check; verified, it is gone.
    services.complete(order, actor=unit_staff, resolution="好了")
    assert "Waiting for the division to check the work." in text(en(unit_staff).get(url("my_orders")))
    services.verify(fresh(order), actor=equipment.users["county"])
    assert order.number not in text(en(unit_staff).get(url("my_orders")))


def test_my_orders_overdue_first(equipment, unit, unit_staff):
    county = equipment.users["county"]
    fresh_one = services.create_work_order(actor=county, description="新", equipment=equipment.pieces[0], unit=unit)
    late = services.create_work_order(actor=county, description="旧", equipment=equipment.pieces[1], unit=unit,
                                      now=timezone.now() - timezone.timedelta(days=40))
    page = en(unit_staff).get(url("my_orders"))
    numbers = [o.number for o in page.context["page"]]
    assert numbers == [late.number, fresh_one.number]
    assert 'class="order-card overdue"' in text(page)


def test_the_worker_does_the_job_from_the_phone(equipment, order, unit_staff):
    client, back = en(unit_staff), url("my_orders")
    assert client.post(url("work_order_start", order.pk), {"next": back})["Location"] == back
    r = client.post(url("work_order_photos", order.pk), {"next": back, "stage": "before", "photos": upload(png())})
    assert r["Location"] == back
    r = client.post(url("work_order_complete", order.pk),
                    {"next": back, "resolution": "", "photos": upload(png(color=(1, 2, 3)))})
    assert r["Location"] == back
    o = fresh(order)
    assert o.status == S.DONE and o.photos.filter(stage="after").count() == 1

