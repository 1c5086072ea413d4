"""The register in the admin (scoped). Every write calls facilities.services, as the pages and the
API do, so the facilities' copies of their site's division and position follow and the audit log
has every change. Photos are uploaded on the staff pages: here they are read-only."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quanmin.accounts.admin import ScopedAdmin, open_link

from . import services
from .errors import FacilityError
from .models import Facility, OpeningException, OpeningRule, Site, SitePhoto


def _pick(data: dict, fields) -> dict:
    return {k: data[k] for k in fields if k in data}


class FacilityRowForm(forms.ModelForm):
    """An inline facility row, checked by the service's rules before anything is saved."""

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("DELETE"):
            try:
                services.clean_facility(_pick(data, services.FACILITY_FIELDS))
            except FacilityError as exc:
                self.add_error(exc.field if exc.field in self.fields else None, str(exc.message))
        return data


class FacilityInline(admin.TabularInline):
    model = Facility
    form = FacilityRowForm
    extra = 0
    fields = ["type", "name", "area_m2", "length_km", "indoor", "lit", "smart", "access", "year_built"]
    show_change_link = True


class OpeningRuleInline(admin.TabularInline):
    model = OpeningRule
    extra = 0
    fields = ["kind", "weekday", "opens", "closes", "price_note"]


@admin.register(Site)
class SiteAdmin(ScopedAdmin):
    list_display = ["name", "region", "owner_kind", "status", "updated_at"]
    list_filter = ["status", "owner_kind"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["region"]
    inlines = [FacilityInline, OpeningRuleInline]

    def service_create(self, request, data):
        return services.create_site(_pick(data, [*services.SITE_FIELDS, "region"]), request=request)

    def service_update(self, request, site, data):
        return services.update_site(site, _pick(data, [*services.SITE_FIELDS, "region"]), request=request)

    def save_formset(self, request, form, formset, change):
        site = form.instance
        if formset.model is Facility:
            for row in formset.forms:
                if row in formset.deleted_forms:
                    if row.instance.pk:
                        services.remove_facility(row.instance, request=request)
                elif row.instance.pk and row.has_changed():
                    facility = Facility.objects.get(pk=row.instance.pk)
                    services.update_facility(facility, _pick(row.cleaned_data, services.FACILITY_FIELDS),
                                             request=request)
                elif not row.instance.pk and row.has_changed():
                    services.add_facility(site, _pick(row.cleaned_data, services.FACILITY_FIELDS), request=request)
        elif formset.model is OpeningRule and formset.has_changed():
            # The service replaces the site's rules: every row kept, with the facility it may name.
            rules = [{**_pick(row.cleaned_data, ["kind", "weekday", "opens", "closes", "price_note"]),
                      "facility_id": row.instance.facility_id}
                     for row in formset.forms if row.cleaned_data and row not in formset.deleted_forms]
            services.set_opening_rules(site, rules, request=request)
        else:
            super().save_formset(request, form, formset, change)


@admin.register(Facility)
class FacilityAdmin(ScopedAdmin):
    list_display = ["__str__", "site", "type", "area_m2", "length_km", "access", "region"]
    list_filter = ["type", "access", "indoor", "lit", "smart"]
    search_fields = ["name", "site__name", "external_id"]
    autocomplete_fields = ["site"]
    list_select_related = ["site", "region"]

    def get_readonly_fields(self, request, obj=None):
        # A facility stays on its site: moving one is removing it and adding it to the other.
        return ["site"] if obj is not None else []

    def service_create(self, request, data):
        return services.add_facility(data["site"], _pick(data, services.FACILITY_FIELDS), request=request)

    def service_update(self, request, facility, data):
        return services.update_facility(facility, _pick(data, services.FACILITY_FIELDS), request=request)

    def service_delete(self, request, facility):
        services.remove_facility(facility, request=request)


@admin.register(OpeningException)
class OpeningExceptionAdmin(ScopedAdmin):
    list_display = ["site", "date", "closed", "opens", "closes", "note"]
    autocomplete_fields = ["site"]

    def get_readonly_fields(self, request, obj=None):
        return ["site", "date"] if obj is not None else []  # the service keys an exception by both

    def service_create(self, request, data):
        return services.set_exception(data["site"], data["date"], closed=data.get("closed", False),
                                      opens=data.get("opens"), closes=data.get("closes"),
                                      note=data.get("note", ""), request=request)

    def service_update(self, request, exception, data):
        return services.set_exception(exception.site, exception.date, closed=data.get("closed", False),
                                      opens=data.get("opens"), closes=data.get("closes"),
                                      note=data.get("note", ""), request=request)


@admin.register(SitePhoto)
class SitePhotoAdmin(ScopedAdmin):
    list_display = ["site", "caption", "uploaded_at"]
    autocomplete_fields = ["site"]
    fields = ["site", "caption", "photo_link"]
    readonly_fields = ["photo_link"]

    @admin.display(description=_("photo"))
    def photo_link(self, obj):
        # Uploads have no /media/ address: the site page's own view serves the photo.
        if obj is None or not obj.image:
            return ""
        return open_link(reverse("facilities:site_photo", args=[obj.site_id, obj.pk]))
