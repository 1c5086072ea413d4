from django.contrib import admin

from quanmin.accounts.admin import ScopedAdmin

from . import services
from .models import Facility, OpeningException, OpeningRule, Site, SitePhoto


class FacilityInline(admin.TabularInline):
    model = Facility
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

    def save_model(self, request, obj, form, change):
        # Through the service so that the facilities' copies of region and position follow.
        data = {f: form.cleaned_data[f] for f in form.changed_data if f in [*services.SITE_FIELDS, "region"]}
        if change:
            services.update_site(Site.objects.get(pk=obj.pk), data, request=request)
        else:
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            if isinstance(obj, Facility):
                services.sync_facility(obj, form.instance)
            obj.save()
        formset.save_m2m()


@admin.register(Facility)
class FacilityAdmin(ScopedAdmin):
    list_display = ["__str__", "site", "type", "area_m2", "length_km", "access", "region"]
    list_filter = ["type", "access", "indoor", "lit", "smart"]
    search_fields = ["name", "site__name", "external_id"]
    autocomplete_fields = ["site"]
    list_select_related = ["site", "region"]

    def save_model(self, request, obj, form, change):
        services.sync_facility(obj, obj.site)
        super().save_model(request, obj, form, change)


@admin.register(OpeningException)
class OpeningExceptionAdmin(ScopedAdmin):
    list_display = ["site", "date", "closed", "opens", "closes", "note"]
    autocomplete_fields = ["site"]


@admin.register(SitePhoto)
class SitePhotoAdmin(ScopedAdmin):
    list_display = ["site", "caption", "uploaded_at"]
    autocomplete_fields = ["site"]
