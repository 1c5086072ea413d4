"""Funding of national fitness (F05, F06): the sports-lottery public-welfare fund a division
received each year and what of it went to national fitness, and the projects the money pays for,
with planned and actual amounts per funding source and per budget line.

Amounts are yuan with two decimals (Decimal, never float), never negative; a division's lottery
fund never spends more on fitness than it received, so its share stays within 0–100 %. Both are
constraints as well as service checks, so a bad row cannot be written by any path.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quanmin.core.indicators import percent

MONEY = {"max_digits": 14, "decimal_places": 2}


class Source(models.TextChoices):
    """Where a project's money comes from: seed 002's “争取中央支持，柳州市、城区财政配套，部门整合拨付，
    企业捐助，群众自筹”, seed 000's “捐赠和赞助”, and seed 001's sports-lottery fund."""
    CENTRAL = "central", _("Central support")
    MATCHING = "matching", _("City and district matching funds")
    DEPARTMENT = "department", _("Department funds")
    LOTTERY = "lottery", _("Sports-lottery public-welfare fund")
    DONATION = "donation", _("Company donations")
    OWN_FUNDS = "own_funds", _("Residents' own funds")
    SPONSORSHIP = "sponsorship", _("Sponsorship")


# The social share (社会资本投入): money not from a government budget.
SOCIAL_SOURCES = (Source.DONATION, Source.OWN_FUNDS, Source.SPONSORSHIP)


class Line(models.TextChoices):
    """What the money is spent on: seed 000's “全民健身器材购置、场地建设、重大赛事举办承办、社会体育指导员培训、
    体育智慧化建设”."""
    EQUIPMENT = "equipment", _("Fitness equipment")
    GROUNDS = "grounds", _("Sports grounds")
    EVENTS = "events", _("Games and events")
    TRAINING = "training", _("Instructor training")
    SMART = "smart", _("Smart sports")
    OTHER = "other", pgettext_lazy("budget line", "Other")


class LotteryFund(models.Model):
    """The sports-lottery public-welfare fund (体育彩票公益金) a division kept in a year, and the part
    spent on national fitness (用于全民健身)."""

    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    received = models.DecimalField(_("fund received (yuan)"), **MONEY)
    fitness = models.DecimalField(_("spent on national fitness (yuan)"), **MONEY)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["-year", "region_id"]
        verbose_name = _("sports-lottery fund")
        verbose_name_plural = _("sports-lottery funds")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="lottery_fund_once_a_year"),
            models.CheckConstraint(condition=Q(received__gte=0) & Q(fitness__gte=0) & Q(fitness__lte=F("received")),
                                   name="lottery_fund_share_within"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"

    @property
    def share(self):
        """The percentage spent on national fitness, None when nothing was received."""
        return percent(self.fitness, self.received)


class Project(models.Model):
    """A fitness project paid for in a year (a ground built, equipment bought, a games held,
    instructors trained), optionally naming the site of the register it builds or equips."""

    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("project"), max_length=120)
    builds = models.CharField(_("what it builds"), max_length=500, blank=True)
    site = models.ForeignKey("facilities.Site", verbose_name=_("site"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["-year", "region_id", "title"]
        verbose_name = _("funded project")
        verbose_name_plural = _("funded projects")
        constraints = [models.UniqueConstraint(fields=["region", "year", "title"], name="funding_project_unique")]
        indexes = [models.Index(fields=["year", "region"], name="funding_project_year")]

    def __str__(self) -> str:
        return self.title

    def _sources_total(self, which: str):
        return sum((getattr(a, which) for a in self.amounts.all() if a.kind == Amount.Kind.SOURCE), 0)

    @property
    def planned_total(self):
        """All sources' planned amounts (read from the prefetched amounts)."""
        return self._sources_total("planned")

    @property
    def actual_total(self):
        return self._sources_total("actual")


class Amount(models.Model):
    """A project's planned and actual amount from one source, or on one budget line."""

    class Kind(models.TextChoices):
        SOURCE = "source", _("Funding source")
        LINE = "line", _("Budget line")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="amounts")
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    item = models.CharField(_("item"), max_length=12)
    planned = models.DecimalField(_("planned (yuan)"), default=0, **MONEY)
    actual = models.DecimalField(_("actual (yuan)"), default=0, **MONEY)

    scope_fields = {"region": "project__region__code"}

    class Meta:
        ordering = ["project", "kind", "item"]
        verbose_name = _("amount")
        verbose_name_plural = _("amounts")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "item"], name="funding_amount_once"),
            models.CheckConstraint(condition=Q(planned__gte=0) & Q(actual__gte=0), name="funding_amount_not_negative"),
            models.CheckConstraint(
                condition=(Q(kind="source", item__in=[s.value for s in Source])
                           | Q(kind="line", item__in=[line.value for line in Line])),
                name="funding_amount_item_known"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.item_label}"

    @property
    def item_label(self) -> str:
        choices = Source if self.kind == self.Kind.SOURCE else Line
        return str(dict(choices.choices).get(self.item, self.item))
