from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from quanmin.core.errors import ServiceError
from quanmin.regions.models import Region

from . import audit, permissions, scoping, services
from .models import ApiToken, AuditEntry, Consent, LoginThrottle, Membership, User


class _DryRun(Exception):
    """Rolls back the savepoint of a trial write (see ScopedAdmin.get_form)."""


class ScopedAdmin(admin.ModelAdmin):
    """Every admin list and object goes through the scoping helper; writes need a write role.

    Writes go through the app's services, as on the pages and in the API (DESIGN rule 1): the
    ModelForm never saves. A subclass that lets staff add, change or delete defines the hooks
    ``service_create(request, data)`` (returns the new object), ``service_update(request, obj, data)``
    and ``service_delete(request, obj)``, each calling a service function; ``data`` is the form's
    cleaned data. What a subclass does not define it does not allow, so an admin with no hook is
    read-only. Inline rows are written by ``save_formset``, which a subclass with writable inlines
    overrides with service calls. A ServiceError from a hook shows on the form (add and change: the
    write is first tried in a savepoint that is rolled back) or as a message (delete), never as a 500.
    """

    read_only = False
    service_create = None
    service_update = None
    service_delete = None

    def get_queryset(self, request):
        return scoping.scoped(request.user, super().get_queryset(request))

    def _in_scope(self, request, obj, write):
        if obj is None:
            return True
        qs = self.model._default_manager.filter(pk=obj.pk)
        return scoping.scoped(request.user, qs, write).exists()

    def _may_write(self, request) -> bool:
        return not self.read_only and scoping.is_division_staff(request.user, write=True)

    def has_module_permission(self, request):
        return scoping.is_backoffice(request.user)

    def has_view_permission(self, request, obj=None):
        return scoping.is_backoffice(request.user) and self._in_scope(request, obj, False)

    def has_change_permission(self, request, obj=None):
        if self.service_update is None or not self._may_write(request):
            return False
        return self._in_scope(request, obj, True)

    def has_add_permission(self, request):
        return self.service_create is not None and self._may_write(request)

    def has_delete_permission(self, request, obj=None):
        if self.service_delete is None or not self._may_write(request):
            return False
        return self._in_scope(request, obj, True)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Outside one's scope answers 404, the same as a missing object (not the admin's redirect).
        raise Http404

    def _write(self, request, obj, data: dict, change: bool):
        if change:
            # A fresh copy: the form has already set its values on `obj`, and the service compares
            # old and new values to know what changed (and audits that).
            return self.service_update(request, self.model._default_manager.get(pk=obj.pk), data)
        return self.service_create(request, data)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        model_admin = self

        class ServiceForm(form_class):
            def clean(self):
                data = super().clean()
                if self.errors:
                    return data
                try:
                    with transaction.atomic():  # a trial run: the service's own checks speak here
                        model_admin._write(request, self.instance, data, change=obj is not None)
                        raise _DryRun
                except _DryRun:
                    pass
                except ServiceError as exc:
                    self.add_error(exc.field if exc.field in self.fields else None, str(exc.message))
                return data

        return ServiceForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The form's trial run catches the main object's errors; an inline row the service refuses
        # lands here. The admin's transaction is rolled back: nothing is saved, and the page says why.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        saved = self._write(request, obj, form.cleaned_data, change)
        if saved is not None:  # the admin goes on with `obj`: its messages, log and redirect
            obj.pk = saved.pk
            obj.__dict__.update(saved.__dict__)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            # What formset.save() would have set; the admin's history message reads them.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        if formset.has_changed():
            raise ImproperlyConfigured(f"{type(self).__name__} must write its inline rows through services.")

    def delete_model(self, request, obj):
        self.service_delete(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.service_delete(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)
            opts = self.opts
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id],
                                                current_app=self.admin_site.name))

    def response_action(self, request, queryset):
        try:
            return super().response_action(request, queryset)
        except ServiceError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


# Regions are registered here, not in their own app, because the admin's scoping lives in
# accounts and dependencies point accounts → regions.
def open_link(url: str):
    """A file or photo in the admin: a link to the checked view that serves it (uploads have no /media/
    address), opened in a new tab."""
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("open"))


class ReadOnlyAdmin(ScopedAdmin):
    """A register's admin that only shows: its writes happen on the staff pages, through services."""

    read_only = True


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent, never added, changed or deleted here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["code", "name", "level", "population", "population_estimated", "area_km2"]
    list_filter = ["level", "population_estimated"]
    search_fields = ["code", "name"]
    # Divisions come from the division data (load_regions): staff correct the figures only.
    readonly_fields = ["code", "name", "level", "parent", "population_estimated", "population_source",
                       "area_estimated"]
    fields = ["code", "name", "level", "parent", "population", "population_estimated",
              "population_source", "area_km2", "area_estimated"]

    def service_update(self, request, region, data):
        area = data.get("area_km2")
        return services.set_region_figures(region, population=data.get("population"),
                                           area_km2=None if area is None else float(area), request=request)


class UserAddForm(forms.ModelForm):
    phone = forms.CharField(label=_("mobile number"))
    password = forms.CharField(label=_("password"), widget=forms.PasswordInput)
    id_number = forms.CharField(label=_("ID number"), required=False)

    class Meta:
        model = User
        fields = ["real_name", "home_region"]

    # The phone and ID number are checked by services.create_user: ScopedAdmin's trial run puts
    # its AccountError on the field.


class MembershipRowForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        if not self.errors and not self.instance.pk and data.get("role") and data.get("region"):
            try:
                services.check_membership(data["role"], data["region"], _target(data))
            except ServiceError as exc:
                self.add_error(exc.field if exc.field in self.fields else None, str(exc.message))
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipRowForm
    fk_name = "user"
    extra = 0
    fields = ["role", "region", "target_type", "target_id"]
    autocomplete_fields = ["region"]

    # Roles are granted and revoked (UserAdmin.save_formset), never edited in place.
    def has_add_permission(self, request, obj=None):
        return permissions.can_grant_roles(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    has_delete_permission = has_add_permission


@admin.register(User)
class UserAdmin(ScopedAdmin):
    list_display = ["display_name", "phone_masked", "id_number_masked", "home_region", "is_active"]
    list_filter = ["is_active", "sex"]
    search_fields = ["real_name"]
    # The age, not the birth date: beside the masked ID number the date and the division are its digits.
    readonly_fields = ["phone_masked", "id_number_masked", "age", "sex", "date_joined", "last_login"]
    fields = ["real_name", "phone_masked", "id_number_masked", "age", "sex", "home_region",
              "is_active", "date_joined", "last_login"]
    autocomplete_fields = ["home_region"]
    inlines = [MembershipInline]

    @admin.display(description=_("mobile number"))
    def phone_masked(self, obj):
        return obj.phone_masked

    @admin.display(description=_("ID number"))
    def id_number_masked(self, obj):
        return obj.id_number_masked

    @admin.display(description=_("age"))
    def age(self, obj):
        return obj.age()

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}) or {}
        if "cl" in changelist:
            audit.list_personal(request, "users", [u.pk for u in changelist["cl"].result_list])
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        person = (getattr(response, "context_data", {}) or {}).get("original")
        if person is not None and request.method == "GET":
            audit.read_personal(request, person, ["masked"])
        return response

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

    def service_create(self, request, data):
        user = services.create_user(phone=data["phone"], password=data["password"],
                                    real_name=data.get("real_name", ""), id_number=data.get("id_number", ""),
                                    home_region=data.get("home_region"))
        audit.record("create", request=request, obj=user, detail={"via": "admin"})
        return user

    def service_update(self, request, user, data):
        services.update_profile(user, real_name=data.get("real_name"), home_region=data.get("home_region"),
                                request=request)
        return services.set_active(user, data.get("is_active", user.is_active), request=request)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        user = form.instance
        for row in formset.forms:
            if row in formset.deleted_forms and row.instance.pk:
                services.revoke_membership(row.instance, request=request)
            elif not row.instance.pk and row.has_changed() and row.cleaned_data:
                services.grant_membership(user, row.cleaned_data["role"], row.cleaned_data["region"],
                                          _target(row.cleaned_data), request=request)


def _target(data):
    """The site or organisation a membership row names, or None for a division role."""
    target_type, target_id = data.get("target_type"), data.get("target_id")
    if target_type is None or target_id is None:
        return None
    try:
        return target_type.get_object_for_this_type(pk=target_id)
    except ObjectDoesNotExist:
        return None  # grant_membership then asks for a site or organisation


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["user", "role", "region"]
    list_filter = ["role"]
    autocomplete_fields = ["region", "user"]
    search_fields = ["user__real_name"]
    fields = ["user", "role", "region", "target_type", "target_id"]

    def service_create(self, request, data):
        return services.grant_membership(data["user"], data["role"], data["region"], _target(data), request=request)

    def service_delete(self, request, membership):
        services.revoke_membership(membership, request=request)


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "version", "given_at", "withdrawn_at"]
    list_filter = ["kind", "version"]
    exclude = ["guardian_id_hash"]

    def get_queryset(self, request):
        qs = Consent.objects.select_related("user")
        q = scoping.scope_q(request.user, User)
        return qs if q is None else qs.filter(user__in=User.objects.filter(q))


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_repr", "region_code", "ip"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "region_code"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        # The audit log is the city's: city staff (and platform admins) only.
        qs = AuditEntry.objects.select_related("actor")
        return qs if permissions.can_read_audit(request.user) else qs.none()

    def has_module_permission(self, request):
        return permissions.can_read_audit(request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]

    def get_queryset(self, request):
        qs = ApiToken.objects.select_related("user")
        return qs if scoping.is_superuser(request.user) else qs.filter(user=request.user)


@admin.register(LoginThrottle)
class LoginThrottleAdmin(ScopedAdmin):
    list_display = ["key", "failures", "last_failure_at", "locked_until"]

    def get_queryset(self, request):
        qs = LoginThrottle.objects.all()
        return qs if permissions.can_lift_lockout(request.user) else qs.none()

    def has_module_permission(self, request):
        return permissions.can_lift_lockout(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_lift_lockout(request.user)

    def service_delete(self, request, row):
        services.lift_lockout(row, request=request)
