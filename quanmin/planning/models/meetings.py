"""Joint meetings (联席会议): the plan's member departments meet; each decision (议定事项) they take
becomes a task of the plan's task table, led by the department it names, tracked like any task."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .departments import Department
from .plans import Plan
from .tasks import TaskItem


class JointMeeting(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=100, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    members = models.ManyToManyField(Department, verbose_name=_("member departments present"), blank=True,
                                     related_name="meetings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")

    def __str__(self) -> str:
        return self.title


class MeetingDecision(models.Model):
    meeting = models.ForeignKey(JointMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="decisions")
    text = models.CharField(pgettext_lazy("meeting", "decision"), max_length=200)
    task = models.OneToOneField(TaskItem, verbose_name=_("task"), on_delete=models.CASCADE, related_name="decision")

    class Meta:
        ordering = ["id"]
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")

    def __str__(self) -> str:
        return self.text
