"""Maintenance-unit pages (units, their staff, scoping) and the list of pieces past their design life,
through Django's test client; split from test_work_order_pages.py, whose helpers they share."""

import pytest

from quanmin.accounts.models import AuditEntry, Membership, Role
from quanmin.facilities.models import Equipment
from quanmin.maintenance import permissions, services, units
from quanmin.maintenance.models import MaintenanceUnit, WorkOrder
from tests.conftest import make_user

from .test_work_order_pages import LIST, S, en, follow_messages, text, url
from .test_work_orders import fresh

# --- maintenance units -----------------------------------------------------------------------------------------

def test_units_list_is_scoped(equipment, unit, order, unit_staff):
    neighbour = units.create_unit(actor=equipment.users["other_county"], region=equipment.other_county,
                                     name="茌平区维修队")
    county = en(equipment.users["county"]).get(url("units"))
    assert unit.name in text(county) and neighbour.name not in text(county)
    assert "139****0001" in text(county) and "13900000001" not in text(county)
    assert county.context["page"][0].open_orders == 1
    other = text(en(equipment.users["other_county"]).get(url("units")))
    assert neighbour.name in other and unit.name not in other
    # A unit's staff see their own unit.
    assert unit.name in text(en(unit_staff).get(url("units")))
    units.deactivate_unit(neighbour, actor=equipment.users["other_county"])
    assert neighbour.name not in text(en(equipment.users["city"]).get(url("units")))
    assert neighbour.name in text(en(equipment.users["city"]).get(url("units") + "?show=all"))


def test_create_a_unit(equipment):
    client = en(equipment.users["county"])
    form = client.get(url("unit_new")).context["form"]
    codes = [c for c, _label in form.fields["region"].choices]
    assert equipment.county.code in codes and equipment.township.code in codes
    assert equipment.other_county.code not in codes
    response = client.post(url("unit_new"), {"name": "古楼街道维修组", "region": equipment.township.code,
                                             "contact": "李师傅", "phone": "139 0000 0002"})
    created = MaintenanceUnit.objects.get(name="古楼街道维修组")
    assert response.status_code == 302 and response["Location"] == url("unit", created.pk)
    assert created.region == equipment.township and created.phone == "13900000002"


@pytest.mark.parametrize("data,field", [
    ({"name": ""}, "name"),
    ({"region": "371503000000"}, "region"),
    ({"region": "999999999999"}, "region"),
    ({"phone": "call me"}, "phone"),
    ({"name": "x" * 121}, "name"),
])
def test_bad_units_are_refused(equipment, data, field):
    body = {"name": "维修队", "region": equipment.county.code, "contact": "", "phone": "", **data}
    response = en(equipment.users["county"]).post(url("unit_new"), body)
    assert response.status_code == 400 and response.context["form"].errors.get(field)
    assert not MaintenanceUnit.objects.exists()


def test_unit_pages_are_for_the_right_people(equipment, unit, unit_staff):
    assert en(equipment.users["supervisor"]).get(url("unit_new")).status_code == 403
    assert en(unit_staff).get(url("unit_new")).status_code == 403
    assert en(equipment.users["other_county"]).get(url("unit", unit.pk)).status_code == 404
    assert en(equipment.users["resident"]).get(url("unit", unit.pk)).status_code == 403
    assert en(equipment.users["county"]).get(url("unit", 999999)).status_code == 404
    for name, data in [("unit_active", {"active": "0"}), ("unit_staff_add", {"phone": "13700000007"}),
                       ("unit_staff_remove", {"user": unit_staff.pk})]:
        assert en(equipment.users["other_county"]).post(url(name, unit.pk), data).status_code == 404, name
        assert en(equipment.users["supervisor"]).post(url(name, unit.pk), data).status_code == 403, name
        assert en(unit_staff).post(url(name, unit.pk), data).status_code == 403, name
    assert en(equipment.users["supervisor"]).post(url("unit", unit.pk), {"name": "x"}).status_code == 403
    assert en(unit_staff).post(url("unit", unit.pk), {"name": "x"}).status_code == 403
    assert fresh(unit).name == "东昌府区器材维修队" and fresh(unit).active
    assert Membership.objects.filter(target_id=unit.pk, role=Role.ORG_STAFF).count() == 1


def test_unit_page_phone_masked_for_readers_and_read_logged_for_writers(equipment, unit, unit_staff):
    county = en(equipment.users["county"]).get(url("unit", unit.pk))
    assert county.status_code == 200 and "13900000001" in text(county)
    assert AuditEntry.objects.filter(action="read_personal", actor=equipment.users["county"]).exists()
    for user in (equipment.users["supervisor"], unit_staff):
        page = text(en(user).get(url("unit", unit.pk)))
        assert "139****0001" in page and "13900000001" not in page
    # Staff phones are always masked.
    assert unit_staff.phone not in text(county) and unit_staff.display_name in text(county)


def test_edit_a_unit(equipment, unit):
    client = en(equipment.users["county"])
    response = client.post(url("unit", unit.pk), {"name": "新名字", "region": equipment.county.code,
                                                   "contact": "王", "phone": ""})
    assert response.status_code == 302 and fresh(unit).name == "新名字"
    response = client.post(url("unit", unit.pk), {"name": "", "region": equipment.county.code})
    assert response.status_code == 400 and fresh(unit).name == "新名字"


def test_moving_a_unit_with_open_orders_elsewhere_is_refused(equipment, unit, order):
    """The order lies in 东关社区 (古楼街道): the unit cannot move to serve only a division without it."""
    other_township = make_township(equipment)
    response = en(equipment.users["county"]).post(url("unit", unit.pk), {
        "name": unit.name, "region": other_township.code, "contact": "", "phone": ""})
    assert response.status_code == 400
    assert "open work orders outside that division" in " ".join(response.context["form"].errors["region"])
    assert fresh(unit).region_id == equipment.county.code


def make_township(equipment):
    from quanmin.regions.models import Region

    return Region.objects.create(code="371502002000", name="新区街道", level="township", parent=equipment.county)


def test_unit_staff_add_and_remove(equipment, unit):
    client = en(equipment.users["county"])
    person = make_user("13700000030", "新维修工", seq=30)
    response = client.post(url("unit_staff_add", unit.pk), {"phone": "137 0000 0030"})
    assert response.status_code == 302
    assert any("新维修工 now works for the unit." in m for m in follow_messages(client, response))
    assert permissions.unit_ids(person) == {unit.pk}
    assert en(person).get(LIST).status_code == 200
    # Twice changes nothing.
    client.post(url("unit_staff_add", unit.pk), {"phone": "13700000030"})
    assert Membership.objects.filter(user=person, role=Role.ORG_STAFF).count() == 1
    response = client.post(url("unit_staff_remove", unit.pk), {"user": person.pk})
    assert any("Removed from the unit." in m for m in follow_messages(client, response))
    assert not Membership.objects.filter(user=person).exists()
    person.refresh_from_db()
    assert en(person).get(LIST).status_code == 403
    # Removing someone who is not there, or nonsense, is a message, not an error page.
    for user in (person.pk, "abc", ""):
        response = client.post(url("unit_staff_remove", unit.pk), {"user": user})
        assert any("does not work for the unit" in m for m in follow_messages(client, response)), user


@pytest.mark.parametrize("phone,message", [
    ("13700009999", "No account has this mobile number"),
    ("12345", "mobile"),
    ("", "This field is required."),
])
def test_unit_staff_add_errors(equipment, unit, phone, message):
    response = en(equipment.users["county"]).post(url("unit_staff_add", unit.pk), {"phone": phone})
    assert response.status_code == 400
    assert message in " ".join(response.context["staff_form"].errors["phone"])
    assert not Membership.objects.filter(target_id=unit.pk, role=Role.ORG_STAFF).exists()


def test_deactivating_a_unit_from_its_page(equipment, unit, order):
    client = en(equipment.users["county"])
    response = client.post(url("unit_active", unit.pk), {"active": "0"})
    assert any("still has 1 open work orders" in m for m in follow_messages(client, response))
    assert fresh(unit).active
    services.cancel(order, actor=equipment.users["county"], reason="重复")
    response = client.post(url("unit_active", unit.pk), {"active": "0"})
    assert any("gets no new work orders" in m for m in follow_messages(client, response))
    assert not fresh(unit).active
    # An inactive unit takes no staff and is not offered for new orders.
    assert "unit_staff_add" not in text(client.get(url("unit", unit.pk)))
    response = client.post(url("unit_staff_add", unit.pk), {"phone": "13700000007"})
    assert response.status_code == 400 and "no longer active" in text(response)
    assert unit.pk not in [v for v, _label in client.get(url("work_order_new")).context["form"].fields["unit"].choices]
    client.post(url("unit_active", unit.pk), {"active": "1"})
    assert fresh(unit).active


# --- pieces past their design life ---------------------------------------------------------------------------

def test_replacements_list(equipment):
    old, other_old = equipment.pieces[2], equipment.other_pieces[2]
    page = en(equipment.users["county"]).get(url("replacements"))
    assert page.status_code == 200
    assert [p.pk for p in page.context["page"]] == [old.pk]
    assert old.tag in text(page) and other_old.tag not in text(page)
    assert [p.pk for p in en(equipment.users["city"]).get(url("replacements")).context["page"]] == sorted(
        [old.pk, other_old.pk])
    assert en(equipment.users["supervisor"]).get(url("replacements")).status_code == 200
    for query in ("?region=371503", "?region=abc", "?region=" + "9" * 40, "?without_order=1", "?page=x"):
        assert en(equipment.users["city"]).get(url("replacements") + query).status_code == 200, query
    assert [p.pk for p in en(equipment.users["city"]).get(url("replacements") + "?region=371503").context["page"]] \
        == [other_old.pk]


def test_replacements_are_for_division_staff(equipment, unit_staff):
    assert en(unit_staff).get(url("replacements")).status_code == 403
    assert en(equipment.users["resident"]).get(url("replacements")).status_code == 403
    response = en(equipment.users["supervisor"]).post(url("replacements_open"),
                                                      {"pieces": [equipment.pieces[2].pk], "severity": "low"})
    assert response.status_code == 403 and not WorkOrder.objects.exists()


def test_open_replacement_orders(equipment, unit):
    client = en(equipment.users["county"])
    old = equipment.pieces[2]
    response = client.post(url("replacements_open"), {"pieces": [old.pk, "junk"], "severity": "low", "unit": unit.pk})
    assert response.status_code == 302 and response["Location"] == url("replacements")
    assert any("Replacement orders opened: 1; already open or removed: 0." in m
               for m in follow_messages(client, response))
    o = WorkOrder.objects.get()
    assert (o.kind, o.source, o.equipment, o.unit, o.status) == ("replace", "design_life", old, unit, S.ASSIGNED)
    # Pressed again: nothing new.
    response = client.post(url("replacements_open"), {"pieces": [old.pk], "severity": "low"})
    assert any("opened: 0; already open or removed: 1" in m for m in follow_messages(client, response))
    assert WorkOrder.objects.count() == 1
    page = client.get(url("replacements") + "?without_order=1")
    assert list(page.context["page"]) == []


@pytest.mark.parametrize("data,message", [
    ({"pieces": []}, "Choose at least one piece past its design life."),
    ({"pieces": ["{other}"]}, "Choose at least one piece past its design life."),
    ({"pieces": ["{young}"]}, "Choose at least one piece past its design life."),
    ({"pieces": ["{old}"], "severity": "extreme"}, "Select a valid choice."),
    ({"pieces": ["{old}"], "unit": "{other_unit}"}, "Select a valid choice."),
])
def test_bad_replacement_requests(equipment, data, message):
    other_unit = units.create_unit(actor=equipment.users["other_county"], region=equipment.other_county,
                                      name="茌平队")
    values = {"other": equipment.other_pieces[2].pk, "young": equipment.pieces[0].pk, "old": equipment.pieces[2].pk,
              "other_unit": other_unit.pk}
    body = {"severity": "low"}
    for key, value in data.items():
        body[key] = [str(v).format(**values) for v in value] if isinstance(value, list) else value.format(**values)
    client = en(equipment.users["county"])
    back = url("replacements") + "?region=371502"
    response = client.post(url("replacements_open"), {**body, "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert any(message in m for m in follow_messages(client, response))
    assert not WorkOrder.objects.exists()


def test_replacements_list_marks_unverified_design_life(equipment):
    old = equipment.pieces[2]  # 2015, the type's 8 years (GB 19272-2011 as secondary sources report it)
    page = en(equipment.users["county"]).get(url("replacements"))
    assert "unverified" in page.content.decode() and "GB 19272-2024" in page.content.decode()
    # A figure entered for the piece (the maker's) is not the type's: no mark.
    Equipment.objects.filter(pk=old.pk).update(design_life_years=6)
    page = en(equipment.users["county"]).get(url("replacements"))
    assert [p.pk for p in page.context["page"]] == [old.pk]
    assert ">unverified</span>" not in page.content.decode()
