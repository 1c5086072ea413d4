"""Plans (全民健身实施计划, 行动方案…) and their targets, each with the words of its document."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quanmin.core.indicators import UNITS

PLAN_SCOPE = {"region": "division_code"}


class Plan(models.Model):
    class Convention(models.TextChoices):
        LEAD_RESPONSIBLE = "lead_responsible", _("A lead unit and responsible units")
        FIRST_LEADS = "first_leads", _("The first unit listed leads")
        RESPONSIBLE_ONLY = "responsible_only", _("Responsible departments only")
        RESPONSIBLE_COOPERATING = "responsible_cooperating", _("Responsible and cooperating units")

    key = models.SlugField(_("key"), max_length=40, unique=True,
                           help_text=_("A stable name for the plan: its data file's, or one made when staff create it."))
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    division_code = models.CharField(_("division code"), max_length=12, db_index=True)
    division_name = models.CharField(_("division"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    convention = models.CharField(_("unit convention"), max_length=24, choices=Convention.choices,
                                  default=Convention.LEAD_RESPONSIBLE)
    participants = models.TextField(_("participants in every task"), blank=True,
                                    help_text=_("Units the plan names once for all its tasks, as written."))
    quote = models.CharField(_("title as written"), max_length=200, blank=True)
    source = models.TextField(_("source"), blank=True, help_text=_("Where the plan's text comes from and how it was checked."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = PLAN_SCOPE

    class Meta:
        ordering = ["division_code", "-starts_on", "key"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="plan_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    """A stage of a plan with its dates (启动阶段, 实施阶段, 提升阶段)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=60)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    quote = models.CharField(_("as written"), max_length=200, blank=True)

    scope_fields = {"region": "plan__division_code"}

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="phase_order_unique"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="phase_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    class Comparator(models.TextChoices):
        AT_LEAST = ">=", pgettext_lazy("comparator", "at least")
        ABOVE = ">", pgettext_lazy("comparator", "above")
        EQUAL = "=", pgettext_lazy("comparator", "equal to")
        AT_MOST = "<=", pgettext_lazy("comparator", "at most")
        BELOW = "<", pgettext_lazy("comparator", "below")
        ACHIEVED = "yes", pgettext_lazy("comparator", "achieved")
        # 逐年增加 / 提高: met when the value stands above last year's (the value at the previous
        # year's end, from the indicator's snapshot); the target has no value of its own.
        INCREASE = "up", pgettext_lazy("comparator", "higher than last year")

    class Kind(models.TextChoices):
        COUNT = "count", _("Count")
        RATIO = "ratio", _("Ratio")
        SHARE = "share", _("Share of divisions meeting a rule")
        YEARLY = "yearly", _("Count each year")
        YES_NO = "yes_no", _("Yes or no")

    class Level(models.TextChoices):
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")
        COMMUNITY = "community", _("Community or village")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    key = models.CharField(_("key"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=120)
    comparator = models.CharField(_("comparator"), max_length=3, choices=Comparator.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=30, choices=[(k, v) for k, v in UNITS.items()], default="count")
    unit_text = models.CharField(_("unit as written"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.DateField(_("deadline"))
    implied_year = models.BooleanField(_("year implied"), default=False,
                                       help_text=_("The document gives no year beside the target: the plan's end is taken."))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    each = models.BooleanField(_("every division must meet it"), default=False,
                               help_text=_("Off: the plan's division as a whole. On: every division at the level."))
    subject = models.CharField(_("applies to"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    indicator = models.CharField(_("indicator"), max_length=60, blank=True,
                                 help_text=_("The registry's indicator that computes it; empty: figures entered by hand."))
    quote = models.CharField(_("as written"), max_length=200)
    # 纳入经济社会发展核心指标体系 (D10): the government counts the target among the core indicators of
    # economic and social development; the plan's owners mark it (services/authoring.mark_core_indicator).
    core_indicator = models.BooleanField(_("core indicator of economic and social development"), default=False,
                                         help_text=_("Counted among the government's core indicators of economic "
                                                     "and social development."))

    scope_fields = {"region": "plan__division_code"}

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="target_key_unique")]

    def __str__(self) -> str:
        return self.name
