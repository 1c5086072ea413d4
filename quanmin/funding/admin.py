"""Funding in the admin: the sports-lottery fund's yearly figures and the projects with their amounts,
scoped by the project's ScopedAdmin, and read-only. Writes check a year's figures, a project's
sources against its lines and the division's scope, and audit themselves in funding/services.py,
which the staff pages, the Excel import and the API call; the admin defines no service hook, so it
changes nothing (DESIGN rule 1: the admin calls services or is read-only)."""

from django.contrib import admin

from quanmin.accounts.admin import ReadOnlyAdmin

from .models import Amount, LotteryFund, Project


@admin.register(LotteryFund)
class LotteryFundAdmin(ReadOnlyAdmin):
    list_display = ["region", "year", "received", "fitness", "updated_at"]
    list_filter = ["year"]
    list_select_related = ["region"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "year", "site", "updated_at"]
    list_filter = ["year"]
    search_fields = ["title", "builds"]
    list_select_related = ["region", "site"]


@admin.register(Amount)
class AmountAdmin(ReadOnlyAdmin):
    list_display = ["project", "kind", "item_label", "planned", "actual"]
    list_filter = ["kind"]
    list_select_related = ["project__region"]
