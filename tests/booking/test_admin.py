"""The booking admin only shows: every write to booking goes through its services (places, holds,
payments and notifications stay in step), so no admin page adds, changes or deletes a row."""

import pytest
from django.contrib import admin
from django.urls import reverse

from quanmin.booking.models import BookableUnit, Booking

BOOKING_ADMINS = [(model, model_admin) for model, model_admin in admin.site._registry.items()
                  if model._meta.app_label == "booking"]


def test_every_booking_model_is_in_the_admin_and_read_only(world, rf):
    assert {m.__name__ for m, _a in BOOKING_ADMINS} >= {
        "BookableUnit", "WeeklyTemplate", "Slot", "Booking", "WaitlistEntry", "Certificate", "Strike", "Payment",
        "VisitCount"}
    for role in ("superuser", "city", "county"):
        request = rf.get("/admin/")
        request.user = world.users[role]
        for model, model_admin in BOOKING_ADMINS:
            obj = model._default_manager.first()
            assert not model_admin.has_add_permission(request), (role, model.__name__)
            assert not model_admin.has_change_permission(request, obj), (role, model.__name__)
            assert not model_admin.has_delete_permission(request, obj), (role, model.__name__)


@pytest.mark.parametrize("role", ["superuser", "county"])
def test_admin_posts_change_nothing(world, client_for, role):
    client = client_for(role)
    unit, booking = world.unit, world.booking
    assert client.get(reverse("admin:booking_booking_change", args=[booking.pk])).status_code == 200  # it shows
    r = client.post(reverse("admin:booking_booking_change", args=[booking.pk]), {"status": "cancelled", "places": 5})
    assert r.status_code == 403
    r = client.post(reverse("admin:booking_bookableunit_change", args=[unit.pk]), {"name": "x", "window_days": 90})
    assert r.status_code == 403
    assert client.post(reverse("admin:booking_booking_delete", args=[booking.pk]), {"post": "yes"}).status_code == 403
    assert client.post(reverse("admin:booking_bookableunit_add"), {"name": "new"}).status_code == 403
    r = client.post(reverse("admin:booking_booking_changelist"),
                    {"action": "delete_selected", "_selected_action": [booking.pk], "post": "yes"})
    assert r.status_code in (200, 302) and Booking.objects.filter(pk=booking.pk).exists()
    booking.refresh_from_db()
    unit.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED and booking.places == 1
    assert unit.name == "1号场" and BookableUnit.objects.filter(facility=world.facility).count() == 1
