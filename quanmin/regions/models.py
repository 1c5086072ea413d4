from django.db import models
from django.utils.translation import gettext_lazy as _

from . import codes


class Region(models.Model):
    """An administrative division, keyed by its 12-digit statistics code."""

    class Level(models.TextChoices):
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")
        COMMUNITY = "community", _("Community or village")

    code = models.CharField(_("division code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    population = models.PositiveIntegerField(_("resident population"), null=True, blank=True)
    population_estimated = models.BooleanField(
        _("population estimated"), default=False,
        help_text=_("Set when the figure was spread down from the level above, not counted."),
    )
    population_source = models.CharField(_("population source"), max_length=200, blank=True)
    area_km2 = models.DecimalField(
        _("land area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    area_estimated = models.BooleanField(_("area estimated"), default=False)

    # For the scoping helper: a division's own code is its place.
    scope_fields = {"region": "code"}

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return codes.prefix(self.code)

    def descendants(self):
        return Region.objects.filter(code__within=self.prefix).exclude(code=self.code)

    def ancestors(self) -> list["Region"]:
        wanted = codes.ancestors(self.code)
        found = {r.code: r for r in Region.objects.filter(code__in=wanted)}
        return [found[c] for c in wanted if c in found]
