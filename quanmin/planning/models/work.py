"""The work on tasks: a period for each year a recurring task (每年, 持续实施) runs, or one for a task
done once; in each, progress reports by the reporting units (the lead units, or the responsible
units where the plan names no lead) with evidence, comments by the other units, and the plan
owner's review (accepted, or returned with a note)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .departments import Department
from .tasks import TaskItem


class TaskPeriod(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Not reported")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    task = models.ForeignKey(TaskItem, verbose_name=_("task"), on_delete=models.CASCADE, related_name="periods")
    year = models.PositiveSmallIntegerField(_("year"))
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "task__plan__division_code"}

    class Meta:
        ordering = ["task", "year"]
        verbose_name = _("task period")
        verbose_name_plural = _("task periods")
        constraints = [
            models.UniqueConstraint(fields=["task", "year"], name="task_period_once"),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="task_period_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.task} ({self.year})"


class TaskEntry(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("Progress report")
        COMMENT = "comment", _("Comment")
        REVIEW = "review", pgettext_lazy("task entry", "Review")

    class Decision(models.TextChoices):
        NONE = "", _("None")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    period = models.ForeignKey(TaskPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("text"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    decision = models.CharField(pgettext_lazy("review", "decision"), max_length=10, choices=Decision.choices, blank=True, default="")
    evidence = models.FileField(_("evidence"), upload_to="planning/tasks/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    scope_fields = {"region": "period__task__plan__division_code"}

    class Meta:
        ordering = ["period", "created_at", "pk"]
        verbose_name = _("task entry")
        verbose_name_plural = _("task entries")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"
