import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from . import crypto
from .errors import AccountError, id_number_or_error, phone_or_error
from .idnumber import IdNumber, age_on
from .phones import normalise_phone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # `username` is the phone number as typed; the stored key is its keyed hash.
        return self.get(phone_hash=crypto.lookup_hash(normalise_phone(username)))

    def create_user(self, phone, password=None, *, real_name: str = "", id_number: str = "", home_region=None,
                    **extra):
        """The one place a user is made: services.create_user, ``createsuperuser`` and tests come here.

        The phone (and the ID number, if given) is checked and stored encrypted with a look-up hash;
        a number already registered is an AccountError, not an IntegrityError.
        """
        phone = phone_or_error(phone)
        user = self.model(phone_hash=crypto.lookup_hash(phone), phone_enc=crypto.encrypt(phone),
                          real_name=real_name.strip(), home_region=home_region, **extra)
        if id_number:
            user.set_id_number(id_number_or_error(id_number))
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            if self.filter(phone_hash=user.phone_hash).exists():
                raise AccountError("phone_taken", _("This mobile number is already registered."), "phone") from None
            raise AccountError("id_number_taken", _("This ID number is already registered."), "id_number") from None
        return user

    def create_superuser(self, phone, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with a mobile number. Personal data is stored encrypted."""

    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    phone_hash = models.CharField(_("phone look-up hash"), max_length=64, unique=True, editable=False)
    phone_enc = models.TextField(_("phone (encrypted)"), editable=False)
    real_name = models.CharField(_("real name"), max_length=50, blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    id_number_enc = models.TextField(blank=True, editable=False)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    home_region = models.ForeignKey(
        "regions.Region", verbose_name=_("home division"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("platform administrator"), default=False,
        help_text=_("Technical administrators only; sports staff get their rights from memberships."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()
    scope_fields = {"region": "home_region__code"}

    USERNAME_FIELD = "phone_hash"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"], condition=~models.Q(id_number_hash=""),
                name="unique_id_number",
            )
        ]

    def __str__(self) -> str:
        return self.real_name or self.phone_masked

    # Decrypted values are for the person themself and for audited reads only.
    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_enc)

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_enc)

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)

    @property
    def id_number_masked(self) -> str:
        return crypto.mask_id_number(self.id_number)

    @property
    def display_name(self) -> str:
        return self.real_name or self.phone_masked

    def set_id_number(self, parsed: IdNumber) -> None:
        """Store a checked ID number encrypted, with its look-up hash, birth date and sex (not saved)."""
        self.id_number_enc = crypto.encrypt(parsed.value)
        self.id_number_hash = crypto.lookup_hash(parsed.value)
        self.birth_date = parsed.birth_date
        self.sex = parsed.sex

    def age(self, on: datetime.date | None = None) -> int | None:
        if not self.birth_date:
            return None
        return age_on(self.birth_date, on or timezone.localdate())

    def get_username(self) -> str:
        return self.phone_masked


class Role(models.TextChoices):
    CITY_STAFF = "city_staff", _("City sports staff")
    COUNTY_STAFF = "county_staff", _("County sports staff")
    TOWNSHIP_STAFF = "township_staff", _("Township sports staff")
    COMMUNITY_STAFF = "community_staff", _("Community sports staff")
    SUPERVISOR = "supervisor", _("Supervisor (read-only)")
    EVALUATOR = "evaluator", _("Evaluator (read-only)")
    OPERATOR = "operator", _("Venue operator")
    INSPECTOR = "inspector", _("Equipment inspector")
    ORG_STAFF = "org_staff", _("Organisation staff")
    STATION_STAFF = "station_staff", _("Guidance-station staff")
    JUDGE = "judge", _("Judge")
    DELEGATION_LEADER = "delegation_leader", _("Delegation leader")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    THIRD_PARTY = "third_party", _("Third-party evaluator")
    OVERSIGHT = "oversight", _("Congress, CPPCC or supervision office (read-only)")


# Which roles bind to what, and which may change things.
DIVISION_ROLES = {
    Role.CITY_STAFF: "city", Role.COUNTY_STAFF: "county",
    Role.TOWNSHIP_STAFF: "township", Role.COMMUNITY_STAFF: "community",
}
READ_ONLY_ROLES = {Role.SUPERVISOR, Role.EVALUATOR}
SITE_ROLES = {Role.OPERATOR, Role.INSPECTOR}
ORG_ROLES = {Role.ORG_STAFF}
# Roles bound to one object of a domain app: a guidance station (people), a competition or games
# (events), a delegation (events), a government department named in plans' task tables (planning),
# a plan's evaluation scored by a third party (planning: the agency's people see that evaluation only).
# The app that owns the object decides what the role may do there.
OBJECT_ROLES = {Role.STATION_STAFF, Role.JUDGE, Role.DELEGATION_LEADER, Role.DEPARTMENT_STAFF, Role.THIRD_PARTY}
TARGET_ROLES = SITE_ROLES | ORG_ROLES | OBJECT_ROLES
# Roles bound to a division that read one subject of one app and nothing else of the platform: the
# people of the people's congress, CPPCC and supervision offices (seed 002: 重大体育工作跟踪调研和督查机制)
# read the supervision of their division (planning decides what). Not back-office, not division staff.
NARROW_ROLES = {Role.OVERSIGHT}


class Membership(models.Model):
    """A role held by a user, bound to a division, a site or an organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+",
        help_text=_("The division the role covers; for a site or organisation role, where it lies."),
    )
    # A site (operator, inspector) or organisation (staff); the domain app owns the model.
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region"], condition=models.Q(target_id__isnull=True),
                name="unique_division_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "target_type", "target_id"], condition=models.Q(target_id__isnull=False),
                name="unique_target_membership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.region}"


class Consent(models.Model):
    """Consent to the processing of personal information, with the notice version consented to."""

    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("Personal information processing")
        HEALTH = "health", _("Health data (physique tests)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    version = models.CharField(_("notice version"), max_length=20)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    # Children under 14 need a guardian's consent (PIPL art. 31).
    guardian_name = models.CharField(_("guardian's name"), max_length=50, blank=True)
    guardian_relation = models.CharField(_("relation to the child"), max_length=20, blank=True)
    guardian_id_hash = models.CharField(max_length=64, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version}"


class AuditEntry(models.Model):
    """One thing worth knowing: who, what, when, from where."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    action = models.CharField(_("action"), max_length=40, db_index=True)
    target_type = models.CharField(_("object type"), max_length=60, blank=True)
    target_id = models.CharField(_("object id"), max_length=40, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    region_code = models.CharField(_("division code"), max_length=12, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{localtime(self.at):%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class ApiToken(models.Model):
    """A bearer token for other systems; only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class LoginThrottle(models.Model):
    """Failed sign-ins per phone hash or per address, for slowing and locking out."""

    key = models.CharField(max_length=80, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in throttle")
        verbose_name_plural = _("sign-in throttles")

    def __str__(self) -> str:
        return f"{self.key[:20]}… ×{self.failures}"


class Notification(models.Model):
    """A message to a person, kept so that they see it under My account (the in-app channel)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(_("subject"), max_length=120)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class CityAppLink(models.Model):
    """A resident's account at the city's app (我的聊城), linked once: the provider's subject signs them in.

    The subject is the app's identifier for the person: kept as a keyed hash for the look-up and
    encrypted for messages sent to the app (its message API addresses people by it).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="city_links")
    issuer = models.CharField(_("provider"), max_length=200)
    subject_hash = models.CharField(max_length=64, editable=False)
    subject_enc = models.TextField(editable=False)
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)
    last_sign_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("city app link")
        verbose_name_plural = _("city app links")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject_hash"], name="unique_city_subject"),
            models.UniqueConstraint(fields=["user", "issuer"], name="unique_city_link_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.issuer}"

    @property
    def subject(self) -> str:
        return crypto.decrypt(self.subject_enc)
