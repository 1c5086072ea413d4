"""County returns (统计监测, seed 004): the city opens a round for an indicator set and a period;
each county gets a return, pre-filled with every figure the platform computes (the indicators read
at the period's end), fills in the figures it cannot compute and its situations and problems
(情况和问题), attaches evidence and submits; the city accepts it or returns it with comments, and
a returned return is edited and submitted again. A round belongs to the division that opens it;
its returns are those of the division's children (a city's counties)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quanmin.core.indicators import UNITS


class ReturnRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("return round", "Open")
        CLOSED = "closed", pgettext_lazy("return round", "Closed")

    division_code = models.CharField(_("division code"), max_length=12, db_index=True)
    division_name = models.CharField(_("division"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    due_on = models.DateField(_("due"))
    computed_as_of = models.DateField(_("figures computed as of"),
                                      help_text=_("The period's end, or the day the round opened if sooner."))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    scope_fields = {"region": "division_code"}

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("return round")
        verbose_name_plural = _("return rounds")
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="return_round_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title


class ReturnItem(models.Model):
    """A line of the round's table: an indicator of the registry (computed by the platform), or a
    figure each county enters (its kind says what a figure must be)."""

    class Kind(models.TextChoices):
        INTEGER = "integer", _("Whole number")
        DECIMAL = "decimal", pgettext_lazy("value type", "Number")
        PERCENT = "percent", _("Share from 0 to 100")
        YES_NO = "yes_no", _("Yes or no")

    round = models.ForeignKey(ReturnRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    indicator = models.CharField(_("indicator"), max_length=60, blank=True,
                                 help_text=_("The registry's indicator that computes it; empty: entered by each county."))
    name = models.CharField(_("name"), max_length=120)
    unit = models.CharField(_("unit"), max_length=30, choices=[(k, v) for k, v in UNITS.items()], default="count")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.DECIMAL)

    scope_fields = {"region": "round__division_code"}

    class Meta:
        ordering = ["round", "order"]
        verbose_name = _("return item")
        verbose_name_plural = _("return items")
        constraints = [models.UniqueConstraint(fields=["round", "order"], name="return_item_order_unique")]

    def __str__(self) -> str:
        return self.name


class CountyReturn(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being filled in")
        SUBMITTED = "submitted", _("Awaiting review")
        RETURNED = "returned", _("Returned for changes")
        ACCEPTED = "accepted", _("Accepted")

    round = models.ForeignKey(ReturnRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="returns")
    division_code = models.CharField(_("division code"), max_length=12, db_index=True)
    division_name = models.CharField(_("division"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    situation = models.TextField(_("situations and problems"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    warned_on = models.DateField(_("overdue warning sent"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "division_code"}

    class Meta:
        ordering = ["round", "division_code"]
        verbose_name = _("county return")
        verbose_name_plural = _("county returns")
        constraints = [models.UniqueConstraint(fields=["round", "division_code"], name="county_return_once")]

    def __str__(self) -> str:
        return f"{self.round} · {self.division_name}"


class ReturnFigure(models.Model):
    """One item's figure in one return: the platform's (computed) or the county's (entered)."""

    ret = models.ForeignKey(CountyReturn, verbose_name=_("return"), on_delete=models.CASCADE, related_name="figures")
    item = models.ForeignKey(ReturnItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="+")
    computed = models.DecimalField(_("computed"), max_digits=18, decimal_places=4, null=True, blank=True)
    entered = models.DecimalField(_("entered"), max_digits=18, decimal_places=4, null=True, blank=True)

    scope_fields = {"region": "ret__division_code"}

    class Meta:
        ordering = ["ret", "item__order"]
        verbose_name = _("return figure")
        verbose_name_plural = _("return figures")
        constraints = [models.UniqueConstraint(fields=["ret", "item"], name="return_figure_once")]

    def __str__(self) -> str:
        return f"{self.ret} · {self.item}"

    @property
    def value(self):
        return self.computed if self.computed is not None else self.entered


class ReturnAttachment(models.Model):
    ret = models.ForeignKey(CountyReturn, verbose_name=_("return"), on_delete=models.CASCADE,
                            related_name="attachments")
    file = models.FileField(_("file"), upload_to="planning/returns/%Y/%m/")
    name = models.CharField(_("name"), max_length=120)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    scope_fields = {"region": "ret__division_code"}

    class Meta:
        ordering = ["ret", "uploaded_at", "pk"]
        verbose_name = _("return attachment")
        verbose_name_plural = _("return attachments")

    def __str__(self) -> str:
        return self.name


class ReturnEntry(models.Model):
    """The return's history: each submission and each review, with its comment."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for changes")

    ret = models.ForeignKey(CountyReturn, verbose_name=_("return"), on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    scope_fields = {"region": "ret__division_code"}

    class Meta:
        ordering = ["ret", "created_at", "pk"]
        verbose_name = _("return history entry")
        verbose_name_plural = _("return history entries")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ret}"
