"""Hourly visitor counts per venue, as the national platform collects them (venue, date, hour, in, out).

Arrivals and departures of booked people are not stored here: they follow from the bookings
(check-in time in, slot end out) and are counted when asked. A row here holds what bookings do not
show: people who came without booking, counted by the operator at the gate (`manual`) or by an
automatic counter (`device`). One row per site, hour and source; a new entry replaces the old.
"""

from django.conf import settings
from django.db import models
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _


class VisitCount(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("Counted at the gate")
        DEVICE = "device", _("Automatic counter")

    site = models.ForeignKey("facilities.Site", on_delete=models.CASCADE, related_name="visit_counts")
    hour_start = models.DateTimeField(_("hour starting"), db_index=True)
    count_in = models.PositiveIntegerField(_("in"), default=0)
    count_out = models.PositiveIntegerField(_("out"), default=0)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.MANUAL)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_fields = {"region": "site__region__code", "site": "site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("visitor count")
        verbose_name_plural = _("visitor counts")
        ordering = ["site_id", "hour_start"]
        constraints = [models.UniqueConstraint(fields=["site", "hour_start", "source"], name="one_visit_count_per_hour")]

    def __str__(self) -> str:
        return f"{self.site_id} {localtime(self.hour_start):%Y-%m-%d %H}:00 +{self.count_in} -{self.count_out}"
