"""The register of departments and other bodies that lead or cooperate on a division's tasks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Government department or body")
        DIVISIONS = "divisions", _("The governments of divisions")

    division_code = models.CharField(_("division code"), max_length=12, db_index=True)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DEPARTMENT)

    scope_fields = {"region": "division_code"}

    class Meta:
        ordering = ["division_code", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [models.UniqueConstraint(fields=["division_code", "name"], name="department_name_unique")]

    def __str__(self) -> str:
        return self.name
