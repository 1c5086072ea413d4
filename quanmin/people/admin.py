"""The instructor register in the admin, read-only and scoped: instructors (no ID number, phone,
birth date or sex: those are read on the staff pages through the audited reveal), stations, service
logs, training courses, dual posts, suppliers and contests. Every write has its rules in the
services (approval by the grade's level, a log's checks, booking units for stations), which the
staff pages and the API call; the admin defines no service hook, so it changes nothing
(DESIGN rule 1: the admin calls services or is read-only)."""

from django.contrib import admin

from quanmin.accounts.admin import ReadOnlyAdmin

from .models import Contest, DutyLog, Instructor, Post, Station, Supplier, Training


class ReadOnly(ReadOnlyAdmin):
    """Every field shown read-only on the object page."""

    def get_readonly_fields(self, request, obj=None):
        return self.fields or [f.name for f in self.model._meta.fields]


@admin.register(Instructor)
class InstructorAdmin(ReadOnly):
    list_display = ["real_name", "kind", "grade", "status", "region", "certificate_no", "core"]
    list_filter = ["status", "kind", "grade", "core"]
    search_fields = ["real_name", "certificate_no"]
    list_select_related = ["region"]
    fields = ["real_name", "kind", "grade", "certificate_no", "approval_level", "approved_on", "region", "sports",
              "association", "status", "core", "serves_disabled", "public_name", "note", "created_at"]


@admin.register(Station)
class StationAdmin(ReadOnly):
    list_display = ["name", "kind", "region", "site", "times", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    list_select_related = ["region", "site"]
    fields = ["name", "kind", "region", "site", "sports", "times", "unit", "active", "created_at"]


@admin.register(DutyLog)
class DutyLogAdmin(ReadOnly):
    list_display = ["instructor", "started_at", "hours", "activity", "people_guided", "region", "status"]
    list_filter = ["status", "setting", "volunteer"]
    search_fields = ["instructor__real_name", "activity"]
    list_select_related = ["instructor", "region"]
    date_hierarchy = "started_at"
    fields = ["instructor", "station", "site", "region", "started_at", "ended_at", "hours", "activity", "sport",
              "setting", "people_guided", "volunteer", "status", "confirmed_at", "created_at"]


@admin.register(Training)
class TrainingAdmin(ReadOnly):
    list_display = ["title", "kind", "grade", "region", "starts_on", "ends_on", "capacity"]
    list_filter = ["kind", "grade"]
    search_fields = ["title", "organiser"]
    list_select_related = ["region"]


@admin.register(Post)
class PostAdmin(ReadOnly):
    list_display = ["person_name", "kind", "region", "appointed_on", "ends_on"]
    list_filter = ["kind"]
    search_fields = ["person_name"]
    list_select_related = ["region"]
    fields = ["kind", "instructor", "person_name", "region", "appointed_on", "ends_on", "note"]


@admin.register(Supplier)
class SupplierAdmin(ReadOnly):
    list_display = ["name", "kind", "unit", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "unit"]
    list_select_related = ["region"]


@admin.register(Contest)
class ContestAdmin(ReadOnly):
    list_display = ["title", "region", "held_on"]
    search_fields = ["title"]
    list_select_related = ["region"]
