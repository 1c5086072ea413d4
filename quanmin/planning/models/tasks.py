"""Task tables (任务分解表, 工作任务清单): each task with its group, units and deadline as written."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .departments import Department
from .plans import Plan


class TaskItem(models.Model):
    class Recurrence(models.TextChoices):
        ONCE = "", _("Once")
        YEARLY = "yearly", _("Every year")
        ONGOING = "ongoing", _("Ongoing")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks")
    number = models.CharField(_("number"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"))
    group = models.CharField(_("group"), max_length=120, blank=True)
    subgroup = models.CharField(_("key task"), max_length=200, blank=True)
    title = models.CharField(_("task"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    lead_text = models.CharField(_("lead unit as written"), max_length=200, blank=True)
    responsible_text = models.TextField(_("responsible units as written"), blank=True)
    cooperating_text = models.TextField(_("cooperating units as written"), blank=True)
    deadline_text = models.CharField(_("deadline as written"), max_length=60, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=8, choices=Recurrence.choices, blank=True, default="")
    quote = models.CharField(_("as written"), max_length=200)
    # 优先序 (seed 004: each county's measures with a timetable, roadmap, task list and priority order).
    priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True,
                                                help_text=_("The order of priority: 1 comes first; empty: none given."))
    # 纳入政府民生实事 (D10): the government counts the task among its livelihood projects, pushed and
    # assessed each year (models/livelihood.py); the plan's owners mark it (services/livelihood.py).
    livelihood = models.BooleanField(_("government livelihood project"), default=False,
                                     help_text=_("Counted among the government's livelihood projects, assessed "
                                                 "each year."))

    scope_fields = {"region": "plan__division_code"}

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="task_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class TaskUnit(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead unit")
        RESPONSIBLE = "responsible", _("Responsible unit")
        COOPERATING = "cooperating", _("Cooperating unit")

    task = models.ForeignKey(TaskItem, verbose_name=_("task"), on_delete=models.CASCADE, related_name="units")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="task_units")

    scope_fields = {"region": "task__plan__division_code"}

    class Meta:
        ordering = ["task", "order"]
        verbose_name = _("task unit")
        verbose_name_plural = _("task units")
        constraints = [models.UniqueConstraint(fields=["task", "department"], name="task_unit_once")]

    def __str__(self) -> str:
        return self.department.name
