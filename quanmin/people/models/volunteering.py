"""Volunteer service (B07): volunteer brands and alliances (志愿服务品牌、联盟, e.g. “运动家”志愿服务联盟),
activities online and offline (线上线下志愿服务) — services, and the recruiting of a backbone team
(招募志愿者为全民健身骨干队伍) — and who signed up. A volunteer is a person of the instructor register
(any type; a resident signing up without a record applies as a fitness volunteer), and the hours
served are a confirmed service log (DutyLog, volunteer) of that person: the volunteer hours
indicator, the figures, points and the person's record count them with every other service.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VolunteerBrand(models.Model):
    class Kind(models.TextChoices):
        ALLIANCE = "alliance", _("Volunteer alliance")
        BRAND = "brand", _("Volunteer service brand")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ALLIANCE)
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    organiser = models.CharField(_("organiser"), max_length=120)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("volunteer brand or alliance")
        verbose_name_plural = _("volunteer brands and alliances")
        ordering = ["region_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="people_one_brand_name")]

    def __str__(self) -> str:
        return self.name


class VolunteerActivity(models.Model):
    class Purpose(models.TextChoices):
        SERVICE = "service", _("Volunteer service")
        RECRUIT = "recruit", _("Recruiting volunteers")

    class Mode(models.TextChoices):
        OFFLINE = "offline", _("On site")
        ONLINE = "online", _("Online")

    title = models.CharField(_("title"), max_length=120)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.SERVICE)
    mode = models.CharField(_("where"), max_length=10, choices=Mode.choices, default=Mode.OFFLINE)
    brand = models.ForeignKey(VolunteerBrand, verbose_name=_("brand or alliance"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="activities")
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    organiser = models.CharField(_("organiser"), max_length=120)
    site = models.ForeignKey("facilities.Site", verbose_name=_("site"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("online link"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    places = models.PositiveIntegerField(_("volunteers wanted"), default=20)
    description = models.CharField(_("description"), max_length=500, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("volunteer activity")
        verbose_name_plural = _("volunteer activities")
        ordering = ["-starts_at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="people_volunteering_ends_after_start")]
        indexes = [models.Index(fields=["region", "starts_at"], name="people_volunteering_region")]

    def __str__(self) -> str:
        return self.title


class VolunteerSignup(models.Model):
    class Status(models.TextChoices):
        SIGNED_UP = "signed_up", _("Signed up")
        SERVED = "served", _("Served")
        ABSENT = "absent", _("Did not come")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    activity = models.ForeignKey(VolunteerActivity, verbose_name=_("activity"), on_delete=models.CASCADE,
                                 related_name="signups")
    volunteer = models.ForeignKey("people.Instructor", verbose_name=_("volunteer"), on_delete=models.CASCADE,
                                  related_name="volunteer_signups")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SIGNED_UP)
    # The hours served, as a confirmed volunteer service of the person (set when staff record them).
    log = models.OneToOneField("people.DutyLog", verbose_name=_("service log"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="signup", editable=False)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer sign-up")
        verbose_name_plural = _("volunteer sign-ups")
        ordering = ["activity_id", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "volunteer"], name="people_sign_up_once")]

    def __str__(self) -> str:
        return f"{self.activity} · {self.volunteer}"
