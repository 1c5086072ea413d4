"""The "four inclusions" (四纳入, seed 002, D11): each year a division's government includes national
fitness in its agenda of important matters, in its annual budget and medium/long-term budget
planning, in its government work report and in its performance assessment target management:
「实施“四纳入”“一督查”机制」. The "one supervision" (一督查, 「列入区政府年度督查内容」) is read from the
supervision visits of the year (models/supervision.py), not entered twice.

One row per division, year and inclusion: whether it was included, the document or meeting that
shows it, its date and an evidence file, recorded by the division's own sports staff and confirmed
(or returned with the reason) by the staff of the division right above it (permissions.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Inclusion(models.Model):
    class Kind(models.TextChoices):
        AGENDA = "agenda", _("The government's agenda of important matters")
        BUDGET = "budget", _("The annual budget and medium/long-term budget planning")
        WORK_REPORT = "work_report", _("The government work report")
        PERFORMANCE = "performance", _("Performance assessment target management")

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Awaiting confirmation")
        CONFIRMED = "confirmed", pgettext_lazy("inclusion", "Confirmed")
        RETURNED = "returned", pgettext_lazy("inclusion", "Returned")

    division_code = models.CharField(_("division code"), max_length=12)
    division_name = models.CharField(_("division"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("inclusion"), max_length=12, choices=Kind.choices)
    included = models.BooleanField(_("included"))
    document = models.CharField(_("document or meeting"), max_length=200, blank=True,
                                help_text=_("The document, report or meeting that shows it, as titled."))
    dated = models.DateField(_("dated"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="planning/inclusions/%Y/", blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECORDED)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed or returned by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("confirmed or returned"), null=True, blank=True)

    scope_fields = {"region": "division_code"}

    class Meta:
        ordering = ["division_code", "-year", "kind"]
        verbose_name = _("inclusion")
        verbose_name_plural = _("four inclusions")
        constraints = [
            models.UniqueConstraint(fields=["division_code", "year", "kind"], name="inclusion_once_a_year"),
            models.CheckConstraint(condition=models.Q(included=False) | (~models.Q(document="")
                                                                        & models.Q(dated__isnull=False)),
                                   name="inclusion_shown"),
        ]
        indexes = [models.Index(fields=["year", "division_code"], name="inclusion_year")]

    def __str__(self) -> str:
        return f"{self.division_name} {self.year} {self.get_kind_display()}"

    @property
    def counts(self) -> bool:
        """Included, and confirmed by the level above: what the overview and the indicator count."""
        return self.included and self.status == self.Status.CONFIRMED
