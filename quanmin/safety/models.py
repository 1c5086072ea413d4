"""Safety supervision of public venues (G14, seed 001 「落实体育场馆、健身设施的安全监管责任」).

`VenueSafety` is a public venue's (facilities.Site) safety responsibility record: the unit and the
person answerable for its safety, its safety officer, when its emergency plan was filed, when its
last fire-safety check was, and until when its public-liability insurance runs. A record is
complete on a day when all three are named, the plan is on file, the fire check is at most a year
old and the insurance runs (figures.complete_q).

`SafetyCheck` is a visit by the township's or county's staff (日常检查, 专项检查, 暗访); each hazard it
finds (`Hazard`) has a level and a rectification deadline. The venue's operator (or the staff)
reports it rectified, with a note and a photo; the division's staff confirm it, or send it back.
A hazard is rectified on time when it is confirmed and was reported rectified by its deadline.
Equipment defects stay with maintenance's inspections and work orders; these are the venue's own
safety conditions (exits, fire equipment, signs, crowd capacity, electrics).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SITE_SCOPE = {"region": "site__region__code", "site": "site_id", "site_model": "facilities.Site"}


class VenueSafety(models.Model):
    site = models.OneToOneField("facilities.Site", verbose_name=_("venue"), on_delete=models.CASCADE,
                                related_name="safety")
    responsible_unit = models.CharField(_("unit responsible for safety"), max_length=120, blank=True)
    responsible_person = models.CharField(_("person responsible for safety"), max_length=60, blank=True)
    safety_officer = models.CharField(_("safety officer"), max_length=60, blank=True)
    emergency_plan_on = models.DateField(_("emergency plan filed on"), null=True, blank=True)
    fire_check_on = models.DateField(_("last fire-safety check"), null=True, blank=True)
    insured_until = models.DateField(_("public-liability insurance until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    scope_fields = SITE_SCOPE

    class Meta:
        verbose_name = _("venue safety record")
        verbose_name_plural = _("venue safety records")
        ordering = ["site_id"]

    def __str__(self) -> str:
        return str(self.site)


class CheckKind(models.TextChoices):
    ROUTINE = "routine", _("Routine check")
    SPECIAL = "special", _("Special check")
    UNANNOUNCED = "unannounced", _("Unannounced visit")


class SafetyCheck(models.Model):
    site = models.ForeignKey("facilities.Site", verbose_name=_("venue"), on_delete=models.CASCADE,
                             related_name="safety_checks")
    kind = models.CharField(_("kind"), max_length=12, choices=CheckKind.choices, default=CheckKind.ROUTINE)
    checked_on = models.DateField(_("checked on"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT,
                                   related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_fields = SITE_SCOPE

    class Meta:
        verbose_name = _("safety check")
        verbose_name_plural = _("safety checks")
        ordering = ["-checked_on", "-pk"]
        indexes = [models.Index(fields=["site", "checked_on"], name="safety_check_site_day")]

    def __str__(self) -> str:
        return f"{self.site} · {self.checked_on}"


class Hazard(models.Model):
    class Level(models.TextChoices):
        GENERAL = "general", _("General hazard")
        MAJOR = "major", _("Major hazard")

    class Status(models.TextChoices):
        OPEN = "open", _("To rectify")
        RECTIFIED = "rectified", _("Rectified, to confirm")
        CLOSED = "closed", _("Rectification confirmed")

    safety_check = models.ForeignKey(SafetyCheck, verbose_name=_("safety check"), on_delete=models.CASCADE,
                              related_name="hazards")
    # The check's venue, kept here so that an operator's and an overdue list need no join.
    site = models.ForeignKey("facilities.Site", verbose_name=_("venue"), on_delete=models.CASCADE, related_name="+",
                             editable=False)
    description = models.CharField(_("hazard found"), max_length=300)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, default=Level.GENERAL)
    deadline = models.DateField(_("rectify by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    rectified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    rectify_note = models.CharField(_("what was done"), max_length=300, blank=True)
    photo = models.ImageField(_("photo"), upload_to="safety/%Y/%m/", blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    returned_note = models.CharField(_("why it was sent back"), max_length=300, blank=True)

    scope_fields = SITE_SCOPE

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="hazard_status_deadline")]
        constraints = [
            models.CheckConstraint(condition=Q(status="open") | Q(rectified_on__isnull=False),
                                   name="hazard_rectified_dated"),
            models.CheckConstraint(condition=~Q(status="closed") | Q(confirmed_at__isnull=False),
                                   name="hazard_closed_confirmed"),
        ]

    def __str__(self) -> str:
        return self.description[:60]
