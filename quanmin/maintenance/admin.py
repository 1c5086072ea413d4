"""Maintenance in the admin: every model, scoped by the project's ScopedAdmin.

Everything is read-only here: writes go through services (deadlines, the piece's status, a unit's
open orders, notifications and the audit must stay in step), so the staff pages and the API change
work orders, units, inspection plans, rounds and checks. Photos open through the staff pages'
checked views, never from /media/.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quanmin.accounts.admin import ReadOnlyAdmin, ReadOnlyInline, open_link

from .models import Check, InspectionPlan, InspectionRound, MaintenanceUnit, WorkOrder, WorkOrderEvent, WorkOrderPhoto


@admin.register(MaintenanceUnit)
class MaintenanceUnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "contact", "active"]
    list_filter = ["active"]
    search_fields = ["name", "contact"]
    list_select_related = ["region"]
    fields = ["name", "region", "contact", "phone", "active"]


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "region", "inspector", "every_days", "starts_on", "ends_on", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    list_select_related = ["region", "inspector"]
    exclude = ["facilities"]


@admin.register(InspectionRound)
class InspectionRoundAdmin(ReadOnlyAdmin):
    list_display = ["plan", "kind", "region", "scheduled_for", "due_on", "status", "pieces"]
    list_filter = ["kind", "status"]
    date_hierarchy = "scheduled_for"
    list_select_related = ["plan", "region"]


@admin.register(Check)
class CheckAdmin(ReadOnlyAdmin):
    list_display = ["equipment", "round", "result", "checked_at", "photo_link"]
    list_filter = ["result"]
    list_select_related = ["equipment", "round__plan"]
    exclude = ["photo"]
    readonly_fields = ["photo_link"]

    @admin.display(description=_("photo"))
    def photo_link(self, obj):
        if not obj.photo:
            return ""
        return open_link(reverse("maintenance:check_photo", args=[obj.pk]))


class WorkOrderEventInline(ReadOnlyInline):
    model = WorkOrderEvent
    fields = ["at", "status", "actor", "text"]
    readonly_fields = fields


class WorkOrderPhotoInline(ReadOnlyInline):
    model = WorkOrderPhoto
    fields = ["stage", "uploaded_at", "photo_link"]
    readonly_fields = fields

    @admin.display(description=_("photo"))
    def photo_link(self, obj):
        return open_link(reverse("maintenance:work_order_photo", args=[obj.pk]))


@admin.register(WorkOrder)
class WorkOrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "status", "kind", "severity", "source", "region", "unit", "due_at", "created_at"]
    list_filter = ["status", "kind", "severity", "source"]
    search_fields = ["number", "equipment__tag"]
    date_hierarchy = "created_at"
    list_select_related = ["region", "unit"]
    exclude = ["inspection_check"]
    inlines = [WorkOrderPhotoInline, WorkOrderEventInline]
