"""The outreach registers in the admin, scoped and read-only: every write checks the division's
scope and its rules, and audits itself in outreach/services.py, which the staff pages, the Excel
import and the API call (DESIGN rule 1)."""

from django.contrib import admin

from quanmin.accounts.admin import ReadOnlyAdmin

from .models import Article, Channel, Course, Lecture, SkillActivity, Workplace


@admin.register(Lecture)
class LectureAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "starts_at", "topic", "speaker", "capacity", "audience", "status"]
    list_filter = ["topic", "status"]
    search_fields = ["title", "speaker"]
    list_select_related = ["region"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "category", "status", "published_at"]
    list_filter = ["category", "status"]
    search_fields = ["title"]
    list_select_related = ["region"]


@admin.register(SkillActivity)
class SkillActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "setting", "held_on", "participants"]
    list_filter = ["setting"]
    list_select_related = ["region"]


@admin.register(Workplace)
class WorkplaceAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "headcount", "participants", "since", "active"]
    list_filter = ["active"]
    list_select_related = ["region"]


@admin.register(Channel)
class ChannelAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "kind", "owner", "opened_year", "closed_year"]
    list_filter = ["kind"]
    search_fields = ["name", "owner"]
    list_select_related = ["region"]


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "kind", "sport", "scene", "audience", "status", "published_at"]
    list_filter = ["kind", "scene", "audience", "status"]
    search_fields = ["title", "sport"]
    list_select_related = ["region"]
