"""The yearly evaluation of public venues' opening (D13, seed 000 「加强对公共体育场馆开放使用的评估督导」,
「持证免费开放情况进行专项评估」; T2-09 「全部向社会免费或低收费开放」).

An `OpeningRound` is one division's (a county's or the city's) evaluation of a year: it lists an
`OpeningEvaluation` for every publicly funded venue of its subtree when it opens. The county's or
city's sports staff evaluate each venue: the figures are computed from the registers (hours open,
free or low-fee, bookable online, bookings and visitors, accessible features, complaints, certified
free bookings) and kept with the evaluation when it is saved; the clerk ticks the checklist items
seen at the venue (checklist.py), and the score, the result (合格 / 基本合格 / 不合格) and the special
evaluation of certified free use by elderly and disabled people (落实 / 部分落实 / 未落实) follow.

Each shortcoming found becomes an `OpeningRectification` with a due date; the venue's operator (or
the staff) reports it done, the staff confirm it or send it back. A round is closed once every
venue is evaluated; its rectifications are followed up after that.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SITE_SCOPE = {"region": "site__region__code", "site": "site_id", "site_model": "facilities.Site"}


class OpeningRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        CLOSED = "closed", _("Finished")

    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    year = models.PositiveSmallIntegerField(_("year evaluated"))
    title = models.CharField(_("title"), max_length=120)
    due = models.DateField(_("evaluations due by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("finished"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("venue-opening evaluation round")
        verbose_name_plural = _("venue-opening evaluation rounds")
        ordering = ["-year", "region_id"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="one_opening_round_per_year")]

    def __str__(self) -> str:
        return self.title


class OpeningEvaluation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("To evaluate")
        DONE = "done", _("Evaluated")

    class Result(models.TextChoices):
        PASS = "pass", _("Up to standard")
        BASIC = "basic", _("Basically up to standard")
        FAIL = "fail", _("Not up to standard")

    class Special(models.TextChoices):
        MET = "met", _("Carried out")
        PARTLY = "partly", _("Partly carried out")
        NOT_MET = "not_met", _("Not carried out")

    round = models.ForeignKey(OpeningRound, verbose_name=_("round"), on_delete=models.CASCADE,
                              related_name="evaluations")
    site = models.ForeignKey("facilities.Site", verbose_name=_("venue"), on_delete=models.CASCADE,
                             related_name="opening_evaluations")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1, null=True, blank=True)
    result = models.CharField(_("result"), max_length=6, choices=Result.choices, blank=True)
    special_result = models.CharField(_("certified free use"), max_length=8, choices=Special.choices, blank=True)
    note = models.CharField(_("findings"), max_length=500, blank=True)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("evaluated by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    scope_fields = SITE_SCOPE

    class Meta:
        verbose_name = _("venue-opening evaluation")
        verbose_name_plural = _("venue-opening evaluations")
        ordering = ["round_id", "site__region_id", "site__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "site"], name="one_opening_evaluation_per_venue"),
            models.CheckConstraint(condition=Q(status="pending") | (Q(score__isnull=False) & ~Q(result="")),
                                   name="opening_evaluation_done_scored"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.site}"


class OpeningRectification(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("To rectify")
        REPORTED = "reported", _("Reported done, to confirm")
        CLOSED = "closed", _("Rectification confirmed")

    evaluation = models.ForeignKey(OpeningEvaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE,
                                   related_name="rectifications")
    # The evaluation's venue, kept here so that the lists need no join.
    site = models.ForeignKey("facilities.Site", verbose_name=_("venue"), on_delete=models.CASCADE, related_name="+",
                             editable=False)
    request = models.CharField(_("what to rectify"), max_length=300)
    due = models.DateField(_("rectify by"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    reported_on = models.DateField(_("reported done on"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    report_note = models.CharField(_("what was done"), max_length=300, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    returned_note = models.CharField(_("why it was sent back"), max_length=300, blank=True)

    scope_fields = SITE_SCOPE

    class Meta:
        verbose_name = _("opening rectification")
        verbose_name_plural = _("opening rectifications")
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["status", "due"], name="opening_rect_status_due")]
        constraints = [
            models.CheckConstraint(condition=Q(status="open") | Q(reported_on__isnull=False),
                                   name="opening_rect_reported_dated"),
            models.CheckConstraint(condition=~Q(status="closed") | Q(confirmed_at__isnull=False),
                                   name="opening_rect_closed_confirmed"),
        ]

    def __str__(self) -> str:
        return self.request[:60]
