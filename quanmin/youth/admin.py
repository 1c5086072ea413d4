"""The school register and the term returns in the admin, scoped and read-only: every write checks
the division's scope and each count against the one it is part of, and audits itself in
youth/services.py, which the staff pages, the Excel import and the API call (DESIGN rule 1)."""

from django.contrib import admin

from quanmin.accounts.admin import ReadOnlyAdmin

from .models import School, TermReturn


@admin.register(School)
class SchoolAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "stage", "students", "site", "named_for_opening", "active"]
    list_filter = ["stage", "active", "named_for_opening"]
    search_fields = ["name"]
    list_select_related = ["region", "site"]


@admin.register(TermReturn)
class TermReturnAdmin(ReadOnlyAdmin):
    list_display = ["school", "school_year", "term", "students", "minutes_in_school", "minutes_out_of_school",
                    "updated_at"]
    list_filter = ["school_year", "term"]
    list_select_related = ["school"]
