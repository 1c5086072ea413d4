"""Accounts API: sign-in, one's own data, tokens, people in scope, audit log."""

import datetime

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.core.api import ArrayPaging, Paging
from quanmin.core.excel import xlsx_response
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import audit, audit_labels, permissions, scoping, services
from .api_auth import PUBLIC
from .errors import AccountError
from .models import AuditEntry, Role, User

router = Router(tags=["accounts"])


class LoginIn(Schema):
    phone: str
    password: str


class MembershipOut(Schema):
    role: str
    role_label: str
    region_code: str
    region_name: str


class MeOut(Schema):
    id: int
    real_name: str
    phone: str
    id_number: str
    birth_date: datetime.date | None
    sex: str
    home_region_code: str | None
    memberships: list[MembershipOut]
    city_app_linked: bool = Field(description="Linked to the city's app (我的聊城): it signs this person in.")


def me_out(user: User) -> dict:
    return {
        "id": user.pk, "real_name": user.real_name, "phone": user.phone_masked,
        "id_number": user.id_number_masked, "birth_date": user.birth_date, "sex": user.sex,
        "home_region_code": user.home_region_id,
        "memberships": [
            {"role": m.role, "role_label": str(Role(m.role).label), "region_code": m.region_id,
             "region_name": m.region.name}
            for m in scoping.memberships(user)
        ],
        "city_app_linked": user.city_links.exists(),
    }


def _same_origin_json(request) -> None:
    """A session is started only by this site's own pages: JSON (which a cross-site form cannot send
    without a CORS preflight that we never answer) from our own origin when the browser names one."""
    if request.content_type != "application/json":
        raise AccountError("json_required", _("Send the sign-in as JSON (Content-Type: application/json)."),
                           status=415)
    origin = request.META.get("HTTP_ORIGIN")
    own = f"{request.scheme}://{request.get_host()}"
    if request.META.get("HTTP_SEC_FETCH_SITE") == "cross-site" or (
            origin and origin != own and origin not in settings.CSRF_TRUSTED_ORIGINS):
        raise AccountError("cross_origin", _("Sign in from this site's own pages."), status=403)


@router.post("/auth/login", auth=PUBLIC, response=MeOut, summary="Sign in (starts a session; JSON, same origin)")
def login_endpoint(request, payload: LoginIn):
    _same_origin_json(request)
    user = services.sign_in(request, payload.phone, payload.password)
    return me_out(user)


@router.post("/auth/logout", response={204: None}, summary="Sign out")
def logout_endpoint(request):
    audit.record("sign_out", request=request)
    logout(request)
    return Status(204, None)


@router.get("/me", response=MeOut, summary="Who I am (personal data masked)")
def me(request):
    return me_out(request.user)


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    key_prefix: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    token: str | None = None


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
@paginate(ArrayPaging)
def list_tokens(request):
    return list(request.user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at"))


@router.post("/tokens", response={201: TokenOut}, summary="Create an API token (its secret is shown once)")
def create_token(request, payload: TokenIn):
    token, secret = services.create_api_token(request.user, payload.name, request=request)
    token.token = secret
    return Status(201, token)


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke an API token")
def revoke_token(request, token_id: int):
    services.revoke_api_token(request.user, token_id, request=request)
    return Status(204, None)


class PersonOut(Schema):
    """A person as staff lists show them: masked, and nothing beside the mask that rebuilds it (the
    birth date and the home division's code are digits of the ID number: the age and the division's
    name are shown instead)."""

    id: int
    real_name: str
    phone: str
    id_number: str
    sex: str
    age: int | None
    home_region_name: str | None
    is_active: bool

    @staticmethod
    def resolve_phone(obj):
        return obj.phone_masked

    @staticmethod
    def resolve_id_number(obj):
        return obj.id_number_masked

    @staticmethod
    def resolve_age(obj):
        return obj.age()

    @staticmethod
    def resolve_home_region_name(obj):
        return obj.home_region.name if obj.home_region_id else None


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@router.get("/users", response=list[PersonOut], summary="People in my divisions (masked; the read is logged)")
@paginate(audit.PersonalPaging, what="users")
def list_users(request, q: str | None = None, region: str | None = None):
    _require(permissions.can_list_people(request.user))
    qs = scoping.scoped(request.user, User.objects.select_related("home_region")).order_by("id")
    if q:
        qs = qs.filter(real_name__contains=q)
    if region and region.isdigit():
        qs = qs.filter(home_region__code__within=codes.prefix(codes.pad(region)))
    return qs


@router.get("/users/export.xlsx", summary="People in my divisions as Excel (masked)")
def export_users(request, q: str | None = None):
    _require(permissions.can_list_people(request.user))
    qs = scoping.scoped(request.user, User.objects.select_related("home_region")).order_by("id")
    if q:
        qs = qs.filter(real_name__contains=q)
    audit.record("export", request=request, detail={"what": "users", "count": qs.count()})
    # No birth date or division code beside the masked number: they are its digits (PersonOut).
    headers = [_("Name"), _("Mobile number"), _("ID number"), _("Sex"), _("Age"), _("Home division"), _("Active")]
    rows = ((u.real_name, u.phone_masked, u.id_number_masked, u.get_sex_display(), u.age(),
             u.home_region.name if u.home_region else "", u.is_active)
            for u in qs.iterator(chunk_size=1000))
    return xlsx_response("quanmin-people.xlsx", [(_("People"), headers, rows)])


@router.get("/users/{user_id}", response=PersonOut, summary="One person (masked; the read is logged)")
def get_user(request, user_id: int):
    _require(permissions.can_list_people(request.user))
    person = scoping.get_scoped_or_404(request.user, User.objects.select_related("home_region"), pk=user_id)
    audit.read_personal(request, person, ["masked"])
    return person


class RevealOut(Schema):
    phone: str
    id_number: str


class RevealIn(Schema):
    purpose: str


@router.post("/users/{user_id}/reveal", response=RevealOut,
             summary="Read a person's whole phone and ID number (logged, write staff only)")
def reveal_user(request, user_id: int, payload: RevealIn):
    _require(permissions.can_reveal_personal(request.user))
    person = scoping.get_scoped_or_404(request.user, User.objects.all(), write=True, pk=user_id)
    if not payload.purpose.strip():
        raise AccountError("purpose_required", _("Say why you need the whole number."), "purpose")
    audit.read_personal(request, person, ["phone", "id_number"], payload.purpose.strip())
    return {"phone": person.phone, "id_number": person.id_number}


class AuditOut(Schema):
    id: int
    at: datetime.datetime
    actor: str | None
    action: str
    action_label: str = Field(description="The action in the caller's language")
    target_type: str
    target_id: str
    target_repr: str
    region_code: str
    ip: str | None

    @staticmethod
    def resolve_actor(obj):
        return obj.actor.display_name if obj.actor else None

    @staticmethod
    def resolve_action_label(obj):
        return audit_labels.action_label(obj.action)


@router.get("/audit", response=list[AuditOut], summary="Audit log (city staff)")
@paginate(Paging)
def list_audit(request, action: str | None = None, region: str | None = None):
    _require(permissions.can_read_audit(request.user))
    qs = AuditEntry.objects.select_related("actor")
    if action:
        qs = qs.filter(action=action)
    if region:
        qs = qs.filter(region_code__within=region)
    return qs


class RegionFiguresIn(Schema):
    population: int | None = None
    area_km2: float | None = None


@router.patch("/regions/{code}/figures", summary="Correct a division's population or area (staff in scope)")
def update_region_figures(request, code: str, payload: RegionFiguresIn):
    region = scoping.get_scoped_or_404(request.user, Region.objects.all(), write=True, code=code)
    services.set_region_figures(region, population=payload.population, area_km2=payload.area_km2, request=request)
    return {"code": region.code, "population": region.population,
            "area_km2": float(region.area_km2) if region.area_km2 is not None else None}
