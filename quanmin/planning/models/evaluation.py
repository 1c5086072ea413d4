"""Performance evaluation (绩效评估): a plan's indicator system with weights (绩效评估指标体系), its
evaluations (annual 年度评估, mid-term 中期评估, final 全面评估 at the plan's end), each county's
scores in them, and a third-party evaluator's scores and notes beside the official ones.

Each item of the system weighs some points of 100 and is scored 0–100 for a county: computed from
the plan target it names (its indicator, or the approved figures entered for it) or entered by the
evaluator role with evidence. A county's total is Σ weight × score ÷ 100. Once the plan's owners
approve a county's result it is frozen (the computed scores stored beside the entered ones) and
nothing of it changes again.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .plans import Plan, Target


class EvaluationItem(models.Model):
    class Method(models.TextChoices):
        COMPUTED = "computed", _("Computed from the target")
        ENTERED = "entered", _("Scored by the evaluator")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="evaluation_items")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=120)
    weight = models.DecimalField(_("weight (points of 100)"), max_digits=5, decimal_places=2)
    method = models.CharField(_("how it is scored"), max_length=10, choices=Method.choices)
    target = models.ForeignKey(Target, verbose_name=_("target"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="evaluation_items")
    criteria = models.CharField(_("scoring rule"), max_length=300, blank=True)

    scope_fields = {"region": "plan__division_code"}

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("evaluation item")
        verbose_name_plural = _("evaluation items")
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="evaluation_item_name_unique"),
            models.CheckConstraint(condition=models.Q(weight__gt=0, weight__lte=100), name="evaluation_item_weight"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def computed(self) -> bool:
        """Scored from its target (one that was removed since leaves the item to the evaluator)."""
        return self.method == self.Method.COMPUTED and self.target_id is not None


class Evaluation(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual evaluation")
        MIDTERM = "midterm", _("Mid-term evaluation")
        FINAL = "final", _("Final evaluation")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    third_party = models.CharField(_("third-party evaluator"), max_length=100, blank=True,
                                   help_text=_("The agency the plan's owners engaged, if any."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    # Published for anyone to read (services/publication.py): only once every county's result is approved.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")

    scope_fields = {"region": "plan__division_code"}

    class Meta:
        ordering = ["plan", "-year", "kind"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [models.UniqueConstraint(fields=["plan", "kind", "year"], name="evaluation_once")]

    def __str__(self) -> str:
        return f"{self.plan} {self.year} {self.get_kind_display()}"


class CountyScore(models.Model):
    """A division's result in an evaluation (the plan division's children: a city's counties)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being scored")
        APPROVED = "approved", _("Approved")

    evaluation = models.ForeignKey(Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE,
                                   related_name="counties")
    division_code = models.CharField(_("division code"), max_length=12)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    total = models.DecimalField(_("total score"), max_digits=6, decimal_places=2, null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    scope_fields = {"region": "division_code"}

    class Meta:
        ordering = ["evaluation", "division_code"]
        verbose_name = _("division's evaluation")
        verbose_name_plural = _("divisions' evaluations")
        constraints = [models.UniqueConstraint(fields=["evaluation", "division_code"], name="county_score_once")]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.division_code}"


class ItemScore(models.Model):
    class Source(models.TextChoices):
        OFFICIAL = "official", _("Official")
        THIRD_PARTY = "third_party", _("Third party")

    county = models.ForeignKey(CountyScore, verbose_name=_("division's evaluation"), on_delete=models.CASCADE,
                               related_name="scores")
    item = models.ForeignKey(EvaluationItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="scores")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    value = models.DecimalField(_("target's value"), max_digits=18, decimal_places=4, null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="planning/evaluation/%Y/%m/", blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("scored by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(_("scored"), auto_now=True)

    scope_fields = {"region": "county__division_code"}

    class Meta:
        ordering = ["county", "item__order", "source"]
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        constraints = [
            models.UniqueConstraint(fields=["county", "item", "source"], name="item_score_once"),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=100), name="item_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.item} {self.source}"
