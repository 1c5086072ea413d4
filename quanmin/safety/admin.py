"""Venue safety in the admin, scoped and read-only: every write checks the division's scope and
audits itself in safety/services.py (DESIGN rule 1)."""

from django.contrib import admin

from quanmin.accounts.admin import ReadOnlyAdmin

from .models import Hazard, VenueSafety


@admin.register(VenueSafety)
class VenueSafetyAdmin(ReadOnlyAdmin):
    list_display = ["site", "responsible_unit", "responsible_person", "safety_officer", "emergency_plan_on",
                    "fire_check_on", "insured_until"]
    list_select_related = ["site"]
    search_fields = ["site__name", "responsible_unit"]


@admin.register(Hazard)
class HazardAdmin(ReadOnlyAdmin):
    list_display = ["description", "site", "level", "deadline", "status", "rectified_on"]
    list_filter = ["status", "level"]
    list_select_related = ["site"]
