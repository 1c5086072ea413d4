"""Supervision (督查): visits to the divisions that carry out a plan, the findings of each visit per
division, the rectification items (整改) a finding asks for with their deadline and responsible unit,
followed until a supervisor verifies them closed, and the bulletins (通报) that publish the counties'
ranking and the findings.

What the seeds ask:
- 000: 「建立督查机制,采取定期和不定期、重点督查与全面督查、日常检查与专项检查、明查与暗访相结合的方式对
  县（市、区）、市属开发区工作情况进行检查督促」 — a visit's four dimensions below.
- 004: 「对各县（市、区）贯彻落实《行动方案》进行跟踪督导，适时通报监测结果」 — the bulletin.
- 002: 「将深度融合工作列入区政府年度督查内容。对融合工作进展情况定期进行督查」, and task 8,
  「建立与区人大、区政协和区委督查室、区政府督查室协调联动的重大体育工作跟踪调研和督查机制」 — a visit
  carried out jointly with those bodies names them (`joint_with`). Tracking research (跟踪调研, kind
  `tracking`) follows one major piece of work, a target or a task of the plan, over several visits:
  each such visit names it, and the visits on one piece of work read as a chain
  (selectors_supervision.tracking_chains).

Who sees what (quanmin/planning/permissions.py): supervisors whose scope holds the visited division
record visits, findings and rectification items, verify them and publish bulletins, cancel a planned
visit (with the reason) and extend an item's deadline (with the reason, each extension kept in the
item's follow-up); staff of a
division see the visits of their divisions once carried out (or, announced, once planned: an
unannounced visit (暗访) is never shown to the visited before it took place, nor once cancelled), and answer the
rectification items of their own divisions; a published bulletin is read by staff of its division and
of the divisions right under it (the city and its counties); residents see a bulletin only when it was
published as public (then anyone can open its printable page), otherwise nothing of supervision.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .departments import Department
from .plans import Plan, Target
from .tasks import TaskItem


class Visit(models.Model):
    class Schedule(models.TextChoices):
        REGULAR = "regular", _("Regular")
        UNSCHEDULED = "unscheduled", _("Unscheduled")

    class Coverage(models.TextChoices):
        FOCUSED = "focused", _("Focused")
        OVERALL = "overall", _("Overall")

    class Kind(models.TextChoices):
        ROUTINE = "routine", _("Routine check")
        SPECIAL = "special", _("Special check")
        TRACKING = "tracking", _("Tracking research")

    class Manner(models.TextChoices):
        ANNOUNCED = "announced", _("Announced")
        UNANNOUNCED = "unannounced", _("Unannounced")

    class JointBody(models.TextChoices):
        CONGRESS = "congress", _("People's congress office")
        CPPCC = "cppcc", _("CPPCC office")
        PARTY_OFFICE = "party_office", _("Party committee's supervision office")
        GOVERNMENT_OFFICE = "government_office", _("Government's supervision office")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("visit", "Planned")
        DONE = "done", pgettext_lazy("visit", "Carried out")
        CANCELLED = "cancelled", pgettext_lazy("visit", "Cancelled")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="visits")
    division_code = models.CharField(_("division code"), max_length=12, db_index=True)
    division_name = models.CharField(_("division"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    schedule = models.CharField(_("schedule"), max_length=12, choices=Schedule.choices)
    coverage = models.CharField(_("coverage"), max_length=8, choices=Coverage.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    manner = models.CharField(_("manner"), max_length=12, choices=Manner.choices)
    planned_on = models.DateField(_("planned for"))
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED,
                              db_index=True)
    team = models.CharField(pgettext_lazy("supervision", "team"), max_length=200, blank=True)
    joint_with = models.JSONField(_("carried out jointly with"), default=list, blank=True,
                                  help_text=_("The bodies that track and supervise the work together with the sports bureau."))
    target = models.ForeignKey(Target, verbose_name=_("target followed"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="tracking_visits",
                               help_text=_("Tracking research follows one target or task over several visits."))
    task = models.ForeignKey(TaskItem, verbose_name=_("task followed"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="tracking_visits")
    summary = models.TextField(_("summary"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cancelled by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    scope_fields = {"region": "division_code"}

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")
        constraints = [
            models.CheckConstraint(condition=models.Q(visited_on__isnull=True) | models.Q(status="done"),
                                   name="visit_date_when_done"),
            models.CheckConstraint(condition=models.Q(cancelled_at__isnull=True) | models.Q(status="cancelled"),
                                   name="visit_cancelled_date"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def joint_with_labels(self) -> list[str]:
        return [str(self.JointBody(code).label) for code in self.joint_with if code in self.JointBody.values]

    @property
    def followed(self):
        """The target or task a tracking visit follows (None for another visit)."""
        return self.target or self.task

    @property
    def day(self):
        """The day the visit took place, or is planned for."""
        return self.visited_on or self.planned_on


class Finding(models.Model):
    class Kind(models.TextChoices):
        PROBLEM = "problem", _("Problem")
        PRACTICE = "practice", _("Good practice")

    class Severity(models.TextChoices):
        NONE = "", _("Not graded")
        MINOR = "minor", pgettext_lazy("severity", "Minor")
        MAJOR = "major", _("Major")
        SERIOUS = "serious", _("Serious")

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="findings")
    division_code = models.CharField(_("division code"), max_length=12, db_index=True)
    division_name = models.CharField(_("division"), max_length=100)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.PROBLEM)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, blank=True, default="")
    place = models.CharField(_("place"), max_length=120, blank=True)
    text = models.TextField(_("finding"))
    target = models.ForeignKey(Target, verbose_name=_("target"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="findings")
    task = models.ForeignKey(TaskItem, verbose_name=_("task"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="findings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    scope_fields = {"region": "division_code"}

    class Meta:
        ordering = ["visit", "division_code", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.text[:60]


class Rectification(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("To rectify")
        SUBMITTED = "submitted", _("Awaiting verification")
        RETURNED = "returned", _("Returned")
        CLOSED = "closed", _("Verified closed")

    finding = models.ForeignKey(Finding, verbose_name=_("finding"), on_delete=models.CASCADE,
                                related_name="rectifications")
    division_code = models.CharField(_("division code"), max_length=12, db_index=True)
    division_name = models.CharField(_("division"), max_length=100)
    department = models.ForeignKey(Department, verbose_name=_("responsible unit"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="rectifications",
                                   help_text=_("Empty: the division's own government answers."))
    requirement = models.TextField(_("what to rectify"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("set"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "division_code"}

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        indexes = [models.Index(fields=["status", "deadline"], name="rectification_due")]
        constraints = [
            models.CheckConstraint(condition=models.Q(closed_on__isnull=True) | models.Q(status="closed"),
                                   name="rectification_closed_date"),
        ]

    def __str__(self) -> str:
        return self.requirement[:60]

    def responsible_name(self) -> str:
        return self.department.name if self.department_id else self.division_name


class RectificationEntry(models.Model):
    class Kind(models.TextChoices):
        RESPONSE = "response", _("Rectification report")
        REVIEW = "review", _("Verification")
        EXTENSION = "extension", _("Deadline extended")

    class Decision(models.TextChoices):
        NONE = "", _("None")
        CLOSED = "closed", _("Verified closed")
        RETURNED = "returned", _("Returned")

    rectification = models.ForeignKey(Rectification, verbose_name=_("rectification item"), on_delete=models.CASCADE,
                                      related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("text"))
    decision = models.CharField(pgettext_lazy("rectification", "decision"), max_length=8, choices=Decision.choices, blank=True, default="")
    deadline_was = models.DateField(_("deadline before"), null=True, blank=True)
    deadline = models.DateField(_("new deadline"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="planning/rectifications/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    scope_fields = {"region": "rectification__division_code"}

    class Meta:
        ordering = ["rectification", "created_at", "pk"]
        verbose_name = _("rectification entry")
        verbose_name_plural = _("rectification entries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="extension", deadline__gt=models.F("deadline_was"))
                | models.Q(~models.Q(kind="extension"), deadline__isnull=True, deadline_was__isnull=True),
                name="rectification_extension_later"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.rectification_id}"


class Bulletin(models.Model):
    """A bulletin (通报) of a plan's division: written as a draft (its ranking and findings read live),
    then published once, when its ranking, findings and rectification counts are frozen into it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="bulletins")
    division_code = models.CharField(_("division code"), max_length=12, db_index=True)
    division_name = models.CharField(_("division"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    period_start = models.DateField(_("visits from"))
    period_end = models.DateField(_("visits until"))
    foreword = models.TextField(_("foreword"), blank=True)
    public = models.BooleanField(_("public"), default=False,
                                 help_text=_("On: anyone may read the published bulletin. Off: staff of the "
                                             "division and of the divisions right under it only."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    content = models.JSONField(_("content as published"), default=dict, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    scope_fields = {"region": "division_code"}

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="bulletin_period_ordered"),
            models.CheckConstraint(condition=models.Q(published_at__isnull=True) | models.Q(status="published"),
                                   name="bulletin_published_date"),
        ]

    def __str__(self) -> str:
        return self.title
