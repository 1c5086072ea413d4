
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.core.errors import ServiceError
from quanmin.regions.models import Region

from . import audit, oidc, services
from .forms import DeleteForm, FirstPasswordForm, LoginForm, ProfileForm, RegisterForm, TokenForm


def _add_service_error(form, exc: ServiceError):
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_in(request, form.cleaned_data["phone"], form.cleaned_data["password"])
        except ServiceError as exc:
            _add_service_error(form, exc)
        else:
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = "web:home"
            return redirect(target or "web:home")
    return render(request, "accounts/login.html", {
        "form": form, "cityapp": oidc.app_name() if oidc.enabled() else "",
        "next": request.GET.get("next", ""),
    }, status=400 if form.errors else 200)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit.record("sign_out", request=request)
    logout(request)
    return redirect("web:home")


def register_view(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.validate_password_for(None, data["password"])
            reg = services.Registration(
                phone=data["phone"], password=data["password"], real_name=data["real_name"],
                id_number=data["id_number"], home_region_code=data.get("home_region", ""),
                consent_version=form.consent_version, guardian_name=data.get("guardian_name", ""),
                guardian_relation=data.get("guardian_relation", ""),
                guardian_id_number=data.get("guardian_id_number", ""),
            )
            services.register_resident(reg, request=request)
            services.sign_in(request, data["phone"], data["password"])
        except ServiceError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("accounts:me")
    return render(request, "accounts/register.html", {"form": form, "counties": _counties()},
                  status=400 if form.errors else 200)


def _counties():
    return Region.objects.filter(level="county").order_by("code")


def region_options(request):
    """<option>s of the divisions under one, for the step-by-step picker (county → township → community)."""
    parent = request.GET.get("parent", "")
    children = Region.objects.filter(parent_id=parent).order_by("code") if parent.isdigit() else []
    return render(request, "accounts/_region_options.html", {"children": children})


def privacy_view(request):
    return render(request, "accounts/privacy.html", {"version": settings.PRIVACY_NOTICE_VERSION})


@login_required
def me_view(request):
    user = request.user
    form = ProfileForm(request.POST or None, initial={"real_name": user.real_name, "home_region": user.home_region_id})
    if request.method == "POST" and form.is_valid():
        region = None
        code = form.cleaned_data.get("home_region")
        if code:
            region = Region.objects.filter(code=code).first()
            if region is None:
                form.add_error("home_region", _("Unknown division."))
        if not form.errors:
            services.update_profile(user, real_name=form.cleaned_data["real_name"], home_region=region,
                                    request=request, actor=user)
            messages.success(request, _("Saved."))
            return redirect("accounts:me")
    return render(request, "accounts/me.html", {
        "form": form, "consents": user.consents.all(),
        "tokens": user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at"),
        "token_form": TokenForm(), "delete_form": DeleteForm(), "counties": _counties(),
        "cityapp": oidc.app_name() if oidc.enabled() else "", "city_links": user.city_links.all(),
        "cityapp_push": bool(settings.CITYAPP_MESSAGE_URL and settings.CITYAPP_MESSAGE_KEY),
        "password_form": None if user.has_usable_password() else FirstPasswordForm(),
    })


@login_required
@require_POST
def token_create_view(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the token a name."))
        return redirect("accounts:me")
    token, secret = services.create_api_token(request.user, form.cleaned_data["name"], request=request)
    return render(request, "accounts/token_created.html", {"token": token, "secret": secret})


@login_required
@require_POST
def token_revoke_view(request, token_id: int):
    try:
        services.revoke_api_token(request.user, token_id, request=request)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Token revoked."))
    return redirect("accounts:me")


@login_required
@require_POST
def consent_withdraw_view(request, kind: str):
    services.withdraw_consent(request.user, kind, request=request)
    messages.success(request, _("Consent withdrawn."))
    return redirect("accounts:me")
