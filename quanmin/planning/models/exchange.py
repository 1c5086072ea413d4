"""Experience exchange (经验交流, seed 004, E05): 「通过组织召开现场会交流经验等多种方式加强工作指导」 and
「可复制可推广的经验与典型」.

A county's staff write up what worked in their county (an experience case: what they did, what came
of it) and send it to the city. The city's staff recommend it as a typical case for the other
counties to copy (列为典型经验), or return it with a comment, and a returned case is changed and sent
again. The city holds on-site meetings (现场会) at a county, where recommended cases are shown, with
the counties that attended. Recommended cases are read by the staff of every county of the city:
that is the exchange.

    submitted ──recommend──▶ recommended
        ▲   │
        │   └──return──▶ returned ──(changed and sent again)──┘
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    """The fields of work seed 004's plan names (its 「补短板」「塑品牌」「建网络」, 「大健康」「大体育」,
    体教融合, 体卫（医）融合, 乡村振兴, 科学健身)."""

    FACILITIES = "facilities", _("Fitness facilities")
    EVENTS = "events", _("Games and events")
    ORGANISATIONS = "organisations", _("Sports organisations")
    INSTRUCTORS = "instructors", _("Instructors and volunteers")
    SCHOOLS = "schools", _("Sport and education")
    HEALTH = "health", _("Sport and health care")
    RURAL = "rural", _("Rural revitalisation")
    SERVICE = "service", _("Scientific fitness services")
    OTHER = "other", _("Other work")


class ExperienceCase(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Sent to the city")
        RETURNED = "returned", _("Returned to the county")
        RECOMMENDED = "recommended", _("Recommended as a typical case")

    division_code = models.CharField(_("division code"), max_length=12)
    division_name = models.CharField(_("division"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    theme = models.CharField(_("field of work"), max_length=16, choices=Theme.choices)
    practice = models.TextField(_("what was done"), max_length=4000)
    results = models.TextField(_("what came of it"), max_length=2000, blank=True)
    contact = models.CharField(_("contact"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("sent"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.CharField(_("the city's comment"), max_length=500, blank=True)
    recommended_on = models.DateField(_("recommended on"), null=True, blank=True)

    scope_fields = {"region": "division_code"}

    class Meta:
        ordering = ["-year", "division_code", "-submitted_at", "-id"]
        verbose_name = _("experience case")
        verbose_name_plural = _("experience cases")
        constraints = [
            models.CheckConstraint(condition=~models.Q(status="recommended") | models.Q(recommended_on__isnull=False),
                                   name="experience_case_recommended_dated"),
        ]
        indexes = [models.Index(fields=["status", "division_code"], name="experience_case_status")]

    def __str__(self) -> str:
        return f"{self.division_name} {self.title}"


class SiteMeeting(models.Model):
    """An on-site meeting (现场会) the city held at a county: where, when, who attended, which
    recommended cases were shown, and its minutes."""

    division_code = models.CharField(_("held by (division code)"), max_length=12)
    host_code = models.CharField(_("host county (division code)"), max_length=12)
    host_name = models.CharField(_("host county"), max_length=100)
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=120)
    place = models.CharField(_("place"), max_length=100, blank=True)
    attendees = models.JSONField(_("counties attending (division codes)"), default=list, blank=True)
    minutes = models.TextField(_("minutes"), max_length=4000, blank=True)
    cases = models.ManyToManyField(ExperienceCase, verbose_name=_("cases shown"), blank=True,
                                   related_name="site_meetings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    scope_fields = {"region": "division_code"}

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("on-site meeting")
        verbose_name_plural = _("on-site meetings")

    def __str__(self) -> str:
        return self.title
