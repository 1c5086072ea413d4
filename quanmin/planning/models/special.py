"""Special evaluations (专项评估, D08): the evaluation of one key target or one major project of a
plan — a row of its task table, or a funded project named as the funding register names it — that a
body ordered (the government, the joint meeting, the sports bureau), with its scope, its evaluator
(often a third party), the findings, the conclusion and grade, and the evidence. The plan's owners
open it and approve its conclusion; once concluded nothing of it changes.

Publication (面向社会公开): the plan's owners publish a concluded special evaluation's conclusion, or an
evaluation whose every county result is approved, for anyone to read without signing in
(`published_at`); they may withdraw it. A constraint keeps anything open from being published.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .plans import Plan, Target
from .tasks import TaskItem


class Grade(models.TextChoices):
    """The conclusion's grade (综合评定): the ratings the platform uses elsewhere (优秀 良好 合格 不合格)."""
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class SpecialEvaluation(models.Model):
    class Subject(models.TextChoices):
        TARGET = "target", _("Key target")
        TASK = "task", _("Key task or major project of the task table")
        PROJECT = "project", _("Funded project")

    class Status(models.TextChoices):
        OPEN = "open", _("Being evaluated")
        CONCLUDED = "concluded", _("Concluded")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="special_evaluations")
    title = models.CharField(_("title"), max_length=120)
    subject = models.CharField(_("what is evaluated"), max_length=8, choices=Subject.choices)
    target = models.ForeignKey(Target, verbose_name=_("target"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="special_evaluations")
    task = models.ForeignKey(TaskItem, verbose_name=_("task"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="special_evaluations")
    subject_name = models.CharField(_("subject"), max_length=200,
                                    help_text=_("The target's or task's name when it was opened; a project's title."))
    ordered_by = models.CharField(_("ordered by"), max_length=100,
                                  help_text=_("The body that ordered the evaluation."))
    ordered_on = models.DateField(_("ordered on"))
    scope = models.TextField(_("scope"), max_length=2000)
    evaluator = models.CharField(_("evaluator"), max_length=100)
    third_party = models.BooleanField(_("third-party evaluator"), default=False)
    findings = models.TextField(pgettext_lazy("evaluation", "findings"), max_length=4000, blank=True)
    conclusion = models.TextField(_("conclusion"), max_length=2000, blank=True)
    grade = models.CharField(pgettext_lazy("evaluation", "grade"), max_length=10, choices=Grade.choices, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="planning/special/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("concluded by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "plan__division_code"}

    class Meta:
        ordering = ["plan", "-ordered_on", "pk"]
        verbose_name = _("special evaluation")
        verbose_name_plural = _("special evaluations")
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="special_evaluation_title_unique"),
            models.CheckConstraint(condition=Q(published_at__isnull=True) | Q(status="concluded"),
                                   name="special_evaluation_published_concluded"),
            models.CheckConstraint(condition=Q(status="open") | (~Q(grade="") & ~Q(conclusion="")),
                                   name="special_evaluation_concluded_graded"),
            models.CheckConstraint(condition=(Q(subject="target", task__isnull=True)
                                              | Q(subject="task", target__isnull=True)
                                              | Q(subject="project", target__isnull=True, task__isnull=True)),
                                   name="special_evaluation_one_subject"),
        ]

    def __str__(self) -> str:
        return self.title
