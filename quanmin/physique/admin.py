"""Stations and sessions in the admin (scoped). Results and prescriptions are health data: they are
not in the admin at all, so that no back-office list shows them; the pages and the API apply the
access rule (the person and the testing staff) and log every read.

Stations and sessions are added through the same services as the staff pages (with their checks and
the audit); there is no service to change or remove one, so here they are read-only once made."""

from django.contrib import admin

from quanmin.accounts.admin import ScopedAdmin

from . import services
from .models import TestSession, TestStation


@admin.register(TestStation)
class TestStationAdmin(ScopedAdmin):
    list_display = ["name", "region", "site", "active"]
    list_filter = ["active"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["region", "site"]
    list_select_related = ["region", "site"]
    fields = ["name", "region", "site", "address", "phone", "active"]

    def get_readonly_fields(self, request, obj=None):
        return ["active"] if obj is None else []  # a new station is active; made, it is read-only

    def service_create(self, request, data):
        return services.create_station(name=data["name"], region=data["region"], site=data.get("site"),
                                       address=data.get("address", ""), phone=data.get("phone", ""), request=request)


@admin.register(TestSession)
class TestSessionAdmin(ScopedAdmin):
    list_display = ["station", "starts_at", "ends_at", "capacity", "standard"]
    list_filter = ["standard"]
    search_fields = ["station__name"]
    raw_id_fields = ["station", "slot"]
    list_select_related = ["station"]
    date_hierarchy = "starts_at"
    fields = ["station", "starts_at", "ends_at", "capacity", "standard", "note", "slot"]

    def get_readonly_fields(self, request, obj=None):
        return ["slot"] if obj is None else []  # the slot comes from opening the session for booking

    def service_create(self, request, data):
        return services.create_session(data["station"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                                       capacity=data["capacity"], standard=data.get("standard", ""),
                                       note=data.get("note", ""), request=request)
