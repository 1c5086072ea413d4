"""Signing in through the city's app (我的聊城): start, the provider's callback, link or register, unlink.

The pages parse and call: oidc.py checks the provider's answer, services.py acts on it. Between the
callback and the finish page the session holds who the app said signed in, encrypted (the subject
and the verified number are personal data), for ten minutes. Off (no provider configured): 404.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.core.errors import ServiceError

from . import audit, crypto, oidc, services
from .errors import CityAppError
from .forms import CityLinkForm, CityRegisterForm, FirstPasswordForm

FLOW = "cityapp_flow"
PENDING = "cityapp_pending"


def _on():
    if not oidc.enabled():
        raise Http404


def _safe_next(request, target: str) -> str:
    return target if target and url_has_allowed_host_and_scheme(target, {request.get_host()}) else ""


def _failed(request, exc: ServiceError):
    audit.record("cityapp_sign_in_failed", request=request, detail={"code": exc.code})
    return render(request, "accounts/cityapp_error.html", {"message": exc.message, "app": oidc.app_name()},
                  status=400)


def city_start(request):
    """Send the resident to the city's app to sign in (the sign-in page's button)."""
    _on()
    try:
        flow, url = oidc.begin(_safe_next(request, request.GET.get("next", "")))
    except ServiceError as exc:
        return _failed(request, exc)
    request.session[FLOW] = flow
    return redirect(url)


def city_callback(request):
    """Where the city's app sends the resident back: a linked resident is signed in; anyone else
    goes on to link their account or to register."""
    _on()
    flow = request.session.pop(FLOW, None)
    try:
        claims = oidc.finish(flow, request.GET)
        identity = services.CityIdentity.from_claims(settings.CITYAPP_ISSUER, claims)
        user, linked = services.find_city_account(identity)
        if linked:
            services.city_sign_in(request, identity)
            return redirect(flow.get("next") or "web:home")
        if user is None and not identity.phone:
            raise CityAppError("cityapp_no_phone", _(
                "The city's app did not share a verified mobile number: register with your mobile number instead."))
    except ServiceError as exc:
        return _failed(request, exc)
    request.session[PENDING] = {
        "issuer": identity.issuer, "subject": crypto.encrypt(identity.subject),
        "phone": crypto.encrypt(identity.phone), "name": identity.name, "next": flow.get("next", ""),
        "at": int(time.time()),
    }
    return redirect("accounts:city_finish")


def _pending(request) -> tuple[services.CityIdentity, str] | None:
    held = request.session.get(PENDING)
    if not isinstance(held, dict) or time.time() - held.get("at", 0) > oidc.FLOW_SECONDS:
        return None
    identity = services.CityIdentity(issuer=held["issuer"], subject=crypto.decrypt(held["subject"]),
                                     phone=crypto.decrypt(held["phone"]), name=held["name"])
    return identity, held.get("next", "")


def city_finish(request):
    """Link the account that has the app's verified number (its password proves it is theirs), or
    register a new resident (real name, consent)."""
    _on()
    pending = _pending(request)
    if pending is None:
        return _failed(request, CityAppError("cityapp_state", _(
            "This sign-in was not started here, or was already used: start again.")))
    identity, target = pending
    try:
        user, linked = services.find_city_account(identity)
    except ServiceError as exc:
        return _failed(request, exc)
    if linked:  # linked meanwhile (another tab)
        request.session.pop(PENDING, None)
        services.city_sign_in(request, identity)
        return redirect(target or "web:home")
    if user is not None:
        form = CityLinkForm(request.POST or None)
    else:
        form = CityRegisterForm(request.POST or None, initial={"real_name": identity.name})
    if request.method == "POST" and form.is_valid():
        try:
            if user is not None:
                services.link_city_account(request, identity, form.cleaned_data["password"])
                messages.success(request, _("Linked: from now on %(app)s signs you in.") % {"app": oidc.app_name()})
            else:
                services.register_from_city_app(request, identity, real_name=form.cleaned_data["real_name"],
                                                consent_version=form.consent_version)
                messages.success(request, _("Welcome! Your account is ready."))
        except ServiceError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, str(exc.message))
        else:
            request.session.pop(PENDING, None)
            return redirect(target or "accounts:me")
    return render(request, "accounts/cityapp_finish.html", {
        "form": form, "linking": user is not None, "phone_masked": crypto.mask_phone(identity.phone),
        "app": oidc.app_name(),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def city_unlink(request):
    try:
        services.unlink_city_account(request.user, request=request)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Unlinked from %(app)s.") % {"app": oidc.app_name()})
    return redirect("accounts:me")


@login_required
@require_POST
def first_password(request):
    """A resident the city's app signed up sets a password (My account)."""
    form = FirstPasswordForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("accounts:me")
    try:
        services.set_first_password(request.user, form.cleaned_data["password"], request=request)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        update_session_auth_hash(request, request.user)  # the password changed: keep this session
        messages.success(request, _("Password set."))
    return redirect("accounts:me")
