"""Booking in the admin: every model, scoped, and read-only.

Writes to booking go through services (places, holds, payments and notifications must stay in
step), so the admin only shows; the venue console and the API change things. Personal data is
masked in lists, and certificate photos are opened only through the audited staff page.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import scoping
from quanmin.accounts.admin import ReadOnlyAdmin

from .models import BookableUnit, Booking, Certificate, Payment, Slot, Strike, VisitCount, WaitlistEntry, WeeklyTemplate
from .selectors import mask_name


def _person(user) -> str:
    if user is None:
        return ""
    return mask_name(user.real_name) or user.phone_masked


@admin.register(BookableUnit)
class BookableUnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "site", "kind", "active", "window_days", "payment_provider", "region"]
    list_filter = ["kind", "active", "payment_provider"]
    search_fields = ["name", "site__name"]
    list_select_related = ["site", "region"]


@admin.register(WeeklyTemplate)
class WeeklyTemplateAdmin(ReadOnlyAdmin):
    list_display = ["unit", "weekday", "start", "end", "capacity", "price", "benefit"]
    list_filter = ["weekday", "benefit"]
    list_select_related = ["unit"]


@admin.register(Slot)
class SlotAdmin(ReadOnlyAdmin):
    list_display = ["unit", "start", "end", "capacity", "taken", "price", "benefit", "blocked"]
    list_filter = ["benefit", "blocked"]
    date_hierarchy = "start"
    list_select_related = ["unit"]
    exclude = ["template"]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["code", "slot", "person", "places", "status", "channel", "price", "price_basis", "created_at"]
    list_filter = ["status", "channel", "price_basis"]
    search_fields = ["code"]
    date_hierarchy = "created_at"
    list_select_related = ["slot__unit", "user"]
    exclude = ["user", "companions", "client_key"]
    readonly_fields = ["person"]

    @admin.display(description=_("person"))
    def person(self, obj):
        return _person(obj.user) or obj.block_label


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    list_display = ["slot", "person", "places", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["slot__unit", "user"]
    exclude = ["user"]
    readonly_fields = ["person"]

    @admin.display(description=_("person"))
    def person(self, obj):
        return _person(obj.user)


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["kind", "holder", "status", "valid_until", "region", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["user", "region"]
    fields = ["kind", "holder", "status", "valid_until", "note", "region", "checked_at", "check_page"]
    readonly_fields = ["holder", "check_page"]

    @admin.display(description=_("holder"))
    def holder(self, obj):
        return _person(obj.user)

    @admin.display(description=_("photo of the certificate"))
    def check_page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("booking:staff_certificate", args=[obj.pk]),
                           _("Open on the check page (logged)"))


class ByBookingAdmin(ReadOnlyAdmin):
    """Strikes and payments carry no place of their own: they are scoped through their booking."""

    def get_queryset(self, request):
        qs = self.model._default_manager.select_related("booking__slot__unit")
        q = scoping.scope_q(request.user, Booking)
        return qs if q is None else qs.filter(booking__in=Booking.objects.filter(q))

    def _in_scope(self, request, obj, write):
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()


@admin.register(Strike)
class StrikeAdmin(ByBookingAdmin):
    list_display = ["booking", "at", "forgiven", "forgiven_reason"]
    list_filter = ["forgiven"]
    exclude = ["user"]


@admin.register(Payment)
class PaymentAdmin(ByBookingAdmin):
    list_display = ["booking", "provider", "amount", "refunded", "status", "updated_at"]
    list_filter = ["provider", "status"]


@admin.register(VisitCount)
class VisitCountAdmin(ReadOnlyAdmin):
    list_display = ["site", "hour_start", "count_in", "count_out", "source"]
    list_filter = ["source"]
    date_hierarchy = "hour_start"
    list_select_related = ["site"]
    exclude = ["recorded_by"]
