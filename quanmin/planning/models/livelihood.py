"""Livelihood projects (民生实事, D10: 「纳入政府民生实事加以推进和考核」): a task the government counts among
its livelihood projects is assessed (考核) each year; the plan's owners record the result with a note
and the evidence. One assessment a task a year; recording again replaces it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .special import Grade
from .tasks import TaskItem


class LivelihoodAssessment(models.Model):
    task = models.ForeignKey(TaskItem, verbose_name=_("task"), on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    result = models.CharField(_("assessment result"), max_length=10, choices=Grade.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="planning/livelihood/%Y/%m/")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    scope_fields = {"region": "task__plan__division_code"}

    class Meta:
        ordering = ["task", "-year"]
        verbose_name = _("livelihood project assessment")
        verbose_name_plural = _("livelihood project assessments")
        constraints = [models.UniqueConstraint(fields=["task", "year"], name="livelihood_assessment_once")]

    def __str__(self) -> str:
        return f"{self.task} {self.year}"
