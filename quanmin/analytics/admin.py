from django.contrib import admin

from quanmin.accounts.admin import ReadOnlyAdmin, ScopedAdmin

from . import services
from .models import CandidateSite, CircleRun


@admin.register(CandidateSite)
class CandidateSiteAdmin(ScopedAdmin):
    list_display = ["name", "region", "area_m2", "land_kind", "status", "published"]
    list_filter = ["land_kind", "status", "published"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["region"]

    # Through the service that the planning pages use (its checks and the audit); no removal here.
    def service_create(self, request, data):
        return services.save_candidate(None, _candidate_data(data), request=request)

    def service_update(self, request, candidate, data):
        return services.save_candidate(candidate, _candidate_data(data), request=request)


def _candidate_data(data: dict) -> dict:
    return {k: data[k] for k in [*services.CANDIDATE_FIELDS, "region"] if k in data}


@admin.register(CircleRun)
class CircleRunAdmin(ReadOnlyAdmin):
    list_display = ["region", "minutes", "speed_kmh", "suggest_k", "status", "progress", "created_at", "finished_at"]
    exclude = ["result", "layer"]
