"""Figures entered by hand for a target no indicator computes (or a division no register covers),
each with its evidence file, who entered it and who approved it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .plans import Target


class TargetFigure(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    target = models.ForeignKey(Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="figures")
    division_code = models.CharField(_("division code"), max_length=12, db_index=True)
    as_of = models.DateField(_("as of"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    note = models.CharField(_("note"), max_length=300, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="planning/evidence/%Y/%m/")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)

    scope_fields = {"region": "division_code"}

    class Meta:
        ordering = ["target", "division_code", "-as_of", "-entered_at"]
        verbose_name = _("entered figure")
        verbose_name_plural = _("entered figures")

    def __str__(self) -> str:
        return f"{self.target} {self.division_code} {self.as_of}"
