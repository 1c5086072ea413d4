"""The residential register in the admin, scoped and read-only: every write checks the division's
scope, the stage's order and the norm, and audits itself in residential/services.py (DESIGN rule 1)."""

from django.contrib import admin

from quanmin.accounts.admin import ReadOnlyAdmin

from .models import ResidentialProject


@admin.register(ResidentialProject)
class ResidentialProjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "developer", "residents", "indoor_area", "outdoor_area", "status", "compliant",
                    "approved_on", "accepted_on"]
    list_filter = ["status", "compliant"]
    search_fields = ["name", "developer"]
    list_select_related = ["region"]
