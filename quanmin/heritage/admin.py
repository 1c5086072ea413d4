"""Sports tourism and heritage in the admin, read-only: every write checks the division's scope and
audits itself in heritage/services.py (DESIGN rule 1). A donor's phone is not shown here."""

from django.contrib import admin

from quanmin.accounts.admin import ReadOnlyAdmin

from .models import Base, Holder, Item, QualityEvent, Route


@admin.register(Route)
class RouteAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "length_km", "opened_on", "active"]
    search_fields = ["name"]
    list_select_related = ["region"]


@admin.register(Base)
class BaseAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "level", "year_awarded", "active"]
    list_filter = ["level"]
    search_fields = ["name", "unit"]
    list_select_related = ["region"]


@admin.register(QualityEvent)
class QualityEventAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "first_day", "last_day", "place"]
    search_fields = ["name"]
    list_select_related = ["region"]


@admin.register(Holder)
class HolderAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_select_related = ["region"]


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["catalogue_no", "title", "holder", "kind", "acquired_on", "condition"]
    list_filter = ["kind", "condition"]
    search_fields = ["catalogue_no", "title"]
    list_select_related = ["holder"]
    exclude = ["donor_phone_enc"]
