"""Every write to accounts goes through here: views, API, admin and commands call these."""

import datetime
import json
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quanmin.regions.models import Region
from quanmin.regions.services import set_figures

from . import audit, crypto, idnumber
from .errors import AccountError, CityAppError, Throttled, id_number_or_error, phone_or_error
from .models import (
    DIVISION_ROLES,
    TARGET_ROLES,
    ApiToken,
    AuditEntry,
    CityAppLink,
    Consent,
    LoginThrottle,
    Membership,
    User,
)


def create_user(*, phone: str, password: str | None, real_name: str = "", id_number: str = "",
                home_region: Region | None = None, **extra) -> User:
    """A new user. The manager does the work, so that ``createsuperuser`` checks the same rules."""
    return User.objects.create_user(phone, password, real_name=real_name, id_number=id_number,
                                    home_region=home_region, **extra)


@dataclass
class Registration:
    phone: str
    password: str
    real_name: str
    id_number: str
    home_region_code: str = ""
    consent_version: str = ""
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_id_number: str = ""


def register_resident(reg: Registration, request=None) -> User:
    """A resident signs up: real name, checked ID number, consent (a guardian's under 14)."""
    parsed = id_number_or_error(reg.id_number)
    if not reg.real_name.strip():
        raise AccountError("real_name_required", _("Enter your real name."), "real_name")
    if reg.consent_version != settings.PRIVACY_NOTICE_VERSION:
        raise AccountError("consent_required", _("Read and accept the privacy notice to register."), "consent")
    under_14 = idnumber.age_on(parsed.birth_date, timezone.localdate()) < 14
    if under_14:
        guardian = id_number_or_error(reg.guardian_id_number) if reg.guardian_id_number else None
        if not reg.guardian_name.strip() or guardian is None:
            raise AccountError(
                "guardian_consent_required",
                _("Children under 14 need a guardian's consent: enter the guardian's name and ID number."),
                "guardian_name",
            )
        if idnumber.age_on(guardian.birth_date, timezone.localdate()) < 18:
            raise AccountError("guardian_not_adult", _("The guardian must be an adult."), "guardian_id_number")
    region = None
    if reg.home_region_code:
        region = Region.objects.filter(code=reg.home_region_code).first()
        if region is None:
            raise AccountError("region_unknown", _("Unknown division."), "home_region")
    with transaction.atomic():
        user = create_user(phone=reg.phone, password=reg.password, real_name=reg.real_name,
                           id_number=parsed.value, home_region=region)
        record_consent(user, Consent.Kind.PRIVACY, reg.consent_version,
                       guardian_name=reg.guardian_name if under_14 else "",
                       guardian_relation=reg.guardian_relation if under_14 else "",
                       guardian_id_number=reg.guardian_id_number if under_14 else "")
        audit.record("register", request=request, actor=user, obj=user)
    return user


def update_profile(user: User, *, real_name: str | None = None, id_number: str | None = None,
                   home_region: Region | None = None, request=None, actor=None) -> User:
    changed = []
    if real_name is not None and real_name.strip() != user.real_name:
        user.real_name = real_name.strip()
        changed.append("real_name")
    if id_number:
        parsed = id_number_or_error(id_number)
        if crypto.lookup_hash(parsed.value) != user.id_number_hash:
            if User.objects.filter(id_number_hash=crypto.lookup_hash(parsed.value)).exclude(pk=user.pk).exists():
                raise AccountError("id_number_taken", _("This ID number is already registered."), "id_number")
            user.set_id_number(parsed)
            changed.append("id_number")
    if home_region is not None and home_region.code != user.home_region_id:
        user.home_region = home_region
        changed.append("home_region")
    if changed:
        user.save()
        audit.record("update", request=request, actor=actor, obj=user, detail={"fields": changed})
    return user


def record_consent(user: User, kind: str, version: str, *, guardian_name: str = "",
                   guardian_relation: str = "", guardian_id_number: str = "") -> Consent:
    return Consent.objects.create(
        user=user, kind=kind, version=version, guardian_name=guardian_name.strip(),
        guardian_relation=guardian_relation.strip(),
        guardian_id_hash=crypto.lookup_hash(guardian_id_number.strip().upper()),
    )


def has_consent(user: User, kind: str) -> bool:
    return user.consents.filter(kind=kind, withdrawn_at__isnull=True).exists()


def withdraw_consent(user: User, kind: str, request=None) -> int:
    count = user.consents.filter(kind=kind, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    if count:
        audit.record("consent_withdrawn", request=request, obj=user, detail={"kind": kind})
    return count


def export_own_data(user: User, request=None, *, parts: dict | None = None) -> dict:
    """Everything we hold about a person, for them (PIPL art. 45). `parts` are the other apps' parts
    of it, gathered by the caller above them all (quanmin.web.personal_data), keyed by app."""
    data = {
        "account": {
            "phone": user.phone, "real_name": user.real_name, "id_number": user.id_number,
            "birth_date": user.birth_date.isoformat() if user.birth_date else None,
            "sex": user.sex, "home_region": user.home_region_id,
            "date_joined": user.date_joined.isoformat(),
        },
        "consents": [
            {"kind": c.kind, "version": c.version, "given_at": c.given_at.isoformat(),
             "guardian_name": c.guardian_name,
             "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None}
            for c in user.consents.all()
        ],
        "city_app_links": [
            {"provider": link.issuer, "linked_at": link.linked_at.isoformat(),
             "last_sign_in_at": link.last_sign_in_at.isoformat() if link.last_sign_in_at else None}
            for link in user.city_links.all()
        ],
        "memberships": [
            {"role": m.role, "region": m.region_id} for m in user.memberships.all()
        ],
        "notifications": [
            {"subject": n.subject, "text": n.text, "sent_at": n.created_at.isoformat(),
             "read_at": n.read_at.isoformat() if n.read_at else None}
            for n in user.notifications.order_by("created_at")
        ],
        "api_tokens": [
            {"name": t.name, "starts_with": t.key_prefix, "created_at": t.created_at.isoformat(),
             "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
             "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None}
            for t in user.api_tokens.order_by("created_at")
        ],
        # What the audit log holds of them: what they did, and what others did with their record.
        "audit_log": [
            {"at": e.at.isoformat(), "action": e.action, "by_me": e.actor_id == user.pk,
             "object": e.target_repr, "address": e.ip, "detail": e.detail}
            for e in AuditEntry.objects.filter(Q(actor=user) | Q(target_type=user._meta.label_lower,
                                                                   target_id=str(user.pk))).order_by("at", "pk")
        ],
    }
    data.update(parts or {})
    audit.record("export_own_data", request=request, actor=user, obj=user)
    return json.loads(json.dumps(data, default=str))


def confirm_password(user: User, password: str, request=None) -> None:
    """The signed-in person proves again that it is them before what cannot be undone: their
    password, under the sign-in throttle (so a session left open is no way to guess it). An account
    the city's app made has no password until it sets one (set_first_password): until then it is
    refused, and My account offers to set one."""
    if not user.has_usable_password():
        raise AccountError("password_needed",
                           _("Set a password first (My account): you confirm erasing your data with it."), "password")
    phone, ip = user.phone, audit.client_ip(request)
    reserve_attempt(phone, ip)
    if not user.check_password(password or ""):
        raise AccountError("password_wrong", _("The password is wrong; nothing was deleted."), "password")
    settle_success(phone, ip)


def delete_own_data(user: User, request=None, *, password: str, erase_parts=()) -> None:
    """Erase a person's personal data (PIPL art. 47) once they confirm with their password
    (confirm_password: a wrong one changes nothing); the row stays (anonymous) so that records keep
    integrity. `erase_parts` erase the other apps' parts in the same transaction, each called as
    erase(user): the caller above them all (quanmin.web.personal_data) names them."""
    confirm_password(user, password, request)
    with transaction.atomic():
        audit.record("delete_own_data", request=request, actor=user, obj=user)
        for erase in erase_parts:
            erase(user)
        user.phone_hash = f"deleted:{uuid.uuid4().hex}"
        user.phone_enc = ""
        user.real_name = ""
        user.id_number_enc = ""
        user.id_number_hash = ""
        user.birth_date = None
        user.sex = ""
        user.home_region = None
        user.is_active = False
        user.set_unusable_password()
        user.save()
        user.memberships.all().delete()
        user.api_tokens.all().delete()
        user.notifications.all().delete()
        user.city_links.all().delete()
        # The log stays (it is the platform's record of what was done), without the person's name.
        AuditEntry.objects.filter(target_type=user._meta.label_lower, target_id=str(user.pk)).update(target_repr="")
        user.consents.update(withdrawn_at=timezone.now(), guardian_name="", guardian_id_hash="")


def check_membership(role: str, region: Region, target=None) -> None:
    """The rules a role's binding must keep (grant_membership applies them; forms check them early)."""
    if role in DIVISION_ROLES and region.level != DIVISION_ROLES[role]:
        raise AccountError("role_level_mismatch",
                           _("This role must be bound to a division of the matching level."), "region")
    if role in TARGET_ROLES and target is None:
        raise AccountError("role_target_required",
                           _("This role must be bound to a site, an organisation or the object it serves."),
                           "target")


def active_user_by_phone(phone: str) -> User:
    """The active account of a mobile number, for staff who give a person a role by their number:
    AccountError on the "phone" field when the number is not one, 404 when no account has it."""
    user = User.objects.filter(phone_hash=crypto.lookup_hash(phone_or_error(phone)), is_active=True).first()
    if user is None:
        raise AccountError("user_not_found",
                           _("No account has this mobile number: ask the person to register first."), "phone",
                           status=404)
    return user


def grant_membership(user: User, role: str, region: Region, target=None, *, request=None) -> Membership:
    check_membership(role, region, target)
    membership, _created = Membership.objects.get_or_create(
        user=user, role=role, region=region,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
    )
    audit.record("grant_role", request=request, obj=user, region_code=region.code,
                 detail={"role": role, "target": str(target) if target is not None else None})
    return membership


def revoke_membership(membership: Membership, *, request=None) -> None:
    """Take a role away (the admin's delete): the user keeps their account and other roles."""
    user, region_code, role = membership.user, membership.region_id, membership.role
    membership.delete()
    audit.record("revoke_role", request=request, obj=user, region_code=region_code, detail={"role": role})


def set_active(user: User, active: bool, *, request=None) -> User:
    """Let a user sign in again, or stop them (staff leaving, an abused account)."""
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.record("update", request=request, obj=user, detail={"fields": ["is_active"]})
    return user


def set_region_figures(region: Region, *, population: int | None = None, area_km2: float | None = None,
                       request=None) -> Region:
    """Staff correct a division's population or area (API and admin): the regions service sets them,
    and the change is audited here, since regions sits below the audit log."""
    set_figures(region, population=population, area_km2=area_km2)
    detail = {k: v for k, v in (("population", population), ("area_km2", area_km2)) if v is not None}
    audit.record("update", request=request, obj=region, detail=detail)
    return region


# --- API tokens ---------------------------------------------------------------------------

TOKEN_PREFIX = "qm_"


def create_api_token(user: User, name: str, request=None) -> tuple[ApiToken, str]:
    """Returns the token row and the secret, which is shown once and never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip() or "token",
                                    key_hash=crypto.lookup_hash(secret), key_prefix=secret[:8])
    audit.record("create_token", request=request, actor=user, obj=token)
    return token, secret


def user_for_token(secret: str) -> User | None:
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=crypto.lookup_hash(secret), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_api_token(user: User, token_id: int, request=None) -> None:
    token = ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise AccountError("not_found", _("No such token."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record("revoke_token", request=request, actor=user, obj=token)


# --- Sign-in throttling -------------------------------------------------------------------

def _throttle_keys(phone: str, ip: str | None) -> list[str]:
    keys = [f"phone:{crypto.lookup_hash(phone)}"]
    if ip:
        keys.append(f"ip:{ip}")
    return keys


def reserve_attempt(phone: str, ip: str | None) -> None:
    """One atomic step per sign-in: raise Throttled if it must wait (slowed after a few failures,
    locked after many), else count it as a failure now, under the rows' lock, before the password is
    checked; a right password takes it back (settle_success). So attempts made at once cannot all
    pass the check before any of them is counted."""
    now = timezone.now()
    with transaction.atomic():
        rows = [LoginThrottle.objects.select_for_update().get_or_create(key=key)[0]
                for key in _throttle_keys(phone, ip)]
        for row in rows:
            if row.locked_until and row.locked_until > now:
                raise Throttled("login_locked", int((row.locked_until - now).total_seconds()) + 1)
            if row.failures >= settings.LOGIN_SLOW_AFTER and row.last_failure_at:
                wait = 2 ** (row.failures - settings.LOGIN_SLOW_AFTER)
                ready = row.last_failure_at + datetime.timedelta(seconds=wait)
                if ready > now:
                    raise Throttled("login_slowed", int((ready - now).total_seconds()) + 1)
        for row in rows:
            if row.locked_until and row.locked_until <= now:
                row.failures = 0  # a served lock-out starts the count again
                row.locked_until = None
            row.failures += 1
            row.last_failure_at = now
            if row.failures >= settings.LOGIN_LOCK_AFTER:
                row.locked_until = now + datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            row.save()


def settle_success(phone: str, ip: str | None) -> None:
    """A right password: the account's count is cleared, the address's attempt taken back."""
    clear_throttle(phone)
    if ip:
        LoginThrottle.objects.filter(key=f"ip:{ip}", failures__gt=0).update(failures=F("failures") - 1)


def clear_throttle(phone: str) -> None:
    LoginThrottle.objects.filter(key=f"phone:{crypto.lookup_hash(phone)}").delete()


def lift_lockout(row: LoginThrottle, *, request=None) -> None:
    """City staff lift a lock-out (the admin's delete): the failures are forgotten."""
    row.delete()
    audit.record("lift_lockout", request=request, detail={"key": row.key[:12]})


def sign_in(request, phone_raw: str, password: str) -> User:
    """Check credentials with throttling; log the attempt. Raises AccountError or Throttled."""
    phone = phone_or_error(phone_raw)
    ip = audit.client_ip(request)
    reserve_attempt(phone, ip)
    user = authenticate(request, phone=phone, password=password)
    if user is None:
        audit.record("sign_in_failed", request=request, detail={"phone": crypto.mask_phone(phone)})
        raise AccountError("login_failed", _("Wrong mobile number or password."))
    settle_success(phone, ip)
    login(request, user)
    audit.record("sign_in", request=request, actor=user, obj=user)
    return user


def validate_password_for(user_or_none, password: str) -> None:
    try:
        validate_password(password, user_or_none)
    except ValidationError as exc:
        raise AccountError("password_weak", " ".join(exc.messages), "password") from None


# Sign-in handed over from the city's app (oidc.py checks the provider's answer; these act on it).

@dataclass
class CityIdentity:
    """Who the city's app says signed in: its subject, and the mobile number it verified (or "")."""

    issuer: str
    subject: str
    phone: str = ""
    name: str = ""

    @classmethod
    def from_claims(cls, issuer: str, claims: dict) -> "CityIdentity":
        phone = ""
        if claims.get("phone_number_verified") is True and isinstance(claims.get("phone_number"), str):
            try:
                phone = phone_or_error(claims["phone_number"])
            except AccountError:
                phone = ""  # a number we cannot use is no number: the resident is asked to register
        name = claims.get("name") if isinstance(claims.get("name"), str) else ""
        return cls(issuer=issuer, subject=claims["sub"], phone=phone, name=name.strip()[:50])


def _city_staff_refused(user: User) -> None:
    """Staff accounts keep signing in with their password: the city's app vouches for residents only."""
    if not user.is_active:
        raise AccountError("account_inactive", _("This account is closed."))
    if user.is_staff or user.memberships.exists():
        raise CityAppError("cityapp_staff", _("Staff accounts sign in with their mobile number and password."))


def _login_without_password(request, user: User) -> None:
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])


def find_city_account(identity: CityIdentity) -> tuple[User | None, bool]:
    """(the account, whether it is linked already): by the linked subject, else by the verified
    number (an account to link after its password), else (None, False): a new resident."""
    link = (CityAppLink.objects.select_related("user")
            .filter(issuer=identity.issuer, subject_hash=crypto.lookup_hash(identity.subject)).first())
    if link is not None:
        _city_staff_refused(link.user)
        return link.user, True
    if identity.phone:
        user = User.objects.filter(phone_hash=crypto.lookup_hash(identity.phone)).first()
        if user is not None:
            _city_staff_refused(user)
            return user, False
    return None, False


def city_sign_in(request, identity: CityIdentity) -> User:
    """A resident whose account is linked signs in through the city's app."""
    user, linked = find_city_account(identity)
    if not linked:
        raise CityAppError("cityapp_not_linked", _("This account is not linked yet: start again."))
    CityAppLink.objects.filter(user=user, issuer=identity.issuer).update(last_sign_in_at=timezone.now())
    _login_without_password(request, user)
    audit.record("cityapp_sign_in", request=request, actor=user, obj=user)
    return user


def _link(user: User, identity: CityIdentity, request) -> CityAppLink:
    if CityAppLink.objects.filter(user=user, issuer=identity.issuer).exists():
        raise CityAppError("cityapp_linked_elsewhere", _(
            "This account is linked to another account of the city's app: unlink it under My account first."))
    try:
        with transaction.atomic():
            link = CityAppLink.objects.create(
                user=user, issuer=identity.issuer, subject_hash=crypto.lookup_hash(identity.subject),
                subject_enc=crypto.encrypt(identity.subject), last_sign_in_at=timezone.now())
    except IntegrityError:
        raise CityAppError("cityapp_linked_elsewhere", _(
            "This account is linked to another account of the city's app: unlink it under My account first.")) from None
    audit.record("cityapp_link", request=request, actor=user, obj=user, detail={"issuer": identity.issuer})
    return link


def link_city_account(request, identity: CityIdentity, password: str) -> User:
    """The resident proves the account with the app's verified number is theirs (its password, with
    the sign-in throttle), and the two are linked: the app signs them in from then on."""
    user, linked = find_city_account(identity)
    if user is None or linked:
        raise CityAppError("cityapp_not_linked", _("This account is not linked yet: start again."))
    user = sign_in(request, identity.phone, password)
    _link(user, identity, request)
    return user


def register_from_city_app(request, identity: CityIdentity, *, real_name: str, consent_version: str) -> User:
    """A resident new to Quanmin: an account with the app's verified number, no password (the app
    signs them in), their consent to the privacy notice, and the link."""
    if not identity.phone:
        raise CityAppError("cityapp_no_phone", _(
            "The city's app did not share a verified mobile number: register with your mobile number instead."))
    if not real_name.strip():
        raise AccountError("real_name_required", _("Enter your real name."), "real_name")
    if consent_version != settings.PRIVACY_NOTICE_VERSION:
        raise AccountError("consent_required", _("Read and accept the privacy notice to register."), "consent")
    with transaction.atomic():
        user = create_user(phone=identity.phone, password=None, real_name=real_name)
        record_consent(user, Consent.Kind.PRIVACY, consent_version)
        audit.record("register", request=request, actor=user, obj=user, detail={"via": "cityapp"})
        _link(user, identity, request)
    _login_without_password(request, user)
    audit.record("cityapp_sign_in", request=request, actor=user, obj=user)
    return user


def set_first_password(user: User, password: str, request=None) -> User:
    """A resident made by the city's app (no password) sets one: to sign in without the app, to
    unlink it, and to confirm erasing their data. Changing an existing password is not this."""
    if user.has_usable_password():
        raise AccountError("password_set", _("This account has a password already."), "password")
    validate_password_for(user, password)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record("set_password", request=request, actor=user, obj=user)
    return user


def unlink_city_account(user: User, request=None) -> int:
    """The resident unlinks the city's app. An account with no password keeps working only through
    the app, so it must set a password first (or it could never sign in again)."""
    links = user.city_links.all()
    if not links:
        return 0
    if not user.has_usable_password():
        raise AccountError("password_needed", _("Set a password first: without the city's app it is your only way in."))
    count = links.count()
    links.delete()
    audit.record("cityapp_unlink", request=request, actor=user, obj=user)
    return count
