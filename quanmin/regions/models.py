from django.db import models
from django.utils.translation import gettext_lazy as _

from . import codes

# What population_source holds when the figure was not read from a census data file (where the
# source is that file's citation, kept for the admin and the file's readers).
SOURCE_ESTIMATED = "estimated from the county census figure"
SOURCE_STAFF = "entered by staff"


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

    @property
    def population_note(self) -> str:
        """Where the population figure comes from, in the reader's language: the stored source is a
        citation in the data file's words, not something to show on a page."""
        if self.population is None:
            return ""
        if self.population_estimated:
            return str(_("Estimated from the county's census figure"))
        if self.population_source == SOURCE_STAFF:
            return str(_("Entered by staff"))
        return str(_("Counted in the census")) if self.population_source else ""

    def descendants(self):
        return Region.objects.filter(code__within=self.prefix).exclude(code=self.code)

    def ancestors(self) -> list["Region"]:
        wanted = codes.ancestors(self.code)
        found = {r.code: r for r in Region.objects.filter(code__in=wanted)}
        return [found[c] for c in wanted if c in found]


class StreetSegment(models.Model):
    """A street or path of the walking network, loaded from OpenStreetMap or a GeoJSON file
    (`manage.py load_streets`): walked by the fitness-circle analysis and drawn, with its name, on
    the maps when no tiles are configured. WGS-84; the bounding box for finding it in a view."""

    name = models.CharField(_("name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=40, blank=True, help_text=_("OpenStreetMap's highway value."))
    line = models.JSONField(_("line"), help_text=_("[[longitude, latitude], …], WGS-84."))
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="street_bbox")]

    def __str__(self) -> str:
        return self.name or self.kind
