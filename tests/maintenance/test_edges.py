"""Work orders at their edges, pinned by what a unit, an official or the audit log sees: the unit
told of an order given to it (and when it is due), nobody told of an unassigned one, who opened and
who verified, the photo limit's status and field, a report whose place is gone, and the address of
the request that opened replacements."""


import pytest
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts.models import AuditEntry, Notification
from quanmin.core.errors import ServiceError
from quanmin.facilities.models import Equipment
from quanmin.feedback import services as feedback
from quanmin.feedback.models import Report
from quanmin.maintenance import services
from quanmin.maintenance.models import WorkOrder

from .test_work_orders import png, upload


def error_of(fn, *args, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as exc:
        fn(*args, **kwargs)
    return exc.value


def test_the_unit_is_told_of_an_order_given_to_it_and_when_it_is_due(equipment, unit, unit_staff):
    county = equipment.users["county"]
    unassigned = services.create_work_order(actor=county, description="链条生锈", equipment=equipment.pieces[1])
    assert unassigned.unit is None and not Notification.objects.filter(user=unit_staff).exists()
    order = services.create_work_order(actor=county, description="踏板松动", equipment=equipment.pieces[0], unit=unit)
    note = Notification.objects.get(user=unit_staff)
    assert note.subject == _("New work order %(number)s") % {"number": order.number}
    due = timezone.localtime(order.due_at)
    stamp = f"{due.year:04d}-{due.month:02d}-{due.day:02d} {due.hour:02d}:{due.minute:02d}"
    assert note.text.startswith("踏板松动") and stamp in note.text


def test_opening_an_order_is_logged_with_who_opened_it(equipment):
    county = equipment.users["county"]
    order = services.create_work_order(actor=county, description="踏板松动", equipment=equipment.pieces[0],
                                       severity="high")
    logged = AuditEntry.objects.get(action="work_order.create", target_id=str(order.pk))
    assert logged.actor == county and logged.detail == {"kind": "repair", "severity": "high", "source": "staff"}


def test_a_bad_choice_belongs_to_its_field(equipment):
    err = error_of(services.create_work_order, actor=equipment.users["county"], description="x", kind="paint",
                   equipment=equipment.pieces[0])
    assert (err.code, err.field) == ("kind_invalid", "kind")


def test_the_photo_limit_is_a_conflict_on_the_image(order, unit_staff, monkeypatch):
    monkeypatch.setattr(services, "PHOTOS_PER_ORDER", 1)
    services.add_photo(order, upload(png()), "before", actor=unit_staff)
    err = error_of(services.add_photo, order, upload(png()), "before", actor=unit_staff)
    assert (err.code, err.field, err.status) == ("too_many_photos", "image", 409)
    assert order.photos.count() == 1


def test_a_verified_replacement_is_the_verifiers_doing(equipment, unit):
    """The successor's registration and the old piece's other orders, cancelled, name who verified."""
    county, city = equipment.users["county"], equipment.users["city"]
    old = equipment.pieces[2]
    repair = services.create_work_order(actor=county, description="锈蚀", equipment=old)
    replace = services.create_work_order(actor=county, description="更换", kind="replace", equipment=old, unit=unit)
    services.complete(replace, actor=county, resolution="已更换新单杠")
    services.verify(replace, actor=city)
    successor = Equipment.objects.exclude(pk=old.pk).get(facility=old.facility, kind=old.kind)
    assert AuditEntry.objects.get(action="equipment.create", target_id=str(successor.pk)).actor == city
    repair.refresh_from_db()
    assert repair.status == WorkOrder.Status.CANCELLED
    assert repair.events.get(status=WorkOrder.Status.CANCELLED).actor == city


def test_a_report_whose_place_is_gone_goes_to_its_division(equipment, settings):
    report = feedback.submit_report(category="facility", description="地面破损", phone="13912345678",
                                    site=equipment.site)
    Report.objects.filter(pk=report.pk).update(site=None)  # the site was deleted (SET_NULL)
    report.refresh_from_db()
    order = services.open_for_report(report, actor=equipment.users["county"])
    assert (order.equipment, order.site, order.region_id) == (None, None, report.region_id)


def test_opening_replacements_logs_the_request(equipment, unit, rf):
    request = rf.get("/", REMOTE_ADDR="203.0.113.7")
    request.user = equipment.users["county"]
    result = services.open_replacement_orders([equipment.pieces[2]], actor=equipment.users["county"], unit=unit,
                                              request=request)
    assert len(result["created"]) == 1
    logged = AuditEntry.objects.get(action="work_order.replacements")
    assert logged.ip == "203.0.113.7" and logged.detail == {"created": 1, "skipped": 0}
