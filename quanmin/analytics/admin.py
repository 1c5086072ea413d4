from django.contrib import admin

from quanmin.accounts.admin import ScopedAdmin

from .models import CandidateSite, CircleRun


@admin.register(CandidateSite)
class CandidateSiteAdmin(ScopedAdmin):
    list_display = ["name", "region", "area_m2", "land_kind", "status", "published"]
    list_filter = ["land_kind", "status", "published"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["region"]


@admin.register(CircleRun)
class CircleRunAdmin(ScopedAdmin):
    read_only = True
    list_display = ["region", "minutes", "speed_kmh", "suggest_k", "status", "progress", "created_at", "finished_at"]
    exclude = ["result", "layer"]
