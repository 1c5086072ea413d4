"""Stations and sessions in the admin (scoped). Results and prescriptions are health data: they are
not in the admin at all, so that no back-office list shows them; the pages and the API apply the
access rule (the person and the testing staff) and log every read."""

from django.contrib import admin

from quanmin.accounts.admin import ScopedAdmin

from .models import TestSession, TestStation


@admin.register(TestStation)
class TestStationAdmin(ScopedAdmin):
    list_display = ["name", "region", "site", "active"]
    list_filter = ["active"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["region", "site"]
    list_select_related = ["region", "site"]


@admin.register(TestSession)
class TestSessionAdmin(ScopedAdmin):
    list_display = ["station", "starts_at", "ends_at", "capacity", "standard"]
    list_filter = ["standard"]
    search_fields = ["station__name"]
    raw_id_fields = ["station", "slot"]
    list_select_related = ["station"]
    date_hierarchy = "starts_at"
