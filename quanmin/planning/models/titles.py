"""Titles a county applies for and the city awards (G16): 体育现代化县（市、区） (seed 001, four by 2025)
and 全民健身运动模范县（市、区） (seed 000). The titles and their criteria are data (titles.py,
data/titles.toml, each with its source's words).

A county's staff open an application for a title in a year; the criteria of the title are copied
into it (so a later change of the data never rewrites an application already made), and the county
answers each (met or not, with a note). Submitted, the application is scored by the evaluators of
its division (0–100 per criterion; the total is Σ weight × score ÷ 100) and the city approves it,
awarding the title, or returns it to the county with a reason, which answers again and resubmits.
Once awarded it is final; the awarded applications are the list of title holders.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TitleApplication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SUBMITTED = "submitted", _("Submitted for assessment")
        RETURNED = "returned", _("Returned to the county")
        AWARDED = "awarded", _("Title awarded")

    title = models.CharField(_("title"), max_length=40)
    division_code = models.CharField(_("division code"), max_length=12)
    division_name = models.CharField(_("division"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(_("total score"), max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)

    scope_fields = {"region": "division_code"}

    class Meta:
        ordering = ["-year", "title", "division_code"]
        verbose_name = _("title application")
        verbose_name_plural = _("title applications")
        constraints = [
            models.UniqueConstraint(fields=["title", "division_code", "year"], name="title_application_once"),
            models.UniqueConstraint(fields=["title", "division_code"], condition=models.Q(status="awarded"),
                                    name="title_awarded_once"),
            models.CheckConstraint(condition=~models.Q(status="awarded") | models.Q(awarded_on__isnull=False),
                                   name="title_awarded_dated"),
        ]
        indexes = [models.Index(fields=["title", "status", "division_code"], name="title_application_holders")]

    def __str__(self) -> str:
        return f"{self.division_name} {self.year} {self.title}"


class TitleCriterion(models.Model):
    """One criterion of an application, copied from the title's data when the application opened."""

    application = models.ForeignKey(TitleApplication, verbose_name=_("title application"), on_delete=models.CASCADE,
                                    related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"))
    key = models.CharField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    quote = models.CharField(_("as written"), max_length=200)
    indicator = models.CharField(_("indicator"), max_length=60, blank=True)
    comparator = models.CharField(_("comparator"), max_length=3, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    weight = models.DecimalField(_("weight (points of 100)"), max_digits=5, decimal_places=2)
    claim_met = models.BooleanField(_("met, as the county says"), null=True, blank=True)
    claim_note = models.CharField(_("the county's note"), max_length=500, blank=True)
    live_value = models.DecimalField(_("indicator's value when submitted"), max_digits=18, decimal_places=4,
                                     null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_note = models.CharField(_("evaluator's note"), max_length=500, blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("scored by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    scope_fields = {"region": "application__division_code"}

    class Meta:
        ordering = ["application", "order"]
        verbose_name = _("title criterion")
        verbose_name_plural = _("title criteria")
        constraints = [
            models.UniqueConstraint(fields=["application", "key"], name="title_criterion_once"),
            models.CheckConstraint(condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                                   name="title_criterion_score_range"),
        ]

    def __str__(self) -> str:
        return self.name
