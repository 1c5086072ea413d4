"""The indicators' history: a value for every indicator, division and date, taken by
`manage.py snapshot_indicators` (monthly by default, on demand, and backfilled for past months
from the dated records the registers keep). As Zulip's analytics counts and their fill state: a
run writes one (indicator, date) at a time and marks it done, so an interrupted run resumes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorSnapshot(models.Model):
    indicator = models.CharField(_("indicator"), max_length=60)
    division_code = models.CharField(_("division code"), max_length=12)
    as_of = models.DateField(_("as of"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)

    scope_fields = {"region": "division_code"}

    class Meta:
        ordering = ["indicator", "division_code", "as_of"]
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        constraints = [models.UniqueConstraint(fields=["indicator", "division_code", "as_of"],
                                               name="snapshot_once")]
        indexes = [models.Index(fields=["division_code", "indicator", "as_of"], name="snapshot_by_division")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.division_code} {self.as_of}"


class SnapshotRun(models.Model):
    """One indicator computed for one date over one subtree: written when it is complete."""

    indicator = models.CharField(_("indicator"), max_length=60)
    as_of = models.DateField(_("as of"))
    scope = models.CharField(_("divisions"), max_length=40, help_text=_("A division prefix, and the levels when not all."))
    divisions = models.PositiveIntegerField(_("divisions computed"))
    seconds = models.FloatField(_("seconds"))
    finished_at = models.DateTimeField(_("finished"), auto_now=True)

    scope_fields = {"region": "scope"}

    class Meta:
        ordering = ["-as_of", "indicator"]
        verbose_name = _("snapshot run")
        verbose_name_plural = _("snapshot runs")
        constraints = [models.UniqueConstraint(fields=["indicator", "as_of", "scope"], name="snapshot_run_once")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.as_of}"
