from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CandidateSite(models.Model):
    """Non-sports land that can take fitness facilities: the catalogue the plans ask the bureau to
    publish (可用于建设健身设施的非体育用地目录)."""

    class LandKind(models.TextChoices):
        IDLE = "idle", _("Idle urban land")
        CORNER = "corner", _("Corner plot")
        PARK = "park", _("Park or green space")
        BRIDGE = "bridge", _("Land under bridges and roads")
        ROOFTOP = "rooftop", _("Rooftop")
        BUILDING = "building", _("Disused building or factory")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        RESERVED = "reserved", _("Reserved for a project")
        USED = "used", _("Built on")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lon = models.FloatField(_("longitude (WGS-84)"))
    lat = models.FloatField(_("latitude (WGS-84)"))
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+")
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=12, decimal_places=2)
    owner = models.CharField(_("owner"), max_length=120, blank=True)
    land_kind = models.CharField(_("kind of land"), max_length=10, choices=LandKind.choices, default=LandKind.IDLE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AVAILABLE)
    published = models.BooleanField(_("published"), default=True,
                                    help_text=_("Shown in the public catalogue."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("candidate site")
        verbose_name_plural = _("candidate sites (non-sports land)")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name


class CircleRun(models.Model):
    """One fitness-circle analysis of a division, computed in the background and kept until the
    data it was computed from changes (its `data_version`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    minutes = models.JSONField(default=list)
    speed_kmh = models.FloatField()
    suggest_k = models.PositiveSmallIntegerField(default=0)
    data_version = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    layer = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("fitness-circle analysis")
        verbose_name_plural = _("fitness-circle analyses")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.minutes} {self.status}"
