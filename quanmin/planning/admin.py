"""Supervision, performance evaluation and county returns in the admin: every model, scoped by the
project's ScopedAdmin, and read-only.

Their writes have rules that live in the services (a visit recorded once, an item's deadline after
the visit, a county's result frozen at approval, a return submitted and reviewed under a row lock,
each write audited), which the staff pages and the API call; the admin defines no service hook, so
it changes nothing (DESIGN rule 1: the admin calls services or is read-only). Evidence files open
through the staff pages' checked views, never from /media/.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quanmin.accounts.admin import ReadOnlyAdmin, open_link

from .models import (
    Bulletin,
    CountyReturn,
    CountyScore,
    Evaluation,
    EvaluationItem,
    Finding,
    ItemScore,
    Rectification,
    RectificationEntry,
    ReturnAttachment,
    ReturnEntry,
    ReturnFigure,
    ReturnItem,
    ReturnRound,
    Visit,
)

# Supervision (督查)

@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "division_name", "kind", "manner", "planned_on", "visited_on", "status"]
    list_filter = ["status", "manner", "kind", "schedule", "coverage"]
    search_fields = ["title", "division_name", "team"]
    date_hierarchy = "planned_on"
    list_select_related = ["plan"]
    exclude = ["joint_with"]  # shown by name below, never as codes
    readonly_fields = ["joint_with_names"]

    @admin.display(description=_("carried out jointly with"))
    def joint_with_names(self, obj) -> str:
        return "、".join(obj.joint_with_labels)


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "visit", "division_name", "kind", "severity", "created_at"]
    list_filter = ["kind", "severity"]
    search_fields = ["text", "place", "division_name"]
    list_select_related = ["visit"]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "division_name", "department", "deadline", "status", "closed_on"]
    list_filter = ["status"]
    search_fields = ["requirement", "division_name"]
    date_hierarchy = "deadline"
    list_select_related = ["department"]


@admin.register(RectificationEntry)
class RectificationEntryAdmin(ReadOnlyAdmin):
    list_display = ["rectification", "kind", "decision", "author", "created_at", "evidence_link"]
    list_filter = ["kind", "decision"]
    list_select_related = ["rectification", "author"]
    exclude = ["evidence"]
    readonly_fields = ["evidence_link"]

    @admin.display(description=_("evidence"))
    def evidence_link(self, obj):
        if not obj.evidence:
            return ""
        return open_link(reverse("planning:rectification_evidence", args=[obj.rectification_id, obj.pk]))


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "division_name", "period_start", "period_end", "public", "status",
                    "published_at"]
    list_filter = ["status", "public"]
    search_fields = ["title", "document_number"]
    list_select_related = ["plan"]
    exclude = ["content"]


# Performance evaluation (绩效评估)

@admin.register(EvaluationItem)
class EvaluationItemAdmin(ReadOnlyAdmin):
    list_display = ["name", "plan", "order", "weight", "method", "target"]
    list_filter = ["method"]
    search_fields = ["name"]
    list_select_related = ["plan", "target"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["plan", "kind", "year", "third_party", "created_at"]
    list_filter = ["kind", "year"]
    list_select_related = ["plan"]


@admin.register(CountyScore)
class CountyScoreAdmin(ReadOnlyAdmin):
    list_display = ["evaluation", "division_code", "status", "total", "approved_at"]
    list_filter = ["status"]
    list_select_related = ["evaluation__plan"]


@admin.register(ItemScore)
class ItemScoreAdmin(ReadOnlyAdmin):
    list_display = ["county", "item", "source", "score", "scored_by", "scored_at", "evidence_link"]
    list_filter = ["source"]
    list_select_related = ["county__evaluation__plan", "item", "scored_by"]
    exclude = ["evidence"]
    readonly_fields = ["evidence_link"]

    @admin.display(description=_("evidence"))
    def evidence_link(self, obj):
        if not obj.evidence:
            return ""
        county = obj.county
        return open_link(reverse("planning:evaluation_evidence", args=[
            county.evaluation.plan.key, county.evaluation_id, county.pk, obj.pk]))


# County returns (统计监测)

@admin.register(ReturnRound)
class ReturnRoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "division_name", "period_start", "period_end", "due_on", "status"]
    list_filter = ["status"]
    search_fields = ["title", "division_name"]


@admin.register(ReturnItem)
class ReturnItemAdmin(ReadOnlyAdmin):
    list_display = ["name", "round", "order", "indicator", "unit", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "indicator"]
    list_select_related = ["round"]


@admin.register(CountyReturn)
class CountyReturnAdmin(ReadOnlyAdmin):
    list_display = ["round", "division_name", "status", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["division_name"]
    list_select_related = ["round"]


@admin.register(ReturnFigure)
class ReturnFigureAdmin(ReadOnlyAdmin):
    list_display = ["ret", "item", "computed", "entered"]
    list_select_related = ["ret__round", "item"]


@admin.register(ReturnAttachment)
class ReturnAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "ret", "uploaded_by", "uploaded_at", "file_link"]
    search_fields = ["name"]
    list_select_related = ["ret__round", "uploaded_by"]
    exclude = ["file"]
    readonly_fields = ["file_link"]

    @admin.display(description=_("file"))
    def file_link(self, obj):
        return open_link(reverse("planning:return_attachment", args=[obj.ret_id, obj.pk]))


@admin.register(ReturnEntry)
class ReturnEntryAdmin(ReadOnlyAdmin):
    list_display = ["ret", "kind", "author", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["ret__round", "author"]
