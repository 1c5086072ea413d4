"""New residential areas (新建居住区) and the sports facilities each provides (G11).

Seed 001 asks that new residential areas provide fitness facilities by the norm of
「室内人均建筑面积不低于0.1平方米」 or 「室外人均用地不低于0.3平方米」 (norm.py, data/norm.toml).
`ResidentialProject` is the register: a project of a developer in a division, its planned
residents and households, the indoor sports building area and the outdoor sports land it
provides, and where it stands: being planned → plan approved → built → accepted (验收). Whether it
meets the norm is computed by the services from its figures on every write (`compliant`, kept so
that lists and indicators filter without arithmetic in SQL, where a decimal is a float); accepting
one that falls short needs a reason, kept on the project and in the audit log.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import norm


class Status(models.TextChoices):
    PLANNING = "planning", _("Being planned")
    APPROVED = "approved", _("Plan approved")
    BUILT = "built", _("Built")
    ACCEPTED = "accepted", pgettext_lazy("work accepted", "Accepted")


# The order a project goes through; it never steps back.
STATUS_ORDER = [Status.PLANNING, Status.APPROVED, Status.BUILT, Status.ACCEPTED]


class ResidentialProject(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField(_("residential area"), max_length=120)
    developer = models.CharField(_("developer"), max_length=120, blank=True)
    residents = models.PositiveIntegerField(_("planned residents"))
    households = models.PositiveIntegerField(_("planned households"), null=True, blank=True)
    indoor_area = models.DecimalField(_("indoor sports building area (m²)"), max_digits=12, decimal_places=2,
                                      default=0)
    outdoor_area = models.DecimalField(_("outdoor sports land (m²)"), max_digits=12, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNING)
    approved_on = models.DateField(_("plan approved on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    compliant = models.BooleanField(_("meets the norm"), default=False, editable=False)
    shortfall_reason = models.CharField(_("reason for accepting below the norm"), max_length=500, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("residential project")
        verbose_name_plural = _("residential projects")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="residential_project_unique_name"),
            models.CheckConstraint(condition=Q(residents__gte=1), name="residential_project_has_residents"),
            models.CheckConstraint(condition=Q(indoor_area__gte=0) & Q(outdoor_area__gte=0),
                                   name="residential_project_areas"),
            models.CheckConstraint(condition=Q(status="planning") | Q(approved_on__isnull=False),
                                   name="residential_project_approved_dated"),
            models.CheckConstraint(condition=~Q(status="accepted") | Q(accepted_on__isnull=False),
                                   name="residential_project_accepted_dated"),
        ]
        indexes = [models.Index(fields=["region", "approved_on"], name="residential_project_approved")]

    def __str__(self) -> str:
        return self.name

    @property
    def norm_check(self) -> norm.Check:
        return norm.check(self.residents, self.indoor_area, self.outdoor_area)
