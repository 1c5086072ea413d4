"""The institutions, fittings and activities in the admin, read-only: every write checks the
division's scope and what suits the institution's kind, and audits itself in inclusive/services.py,
which the staff pages, the Excel import and the API call (DESIGN rule 1)."""

from django.contrib import admin

from quanmin.accounts.admin import ReadOnlyAdmin

from .models import Activity, Fitting, Institution


@admin.register(Institution)
class InstitutionAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "kind", "ethnic_group", "site", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    list_select_related = ["region", "site"]


@admin.register(Fitting)
class FittingAdmin(ReadOnlyAdmin):
    list_display = ["institution", "kind", "pieces", "fitted_on", "facility"]
    list_filter = ["kind"]
    list_select_related = ["institution", "facility"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "group", "programme", "held_on", "participants"]
    list_filter = ["group", "programme"]
    list_select_related = ["region"]
