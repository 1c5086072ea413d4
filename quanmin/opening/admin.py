"""The opening evaluation in the admin, scoped and read-only: every write checks the division's scope
and audits itself in opening/services.py (DESIGN rule 1)."""

from django.contrib import admin

from quanmin.accounts.admin import ReadOnlyAdmin

from .models import OpeningEvaluation, OpeningRectification, OpeningRound


@admin.register(OpeningRound)
class OpeningRoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "year", "status", "due"]
    list_filter = ["status", "year"]
    list_select_related = ["region"]


@admin.register(OpeningEvaluation)
class OpeningEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["site", "round", "status", "score", "result", "special_result", "evaluated_on"]
    list_filter = ["status", "result", "special_result"]
    list_select_related = ["site", "round"]
    search_fields = ["site__name"]


@admin.register(OpeningRectification)
class OpeningRectificationAdmin(ReadOnlyAdmin):
    list_display = ["request", "site", "due", "status", "reported_on"]
    list_filter = ["status"]
    list_select_related = ["site"]
