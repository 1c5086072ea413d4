"""Surveys (社会满意度调查, 经常参加体育锻炼人数比例): a questionnaire put to the residents of a
division, quotas of answers by division, sex and age band, and the answers.

Who answered is kept apart from what was answered: a `Respondent` row (the survey and a look-up
hash of the person's ID number) makes "once per real-name person" a constraint, and the `Response`
row holds the answers with only the community, sex and age band the weighting needs, no link to
the person. Both are written in one transaction.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Age bands of the quotas and the weighting: the national fitness survey's groups.
AGE_BANDS = (
    ("under_20", pgettext_lazy("age band", "19 and under"), 0, 19),
    ("20_39", pgettext_lazy("age band", "20–39"), 20, 39),
    ("40_59", pgettext_lazy("age band", "40–59"), 40, 59),
    ("60_plus", pgettext_lazy("age band", "60 and over"), 60, 200),
)
AGE_BAND_CHOICES = [(key, label) for key, label, _low, _high in AGE_BANDS]


def age_band(age: int) -> str:
    for key, _label, low, high in AGE_BANDS:
        if low <= age <= high:
            return key
    return AGE_BANDS[-1][0]


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Survey(models.Model):
    class Kind(models.TextChoices):
        REGULAR_EXERCISE = "regular_exercise", _("Regular exercisers")
        SATISFACTION = "satisfaction", _("Public satisfaction")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", pgettext_lazy("survey", "Closed")

    class Weighting(models.TextChoices):
        COUNTY = "county", _("By county population")
        TOWNSHIP = "township", _("By township population")

    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("division surveyed"), on_delete=models.PROTECT,
                               related_name="+")
    introduction = models.TextField(_("introduction"), blank=True, max_length=2000)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    min_age = models.PositiveSmallIntegerField(_("youngest respondent's age"), default=7)
    sample_target = models.PositiveIntegerField(_("planned sample size"), default=0)
    weighting = models.CharField(_("weighting"), max_length=10, choices=Weighting.choices, default=Weighting.COUNTY)
    response_count = models.PositiveIntegerField(_("answers"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        indexes = [models.Index(fields=["kind", "status", "closes_on"], name="survey_kind_status")]
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="survey_period")]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        SCALE = "scale", _("Scale of 1 to 5")
        TEXT = "text", _("Text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    key = models.SlugField(_("key"), max_length=30, blank=True,
                           help_text=_("The standard questionnaire's name for the question; the figures read it."))
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True,
                               help_text=_('[{"value": "3", "label": "3–4 times"}, …] for choice questions.'))
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["survey", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="question_position"),
            models.UniqueConstraint(fields=["survey", "key"], condition=~Q(key=""), name="question_key"),
        ]

    def __str__(self) -> str:
        return self.text

    def label_of(self, value) -> str:
        for choice in self.choices or []:
            if choice["value"] == value:
                return choice["label"]
        return str(value)


class Quota(models.Model):
    """At most `target` answers from a cell: a division (its subtree), a sex, an age band; a
    blank sex or age band is any. An answer takes a place in every quota whose cell it falls in."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="quotas")
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=10, choices=AGE_BAND_CHOICES, blank=True)
    target = models.PositiveIntegerField(_("answers wanted"))
    filled = models.PositiveIntegerField(_("answers taken"), default=0)

    class Meta:
        ordering = ["survey", "region", "sex", "age_band"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(fields=["survey", "region", "sex", "age_band"], name="quota_cell"),
            models.CheckConstraint(condition=Q(filled__lte=F("target")), name="quota_not_exceeded"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.get_sex_display()} {self.get_age_band_display()}"

    @property
    def left(self) -> int:
        return max(self.target - self.filled, 0)


class Respondent(models.Model):
    """That a real-name person answered a survey, and nothing of what they answered."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    person_hash = models.CharField(max_length=64, editable=False)
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [models.UniqueConstraint(fields=["survey", "person_hash"], name="respondent_once")]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.pk}"


class Response(models.Model):
    """One person's answers, with only what the quotas and the weighting need: the community, sex
    and age band. `regular` and `score` are read from the answers when they are given."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    age_band = models.CharField(_("age band"), max_length=10, choices=AGE_BAND_CHOICES)
    answers = models.JSONField(_("answers"), default=dict)
    regular = models.BooleanField(_("regular exerciser"), null=True)
    score = models.DecimalField(_("satisfaction score"), max_digits=5, decimal_places=2, null=True)
    submitted_on = models.DateField(_("submitted on"))

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["survey", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["survey", "region"], name="response_survey_region")]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.pk}"
