from django import forms
from django.contrib import admin
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from quanmin.regions.models import Region

from . import audit, scoping, services
from .models import ApiToken, AuditEntry, Consent, LoginThrottle, Membership, User


class ScopedAdmin(admin.ModelAdmin):
    """Every admin list and object goes through the scoping helper; writes need a write role."""

    read_only = False

    def get_queryset(self, request):
        return scoping.scoped(request.user, super().get_queryset(request))

    def _in_scope(self, request, obj, write):
        if obj is None:
            return True
        qs = self.model._default_manager.filter(pk=obj.pk)
        return scoping.scoped(request.user, qs, write).exists()

    def has_module_permission(self, request):
        return scoping.is_backoffice(request.user)

    def has_view_permission(self, request, obj=None):
        return scoping.is_backoffice(request.user) and self._in_scope(request, obj, False)

    def has_change_permission(self, request, obj=None):
        if self.read_only or not scoping.is_division_staff(request.user, write=True):
            return False
        return self._in_scope(request, obj, True)

    def has_add_permission(self, request):
        return not self.read_only and scoping.is_division_staff(request.user, write=True)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Outside one's scope answers 404, the same as a missing object (not the admin's redirect).
        raise Http404

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record("update" if change else "create", request=request, obj=obj,
                     detail={"fields": form.changed_data, "via": "admin"})

    def delete_model(self, request, obj):
        audit.record("delete", request=request, obj=obj, detail={"via": "admin"})
        super().delete_model(request, obj)


# Regions are registered here, not in their own app, because the admin's scoping lives in
# accounts and dependencies point accounts → regions.
@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["code", "name", "level", "population", "population_estimated", "area_km2"]
    list_filter = ["level", "population_estimated"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "level", "parent"]
    fields = ["code", "name", "level", "parent", "population", "population_estimated",
              "population_source", "area_km2", "area_estimated"]

    def has_add_permission(self, request):
        return False  # divisions come from the division data (load_regions)

    def has_delete_permission(self, request, obj=None):
        return False


class UserAddForm(forms.ModelForm):
    phone = forms.CharField(label=_("mobile number"))
    password = forms.CharField(label=_("password"), widget=forms.PasswordInput)
    id_number = forms.CharField(label=_("ID number"), required=False)

    class Meta:
        model = User
        fields = ["real_name", "home_region"]

    def clean(self):
        data = super().clean()
        try:
            from .phones import parse_phone
            parse_phone(data.get("phone", ""))
            if data.get("id_number"):
                from .idnumber import parse
                parse(data["id_number"])
        except ValueError as exc:
            raise forms.ValidationError(getattr(exc, "message", str(exc))) from None
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["role", "region", "target_type", "target_id"]
    autocomplete_fields = ["region"]

    def has_change_permission(self, request, obj=None):
        return scoping.is_division_staff(request.user, write=True)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(User)
class UserAdmin(ScopedAdmin):
    list_display = ["display_name", "phone_masked", "id_number_masked", "home_region", "is_active"]
    list_filter = ["is_active", "sex"]
    search_fields = ["real_name"]
    readonly_fields = ["phone_masked", "id_number_masked", "birth_date", "sex", "date_joined", "last_login"]
    fields = ["real_name", "phone_masked", "id_number_masked", "birth_date", "sex", "home_region",
              "is_active", "date_joined", "last_login"]
    autocomplete_fields = ["home_region"]
    inlines = [MembershipInline]

    @admin.display(description=_("mobile number"))
    def phone_masked(self, obj):
        return obj.phone_masked

    @admin.display(description=_("ID number"))
    def id_number_masked(self, obj):
        return obj.id_number_masked

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = UserAddForm
            kwargs["fields"] = ["phone", "password", "real_name", "id_number", "home_region"]
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["phone", "password", "real_name", "id_number", "home_region"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        user = services.create_user(phone=data["phone"], password=data["password"],
                                    real_name=data.get("real_name", ""), id_number=data.get("id_number", ""),
                                    home_region=data.get("home_region"))
        obj.pk = user.pk
        obj.__dict__.update(user.__dict__)
        audit.record("create", request=request, obj=user, detail={"via": "admin"})


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["user", "role", "region"]
    list_filter = ["role"]
    autocomplete_fields = ["region", "user"]
    search_fields = ["user__real_name"]


@admin.register(Consent)
class ConsentAdmin(ScopedAdmin):
    read_only = True
    list_display = ["user", "kind", "version", "given_at", "withdrawn_at"]
    list_filter = ["kind", "version"]
    exclude = ["guardian_id_hash"]

    def get_queryset(self, request):
        qs = Consent.objects.select_related("user")
        q = scoping.scope_q(request.user, User)
        return qs if q is None else qs.filter(user__in=User.objects.filter(q))


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    read_only = True
    list_display = ["at", "actor", "action", "target_type", "target_repr", "region_code", "ip"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "region_code"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        # The audit log is the city's: city staff (and platform admins) only.
        qs = AuditEntry.objects.select_related("actor")
        return qs if scoping.is_city_staff(request.user) else qs.none()

    def has_module_permission(self, request):
        return scoping.is_city_staff(request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    read_only = True
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]

    def get_queryset(self, request):
        qs = ApiToken.objects.select_related("user")
        return qs if scoping.is_superuser(request.user) else qs.filter(user=request.user)


@admin.register(LoginThrottle)
class LoginThrottleAdmin(ScopedAdmin):
    list_display = ["key", "failures", "last_failure_at", "locked_until"]

    def get_queryset(self, request):
        qs = LoginThrottle.objects.all()
        return qs if scoping.is_city_staff(request.user) else qs.none()

    def has_module_permission(self, request):
        return scoping.is_city_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return scoping.is_city_staff(request.user)  # to lift a lock-out
